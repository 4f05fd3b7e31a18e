/* STDP on the simulated full chip with fixed-pattern and temporal noise:
 * stdp_learn.elf on PPU 0 learns from pre/post pairings the host plays
 * back. 32 post-synaptic neurons (columns 0..31 of hemisphere 0) are made to
 * fire by a strong input (drivers 0-3, rows 0-7, weight 63); per pairing
 * the causal rows (drivers 4-11, rows 8-23) get a pre-synaptic event 4-5
 * cycles before that input, so before the post spike, the anti-causal rows
 * (drivers 12-19, rows 24-39) 40-41 cycles after it, after the post spike
 * (late enough that all 32 post spikes have left the spike queue, one a
 * cycle: the sensors see a post spike when it leaves the queue), and
 * the silent rows (drivers 20-27, rows 40-55) none. After each trial of
 * PAIRS pairings the host tells the program to update (INBOX) and waits for
 * it. Checked: causal weights rise, anti-causal ones fall (group means, and
 * nearly every synapse), silent ones stay exactly (the per-synapse baseline
 * removes the sensors' and CADC channels' offsets), and every weight after
 * every update is the host's replay of the rule from the sensor codes it read
 * before the update.
 * usage: test_ppu_stdp PPU_DIR [DEVICE] (default PL_DEVICE) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"
#include "ppu_learn.h"

#define POST   32  /* columns 0..31 */
#define COLS   256 /* full chip */
#define FIRST  8   /* plastic rows 8..55 */
#define NROWS  48
#define GROUP  16 /* rows a group: causal, anti-causal, silent */
#define TRIALS 12
#define PAIRS  4
#define PERIOD 1000 /* cycles between pairings */
#define W0     32   /* initial weight of the plastic synapses */
#define ETA    24   /* learning rates, 1/256 */
#define AMP    512  /* CORR_AMP_C/A: 32 sensor units a pairing at dt = 0 */
#define READY  0x80000000u

struct stdp_learn_params { /* ppu/programs/stdp_learn.c */
    uint32_t first, last, segs, eta_c, eta_a;
};

static uint16_t label(unsigned driver)
{
    return (uint16_t)(driver << 6 | 1u << 13); /* address 0, hemisphere 0 */
}

static void setup(ax_device *d)
{
    static const struct {
        unsigned p, code;
    } params[] = {{AX_PARAM_LEAK, 200},   {AX_PARAM_RESET, 200},  {AX_PARAM_THRESHOLD, 350},
                  {AX_PARAM_TAU_M, 1022}, {AX_PARAM_TAU_SE, 208}, {AX_PARAM_GAIN_E, 512},
                  {AX_PARAM_REFRAC, 500}};
    uint16_t codes[POST];
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        for (unsigned n = 0; n < POST; n++)
            codes[n] = (uint16_t)params[i].code;
        pl_must(ax_chip_set_param(d, params[i].p, 0, codes, POST), "CapMem");
    }
    ax_neuron_cfg cfg[POST];
    for (unsigned n = 0; n < POST; n++)
        cfg[n] =
            (ax_neuron_cfg){.label = (uint16_t)n, .record = true}; /* records, drives nothing */
    pl_must(ax_chip_set_neurons(d, 0, cfg, POST), "neurons");
    ax_driver_cfg drv[28];
    for (unsigned k = 0; k < 28; k++)
        drv[k] = (ax_driver_cfg){.delay = 0, .sign_even = AX_SIGN_EXC, .sign_odd = AX_SIGN_EXC};
    pl_must(ax_chip_set_drivers(d, 0, 0, drv, 28), "drivers");
    static uint8_t w[(FIRST + NROWS) * COLS], l[(FIRST + NROWS) * COLS];
    for (unsigned r = 0; r < FIRST + NROWS; r++)
        for (unsigned c = 0; c < POST; c++)
            w[r * COLS + c] = r < FIRST ? 63 : W0;
    pl_must(ax_chip_set_matrix(d, 0, 0, FIRST + NROWS, w, l), "synapses");
    pl_must(ax_reg_write(d, AX_CHIP_CORR_AMP_C, AMP), "CORR_AMP_C");
    pl_must(ax_reg_write(d, AX_CHIP_CORR_AMP_A, AMP), "CORR_AMP_A");
    pl_must(ax_reg_write(d, AX_CHIP_CTRL, 1), "sensors on");
    pl_must(ax_chip_wait_capmem(d), "CapMem settling");
}

/* One trial: PAIRS pairings. Returns the post spikes of each neuron in
 * spikes[] and adds each spike's time after the strong input to *dt_sum. */
static void trial(ax_device *d, unsigned spikes[POST], double *dt_sum)
{
    ax_program *p;
    ax_result res;
    pl_must(ax_program_new(&p), "program");
    ax_result_init(&res);
    ax_program_timer_reset(p);
    ax_program_record(p, AX_RECORD_SPIKES);
    uint16_t g[4];
    for (unsigned k = 0; k < PAIRS; k++) {
        uint64_t t = 100 + (uint64_t)k * PERIOD;
        static const struct {
            unsigned dt, driver;
        } groups[] = {{0, 4}, {1, 8}, {5, 0}, {45, 12}, {46, 16}};
        for (unsigned i = 0; i < 5; i++) {
            for (unsigned b = 0; b < 4; b++)
                g[b] = label(groups[i].driver + b);
            ax_program_wait_until(p, t + groups[i].dt);
            ax_program_inject_group(p, g, 4);
        }
    }
    ax_program_wait_until(p, 100 + (uint64_t)PAIRS * PERIOD);
    ax_program_record(p, 0);
    pl_must(ax_run(d, p, &res), "trial");
    memset(spikes, 0, POST * sizeof spikes[0]);
    for (size_t i = 0; i < res.nspikes; i++) {
        unsigned n = res.spikes[i].label;
        if (n < POST) {
            spikes[n]++;
            *dt_sum +=
                (double)((res.spikes[i].time - 100) % PERIOD) - 5.0 + res.spikes[i].frac / 16.0;
        }
    }
    ax_result_free(&res);
    ax_program_free(p);
}

static int predict(int w, int c, int a, int bc, int ba)
{
    w += (ETA * (c > bc ? c - bc : 0)) >> 8;
    w = w > 255 ? 255 : w;
    w -= (ETA * (a > ba ? a - ba : 0)) >> 8;
    return w < 0 ? 0 : w > 63 ? 63 : w;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: test_ppu_stdp PPU_DIR [DEVICE]\n");
        return 2;
    }
    pl_wall();
    ax_device *d;
    pl_must(ax_open(argc == 3 ? argv[2] : PL_DEVICE, &d), "sim");
    pl_must(ax_ppu_check(d), "these tests need the cores in the model");
    setup(d);
    struct stdp_learn_params prm = {FIRST, FIRST + NROWS - 1, 1, ETA, ETA};
    pl_must(pl_start(d, 0, argv[1], "stdp_learn.elf", &prm, sizeof prm), "start stdp_learn");
    pl_must(pl_wait_outbox(d, 0, READY, 30), "baselines");
    static uint8_t bc[NROWS * COLS], ba[NROWS * COLS], c[NROWS * COLS], a[NROWS * COLS],
        w0[NROWS * COLS], w[NROWS * COLS], want[NROWS * COLS], lab[NROWS * COLS];
    pl_must(ax_chip_corr_read_many(d, 0, FIRST, NROWS, bc, ba), "baselines read by the host");
    pl_must(ax_chip_get_matrix(d, 0, FIRST, NROWS, w0, lab), "weights");
    memcpy(w, w0, sizeof w);
    int offsets = 0, max_base = 0;
    for (unsigned r = 0; r < NROWS; r++)
        for (unsigned col = 0; col < POST; col++) {
            unsigned i = r * COLS + col;
            offsets += bc[i] != 0 || ba[i] != 0;
            max_base = bc[i] > max_base ? bc[i] : ba[i] > max_base ? ba[i] : max_base;
        }
    printf("  baselines: %d of %d synapses read a non-zero code after a reset (max %d)\n", offsets,
           NROWS * POST, max_base);
    unsigned spikes[POST], wrong_count = 0, off = 0;
    double dt_sum = 0;
    for (unsigned t = 0; t < TRIALS; t++) {
        trial(d, spikes, &dt_sum);
        for (unsigned n = 0; n < POST; n++)
            wrong_count += spikes[n] != PAIRS;
        pl_must(ax_chip_corr_read_many(d, 0, FIRST, NROWS, c, a), "sensors");
        for (unsigned i = 0; i < NROWS * COLS; i++)
            want[i] = (uint8_t)predict(w[i], c[i], a[i], bc[i], ba[i]);
        pl_must(ax_ppu_inbox_write(d, 0, 1), "update command");
        pl_must(pl_wait_outbox(d, 0, READY | (t + 1), 30), "update");
        pl_must(ax_chip_get_matrix(d, 0, FIRST, NROWS, w, lab), "weights");
        for (unsigned i = 0; i < NROWS * COLS; i++)
            off += abs(w[i] - want[i]) > 1;
    }
    pl_check(wrong_count == 0, "every post neuron fired once per pairing (%u neuron-trials not)",
             wrong_count);
    printf("  post spike %.1f cycles after the strong input on average: pre-post %.1f cycles "
           "(causal), post-pre %.1f (anti-causal)\n",
           dt_sum / (TRIALS * PAIRS * POST), dt_sum / (TRIALS * PAIRS * POST) + 4.5,
           45.5 - 5 - dt_sum / (TRIALS * PAIRS * POST));
    pl_check(off == 0, "every weight after every update is the host's replay of the rule (%u off)",
             off);
    static const char *const names[] = {"causal", "anti-causal", "silent"};
    double mean[3], sd[3], dw[GROUP * POST];
    unsigned up[3], down[3];
    for (unsigned g = 0; g < 3; g++) {
        up[g] = down[g] = 0;
        for (unsigned r = 0; r < GROUP; r++)
            for (unsigned col = 0; col < POST; col++) {
                unsigned i = (g * GROUP + r) * COLS + col;
                dw[r * POST + col] = (double)w[i] - (double)w0[i];
                up[g] += w[i] > w0[i];
                down[g] += w[i] < w0[i];
            }
        pl_stats(dw, GROUP * POST, &mean[g], &sd[g]);
        printf("  %s synapses: mean weight change %+.2f (sd %.2f) after %d trials of %d pairings, "
               "%u up, %u down of %d\n",
               names[g], mean[g], sd[g], TRIALS, PAIRS, up[g], down[g], GROUP * POST);
    }
    pl_check(mean[0] >= 10 && up[0] >= GROUP * POST * 95 / 100,
             "causal pairings potentiate (mean %+.2f >= +10, %u of %d up)", mean[0], up[0],
             GROUP * POST);
    pl_check(mean[1] <= -10 && down[1] >= GROUP * POST * 95 / 100,
             "anti-causal pairings depress (mean %+.2f <= -10, %u of %d down)", mean[1], down[1],
             GROUP * POST);
    pl_check(up[2] == 0 && down[2] == 0, "silent rows keep every weight (baselines)");
    pl_check(pl_finish(d, 0) == 0, "stdp_learn exits 0");
    ax_close(d);
    printf("wall time %.1f s\n%d failure(s)\n", pl_wall(), pl_failures());
    return pl_failures() != 0;
}
