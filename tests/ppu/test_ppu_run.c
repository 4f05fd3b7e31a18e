/* The programs of ppu/programs on the simulated board's cores through
 * libaxon, in one process (one board): exit codes and mailbox text, both
 * hemispheres, a runaway program stopped by the timeout with the board still
 * usable, a trap's cause and address, the chip window, and STDP updates
 * with and without the row unit against the host's prediction from the
 * sensors (their cycles printed).
 * usage: test_ppu_run PPU_DIR (build/ppu, holding the .elf files) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"
#include "ppu_learn.h"

static int fails;
static const char *dir;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    fails += !ok;
}

/* pl_start with this test's program folder. */
static int start(ax_device *d, unsigned hemi, const char *name, const void *params, size_t n)
{
    return pl_start(d, hemi, dir, name, params, n);
}

/* start, then waits (timeout_s) and reads the mailbox (NUL-terminated).
 * Returns ax_ppu_wait's status. */
static int run(ax_device *d, unsigned hemi, const char *name, double timeout_s,
               struct ax_ppu_status *st, char *mbox)
{
    size_t n = 0;
    int r = start(d, hemi, name, NULL, 0);
    int w = r < 0 ? r : ax_ppu_wait(d, hemi, timeout_s, st);
    if ((w == AX_OK || w == AX_E_TIMEOUT) &&
        ax_ppu_mailbox(d, hemi, mbox, AX_PPU_MAILBOX_BYTES, &n) < 0)
        w = AX_E_IO;
    mbox[n] = '\0';
    if (w < 0 && w != AX_E_TIMEOUT)
        printf("  %s on ppu %u: %s\n", name, hemi, ax_error_detail());
    return w;
}

static void test_hello(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1], want[32];
    for (unsigned h = 0; h < 2; h++) {
        int r = run(d, h, "hello.elf", 30, &st, mbox);
        snprintf(want, sizeof want, "hello from PPU %u\n", h);
        check(r == AX_OK && st.exited && !st.trapped && st.exit_code == 42, "hello: exits with 42");
        check(!strcmp(mbox, want), "hello: prints 'hello from PPU <hemi>' to the mailbox");
        check(st.instret > 100 && st.cycles >= st.instret, "hello: counters (cycles >= instret)");
        printf("  ppu %u: hello took %u cycles, %u instructions\n", h, st.cycles, st.instret);
    }
    check(run(d, 0, "exit42.elf", 30, &st, mbox) == AX_OK && st.exit_code == 42,
          "exit42: crt0's stack, .data and .bss (exit 42)");
}

static void test_runaway(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 0, "spin.elf", 0.5, &st, mbox);
    check(r == AX_E_TIMEOUT && strstr(ax_error_detail(), "ppu 0: no exit within 0.5 s (pc 0x"),
          "spin: AX_E_TIMEOUT, 'no exit within 0.5 s (pc 0x...)'");
    uint32_t out = 0;
    check(ax_ppu_status(d, 0, &st) == AX_OK && st.state == AX_PPU_STOPPED, "spin: core stopped");
    check(ax_ppu_outbox_read(d, 0, &out) == AX_OK && out > 100, "spin: it ran (outbox counted)");
    check(run(d, 0, "hello.elf", 30, &st, mbox) == AX_OK && st.exit_code == 42,
          "after the timeout the board runs the next program");
}

static void test_trap(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 1, "trap.elf", 30, &st, mbox);
    check(r == AX_OK && st.trapped && !st.exited && st.cause == 2 && st.tval == 0,
          "trap: TRAPPED, cause 2 (illegal instruction), tval 0 (the word)");
    check(st.pc % 4 == 0 && st.pc + 4 <= pl_image()->end &&
              !memcmp(pl_image()->sram + st.pc, "\0\0\0\0", 4),
          "trap: pc at the all-zero word of the image");
    check(!strcmp(mbox, "about to trap\n"), "trap: the mailbox keeps what came before");
}

static void test_chip_window(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 0, "chipinfo.elf", 30, &st, mbox);
    check(r == AX_OK && st.exit_code == 0, "chipinfo: the synapse pair reads back (exit 0)");
    check(strstr(mbox, "32 neurons and 32 rows per hemisphere") &&
              strstr(mbox, "row 0 weights 21 42"),
          "chipinfo: geometry and weights printed");
    uint8_t w[32], l[32];
    check(ax_chip_get_row(d, 0, 0, w, l) == AX_OK && w[0] == 21 && w[1] == 42,
          "chipinfo: the host reads the core's weights");
    uint8_t sram[64];
    check(ax_ppu_sram_read(d, 0, 0, sram, sizeof sram) == AX_OK &&
              !memcmp(sram, pl_image()->sram, sizeof sram),
          "the host reads the loaded image back from SRAM");
}

/* inbox.elf: asleep while it waits, woken by each INBOX word, answers x + 1. */
static void test_inbox(ax_device *d)
{
    struct ax_ppu_status st;
    int r = start(d, 1, "inbox.elf", NULL, 0);
    int asleep = 0, answered = 0;
    for (int i = 0; r == AX_OK && i < 20; i++) {
        r = ax_ppu_status(d, 1, &st);
        asleep += r == AX_OK && st.state == AX_PPU_ASLEEP;
    }
    check(r == AX_OK && asleep > 0, "inbox: the core sleeps (state asleep) while it waits");
    static const uint32_t words[] = {7, 41, 0x7FFFFFFF};
    for (int k = 0; k < 3 && r == AX_OK; k++) {
        uint32_t out = 0;
        r = ax_ppu_inbox_write(d, 1, words[k]);
        for (int i = 0; r == AX_OK && out != words[k] + 1 && i < 1000; i++)
            r = ax_ppu_outbox_read(d, 1, &out);
        answered += out == words[k] + 1;
    }
    check(answered == 3, "inbox: each INBOX word wakes it, OUTBOX answers x + 1");
    if (r == AX_OK)
        r = ax_ppu_inbox_write(d, 1, 0);
    if (r == AX_OK)
        r = ax_ppu_wait(d, 1, 30, &st);
    check(r == AX_OK && st.exited && st.exit_code == 3, "inbox: a 0 ends it, exit 3 (words)");
    check(st.cycles >= 5000, "inbox: it slept at least 5000 cycles first (else exit 255)");
}

#define N 32 /* the small chip: 32 rows of 32 synapses a hemisphere */

struct stdp_params { /* ppu/programs/stdp.c, in the host area */
    uint32_t first, last, eta_c, eta_a, reset;
    uint8_t base_c[256], base_a[256];
};

/* The update stdp.c makes of weight w from sensor codes c and a. */
static int predict(int w, int c, int a, const struct stdp_params *p, unsigned row)
{
    int dc = c > p->base_c[row] ? c - p->base_c[row] : 0;
    int da = a > p->base_a[row] ? a - p->base_a[row] : 0;
    w += (int)(p->eta_c * (unsigned)dc) >> 8;
    w = w > 255 ? 255 : w;
    w -= (int)(p->eta_a * (unsigned)da) >> 8;
    return w < 0 ? 0 : w > 63 ? 63 : w;
}

/* Rows 0..N-1 of hemisphere 0 set to weight 30, one update by program name
 * with parameters p; every weight must be the host's prediction from the
 * sensors' CADC codes (within 1: a code may differ by one LSB between the
 * host's conversion and the core's); none may change with still 0. Returns
 * the update's cycles. */
static uint32_t stdp(ax_device *d, const char *name, const struct stdp_params *p, bool still)
{
    static uint8_t w[N * N], l[N * N], c[N * N], a[N * N];
    char what[300];
    struct ax_ppu_status st;
    uint32_t cycles = 0;
    memset(w, 30, sizeof w);
    memset(l, 0, sizeof l);
    int r = ax_chip_set_matrix(d, 0, 0, N, w, l);
    if (r == AX_OK)
        r = ax_chip_corr_read_many(d, 0, 0, N, c, a);
    if (r == AX_OK)
        r = start(d, 0, name, p, sizeof *p);
    if (r == AX_OK)
        r = ax_ppu_wait(d, 0, 60, &st);
    if (r == AX_OK)
        r = ax_ppu_outbox_read(d, 0, &cycles);
    if (r == AX_OK)
        r = ax_chip_get_matrix(d, 0, 0, N, w, l);
    snprintf(what, sizeof what, "%s (eta %u/%u): runs and exits 0", name, p->eta_c, p->eta_a);
    check(r == AX_OK && st.exited && st.exit_code == 0, what);
    if (r < 0) {
        printf("  %s\n", ax_error_detail());
        return 0;
    }
    int off = 0, changed = 0;
    for (unsigned i = 0; i < N * N; i++) {
        int want = predict(30, c[i], a[i], p, i / N);
        off += abs(w[i] - want) > 1;
        changed += want != 30;
    }
    snprintf(what, sizeof what, "%s: %d of %d weights as predicted (within 1), %d changed", name,
             N * N - off, N * N, changed);
    check(off == 0 && (!still || changed == 0), what);
    return cycles;
}

static void test_stdp(ax_device *d)
{
    static struct stdp_params p;
    p.last = N - 1;
    p.eta_c = 255; /* potentiation by the causal sensors' raw codes (their offsets) */
    uint32_t ru = stdp(d, "stdp.elf", &p, false), sc = stdp(d, "stdp_scalar.elf", &p, false);
    printf("  one update of %d x %d synapses: %u cycles with the row unit, %u scalar (%.1fx)\n", N,
           N, ru, sc, ru ? (double)sc / ru : 0.0);
    check(ru > 0 && sc > ru, "stdp: the row unit is faster than the scalar loop");
    p.eta_c = 0;
    p.eta_a = 255; /* depression */
    stdp(d, "stdp.elf", &p, false);
    stdp(d, "stdp_scalar.elf", &p, false);
    memset(p.base_a, 255, sizeof p.base_a); /* a baseline no code exceeds: no change */
    stdp(d, "stdp.elf", &p, true);
    stdp(d, "stdp_scalar.elf", &p, true);
    p.last = N; /* a row past the chip: refused, exit 2 */
    struct ax_ppu_status st;
    int r = start(d, 0, "stdp.elf", &p, sizeof p);
    if (r == AX_OK)
        r = ax_ppu_wait(d, 0, 60, &st);
    check(r == AX_OK && st.exit_code == 2, "stdp: rows past the chip refused (exit 2)");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_ppu_run PPU_DIR\n");
        return 2;
    }
    dir = argv[1];
    ax_device *d;
    if (ax_open("sim:?size=small&noise=0", &d) < 0) {
        printf("FAIL: sim: %s\n", ax_error_detail());
        return 1;
    }
    if (ax_ppu_check(d) < 0) {
        printf("FAIL: %s: these tests need the cores in the model\n", ax_error_detail());
        ax_close(d);
        return 1;
    }
    test_hello(d);
    test_runaway(d);
    test_trap(d);
    test_chip_window(d);
    test_inbox(d);
    test_stdp(d);
    ax_close(d);
    printf("%d failure(s)\n", fails);
    return fails != 0;
}
