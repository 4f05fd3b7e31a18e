/* Program images for the plasticity processors from ELF32 files: every field
 * the loader relies on is checked (the file may be anything), and the
 * loadable segments are copied into a flat 16 KiB SRAM image. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/le.h"
#include "axon/ppu.h"

#define EHDR_SIZE    52u
#define PHDR_SIZE    32u
#define PHNUM_MAX    64u
#define ET_EXEC      2u
#define EM_RISCV     243u
#define PT_LOAD      1u
#define EF_RVC       0x1u
#define EF_FLOAT_ABI 0x6u
#define EF_RVE       0x8u

/* A malformed file: AX_E_FORMAT with a detail naming the problem. */
#define BAD(...) ax_fail(AX_E_FORMAT, __VA_ARGS__)

static const char *machine_name(unsigned m)
{
    switch (m) {
    case 3:
        return "x86";
    case 8:
        return "MIPS";
    case 20:
        return "PowerPC";
    case 40:
        return "ARM";
    case 62:
        return "x86-64";
    case 183:
        return "AArch64";
    default:
        return "another machine";
    }
}

/* The ELF header: identification, type, machine, flags, table geometry. */
static int check_header(const uint8_t *b, size_t n)
{
    if (n < 4 || memcmp(b, "\177ELF", 4))
        return BAD("not an ELF file (no \\177ELF magic)");
    if (n < EHDR_SIZE)
        return BAD("ELF header truncated (%u of %u bytes)", (unsigned)n, EHDR_SIZE);
    if (b[4] == 2)
        return BAD("a 64-bit ELF (ELFCLASS64); the PPU runs 32-bit RV32IM programs");
    if (b[4] != 1)
        return BAD("unknown ELF class %u (expected 1, ELFCLASS32)", b[4]);
    if (b[5] != 1)
        return BAD("a big-endian ELF (data encoding %u); the PPU is little-endian", b[5]);
    unsigned type = ax_get_le16(b + 16), machine = ax_get_le16(b + 18);
    if (machine != EM_RISCV)
        return ax_fail(AX_E_FORMAT, "machine %u (%s), not RISC-V (%u)", machine,
                       machine_name(machine), EM_RISCV);
    if (type != ET_EXEC)
        return BAD("ELF type %u, not an executable (ET_EXEC, %u): link the program", type, ET_EXEC);
    uint32_t flags = ax_get_le32(b + 36);
    if (flags & EF_RVC)
        return BAD("compressed instructions (e_flags 0x%x, RVC); the PPU runs RV32IM", flags);
    if (flags & EF_FLOAT_ABI)
        return BAD("a hard-float ABI (e_flags 0x%x); the PPU needs ilp32 (soft float)", flags);
    if (flags & EF_RVE)
        return BAD("the RV32E ABI (e_flags 0x%x); the PPU runs RV32IM (ilp32)", flags);
    unsigned phentsize = ax_get_le16(b + 42), phnum = ax_get_le16(b + 44);
    uint32_t phoff = ax_get_le32(b + 28);
    if (phnum == 0)
        return BAD("no program headers (e_phnum 0)");
    if (phentsize != PHDR_SIZE)
        return BAD("program header size %u, expected %u", phentsize, PHDR_SIZE);
    if (phnum > PHNUM_MAX)
        return BAD("%u program headers (at most %u)", phnum, PHNUM_MAX);
    if ((uint64_t)phoff + (uint64_t)phnum * PHDR_SIZE > n)
        return BAD("program header table (offset %u, %u entries) runs past the end of the file",
                   phoff, phnum);
    return AX_OK;
}

typedef struct seg {
    uint32_t vaddr, memsz;
} seg;

/* One PT_LOAD: inside the file and the SRAM, no overlap with the earlier
 * ones (segs[0..nsegs)); copied into img. */
static int load_segment(const uint8_t *b, size_t n, const uint8_t *ph, unsigned idx, seg *segs,
                        unsigned nsegs, ax_ppu_image *img)
{
    uint32_t off = ax_get_le32(ph + 4), vaddr = ax_get_le32(ph + 8), filesz = ax_get_le32(ph + 16),
             memsz = ax_get_le32(ph + 20);
    if (filesz > memsz)
        return BAD("segment %u: file size larger than memory size (%u bytes)", idx, filesz);
    if ((uint64_t)off + filesz > n)
        return BAD("segment %u: its bytes run past the end of the file (offset %u)", idx, off);
    if (memsz > AX_PPU_SRAM_BYTES)
        return ax_fail(AX_E_FORMAT, "segment %u: %u bytes, larger than the 16 KiB SRAM", idx,
                       memsz);
    if ((uint64_t)vaddr + memsz > AX_PPU_SRAM_BYTES)
        return ax_fail(AX_E_FORMAT, "segment %u at 0x%x..0x%llx lies outside the SRAM [0, 0x4000)",
                       idx, vaddr, (unsigned long long)vaddr + memsz);
    for (unsigned i = 0; i < nsegs; i++)
        if (vaddr < segs[i].vaddr + segs[i].memsz && segs[i].vaddr < vaddr + memsz)
            return ax_fail(AX_E_FORMAT, "segment %u at 0x%x overlaps an earlier one at 0x%x", idx,
                           vaddr, segs[i].vaddr);
    memcpy(img->sram + vaddr, b + off, filesz);
    if (vaddr + memsz > img->end)
        img->end = vaddr + memsz;
    segs[nsegs] = (seg){vaddr, memsz};
    return AX_OK;
}

int ax_ppu_image_parse(const void *elf, size_t n, ax_ppu_image *img)
{
    if (!elf || !img)
        return AX_E_INVAL;
    const uint8_t *b = elf;
    if (n > AX_PPU_FILE_MAX)
        return BAD("ELF file of %zu bytes, larger than %u", n, AX_PPU_FILE_MAX);
    int r = check_header(b, n);
    if (r < 0)
        return r;
    memset(img, 0, sizeof *img);
    uint32_t phoff = ax_get_le32(b + 28), total = 0;
    unsigned phnum = ax_get_le16(b + 44), nsegs = 0;
    seg segs[PHNUM_MAX];
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + (size_t)i * PHDR_SIZE;
        uint32_t memsz = ax_get_le32(ph + 20);
        if (ax_get_le32(ph) != PT_LOAD || memsz == 0)
            continue;
        r = load_segment(b, n, ph, i, segs, nsegs, img);
        if (r < 0)
            return r;
        nsegs++;
        total += memsz; /* each <= 16 KiB, at most 64: no overflow */
        if (total > AX_PPU_SRAM_BYTES)
            return BAD("the loadable segments need %u bytes, more than the %u of SRAM", total,
                       AX_PPU_SRAM_BYTES);
    }
    if (nsegs == 0)
        return BAD("no loadable segment (PT_LOAD)");
    img->entry = ax_get_le32(b + 24);
    if (img->entry % 4)
        return BAD("entry point 0x%x is not 4-byte aligned", img->entry);
    for (unsigned i = 0; i < nsegs; i++)
        if (img->entry >= segs[i].vaddr && img->entry < segs[i].vaddr + segs[i].memsz)
            return AX_OK;
    return BAD("entry point 0x%x is not inside a loaded segment", img->entry);
}

int ax_ppu_image_read(const char *path, ax_ppu_image *img)
{
    if (!path || !img)
        return AX_E_INVAL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ax_fail(errno == ENOENT ? AX_E_NOTFOUND : AX_E_IO, "%s: cannot open: %s", path,
                       strerror(errno));
    uint8_t *buf = malloc(AX_PPU_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, AX_PPU_FILE_MAX + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    int r;
    if (!buf)
        r = ax_fail(AX_E_NOMEM, "%s: out of memory", path);
    else if (err)
        r = ax_fail(AX_E_IO, "%s: read error", path);
    else if (n > AX_PPU_FILE_MAX)
        r = ax_fail(AX_E_FORMAT, "%s: larger than %u bytes, not a PPU program", path,
                    AX_PPU_FILE_MAX);
    else {
        unsigned gen = ax_detail_gen();
        r = ax_ppu_image_parse(buf, n, img);
        if (r < 0)
            r = ax_fail_wrap(r, gen, path);
    }
    free(buf);
    return r;
}
