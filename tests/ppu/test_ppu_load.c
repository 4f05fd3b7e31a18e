/* The PPU loader's checks (ax_ppu_image_parse) on ELF files built here, each
 * wrong in one way and each refused with its own detail; a good file's flat
 * image; and the device calls on the fake board, which has no processors:
 * AX_E_UNSUPPORTED (AX_E_INVAL for a bad hemisphere) with nothing sent.
 * With PPU_DIR, the programs built there load too. With --write DIR it only
 * writes the bad files (for test_ppu_cli.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/le.h"
#include "axon/ppu.h"
#include "device.h"
#include "fakeboard.h"

static int fails;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    fails += !ok;
}

/* An ELF32 RISC-V executable: header, phnum program headers, then the
 * segments' bytes. seg i: vaddr, filesz, memsz; its bytes are i+1. */
typedef struct elf {
    uint8_t b[40000];
    size_t n;
} elf;

typedef struct seg {
    uint32_t vaddr, filesz, memsz;
} seg;

static void build(elf *e, const seg *s, unsigned nseg, uint32_t entry)
{
    memset(e, 0, sizeof *e);
    uint8_t *b = e->b;
    memcpy(b, "\177ELF", 4);
    b[4] = 1;                 /* ELFCLASS32 */
    b[5] = 1;                 /* little-endian */
    b[6] = 1;                 /* EV_CURRENT */
    ax_put_le16(b + 16, 2);   /* ET_EXEC */
    ax_put_le16(b + 18, 243); /* EM_RISCV */
    ax_put_le32(b + 20, 1);
    ax_put_le32(b + 24, entry);
    ax_put_le32(b + 28, 52); /* phoff */
    ax_put_le16(b + 40, 52);
    ax_put_le16(b + 42, 32);
    ax_put_le16(b + 44, (uint16_t)nseg);
    size_t off = 52 + 32u * nseg;
    for (unsigned i = 0; i < nseg; i++) {
        uint8_t *ph = b + 52 + 32 * i;
        ax_put_le32(ph, 1); /* PT_LOAD */
        ax_put_le32(ph + 4, (uint32_t)off);
        ax_put_le32(ph + 8, s[i].vaddr);
        ax_put_le32(ph + 12, s[i].vaddr);
        ax_put_le32(ph + 16, s[i].filesz);
        ax_put_le32(ph + 20, s[i].memsz);
        ax_put_le32(ph + 24, 7);
        memset(b + off, (int)i + 1, s[i].filesz);
        off += s[i].filesz;
    }
    e->n = off;
}

static void good(elf *e)
{
    seg s[2] = {{0, 0x100, 0x100}, {0x200, 0x40, 0x80}}; /* text, data + bss */
    build(e, s, 2, 0);
}

/* One bad variant: a name (the file name with --write) and the detail it must get. */
typedef struct bad {
    const char *name, *detail;
    void (*make)(elf *e);
} bad;

static void m_not_elf(elf *e)
{
    good(e);
    memcpy(e->b, "#!/bin/sh\n", 10);
}
static void m_64bit(elf *e)
{
    good(e);
    e->b[4] = 2;
}
static void m_big(elf *e)
{
    good(e);
    e->b[5] = 2;
}
static void m_x86(elf *e)
{
    good(e);
    ax_put_le16(e->b + 18, 62);
}
static void m_rel(elf *e)
{
    good(e);
    ax_put_le16(e->b + 16, 1);
}
static void m_rvc(elf *e)
{
    good(e);
    ax_put_le32(e->b + 36, 1);
}
static void m_float(elf *e)
{
    good(e);
    ax_put_le32(e->b + 36, 4); /* double-float ABI */
}
static void m_rve(elf *e)
{
    good(e);
    ax_put_le32(e->b + 36, 8);
}
static void m_trunc(elf *e)
{
    good(e);
    e->n = 30;
}
static void m_phtrunc(elf *e)
{
    good(e);
    e->n = 52 + 40; /* the second program header is cut */
}
static void m_phoff(elf *e)
{
    good(e);
    ax_put_le32(e->b + 28, 0xFFFFFFF0u); /* phoff + size overflows 32 bits */
}
static void m_phnum(elf *e)
{
    good(e);
    ax_put_le16(e->b + 44, 1000);
}
static void m_nophdr(elf *e)
{
    good(e);
    ax_put_le16(e->b + 44, 0);
}
static void m_outside(elf *e)
{
    seg s[1] = {{0x4000, 0x40, 0x40}};
    build(e, s, 1, 0x4000);
}
static void m_wrap(elf *e)
{
    seg s[1] = {{0xFFFFFF00u, 0x40, 0x200}}; /* vaddr + memsz wraps */
    build(e, s, 1, 0);
}
static void m_17k(elf *e)
{
    seg s[1] = {{0, 0x100, 17 * 1024}};
    build(e, s, 1, 0);
}
static void m_total(elf *e)
{
    /* Each fits, together they need more than 16 KiB: they must overlap. */
    seg s[2] = {{0, 0x40, 0x3000}, {0x1000, 0x40, 0x3000}};
    build(e, s, 2, 0);
}
static void m_filesz(elf *e)
{
    seg s[1] = {{0, 0x100, 0x80}};
    build(e, s, 1, 0);
}
static void m_pastfile(elf *e)
{
    good(e);
    ax_put_le32(e->b + 52 + 4, 0xFFFFFF00u); /* offset of segment 0 */
}
static void m_noload(elf *e)
{
    good(e);
    ax_put_le32(e->b + 52, 4); /* PT_NOTE */
    ax_put_le32(e->b + 52 + 32, 6);
}
static void m_entry(elf *e)
{
    seg s[1] = {{0, 0x100, 0x100}};
    build(e, s, 1, 0x1000);
}
static void m_entry_align(elf *e)
{
    seg s[1] = {{0, 0x100, 0x100}};
    build(e, s, 1, 0x12);
}

static const bad bads[] = {
    {"not-elf.elf", "not an ELF file", m_not_elf},
    {"elf64.elf", "a 64-bit ELF (ELFCLASS64)", m_64bit},
    {"big-endian.elf", "a big-endian ELF", m_big},
    {"x86.elf", "machine 62 (x86-64), not RISC-V (243)", m_x86},
    {"relocatable.elf", "ELF type 1, not an executable (ET_EXEC", m_rel},
    {"rvc.elf", "compressed instructions", m_rvc},
    {"float.elf", "a hard-float ABI", m_float},
    {"rve.elf", "the RV32E ABI", m_rve},
    {"truncated.elf", "ELF header truncated (30 of 52 bytes)", m_trunc},
    {"phdr-truncated.elf", "program header table (offset 52, 2 entries) runs past the end",
     m_phtrunc},
    {"phoff.elf", "program header table (offset 4294967280, 2 entries) runs past", m_phoff},
    {"phnum.elf", "1000 program headers (at most 64)", m_phnum},
    {"no-phdr.elf", "no program headers", m_nophdr},
    {"at-0x4000.elf", "segment 0 at 0x4000..0x4040 lies outside the SRAM [0, 0x4000)", m_outside},
    {"wrap.elf", "segment 0 at 0xffffff00..0x100000100 lies outside the SRAM", m_wrap},
    {"17k.elf", "segment 0: 17408 bytes, larger than the 16 KiB SRAM", m_17k},
    {"overlap.elf", "segment 1 at 0x1000 overlaps an earlier one at 0x0", m_total},
    {"filesz.elf", "segment 0: file size larger than memory size", m_filesz},
    {"past-file.elf", "segment 0: its bytes run past the end of the file", m_pastfile},
    {"no-load.elf", "no loadable segment (PT_LOAD)", m_noload},
    {"entry-outside.elf", "entry point 0x1000 is not inside a loaded segment", m_entry},
    {"entry-align.elf", "entry point 0x12 is not 4-byte aligned", m_entry_align},
};
#define NBADS (sizeof bads / sizeof bads[0])

static void test_bad_files(void)
{
    static elf e;
    static ax_ppu_image img;
    for (size_t i = 0; i < NBADS; i++) {
        bads[i].make(&e);
        int r = ax_ppu_image_parse(e.b, e.n, &img);
        char what[300];
        snprintf(what, sizeof what, "%s: AX_E_FORMAT, '%s' (got %d, '%s')", bads[i].name,
                 bads[i].detail, r, ax_error_detail());
        check(r == AX_E_FORMAT && strstr(ax_error_detail(), bads[i].detail), what);
    }
    static uint8_t big[AX_PPU_FILE_MAX + 1];
    good(&e);
    memcpy(big, e.b, e.n);
    int r = ax_ppu_image_parse(big, sizeof big, &img);
    check(r == AX_E_FORMAT && strstr(ax_error_detail(), "ELF file of 1048577 bytes, larger than"),
          "a file above the size cap is refused");
}

static void test_good_file(void)
{
    static elf e;
    static ax_ppu_image img;
    good(&e);
    memset(&img, 0xAA, sizeof img);
    int r = ax_ppu_image_parse(e.b, e.n, &img);
    check(r == AX_OK, "a good file is accepted");
    check(img.entry == 0 && img.end == 0x280, "entry 0, image up to the end of .bss (0x280)");
    int bytes_ok = 1;
    for (unsigned a = 0; a < AX_PPU_SRAM_BYTES; a++) {
        uint8_t want = a < 0x100 ? 1 : a >= 0x200 && a < 0x240 ? 2 : 0;
        bytes_ok &= img.sram[a] == want;
    }
    check(bytes_ok, "segments copied, gaps, .bss and the rest of SRAM zero");
}

/* The fake board has no PPU: every call is refused before anything is sent. */
static void test_fake_board(void)
{
    ax_transport *t;
    ax_device *d;
    static elf e;
    static ax_ppu_image img;
    good(&e);
    ax_ppu_image_parse(e.b, e.n, &img);
    if (fakeboard_open(NULL, &t) != AX_OK || ax_device_open_transport(t, "fake:", &d) != AX_OK) {
        check(0, "fake board opens");
        return;
    }
    fakeboard_stats s0, s1;
    fakeboard_get_stats(t, &s0);
    struct ax_ppu_status st;
    char buf[16];
    size_t n;
    uint32_t v;
    check(ax_ppu_load(d, 2, &img) == AX_E_INVAL && strstr(ax_error_detail(), "hemisphere 2"),
          "hemisphere 2: AX_E_INVAL naming it");
    int r = ax_ppu_load(d, 0, &img);
    check(r == AX_E_UNSUPPORTED && strstr(ax_error_detail(), "no plasticity processors"),
          "load on a board without PPU: AX_E_UNSUPPORTED, 'no plasticity processors'");
    check(ax_ppu_start(d, 1, 0) == AX_E_UNSUPPORTED && ax_ppu_stop(d, 0) == AX_E_UNSUPPORTED &&
              ax_ppu_status(d, 0, &st) == AX_E_UNSUPPORTED &&
              ax_ppu_wait(d, 0, 1.0, &st) == AX_E_UNSUPPORTED &&
              ax_ppu_mailbox(d, 0, buf, sizeof buf, &n) == AX_E_UNSUPPORTED &&
              ax_ppu_inbox_write(d, 0, 1) == AX_E_UNSUPPORTED &&
              ax_ppu_outbox_read(d, 0, &v) == AX_E_UNSUPPORTED &&
              ax_ppu_sram_write(d, 0, 0x3C00, &v, 4) == AX_E_UNSUPPORTED &&
              ax_ppu_sram_read(d, 1, 0, &v, 4) == AX_E_UNSUPPORTED,
          "every PPU call: AX_E_UNSUPPORTED");
    fakeboard_get_stats(t, &s1);
    check(s1.frames_run == s0.frames_run, "nothing was sent to the board");
    ax_close(d);
    check(!strcmp(ax_ppu_cause_name(2), "illegal instruction") &&
              !strcmp(ax_ppu_cause_name(7), "store access fault") &&
              !strcmp(ax_ppu_cause_name(9), "unknown trap cause"),
          "cause names");
}

/* The programs as built (ppu/programs): accepted, entered at 0, below the host area. */
static void test_built(const char *dir)
{
    static const char *const progs[] = {"exit42", "hello", "chipinfo", "spin",
                                        "trap",   "inbox", "stdp",     "stdp_scalar"};
    static ax_ppu_image img;
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        char path[512], what[600];
        snprintf(path, sizeof path, "%s/%s.elf", dir, progs[i]);
        int r = ax_ppu_image_read(path, &img);
        snprintf(what, sizeof what, "%s.elf loads: entry 0, image end 0x%x below the host area%s%s",
                 progs[i], img.end, r < 0 ? ": " : "", r < 0 ? ax_error_detail() : "");
        check(r == AX_OK && img.entry == 0 && img.end > 0 && img.end <= 0x3C00, what);
    }
}

static int write_files(const char *dir)
{
    static elf e;
    for (size_t i = 0; i < NBADS; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, bads[i].name);
        bads[i].make(&e);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(e.b, 1, e.n, f) != e.n || fclose(f) != 0) {
            fprintf(stderr, "test_ppu_load: cannot write %s\n", path);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--write"))
        return write_files(argv[2]);
    test_bad_files();
    test_good_file();
    test_fake_board();
    if (argc == 2)
        test_built(argv[1]);
    printf("%d failure(s)\n", fails);
    return fails != 0;
}
