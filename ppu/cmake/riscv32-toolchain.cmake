# Toolchain for the plasticity processors: Debian's riscv64-unknown-elf-gcc,
# generating RV32IM / ilp32 code (its rv32im multilib) for a bare core.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# -march=rv32im_zicsr would select the 64-bit multilib: plain rv32im with the
# 2.2 ISA spec (which keeps csr instructions in the base) finds rv32im/ilp32.
set(AX_PPU_ARCH "-march=rv32im -mabi=ilp32 -misa-spec=2.2")
# picolibc (Debian's picolibc-riscv64-unknown-elf) through its specs file;
# the runtime brings its own crt0 and stdout (the mailbox), printf is the
# integer-only variant (no float formatting: smaller).
set(CMAKE_C_FLAGS_INIT "${AX_PPU_ARCH} --specs=picolibc.specs -ffreestanding")
set(CMAKE_ASM_FLAGS_INIT "${AX_PPU_ARCH}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-DPICOLIBC_INTEGER_PRINTF_SCANF -nostartfiles -static") # the C flags come too
