/* A processor program as built: a 32-bit little-endian RISC-V executable
 * without compressed or float instructions, entered at _start at the bottom
 * of SRAM, whose loadable segments all fit into the 16 KiB SRAM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/le.h"

#define SRAM_SIZE 0x4000u
#define EM_RISCV  243u
#define PT_LOAD   1u

static int fails;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL: %s\n", what);
        fails++;
    }
}

static void check_segments(const uint8_t *b, size_t n)
{
    uint32_t phoff = ax_get_le32(b + 28);
    unsigned phentsize = ax_get_le16(b + 42), phnum = ax_get_le16(b + 44), loads = 0;
    check(phentsize == 32 && phoff + (size_t)phnum * 32 <= n, "program headers inside the file");
    for (unsigned i = 0; i < phnum && phoff + (size_t)(i + 1) * 32 <= n; i++) {
        const uint8_t *ph = b + phoff + (size_t)i * 32;
        if (ax_get_le32(ph) != PT_LOAD)
            continue;
        uint32_t vaddr = ax_get_le32(ph + 8), filesz = ax_get_le32(ph + 16),
                 memsz = ax_get_le32(ph + 20);
        loads++;
        check((uint64_t)vaddr + memsz <= SRAM_SIZE, "a loadable segment fits into SRAM");
        check(filesz <= memsz, "file size <= memory size");
    }
    check(loads > 0, "at least one loadable segment");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_ppu_elf PROGRAM.elf\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        printf("FAIL: cannot open %s\n", argv[1]);
        return 1;
    }
    static uint8_t b[1 << 20];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    check(n >= 52 && !memcmp(b, "\177ELF", 4), "an ELF file");
    if (fails)
        return 1;
    check(b[4] == 1, "ELFCLASS32");
    check(b[5] == 1, "little-endian");
    check(ax_get_le16(b + 16) == 2, "an executable (ET_EXEC)");
    check(ax_get_le16(b + 18) == EM_RISCV, "machine RISC-V");
    uint32_t flags = ax_get_le32(b + 36);
    check((flags & 1u) == 0, "no compressed instructions (RV32IM, not RV32IMC)");
    check((flags & 6u) == 0, "soft-float ABI (ilp32)");
    check(ax_get_le32(b + 24) == 0, "entry _start at the bottom of SRAM");
    check_segments(b, n);
    if (!fails)
        printf("ppu.elf: %s is a loadable RV32IM program\n", argv[1]);
    return fails != 0;
}
