/* Differential test of the cores against qemu-riscv32: random programs
 * (seeded) of ALU, M-extension, load/store (to a 256-byte data area) and
 * forward-branch instructions run on PPU 0/1 of the simulated board and
 * under qemu; x1..x30, x31 (the data pointer, as an offset) and the data
 * area must be equal at the end.
 * Usage: test_ppu_diff <riscv gcc> <qemu-riscv32> <programs> <seed> */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axon/program.h"
#include "ppu_testlib.h"

#define URI       "sim:?size=small&die=1&run=1"
#define NINS      300
#define DATA      64u         /* byte address of the data area in the core's image */
#define DUMPWORDS (64u + 31u) /* data area, x1..x30, x31 - data */

static uint64_t rng;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static uint32_t interesting(void)
{
    static const uint32_t v[] = {0, 1, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 31, 32, 2};
    return rnd() % 3 ? rnd() : v[rnd() % 8];
}

static size_t emit(char *s, size_t pos, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static size_t emit(char *s, size_t pos, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s + pos, cap - pos, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - pos) {
        fprintf(stderr, "program text too long\n");
        exit(1);
    }
    return pos + (size_t)n;
}

static char *gen_program(void)
{
    static const char *rr[] = {"add",    "sub",   "sll", "slt",  "sltu", "xor",
                               "srl",    "sra",   "or",  "and",  "mul",  "mulh",
                               "mulhsu", "mulhu", "div", "divu", "rem",  "remu"};
    static const char *ii[] = {"addi", "slti", "sltiu", "xori", "ori", "andi"};
    static const char *sh[] = {"slli", "srli", "srai"};
    static const char *ld[] = {"lb", "lbu", "lh", "lhu", "lw"};
    static const char *st[] = {"sb", "sh", "sw"};
    static const char *br[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
    size_t cap = 64 * 1024, p = 0;
    char *s = malloc(cap);
    if (!s)
        exit(1);
    p = emit(s, p, cap, ".text\n.globl _start\n_start:\n  j main\n");
    p = emit(s, p, cap, "#ifdef QEMU\n.data\n#endif\n.balign 64\ndata:\n");
    for (unsigned i = 0; i < 64; i++)
        p = emit(s, p, cap, "  .word %#" PRIx32 "\n", rnd());
    p = emit(s, p, cap, "dump: .space %u\n.text\nmain:\n  la x31, data\n", 4u * 31u);
    for (unsigned r = 1; r <= 30; r++)
        p = emit(s, p, cap, "  li x%u, %#" PRIx32 "\n", r, interesting());
    int pending[8] = {0}; /* labels still to place: instructions left before them */
    unsigned label = 0, open_labels[8] = {0}, nopen = 0;
    for (unsigned k = 0; k < NINS; k++) {
        for (unsigned j = 0; j < nopen;) {
            if (pending[j]-- == 0) {
                p = emit(s, p, cap, "L%u:\n", open_labels[j]);
                pending[j] = pending[nopen - 1];
                open_labels[j] = open_labels[--nopen];
            } else {
                j++;
            }
        }
        unsigned rd = 1 + rnd() % 30, a = rnd() % 31, b = rnd() % 31, kind = rnd() % 100;
        if (kind < 35) {
            p = emit(s, p, cap, "  %s x%u, x%u, x%u\n", rr[rnd() % 18], rd, a, b);
        } else if (kind < 50) {
            p = emit(s, p, cap, "  %s x%u, x%u, %d\n", ii[rnd() % 6], rd, a,
                     (int)(rnd() % 4096) - 2048);
        } else if (kind < 58) {
            p = emit(s, p, cap, "  %s x%u, x%u, %u\n", sh[rnd() % 3], rd, a, rnd() % 32);
        } else if (kind < 62) {
            p = emit(s, p, cap, "  lui x%u, %u\n", rd, rnd() % 0x100000);
        } else if (kind < 76) {
            unsigned op = rnd() % 5, sz = op < 2 ? 1 : op < 4 ? 2 : 4;
            p = emit(s, p, cap, "  %s x%u, %u(x31)\n", ld[op], rd, (rnd() % 256) & ~(sz - 1));
        } else if (kind < 90) {
            unsigned op = rnd() % 3, sz = 1u << op;
            p = emit(s, p, cap, "  %s x%u, %u(x31)\n", st[op], a, (rnd() % 256) & ~(sz - 1));
        } else if (nopen < 8) {
            open_labels[nopen] = label;
            pending[nopen++] = (int)(rnd() % 6);
            p = emit(s, p, cap, "  %s x%u, x%u, L%u\n", br[rnd() % 6], a, b, label++);
        } else {
            p = emit(s, p, cap, "  add x%u, x%u, x%u\n", rd, a, b);
        }
    }
    for (unsigned j = 0; j < nopen; j++)
        p = emit(s, p, cap, "L%u:\n", open_labels[j]);
    for (unsigned r = 1; r <= 30; r++)
        p = emit(s, p, cap, "  sw x%u, %u(x31)\n", r, 256 + 4 * (r - 1));
    p = emit(s, p, cap, "  la x30, data\n  sub x30, x31, x30\n  sw x30, %u(x31)\n", 256u + 120u);
    p = emit(s, p, cap,
             "#ifdef QEMU\n  li a7, 64\n  li a0, 1\n  mv a1, x31\n  li a2, %u\n  ecall\n#endif\n"
             "  li a0, 0\n  li a7, 93\n  ecall\n",
             4u * DUMPWORDS);
    return s;
}

/* Runs the program under qemu; fills out[DUMPWORDS]; 0 on success. */
static int run_qemu(const char *gcc, const char *qemu, const char *src, uint32_t *out)
{
    char dir[] = "/tmp/ppu_diff_XXXXXX", cmd[2048], path[600];
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/q.S", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(src, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "%s -DQEMU -march=rv32im -mabi=ilp32 -misa-spec=2.2 -nostdlib -nostartfiles "
             "-Wl,-Ttext=0x10000 -o %s/q.elf %s && %s %s/q.elf > %s/q.out",
             gcc, dir, path, qemu, dir, dir);
    int rc = pt_run_cmd(cmd);
    uint8_t bytes[4 * DUMPWORDS];
    snprintf(path, sizeof path, "%s/q.out", dir);
    f = fopen(path, "rb");
    size_t n = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    if (f)
        fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)pt_run_cmd(cmd);
    if (rc != 0 || n != sizeof bytes)
        return -1;
    for (unsigned i = 0; i < DUMPWORDS; i++)
        out[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                 (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: test_ppu_diff <riscv gcc> <qemu-riscv32> <programs> <seed>\n");
        return 2;
    }
    unsigned count = (unsigned)strtoul(argv[3], NULL, 0);
    rng = strtoull(argv[4], NULL, 0) * 0x9E3779B97F4A7C15ull + 1;
    ax_device *d = pt_open(URI);
    unsigned bad = 0;
    uint64_t instret = 0;
    for (unsigned k = 0; k < count; k++) {
        unsigned h = k & 1u;
        char *src = gen_program();
        uint32_t q[DUMPWORDS], c[DUMPWORDS];
        if (run_qemu(argv[1], argv[2], src, q) != 0) {
            fprintf(stderr, "program %u: qemu run failed\n", k);
            return 1;
        }
        pt_bin b;
        pt_assemble(argv[1], src, "", &b);
        pt_load(d, h, &b);
        pt_bin_free(&b);
        pt_cmd(d, h, AX_PPU_START, 0);
        uint32_t s = pt_wait(d, h, 500, 0);
        instret += pt_reg(d, h, PT_INSTRET);
        pt_read_sram(d, h, DATA, c, DUMPWORDS);
        unsigned diff = 0, nonzero = 0;
        for (unsigned i = 0; i < DUMPWORDS; i++) {
            diff += c[i] != q[i];
            nonzero += q[i] != 0;
        }
        if (nonzero < DUMPWORDS / 2) /* a dump of zeros would compare equal for nothing */
            diff += DUMPWORDS;
        if (!PT_EXITED(s) || diff) {
            bad++;
            printf("program %u (PPU %u): status %#x, %u words differ\n", k, h, s, diff);
            for (unsigned i = 0; i < DUMPWORDS && diff; i++)
                if (c[i] != q[i])
                    printf("  %s %u: core %#x qemu %#x\n", i < 64 ? "data word" : "x",
                           i < 64 ? i : i - 63, c[i], q[i]);
            if (bad == 1) {
                FILE *f = fopen("ppu_diff_failed.S", "w");
                if (f) {
                    fputs(src, f);
                    fclose(f);
                }
            }
        }
        free(src);
    }
    ax_close(d);
    printf("%u programs, %" PRIu64 " instructions retired, %u differ\n", count, instret, bad);
    return bad ? 1 : 0;
}
