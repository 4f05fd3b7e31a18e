/* The plasticity processors on the simulated board (small chip): every
 * RV32IM instruction (asm/isa.S), the traps with their cause, pc and tval,
 * a runaway program stopped by the host, wfi with WAKE_AT and INBOX, the row
 * unit against the chip's register view (asm/row.S), and the host's checks
 * of the PPU instruction.
 * Usage: test_ppu_core <riscv gcc> <dir of the asm sources> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip_regs.h"
#include "axon/program.h"
#include "ppu_testlib.h"

#define URI "sim:?size=small&die=9&run=3"
#define N   32u /* columns of the small chip */

static const char *gcc, *dir;
static int fails;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(1);
    fclose(f);
    return s;
}

/* Loads and runs src on PPU hemi; returns STATUS once it is no longer running. */
static uint32_t run_src(ax_device *d, unsigned hemi, const char *src)
{
    pt_bin b;
    pt_assemble(gcc, src, "", &b);
    pt_load(d, hemi, &b);
    pt_bin_free(&b);
    pt_cmd(d, hemi, AX_PPU_START, 0);
    return pt_wait(d, hemi, 2000, 0);
}

static void test_isa(ax_device *d)
{
    char *src = slurp("isa.S");
    for (unsigned h = 0; h < 2; h++) {
        uint32_t s = run_src(d, h, src);
        CHECK(PT_STATE(s) == 3 && PT_EXITED(s) && !PT_TRAPPED(s), "isa: status %#x", s);
        CHECK(pt_reg(d, h, PT_EXIT_CODE) == 0, "isa on PPU %u: check %u failed (expected %#x)", h,
              pt_reg(d, h, PT_EXIT_CODE), pt_reg(d, h, PT_OUTBOX));
        CHECK(pt_reg(d, h, PT_INSTRET) > 400, "isa: instret %u", pt_reg(d, h, PT_INSTRET));
    }
    free(src);
}

typedef struct trap_case {
    const char *name, *setup, *insn; /* insn at 0x100 */
    unsigned cause;
    uint32_t pc, tval;
} trap_case;

static const trap_case traps[] = {
    {"lw misaligned", "li x5, 0x102", "lw x6, 0(x5)", 4, 0x100, 0x102},
    {"lh misaligned", "li x5, 0x103", "lh x6, 0(x5)", 4, 0x100, 0x103},
    {"sw misaligned", "li x5, 0x202", "sw x6, 0(x5)", 6, 0x100, 0x202},
    {"sh misaligned", "li x5, 0x201", "sh x6, 0(x5)", 6, 0x100, 0x201},
    {"jalr misaligned", "li x5, 0x202", "jalr x1, 0(x5)", 0, 0x100, 0x202},
    {"branch misaligned", "", "beq x0, x0, .+2", 0, 0x100, 0x102},
    {"illegal", "", ".word 0xffffffff", 2, 0x100, 0xffffffff},
    {"csr", "", ".word 0xb00022f3", 2, 0x100, 0xb00022f3},
    {"custom funct3", "", ".insn r 0x0b, 1, 0, x1, x2, x3", 2, 0x100, 0x0031108b},
    {"ebreak", "", "ebreak", 3, 0x100, 0x100},
    {"ecall", "li a7, 64", "ecall", 11, 0x100, 0},
    {"load fault sram end", "li x5, 0x4000", "lw x6, 0(x5)", 5, 0x100, 0x4000},
    {"load fault core regs", "li x5, 0x80000040", "lw x6, 0(x5)", 5, 0x100, 0x80000040},
    {"load fault wo reg", "li x5, 0x80000004", "lw x6, 0(x5)", 5, 0x100, 0x80000004},
    {"load fault byte window", "li x5, 0xc0040000", "lb x6, 0(x5)", 5, 0x100, 0xc0040000},
    {"load fault board regs", "li x5, 0xc0000000", "lw x6, 0(x5)", 5, 0x100, 0xc0000000},
    {"store fault", "li x5, 0x10000000", "sw x6, 0(x5)", 7, 0x100, 0x10000000},
    {"store fault ro reg", "li x5, 0x80000008", "sw x6, 0(x5)", 7, 0x100, 0x80000008},
    {"fetch fault", "li x5, 0x4000", "jalr x0, 0(x5)", 1, 0x4000, 0x4000},
    {"row source", "li x5, 0x5000", ".insn r 0x0b, 0, 0, x1, x5, x0", 5, 0x100, 0x5000},
    {"row store sensors", "li x5, 0x2000", ".insn r 0x0b, 0, 1, x0, x5, x1", 7, 0x100, 0x2000},
    {"vldm misaligned", "li x5, 0x210", ".insn r 0x0b, 0, 0x0c, x1, x5, x0", 4, 0x100, 0x210},
};

static void test_traps(ax_device *d)
{
    char src[1024];
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
        const trap_case *t = &traps[i];
        unsigned h = (unsigned)i & 1u;
        snprintf(src, sizeof src,
                 ".text\n.globl _start\n_start:\n  %s\n  j t\n.org 0x100\nt:\n  %s\n  li a7, 93\n"
                 "  ecall\n",
                 t->setup, t->insn);
        uint32_t s = run_src(d, h, src);
        CHECK(PT_STATE(s) == 3 && PT_TRAPPED(s) && !PT_EXITED(s), "%s: status %#x", t->name, s);
        CHECK(PT_CAUSE(s) == t->cause, "%s: cause %u, expected %u", t->name, PT_CAUSE(s), t->cause);
        CHECK(pt_reg(d, h, PT_PC) == t->pc, "%s: pc %#x", t->name, pt_reg(d, h, PT_PC));
        CHECK(pt_reg(d, h, PT_TVAL) == t->tval, "%s: tval %#x", t->name, pt_reg(d, h, PT_TVAL));
    }
    /* the board is still usable: a normal program runs */
    uint32_t s = run_src(d, 0, ".globl _start\n_start: li a0, 42\n li a7, 93\n ecall\n");
    CHECK(PT_EXITED(s) && pt_reg(d, 0, PT_EXIT_CODE) == 42, "after traps: status %#x", s);
}

static void test_runaway(ax_device *d)
{
    uint32_t s = run_src(d, 1, ".globl _start\n_start: addi x5, x5, 1\n j _start\n");
    CHECK(PT_STATE(s) == 1, "runaway: still running after the polls (status %#x)", s);
    uint32_t n0 = pt_reg(d, 1, PT_INSTRET);
    CHECK(pt_reg(d, 1, PT_INSTRET) > n0, "runaway: instret grows");
    pt_cmd(d, 1, AX_PPU_STOP, 0);
    s = pt_reg(d, 1, PT_STATUS);
    CHECK(s == 0, "stopped: status %#x", s);
    uint32_t n1 = pt_reg(d, 1, PT_INSTRET);
    CHECK(pt_reg(d, 1, PT_INSTRET) == n1, "stopped: instret frozen");
    s = run_src(d, 1, ".globl _start\n_start: li a0, 7\n li a7, 93\n ecall\n");
    CHECK(PT_EXITED(s) && pt_reg(d, 1, PT_EXIT_CODE) == 7, "restart: status %#x", s);
    CHECK(pt_reg(d, 1, PT_INSTRET) == 3, "restart: instret %u", pt_reg(d, 1, PT_INSTRET));
}

static void test_sleep(ax_device *d)
{
    /* WAKE_AT = CYCLE_LO + 1000: OUTBOX gets how late the wake was */
    uint32_t s = run_src(d, 0,
                         ".globl _start\n_start: li x5, 0x80000000\n lw x6, 8(x5)\n"
                         " addi x6, x6, 1000\n sw x6, 0x1c(x5)\n wfi\n lw x7, 8(x5)\n"
                         " sub x8, x7, x6\n sw x8, 4(x5)\n li a0, 0\n li a7, 93\n ecall\n");
    CHECK(PT_EXITED(s), "wake_at: status %#x", s);
    uint32_t late = pt_reg(d, 0, PT_OUTBOX);
    /* woken at the end of the cycle CYCLE_LO equals WAKE_AT; the lw after wfi
     * starts in the next cycle and reads CYCLE_LO in its second: 2 later */
    CHECK(late == 2, "wake_at: woke %u cycles after WAKE_AT", late);
    CHECK(pt_reg(d, 0, PT_CYCLES) >= 1000, "wake_at: cycles %u", pt_reg(d, 0, PT_CYCLES));
    /* INBOX: sleeps until the host writes it */
    pt_bin b;
    pt_assemble(gcc,
                ".globl _start\n_start: li x5, 0x80000000\n wfi\n lw x6, 0x14(x5)\n"
                " lw x7, 0x18(x5)\n add a0, x6, x7\n li a7, 93\n ecall\n",
                "", &b);
    pt_load(d, 1, &b);
    pt_bin_free(&b);
    pt_cmd(d, 1, AX_PPU_START, 0);
    s = pt_wait(d, 1, 50, 1);
    CHECK(PT_STATE(s) == 2, "inbox: asleep (status %#x)", s);
    uint32_t i0 = pt_reg(d, 1, PT_INSTRET);
    s = pt_reg(d, 1, PT_STATUS);
    CHECK(PT_STATE(s) == 2 && pt_reg(d, 1, PT_INSTRET) == i0, "inbox: still asleep");
    pt_check(ax_reg_write(d, PT_REG(1, PT_INBOX), 41), "inbox write");
    s = pt_wait(d, 1, 50, 0);
    CHECK(PT_EXITED(s) && pt_reg(d, 1, PT_EXIT_CODE) == 42, "inbox: woke, exit %u (status %#x)",
          pt_reg(d, 1, PT_EXIT_CODE), s);
}

static uint8_t byte_of(const uint32_t *w, unsigned i)
{
    return (uint8_t)(w[i / 4] >> (8 * (i % 4)));
}

static void cadc_codes(ax_device *d, unsigned src, unsigned row, uint8_t *codes)
{
    uint32_t w[N / 4];
    pt_check(ax_reg_write(d, AX_CHIP_CADC_CMD,
                          src << AX_CHIP_CADC_CMD_SRC_SHIFT | row << AX_CHIP_CADC_CMD_ROW_SHIFT),
             "cadc");
    pt_check(ax_reg_read_block(d, AX_CHIP_CADC_RES(0, 0), w, N / 4), "cadc read");
    for (unsigned c = 0; c < N; c++)
        codes[c] = byte_of(w, c);
}

static void test_row(ax_device *d)
{
    unsigned wt[N], lb[N], sum = 0;
    for (unsigned c = 0; c < N; c++) {
        wt[c] = (c * 7u) % 64u;
        lb[c] = (c * 5u + 1u) % 64u;
        sum += wt[c];
    }
    for (unsigned w = 0; w < N / 2; w++)
        pt_check(ax_reg_write(d, AX_CHIP_SYN(0, 3, w),
                              wt[2 * w] | lb[2 * w] << AX_CHIP_SYN_LABEL0_SHIFT |
                                  wt[2 * w + 1] << AX_CHIP_SYN_WEIGHT1_SHIFT |
                                  lb[2 * w + 1] << AX_CHIP_SYN_LABEL1_SHIFT),
                 "synapse write");
    char *src = slurp("row.S");
    uint32_t s = run_src(d, 0, src);
    free(src);
    CHECK(PT_EXITED(s), "row: status %#x tval %#x", s, pt_reg(d, 0, PT_TVAL));
    CHECK(pt_reg(d, 0, PT_EXIT_CODE) == sum, "row: VSUM %u, expected %u",
          pt_reg(d, 0, PT_EXIT_CODE), sum);
    CHECK(pt_reg(d, 0, PT_OUTBOX) == 12, "row: VSHR/VGET %u", pt_reg(d, 0, PT_OUTBOX));
    uint32_t buf[80];
    pt_read_sram(d, 0, 0x2000, buf, 80);
    uint8_t cc[N], ca[N];
    cadc_codes(d, AX_CHIP_CADC_SRC_CAUSAL, 3, cc);
    cadc_codes(d, AX_CHIP_CADC_SRC_ACAUSAL, 3, ca);
    unsigned bad[7] = {0};
    for (unsigned c = 0; c < N; c++) {
        bad[0] += byte_of(buf, c) != wt[c];
        bad[1] += byte_of(buf, 32 + c) != lb[c];
        bad[2] += byte_of(buf, 64 + c) != cc[c];
        bad[3] += byte_of(buf, 96 + c) != ca[c];
        bad[4] += byte_of(buf, 128 + c) != 255;
        bad[5] += byte_of(buf, 160 + c) != 0;
        bad[6] += byte_of(buf, 192 + c) != 156;
    }
    const char *what[7] = {"VLD weights",     "VLD labels",      "VLD causal", "VLD anti-causal",
                           "VADDS saturates", "VSUBS saturates", "VMULH"};
    for (unsigned k = 0; k < 7; k++)
        CHECK(bad[k] == 0, "row: %s: %u lanes wrong", what[k], bad[k]);
    CHECK(buf[56] == 200u * N, "row: VMAX sum %u", buf[56]);
    CHECK(buf[57] == sum, "row: VMIN sum %u", buf[57]);
    CHECK(buf[58] == 0, "row: VRAND/VSTM/VLDM round trip");
    unsigned distinct = 0;
    for (unsigned k = 1; k < 8; k++)
        distinct += buf[64 + k] != buf[64];
    CHECK(distinct == 7, "row: VRAND words differ");
    /* the sensors differ between channels (fixed-pattern noise): a real check */
    unsigned diff = 0;
    for (unsigned c = 1; c < N; c++)
        diff += cc[c] != cc[0];
    CHECK(diff > 0, "row: sensor codes all equal");
    /* row 4 as the host sees it: weights clamped to 63, labels low 6 bits */
    uint32_t syn[N / 2];
    pt_check(ax_reg_read_block(d, AX_CHIP_SYN(0, 4, 0), syn, N / 2), "synapse read");
    unsigned badw = 0, badl = 0;
    for (unsigned c = 0; c < N; c++) {
        uint32_t v = syn[c / 2] >> (c & 1 ? AX_CHIP_SYN_WEIGHT1_SHIFT : 0);
        badw += (v & 63u) != 63u;
        badl += ((v >> AX_CHIP_SYN_LABEL0_SHIFT) & 63u) != (c == 0 ? 5u : lb[c]);
    }
    CHECK(badw == 0 && badl == 0, "row: VST row 4: %u weights, %u labels wrong", badw, badl);
}

/* The chip-register window: the core reads VERSION, writes a synapse word,
 * reads it back, and the host sees the write; a bus error traps. */
static void test_window(ax_device *d)
{
    uint32_t syn = 0xC0000000u + 4u * AX_CHIP_SYN(1, 7, 2),
             ver = 0xC0000000u + 4u * AX_CHIP_VERSION;
    char src[1024];
    snprintf(src, sizeof src,
             ".globl _start\n_start: li x5, %#x\n lw x6, 0(x5)\n li x7, %#x\n li x8, 0x0ABC0123\n"
             " sw x8, 0(x7)\n lw x9, 0(x7)\n li x10, 0x80000000\n sw x9, 4(x10)\n mv a0, x6\n"
             " li a7, 93\n ecall\n",
             ver, syn);
    for (unsigned h = 0; h < 2; h++) {
        uint32_t s = run_src(d, h, src);
        CHECK(PT_EXITED(s), "window: status %#x tval %#x", s, pt_reg(d, h, PT_TVAL));
        CHECK(pt_reg(d, h, PT_EXIT_CODE) == 4, "window: VERSION %u", pt_reg(d, h, PT_EXIT_CODE));
        CHECK(pt_reg(d, h, PT_OUTBOX) == 0x0ABC0123u, "window: synapse read back %#x",
              pt_reg(d, h, PT_OUTBOX));
        uint32_t v = 0;
        pt_check(ax_reg_read(d, AX_CHIP_SYN(1, 7, 2), &v), "synapse read");
        CHECK(v == 0x0ABC0123u, "window: the host sees %#x", v);
        pt_check(ax_reg_write(d, AX_CHIP_SYN(1, 7, 2), 0), "synapse write");
    }
    /* a register outside the small chip's geometry: the bus answers an error */
    snprintf(src, sizeof src, ".globl _start\n_start: li x5, %#x\n lw x6, 0(x5)\n ecall\n",
             0xC0000000u + 4u * AX_CHIP_SYN(0, 100, 0));
    uint32_t s = run_src(d, 0, src);
    CHECK(PT_TRAPPED(s) && PT_CAUSE(s) == 5 && pt_reg(d, 0, PT_PC) == 4 &&
              pt_reg(d, 0, PT_TVAL) == 0xC0000000u + 4u * AX_CHIP_SYN(0, 100, 0),
          "window: bus error traps (status %#x, pc %#x)", s, pt_reg(d, 0, PT_PC));
}

/* CHIP_RESET stops both cores; SRAM keeps its contents. */
static void test_chip_reset(ax_device *d)
{
    pt_bin b;
    pt_assemble(gcc, ".globl _start\n_start: j _start\n", "", &b);
    for (unsigned h = 0; h < 2; h++) {
        pt_load(d, h, &b);
        pt_cmd(d, h, AX_PPU_START, 0);
        CHECK(PT_STATE(pt_reg(d, h, PT_STATUS)) == 1, "chip reset: PPU %u runs", h);
    }
    pt_check(ax_reg_write(d, AX_REG_CHIP_RESET, 1), "CHIP_RESET");
    for (unsigned h = 0; h < 2; h++) {
        uint32_t v = 0;
        CHECK(pt_reg(d, h, PT_STATUS) == 0, "chip reset: PPU %u stopped", h);
        pt_check(ax_reg_read(d, PT_SRAM(h), &v), "SRAM read");
        CHECK(v == b.w[0], "chip reset: SRAM kept (%#x)", v);
    }
    pt_bin_free(&b);
}

/* VLD of membranes against the host's CADC conversion, with the membranes
 * at rest (no temporal noise, long after reset: the same codes any cycle). */
static void test_membranes(void)
{
    ax_device *d = pt_open("sim:?size=small&die=9&run=3&noise=0");
    ax_program *p = NULL;
    ax_result r;
    pt_check(ax_program_new(&p), "program");
    pt_check(ax_program_timer_reset(p), "timer reset");
    pt_check(ax_program_wait_until(p, 100000), "wait");
    ax_result_init(&r);
    pt_check(ax_run(d, p, &r), "run");
    ax_result_free(&r);
    ax_program_free(p);
    uint8_t host[N];
    cadc_codes(d, AX_CHIP_CADC_SRC_MEMBRANE, 0, host);
    uint32_t s = run_src(d, 1,
                         ".globl _start\n_start: li x5, 0x4000\n li x6, 0x2000\n"
                         " .insn r 0x0b, 0, 0, x1, x5, x0\n .insn r 0x0b, 0, 0x0d, x0, x6, x1\n"
                         " li a7, 93\n ecall\n");
    CHECK(PT_EXITED(s), "membranes: status %#x", s);
    uint32_t buf[N / 4], w[N / 4];
    pt_read_sram(d, 1, 0x2000, buf, N / 4);
    pt_check(ax_reg_write(d, AX_CHIP_CADC_CMD,
                          AX_CHIP_CADC_SRC_MEMBRANE << AX_CHIP_CADC_CMD_SRC_SHIFT | 1u),
             "cadc");
    pt_check(ax_reg_read_block(d, AX_CHIP_CADC_RES(1, 0), w, N / 4), "cadc read");
    unsigned bad = 0, spread = 0;
    for (unsigned c = 0; c < N; c++) {
        bad += byte_of(buf, c) != byte_of(w, c);
        spread += byte_of(w, c) != byte_of(w, 0);
    }
    CHECK(bad == 0, "membranes: %u lanes differ from the CADC conversion", bad);
    CHECK(spread > 0 && host[0] != 0, "membranes: codes trivially equal");
    ax_close(d);
}

/* The host's side: bad PPU instructions are refused, registers answer. */
static void test_host(ax_device *d)
{
    ax_program *p = NULL;
    ax_result r;
    pt_check(ax_program_new(&p), "program");
    pt_check(ax_program_ppu(p, AX_PPU_START, 0, 0x4000), "ppu");
    ax_result_init(&r);
    int rc = ax_run(d, p, &r);
    CHECK(rc < 0, "start at 0x4000 refused (%d)", rc);
    ax_result_free(&r);
    ax_program_clear(p);
    pt_check(ax_program_ppu(p, AX_PPU_START, 1, 2), "ppu");
    ax_result_init(&r);
    rc = ax_run(d, p, &r);
    CHECK(rc < 0, "start at 2 refused (%d)", rc);
    ax_result_free(&r);
    ax_program_free(p);
    uint32_t v = 0;
    CHECK(ax_reg_write(d, PT_REG(0, PT_STATUS), 1) < 0, "STATUS is read-only");
    CHECK(ax_reg_read(d, PT_REG(0, 0x20), &v) < 0, "a gap is refused");
    CHECK(ax_reg_read(d, PT_REG(0, 0x80), &v) < 0, "the control offset is refused");
    pt_check(ax_reg_write(d, PT_SRAM(1) + 0xFFF, 0xA5A5F00Du), "SRAM write");
    CHECK(pt_reg(d, 1, 0) == pt_reg(d, 1, 0), "status stable");
    pt_check(ax_reg_read(d, PT_SRAM(1) + 0xFFF, &v), "SRAM read");
    CHECK(v == 0xA5A5F00Du, "SRAM word %#x", v);
    pt_check(ax_reg_read(d, 0x000001, &v), "model");
    CHECK(v == 4, "model version %u", v);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_ppu_core <riscv gcc> <asm dir>\n");
        return 2;
    }
    gcc = argv[1];
    dir = argv[2];
    ax_device *d = pt_open(URI);
    test_host(d);
    test_isa(d);
    test_traps(d);
    test_runaway(d);
    test_sleep(d);
    test_row(d);
    test_window(d);
    test_chip_reset(d);
    ax_close(d);
    test_membranes();
    if (fails) {
        printf("%d checks failed\n", fails);
        return 1;
    }
    printf("ok\n");
    return 0;
}
