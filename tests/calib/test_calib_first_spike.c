/* An independent check of a calibration as a user would run it on silicon
 * (no model truth): calibrate the small chip to calib/targets/ttfs.cfg
 * (through the cache, in a temporary AXON_CALIB_DIR), drive every neuron with
 * one known input and compare its first spike with the closed-form LIF spike
 * time of the *targets* (ax_ttfs_neuron_spike).
 *
 * Input: one injected event on driver 0 of both hemispheres; rows 0 and 1
 * (both excitatory, the calibrated sign) hold weight W on every column, so
 * each neuron gets 2 W weight steps: w_norm = psp_e(target) * 2 W, times in
 * tau_se(target). The event arrives 1 cycle after its INJECT (delay 0).
 * Temporal noise ON (the board's default, as on silicon, and the calibration
 * itself ran with it): each neuron's time is the mean of K trials, and the
 * noise's share of the spread is in the prediction below.
 *
 * Tolerance, derived from the calibrated spreads (the result's own sd after,
 * no truth): the spike time moves with ln(w_norm_eff) by dT/dln w (the closed
 * form's, numerically), and
 *     rel_w^2 = (sd psp_e / psp_e)^2 + (sd leak^2 + sd threshold^2) / (threshold - leak)^2
 *             + step^2 / 2
 * (an actual threshold distance d(1 + x) scales the effective w_norm by
 * 1/(1 + x); step = 2.89 % the documented per-synapse step spread, docs/chip.md
 * section 4, averaged over the 2 synapses the event hits: the calibration
 * measures the column's mean), the time constants scale T (sd tau_m and sd
 * tau_se relative), the temporal noise adds the first-passage jitter
 * namp/2 sqrt(tau_m (1 - exp(-2T/tau_m))) / slope (docs/chip.md section 5)
 * over sqrt(K). Asserted: every neuron spikes after the input in every
 * trial; sd(measured - closed form) <= 1.5 x that prediction; |mean| <= 3
 * cycles (the Euler step makes the chip up to 1.2 cycles early,
 * driver_chip_units, the noise a little more); and the same check at the
 * nominal (uncalibrated) codes of the targets is much worse: its spread at
 * least 5 x the calibrated one (over the neurons that spike in a trial after
 * the input at all) or at least an eighth of the neurons missing.
 * usage: test_calib_first_spike TARGETS [URI ...] (default: dice 1, 2 of the small chip) */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, setenv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axon/calib.h"
#include "axon/chip.h"
#include "axon/program.h"
#include "axon/ttfs.h"

enum { W = 63, K = 8, T_IN = 1000, WIN = 1000, LATENCY = 1, NMAX = 512 };
#define STEP_SD 0.0289 /* per-synapse step spread (docs/chip.md section 4) */

static int fails;

#define CHECK(c, ...)                                                                              \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("FAIL: " __VA_ARGS__);                                                          \
            printf("\n");                                                                          \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

/* Per neuron the mean first-spike time (cycles after the event's arrival)
 * over the trials where it spiked after the input, and how many did. */
static int first_spikes(ax_device *d, unsigned n, double *t, unsigned *hits)
{
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    if (ax_program_new(&p) < 0)
        return -1;
    for (int k = 0; k < K; k++) {
        ax_program_timer_reset(p);
        ax_program_neuron_reset(p, true, 0, 0); /* at the reset potential = leak */
        ax_program_wait_until(p, T_IN - 10);
        ax_program_record(p, AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY);
        ax_program_wait_until(p, T_IN);
        ax_program_inject(p, 1u | 1u << 13 | 1u << 14); /* address 1, driver 0, both halves */
        ax_program_wait_until(p, T_IN + WIN);
        ax_program_record(p, 0);
    }
    int rc = ax_run(d, p, &r);
    if (rc == 0 && (r.nlate || r.overflow))
        rc = -1;
    double sum[NMAX] = {0};
    for (unsigned i = 0; i < n; i++)
        hits[i] = 0;
    for (size_t s = 0; rc == 0 && s < r.nspikes; s++) {
        unsigned i = r.spikes[s].label & 0x1FFFu;
        double ts = (double)r.spikes[s].time + r.spikes[s].frac / 16.0 - (T_IN + LATENCY);
        if (i < n && ts >= 0)
            sum[i] += ts, hits[i]++;
    }
    for (unsigned i = 0; i < n; i++)
        t[i] = hits[i] ? sum[i] / hits[i] : NAN;
    ax_result_free(&r);
    ax_program_free(p);
    return rc;
}

/* The input: rows 0, 1 of both hemispheres weight W label 1, driver 0 both
 * rows excitatory, delay 0; every neuron recorded with its own index as label
 * (no hemisphere bit: it reaches no synapse). */
static int setup(ax_device *d, unsigned nph, unsigned n)
{
    uint8_t wt[256], lb[256];
    memset(wt, W, sizeof wt);
    memset(lb, 1, sizeof lb);
    int rc = 0;
    for (unsigned h = 0; h < 2 && rc == 0; h++)
        for (unsigned row = 0; row < 2 && rc == 0; row++)
            rc = ax_chip_set_row(d, h, row, wt, lb);
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_EXC};
    for (unsigned h = 0; h < 2 && rc == 0; h++)
        rc = ax_chip_set_drivers(d, h, 0, &drv, 1);
    static ax_neuron_cfg cfg[NMAX];
    for (unsigned i = 0; i < n; i++)
        cfg[i] = (ax_neuron_cfg){.label = (uint16_t)i, .record = true};
    (void)nph;
    return rc ? rc : ax_chip_set_neurons(d, 0, cfg, n);
}

struct spread {
    double mean, sd;
    unsigned missing; /* neurons without a spike after the input in some trial */
    unsigned used;
};

static struct spread judge(const double *t, const unsigned *hits, unsigned n, double tc)
{
    struct spread s = {0, 0, 0, 0};
    for (unsigned i = 0; i < n; i++) {
        if (hits[i] < K)
            s.missing++;
        if (hits[i])
            s.mean += t[i] - tc, s.used++;
    }
    s.mean /= s.used ? s.used : 1;
    for (unsigned i = 0; i < n; i++)
        if (hits[i])
            s.sd += (t[i] - tc - s.mean) * (t[i] - tc - s.mean);
    s.sd = s.used > 1 ? sqrt(s.sd / (s.used - 1)) : INFINITY;
    return s;
}

static void one_die(const char *uri, const struct ax_calib_targets *tg)
{
    ax_device *d;
    if (ax_open(uri, &d) < 0) {
        CHECK(0, "open %s: %s", uri, ax_error_detail());
        return;
    }
    unsigned nph = 0, rows = 0;
    uint32_t ver = 0;
    ax_chip_info(d, &ver, &nph, &rows);
    unsigned n = 2 * nph;
    const double *v = tg->value;
    const double cyc_per_us = AX_CYCLES_PER_US;
    double ts = v[AX_PARAM_TAU_SE] * cyc_per_us, tm = v[AX_PARAM_TAU_M] * cyc_per_us;
    int ratio = (int)lround(v[AX_PARAM_TAU_M] / v[AX_PARAM_TAU_SE]);
    double dist = v[AX_PARAM_THRESHOLD] - v[AX_PARAM_LEAK];

    /* the closed form of the targets */
    double w_norm = v[AX_PARAM_GAIN_E] * 2 * W, t0 = 0;
    double T = ax_ttfs_neuron_spike(ratio, 1.0, &t0, &w_norm, 1);
    double wp = w_norm * 1.001, wm = w_norm / 1.001;
    double dT_dlnw = (ax_ttfs_neuron_spike(ratio, 1.0, &t0, &wp, 1) -
                      ax_ttfs_neuron_spike(ratio, 1.0, &t0, &wm, 1)) /
                     (2 * log(1.001)) * ts;
    double tc = T * ts;

    /* uncalibrated first: the nominal codes of the targets */
    static double t_nom[NMAX], t_cal[NMAX];
    static unsigned h_nom[NMAX], h_cal[NMAX];
    static uint16_t codes[NMAX];
    int rc = 0;
    for (unsigned p = 0; p < AX_PARAM_COUNT && rc == 0; p++) {
        uint16_t c;
        /* gains: nominally J = gain / 512 mV a weight step (as ax_calib_run's "before") */
        double x =
            p == AX_PARAM_GAIN_E || p == AX_PARAM_GAIN_I ? v[p] * ratio * dist * 512.0 : v[p];
        rc = ax_calib_nominal_code(p, x, &c);
        for (unsigned i = 0; i < n; i++)
            codes[i] = c;
        if (rc == 0)
            rc = ax_chip_set_param(d, p, 0, codes, n);
    }
    if (rc == 0)
        rc = ax_chip_wait_capmem(d);
    if (rc == 0)
        rc = setup(d, nph, n);
    if (rc == 0)
        rc = first_spikes(d, n, t_nom, h_nom);
    CHECK(rc == 0, "%s: uncalibrated run: %s", uri, ax_error_detail());

    /* calibrated (ax_calib_get: the cache, else a calibration, left applied) */
    struct ax_calib_result res;
    enum ax_calib_source src;
    if (ax_calib_get(d, tg, NULL, NULL, &res, &src) < 0) {
        CHECK(0, "%s: calibrate: %s", uri, ax_error_detail());
        ax_close(d);
        return;
    }
    rc = setup(d, nph, n); /* the calibration cleared its synapses and drivers */
    if (rc == 0)
        rc = first_spikes(d, n, t_cal, h_cal);
    CHECK(rc == 0, "%s: calibrated run: %s", uri, ax_error_detail());

    /* the prediction from the calibrated spreads */
    const struct ax_calib_stat *st = res.stat;
    double rel_psp = st[AX_PARAM_GAIN_E].std_after / v[AX_PARAM_GAIN_E];
    double rel_d = hypot(st[AX_PARAM_LEAK].std_after, st[AX_PARAM_THRESHOLD].std_after) / dist;
    double rel_syn = STEP_SD / sqrt(2.0);
    double rel_w = sqrt(rel_psp * rel_psp + rel_d * rel_d + rel_syn * rel_syn);
    double rel_tau = hypot(st[AX_PARAM_TAU_M].std_after / v[AX_PARAM_TAU_M],
                           st[AX_PARAM_TAU_SE].std_after / v[AX_PARAM_TAU_SE]);
    /* the membrane's slope at T in mV a cycle: the trainer's u(t') = w t' e^-t' (r = 1)
     * or 2 w (e^-t'/2 - e^-t') (r = 2), times (threshold - leak) / tau_s */
    double h = 1e-4, u1, u2;
    if (ratio == 1) {
        u1 = w_norm * (T - h) * exp(-(T - h));
        u2 = w_norm * (T + h) * exp(-(T + h));
    } else {
        u1 = 2 * w_norm * (exp(-(T - h) / 2) - exp(-(T - h)));
        u2 = 2 * w_norm * (exp(-(T + h) / 2) - exp(-(T + h)));
    }
    double slope_mv = (u2 - u1) / (2 * h) * dist / ts;
    uint32_t noise = 0;
    ax_reg_read(d, AX_REG_NOISE, &noise);
    double namp = floor(2458.0 * ((noise >> 8) & 0xFF) / 128.0) / 16384.0;
    double sd_v = namp / 2 * sqrt(tm * (1 - exp(-2 * tc / tm)));
    double jitter = sd_v / slope_mv;
    double pred = sqrt(pow(fabs(dT_dlnw) * rel_w, 2) + pow(tc * rel_tau, 2) + jitter * jitter / K);

    struct spread sc = judge(t_cal, h_cal, n, tc), sn = judge(t_nom, h_nom, n, tc);
    printf("%s (%s): %u neurons, one input of 2 x %d steps: w_norm %.3f, closed form T = %.4f "
           "tau_s = %.2f cycles, dT/dln w %.1f cycles\n",
           uri, src == AX_CALIB_CACHED ? "cached" : "measured", n, W, w_norm, T, tc, dT_dlnw);
    printf("  prediction: rel w %.4f (psp %.4f, distance %.4f, synapses %.4f), rel tau %.4f, "
           "noise step %.3f mV: jitter %.2f cycles a trial (%.2f mean of %d) -> sd %.2f "
           "cycles\n",
           rel_w, rel_psp, rel_d, rel_syn, rel_tau, namp, jitter, jitter / sqrt(K), K, pred);
    printf("  calibrated:   measured - closed form mean %+.2f sd %.2f cycles (%u neurons, %u "
           "missing a spike)\n",
           sc.mean, sc.sd, sc.used, sc.missing);
    printf("  uncalibrated: measured - closed form mean %+.2f sd %.2f cycles (%u neurons, %u "
           "missing a spike)\n",
           sn.mean, sn.sd, sn.used, sn.missing);

    CHECK(res.flagged == 0, "%s: %u neurons flagged", uri, res.flagged);
    CHECK(sc.missing == 0, "%s: %u calibrated neurons missed a spike", uri, sc.missing);
    CHECK(sc.sd <= 1.5 * pred, "%s: calibrated sd %.2f > 1.5 x predicted %.2f", uri, sc.sd, pred);
    CHECK(fabs(sc.mean) <= 3.0, "%s: calibrated mean offset %.2f cycles", uri, sc.mean);
    CHECK(sn.sd >= 5 * sc.sd || sn.missing >= n / 8,
          "%s: uncalibrated sd %.2f (%u missing) not much worse than calibrated %.2f", uri, sn.sd,
          sn.missing, sc.sd);
    ax_calib_result_free(&res);
    ax_close(d);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_calib_first_spike TARGETS [URI ...]\n");
        return 2;
    }
    struct ax_calib_targets tg;
    if (ax_calib_targets_load(argv[1], &tg) < 0) {
        printf("FAIL: %s\n", ax_error_detail());
        return 1;
    }
    char dir[] = "/tmp/axon-calib-fs-XXXXXX";
    if (!mkdtemp(dir) || setenv("AXON_CALIB_DIR", dir, 1) != 0) {
        printf("FAIL: temporary cache folder\n");
        return 1;
    }
    const char *def[] = {"sim:?size=small&die=1", "sim:?size=small&die=2"};
    int nuri = argc > 2 ? argc - 2 : 2;
    for (int i = 0; i < nuri; i++)
        one_die(argc > 2 ? argv[i + 2] : def[i], &tg);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("warning: could not remove %s\n", dir);
    if (!fails)
        printf("calib.first_spike: all checks passed\n");
    return fails != 0;
}
