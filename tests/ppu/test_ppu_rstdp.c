/* Reward-modulated STDP on the simulated full chip with fixed-pattern and
 * temporal noise: rstdp.elf on PPU 0. 16 inputs (drivers 0-15, rows 2d,
 * excitatory) project onto two output populations of hemisphere 0, A
 * (columns 0-31) and B (32-63), all weights W0. Each trial the host plays
 * Poisson spike trains on the inputs (new ones every trial); the population
 * with more spikes wins (a tie: the earlier first spike). The host sends the
 * reward (INBOX): +1 when the rewarded population won, else -1. First
 * PROBE trials with reward 0 (no learning) measure which population wins by
 * itself (fixed-pattern noise); the other one is rewarded. Checked: its
 * share of wins rises from that level (at most one half) to > 80 % in the
 * last WINDOW trials and its mean weight rises above the other's; then the
 * reward flips and the wins and the weight difference follow.
 * usage: test_ppu_rstdp PPU_DIR [DEVICE] (default PL_DEVICE) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"
#include "ppu_learn.h"

#define POP    32 /* neurons a population: A columns 0..31, B 32..63 */
#define COLS   256
#define INPUTS 16 /* drivers 0..15, row 2d */
#define NROWS  (2 * INPUTS)
#define W0     20
#define TRIAL  1000  /* cycles of input a trial */
#define RATE   0.008 /* input spikes a cycle */
#define PROBE  30
#define LEARN  200
#define WINDOW 30
#define AMP    512
#define READY  0x80000000u

struct rstdp_params { /* ppu/programs/rstdp.c */
    uint32_t first, last, segs, eta, decay, rbar_shift;
};

static uint32_t rng = 0x12345u;
static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (double)rng / 4294967296.0;
}

static void setup(ax_device *d)
{
    static const struct {
        unsigned p, code;
    } params[] = {{AX_PARAM_LEAK, 200},  {AX_PARAM_RESET, 200},  {AX_PARAM_THRESHOLD, 300},
                  {AX_PARAM_TAU_M, 208}, {AX_PARAM_TAU_SE, 208}, {AX_PARAM_GAIN_E, 300},
                  {AX_PARAM_REFRAC, 50}};
    uint16_t codes[2 * POP];
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        for (unsigned n = 0; n < 2 * POP; n++)
            codes[n] = (uint16_t)params[i].code;
        pl_must(ax_chip_set_param(d, params[i].p, 0, codes, 2 * POP), "CapMem");
    }
    ax_neuron_cfg cfg[2 * POP];
    for (unsigned n = 0; n < 2 * POP; n++)
        cfg[n] = (ax_neuron_cfg){.label = (uint16_t)n, .record = true};
    pl_must(ax_chip_set_neurons(d, 0, cfg, 2 * POP), "neurons");
    ax_driver_cfg drv[INPUTS];
    for (unsigned k = 0; k < INPUTS; k++)
        drv[k] = (ax_driver_cfg){.delay = 0, .sign_even = AX_SIGN_EXC, .sign_odd = AX_SIGN_OFF};
    pl_must(ax_chip_set_drivers(d, 0, 0, drv, INPUTS), "drivers");
    static uint8_t w[NROWS * COLS], l[NROWS * COLS];
    for (unsigned r = 0; r < NROWS; r += 2)
        for (unsigned c = 0; c < 2 * POP; c++)
            w[r * COLS + c] = W0;
    pl_must(ax_chip_set_matrix(d, 0, 0, NROWS, w, l), "synapses");
    pl_must(ax_reg_write(d, AX_CHIP_CORR_AMP_C, AMP), "CORR_AMP_C");
    pl_must(ax_reg_write(d, AX_CHIP_CORR_AMP_A, AMP / 2), "CORR_AMP_A");
    pl_must(ax_reg_write(d, AX_CHIP_CTRL, 1), "sensors on");
    pl_must(ax_chip_wait_capmem(d), "CapMem settling");
}

/* One trial of Poisson inputs; returns the winner (0 A, 1 B, -1 none) and
 * the populations' spike counts. */
static int trial(ax_device *d, unsigned count[2])
{
    ax_program *p;
    ax_result res;
    pl_must(ax_program_new(&p), "program");
    ax_result_init(&res);
    ax_program_timer_reset(p);
    ax_program_record(p, AX_RECORD_SPIKES);
    unsigned pending[INPUTS] = {0};
    for (unsigned t = 0; t < TRIAL; t++) {
        uint16_t g[4];
        size_t n = 0;
        for (unsigned k = 0; k < INPUTS; k++)
            pending[k] += uniform() < RATE;
        for (unsigned b = 0; b < 4; b++) /* one event a bus (driver % 4) a cycle */
            for (unsigned k = b; k < INPUTS; k += 4)
                if (pending[k]) {
                    pending[k]--;
                    g[n++] = (uint16_t)(k << 6 | 1u << 13);
                    break;
                }
        if (n) {
            ax_program_wait_until(p, 100 + t);
            ax_program_inject_group(p, g, n);
        }
    }
    ax_program_wait_until(p, 100 + TRIAL + 200);
    ax_program_record(p, 0);
    pl_must(ax_run(d, p, &res), "trial");
    uint64_t first[2] = {UINT64_MAX, UINT64_MAX};
    count[0] = count[1] = 0;
    for (size_t i = 0; i < res.nspikes; i++) {
        unsigned n = res.spikes[i].label;
        if (n < 2 * POP) {
            uint64_t t = res.spikes[i].time * 16 + res.spikes[i].frac;
            count[n / POP]++;
            first[n / POP] = t < first[n / POP] ? t : first[n / POP];
        }
    }
    ax_result_free(&res);
    ax_program_free(p);
    if (count[0] != count[1])
        return count[1] > count[0];
    return count[0] ? first[1] < first[0] : -1;
}

/* Mean weight of population pop over the input rows. */
static double mean_weight(ax_device *d, unsigned pop)
{
    static uint8_t w[NROWS * COLS], l[NROWS * COLS];
    pl_must(ax_chip_get_matrix(d, 0, 0, NROWS, w, l), "weights");
    double s = 0;
    for (unsigned r = 0; r < NROWS; r += 2)
        for (unsigned c = pop * POP; c < (pop + 1) * POP; c++)
            s += w[r * COLS + c];
    return s / (INPUTS * POP);
}

static unsigned done;

/* n trials rewarding population target (reward +1 when it wins, -1 else;
 * target -1: reward 0). Returns its wins in the last `last` trials. */
static unsigned run_trials(ax_device *d, int target, unsigned n, unsigned last, unsigned *wins_a,
                           unsigned *spikes)
{
    unsigned wins = 0, count[2];
    for (unsigned t = 0; t < n; t++) {
        int win = trial(d, count);
        *spikes += count[0] + count[1];
        *wins_a += win == 0;
        int reward = target < 0 ? 0 : win == target ? 64 : -64;
        wins += t >= n - last && target >= 0 && win == target;
        pl_must(ax_ppu_inbox_write(d, 0, 1u | (uint32_t)(uint8_t)(int8_t)reward << 8), "reward");
        pl_must(pl_wait_outbox(d, 0, READY | ++done, 30), "update");
    }
    return wins;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: test_ppu_rstdp PPU_DIR [DEVICE]\n");
        return 2;
    }
    pl_wall();
    ax_device *d;
    pl_must(ax_open(argc == 3 ? argv[2] : PL_DEVICE, &d), "sim");
    pl_must(ax_ppu_check(d), "these tests need the cores in the model");
    setup(d);
    struct rstdp_params prm = {0, NROWS - 1, 3, 64, 128, 4};
    pl_must(pl_start(d, 0, argv[1], "rstdp.elf", &prm, sizeof prm), "start rstdp");
    pl_must(pl_wait_outbox(d, 0, READY, 30), "baselines");
    unsigned wins_a = 0, spikes = 0;
    run_trials(d, -1, PROBE, 0, &wins_a, &spikes);
    int target = wins_a * 2 > PROBE; /* the population that wins less */
    double before = (double)(target ? PROBE - wins_a : wins_a) / PROBE;
    printf("  probe: %u trials without reward, A won %u, %.1f output spikes a trial; rewarded: "
           "%c\n",
           PROBE, wins_a, (double)spikes / PROBE, "AB"[target]);
    double w0[2] = {mean_weight(d, 0), mean_weight(d, 1)};
    pl_check(w0[0] == W0 && w0[1] == W0, "no reward, no weight change (mean weights %.2f %.2f)",
             w0[0], w0[1]);
    spikes = wins_a = 0;
    unsigned wins = run_trials(d, target, LEARN, WINDOW, &wins_a, &spikes);
    double w1[2] = {mean_weight(d, 0), mean_weight(d, 1)};
    double after = (double)wins / WINDOW;
    printf("  learning: %u trials rewarding %c: it won %.0f %% of the last %u (%.0f %% before); "
           "mean weights A %.2f, B %.2f (from %d); %.1f output spikes a trial\n",
           LEARN, "AB"[target], 100 * after, WINDOW, 100 * before, w1[0], w1[1], W0,
           (double)spikes / LEARN);
    pl_check(before <= 0.5 && after > 0.8, "rewarded population's wins: %.0f %% -> %.0f %%",
             100 * before, 100 * after);
    pl_check(w1[target] - w1[!target] > 1,
             "its mean weight minus the other's: 0 -> %+.2f (> +1: the preference moved to it)",
             w1[target] - w1[!target]);
    spikes = wins_a = 0;
    wins = run_trials(d, !target, LEARN, WINDOW, &wins_a, &spikes);
    double w2[2] = {mean_weight(d, 0), mean_weight(d, 1)};
    printf("  reward flipped: %u trials rewarding %c: it won %.0f %% of the last %u; mean weights "
           "A %.2f, B %.2f\n",
           LEARN, "AB"[!target], 100.0 * wins / WINDOW, WINDOW, w2[0], w2[1]);
    pl_check((double)wins / WINDOW > 0.8,
             "after the flip the other population wins %.0f %% (> 80 %%)", 100.0 * wins / WINDOW);
    pl_check(w2[!target] - w2[target] > w1[!target] - w1[target] + 1,
             "its mean weight minus the other's: %+.2f -> %+.2f (rises by > 1)",
             w1[!target] - w1[target], w2[!target] - w2[target]);
    pl_check(pl_finish(d, 0) == 0, "rstdp exits 0");
    ax_close(d);
    printf("wall time %.1f s\n%d failure(s)\n", pl_wall(), pl_failures());
    return pl_failures() != 0;
}
