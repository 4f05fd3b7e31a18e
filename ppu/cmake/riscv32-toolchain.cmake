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
set(CMAKE_C_FLAGS_INIT "${AX_PPU_ARCH} -ffreestanding -fno-builtin -Os")
set(CMAKE_ASM_FLAGS_INIT "${AX_PPU_ARCH}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${AX_PPU_ARCH} -nostartfiles -nostdlib -static")
