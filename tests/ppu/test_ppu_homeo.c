/* Homeostasis on the simulated full chip with fixed-pattern and temporal
 * noise: homeo.elf on PPU 0 drives the firing rates of N neurons of
 * hemisphere 0 (columns 0..N-1, all with the same CapMem codes) to a target
 * by adjusting each one's leak code. Input: the chip's 4 background
 * generators (Poisson) on drivers 0-3, rows 0-7, weight W to every neuron.
 * The host measures each neuron's rate (spike counters cleared and read in
 * one playback program, REPS windows of PERIOD cycles) before and after the
 * program's ITERS periods. Checked: the
 * spread of the rates across the neurons shrinks by a large factor and their
 * mean is near the target.
 * usage: test_ppu_homeo PPU_DIR [DEVICE] (default PL_DEVICE) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"
#include "ppu_learn.h"

#define N      128
#define COLS   256
#define W      20
#define PERIOD 8000 /* cycles a period */
#define TARGET 40   /* spikes a period */
#define ITERS  40
#define REPS   5
#define BG_P   0.05 /* events a cycle of each background source */

struct homeo_params { /* ppu/programs/homeo.c */
    uint32_t first, count, target, period, iterations, gain, max_step, lo, hi;
};

static void setup(ax_device *d)
{
    static const struct {
        unsigned p, code;
    } params[] = {{AX_PARAM_LEAK, 300},  {AX_PARAM_RESET, 250},  {AX_PARAM_THRESHOLD, 400},
                  {AX_PARAM_TAU_M, 208}, {AX_PARAM_GAIN_E, 100}, {AX_PARAM_REFRAC, 20}};
    uint16_t codes[N];
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        for (unsigned n = 0; n < N; n++)
            codes[n] = (uint16_t)params[i].code;
        pl_must(ax_chip_set_param(d, params[i].p, 0, codes, N), "CapMem");
    }
    ax_driver_cfg drv[4];
    for (unsigned k = 0; k < 4; k++)
        drv[k] = (ax_driver_cfg){.delay = 0, .sign_even = AX_SIGN_EXC, .sign_odd = AX_SIGN_EXC};
    pl_must(ax_chip_set_drivers(d, 0, 0, drv, 4), "drivers");
    static uint8_t w[8 * COLS], l[8 * COLS];
    for (unsigned r = 0; r < 8; r++)
        for (unsigned c = 0; c < N; c++)
            w[r * COLS + c] = W;
    pl_must(ax_chip_set_matrix(d, 0, 0, 8, w, l), "synapses");
    for (unsigned g = 0; g < 4; g++) {
        ax_background bg = {.enable = true,
                            .poisson = true,
                            .label = (uint16_t)(g << 6 | 1u << 13),
                            .period = (uint32_t)(BG_P * 4294967296.0),
                            .seed = 0x9E3779B9u * (g + 1)};
        pl_must(ax_chip_set_background(d, g, &bg), "background");
    }
    pl_must(ax_chip_wait_capmem(d), "CapMem settling");
}

/* Lets the board run `cycles` more cycles. */
static void advance(ax_device *d, uint64_t cycles)
{
    ax_program *p;
    ax_result res;
    pl_must(ax_program_new(&p), "program");
    ax_result_init(&res);
    ax_program_timer_reset(p);
    ax_program_wait_until(p, cycles);
    pl_must(ax_run(d, p, &res), "run");
    ax_result_free(&res);
    ax_program_free(p);
}

/* Spikes a period of each neuron, mean of REPS periods, in one program (so
 * each window is PERIOD cycles from the clear to the read, no link turnaround
 * in between). */
static void rates(ax_device *d, double *r)
{
    ax_program *p;
    ax_result res;
    int ticket[REPS];
    pl_must(ax_program_new(&p), "program");
    ax_result_init(&res);
    ax_program_timer_reset(p);
    for (unsigned k = 0; k < REPS; k++) {
        uint64_t t = 100 + (uint64_t)k * (PERIOD + 1000);
        ax_program_wait_until(p, t);
        ax_program_write(p, AX_CHIP_CNT_RESET, AX_CHIP_CNT_RESET_GO_MASK);
        ax_program_wait_until(p, t + PERIOD);
        ticket[k] = ax_program_read(p, AX_CHIP_SPIKE_CNT(0), N);
    }
    pl_must(ax_run(d, p, &res), "rates");
    memset(r, 0, N * sizeof r[0]);
    for (unsigned k = 0; k < REPS; k++)
        for (unsigned n = 0; n < N; n++)
            r[n] += (res.tickets[ticket[k]].data[n] & 0xFFu) / (double)REPS;
    ax_result_free(&res);
    ax_program_free(p);
}

static void summary(const char *when, const double *r, double *mean, double *sd)
{
    unsigned silent = 0, near = 0;
    double lo = 1e9, hi = 0;
    for (unsigned n = 0; n < N; n++) {
        silent += r[n] == 0;
        near += r[n] >= 0.7 * TARGET && r[n] <= 1.3 * TARGET;
        lo = r[n] < lo ? r[n] : lo;
        hi = r[n] > hi ? r[n] : hi;
    }
    pl_stats(r, N, mean, sd);
    printf("  %s: spikes a period (%d cycles) over %d neurons: mean %.2f, sd %.2f, range %.1f .. "
           "%.1f, %u silent, %u within 30 %% of the target %d\n",
           when, PERIOD, N, *mean, *sd, lo, hi, silent, near, TARGET);
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: test_ppu_homeo PPU_DIR [DEVICE]\n");
        return 2;
    }
    pl_wall();
    ax_device *d;
    pl_must(ax_open(argc == 3 ? argv[2] : PL_DEVICE, &d), "sim");
    pl_must(ax_ppu_check(d), "these tests need the cores in the model");
    setup(d);
    static double before[N], after[N];
    double m0, s0, m1, s1;
    rates(d, before);
    summary("before", before, &m0, &s0);
    struct homeo_params prm = {0, N, TARGET, PERIOD, ITERS, 16, 16, 50, 800};
    pl_must(pl_start(d, 0, argv[1], "homeo.elf", &prm, sizeof prm), "start homeo");
    advance(d, (uint64_t)ITERS * PERIOD);
    pl_must(pl_wait_outbox(d, 0, ITERS, 60), "homeostasis periods");
    struct ax_ppu_status st;
    pl_must(ax_ppu_wait(d, 0, 30, &st), "homeo's exit");
    pl_check(st.exited && st.exit_code == 0, "homeo exits 0 after %d periods", ITERS);
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    size_t len = 0;
    pl_must(ax_ppu_mailbox(d, 0, mbox, AX_PPU_MAILBOX_BYTES, &len), "mailbox");
    mbox[len < AX_PPU_MAILBOX_BYTES ? len : AX_PPU_MAILBOX_BYTES] = '\0';
    printf("  ppu 0 mailbox: %s", mbox);
    rates(d, after);
    summary("after", after, &m1, &s1);
    uint16_t leak[N];
    pl_must(ax_chip_get_param(d, AX_PARAM_LEAK, 0, leak, N), "leak codes");
    double lk[N], lm, ls;
    for (unsigned n = 0; n < N; n++)
        lk[n] = leak[n];
    pl_stats(lk, N, &lm, &ls);
    printf("  leak codes after: mean %.1f, sd %.1f (all 300 before)\n", lm, ls);
    pl_check(s1 * 4 < s0, "the rate spread shrinks by more than 4x (sd %.2f -> %.2f, %.1fx)", s0,
             s1, s1 > 0 ? s0 / s1 : 0.0);
    pl_check(m1 > 0.85 * TARGET && m1 < 1.15 * TARGET, "mean rate %.2f within 15 %% of %d", m1,
             TARGET);
    ax_close(d);
    printf("wall time %.1f s\n%d failure(s)\n", pl_wall(), pl_failures());
    return pl_failures() != 0;
}
