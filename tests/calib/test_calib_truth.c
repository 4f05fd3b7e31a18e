/* A calibration of the small chip (64 neurons) judged against the truth the
 * model knows (axsim_ref from the die seed): for every parameter the spread
 * after is at most a tenth of the spread before, measured and true, the mean
 * within 1 % of the target (2 % for time constants), the potentials' spread
 * at most 1 mV, at most 1 % of the neurons flagged; two dice; all nine
 * parameters (leak, reset, threshold, tau_m, tau_se, tau_si, psp_e, psp_i,
 * refractory time).
 * usage: test_calib_truth [URI ...] (default: dice 1 and 2 of the small chip) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/calib.h"
#include "calib_truth.h"

static int fails;

static void check(bool ok, const char *what, unsigned p, double v, double limit)
{
    if (!ok) {
        printf("FAIL: %s %s = %.4g (limit %.4g)\n", ax_calib_param_key(p), what, v, limit);
        fails++;
    }
}

static void judge(const struct ax_calib_result *r, const double *truth)
{
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        const struct ax_calib_stat *s = &r->stat[p];
        double tm, tsd;
        ax_calib_truth_stat(r, truth, p, &tm, &tsd);
        printf("%-14s target %9.4g  before %9.4g sd %8.3g  after %9.4g sd %8.3g  true %9.4g sd "
               "%8.3g\n",
               ax_calib_param_key(p), s->target, s->mean_before, s->std_before, s->mean_after,
               s->std_after, tm, tsd);
        bool tau = p >= AX_PARAM_TAU_M && p <= AX_PARAM_TAU_SI;
        double mtol = (tau ? 0.02 : 0.01) * s->target;
        check(fabs(s->mean_after - s->target) <= mtol, "mean after", p, s->mean_after, mtol);
        check(fabs(tm - s->target) <= mtol, "true mean", p, tm, mtol);
        check(s->std_after <= 0.1 * s->std_before, "sd after", p, s->std_after,
              0.1 * s->std_before);
        check(tsd <= 0.1 * s->std_before, "true sd", p, tsd, 0.1 * s->std_before);
        if (p <= AX_PARAM_THRESHOLD) {
            check(s->std_after <= 1.0, "sd after (mV)", p, s->std_after, 1.0);
            check(tsd <= 1.0, "true sd (mV)", p, tsd, 1.0);
        }
    }
    check(r->flagged <= r->neurons / 100, "flagged", 0, r->flagged, r->neurons / 100);
}

int main(int argc, char **argv)
{
    const char *def[] = {"sim:?size=small&die=1", "sim:?size=small&die=2"};
    int nuri = argc > 1 ? argc - 1 : 2;
    struct ax_calib_targets t = {.name = "test",
                                 .value = {300, 300, 325, 1.0, 1.0, 1.0, 0.05, 0.05, 5.0}};
    ax_calib_targets_hash(&t);
    for (int i = 0; i < nuri; i++) {
        const char *uri = argc > 1 ? argv[i + 1] : def[i];
        ax_device *d;
        if (ax_open(uri, &d) < 0) {
            printf("FAIL: open %s: %s\n", uri, ax_error_detail());
            return 1;
        }
        struct ax_calib_result r;
        int rc = ax_calib_run(d, &t, NULL, NULL, &r);
        if (rc < 0) {
            printf("FAIL: calibrate %s: %s\n", uri, ax_error_detail());
            return 1;
        }
        static double truth[512 * AX_PARAM_COUNT];
        ax_calib_truth(d, &r, &t, truth);
        printf("%s: %.2f s, %llu cycles, %u flagged\n", uri, r.seconds,
               (unsigned long long)r.cycles, r.flagged);
        judge(&r, truth);
        ax_calib_result_free(&r);
        ax_close(d);
    }
    if (!fails)
        printf("calib.truth: all checks passed\n");
    return fails != 0;
}
