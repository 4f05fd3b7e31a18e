/* axon calibrate: per-neuron CapMem codes for a set of targets
 * (libaxon_calib, docs/calibration.md). Prints a table per parameter (or one
 * JSON object), optionally histograms before/after as PNGs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/calib.h"
#include "axon/outfile.h"
#include "axon/plot.h"
#include "axon/status.h"
#include "commands.h"
#ifdef AXON_HAVE_CALIB_TRUTH
#include "calib_truth.h"
#endif

static const char usage[] =
    "usage: axon calibrate [--device URI] [--targets FILE] [--apply] [--json] [--plots DIR]\n"
    "\n"
    "Calibrates every neuron of the board to the targets (docs/calibration.md) and\n"
    "leaves the calibrated codes applied; the result is saved in the calibration cache\n"
    "($AXON_CALIB_DIR, else $XDG_CACHE_HOME/axon/calib, else ~/.cache/axon/calib).\n"
    "  --device URI    the board (else $AXON_DEVICE, else the default)\n"
    "  --targets FILE  a target file ([targets] section, calib/targets/*.cfg); default:\n"
    "                  the built-in chip-in-the-loop point of calib/targets/ttfs.cfg\n"
    "  --apply         apply a valid cached calibration of this board and targets\n"
    "                  instead of measuring again (a stale, foreign or damaged cache\n"
    "                  file is never applied: the board is calibrated again)\n"
    "  --json          one JSON object on stdout instead of the table\n"
    "  --plots DIR     histograms before/after per parameter (DIR/calib-KEY.png)\n";

struct cal_args {
    const char *uri, *targets, *plots;
    int apply, json;
};

static int parse_args(int argc, char **argv, struct cal_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(o, "--apply")) {
            a->apply = 1;
            continue;
        }
        if (!strcmp(o, "--json")) {
            a->json = 1;
            continue;
        }
        const char **dst = !strcmp(o, "--device")    ? &a->uri
                           : !strcmp(o, "--targets") ? &a->targets
                           : !strcmp(o, "--plots")   ? &a->plots
                                                     : NULL;
        if (!dst) {
            axon_err("calibrate: unknown option '%s' (see axon calibrate --help)", o);
            return 2;
        }
        if (!v) {
            axon_err("calibrate: %s needs a value (see axon calibrate --help)", o);
            return 2;
        }
        *dst = v;
        i++;
    }
    if (!a->uri)
        a->uri = getenv("AXON_DEVICE");
    return axon_check_device("calibrate", a->uri);
}

static void bar(void *ctx, double done, double total)
{
    (void)ctx;
    axon_progress("calibrate", done, total);
}

/* The default targets: calib/targets/ttfs.cfg. */
static void default_targets(struct ax_calib_targets *t)
{
    static const double v[AX_PARAM_COUNT] = {300, 300, 330, 1.0, 1.0, 1.0, 0.03, 0.03, 5.0};
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "ttfs");
    memcpy(t->value, v, sizeof v);
    ax_calib_targets_hash(t);
}

static void json_num(double v)
{
    if (isfinite(v))
        printf("%.6g", v);
    else
        printf("null");
}

/* Histogram of before (grey) and after (blue) values of parameter p. */
static int plot_param(const char *dir, const struct ax_calib_result *r, unsigned p)
{
    enum { W = 640, H = 360, BINS = 60 };
    double lo = INFINITY, hi = -INFINITY;
    for (unsigned n = 0; n < r->neurons; n++)
        for (int k = 0; k < 2; k++) {
            double v = (k ? r->after : r->before)[n * AX_PARAM_COUNT + p];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    if (!(hi >= lo))
        return AX_OK; /* not calibrated: nothing to draw */
    if (hi - lo < 1e-9)
        lo -= 0.5, hi += 0.5;
    unsigned cnt[2][BINS] = {{0}}, top = 1;
    for (unsigned n = 0; n < r->neurons; n++)
        for (int k = 0; k < 2; k++) {
            double v = (k ? r->after : r->before)[n * AX_PARAM_COUNT + p];
            if (!isfinite(v))
                continue;
            int b = (int)((v - lo) / (hi - lo) * BINS);
            b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
            if (++cnt[k][b] > top)
                top = cnt[k][b];
        }
    ax_canvas cv;
    int rc = ax_canvas_init(&cv, W, H, 0xFFFFFF);
    if (rc < 0)
        return rc;
    const int L = 40, R = W - 20, T = 20, B = H - 40;
    ax_canvas_line(&cv, L, B, R, B, 0x000000);
    ax_canvas_line(&cv, L, B, L, T, 0x000000);
    /* the target as a red line */
    double tx = (r->stat[p].target - lo) / (hi - lo);
    if (tx >= 0 && tx <= 1)
        ax_canvas_line(&cv, L + (int)(tx * (R - L)), B, L + (int)(tx * (R - L)), T, 0xD03030);
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < BINS; b++) {
            if (!cnt[k][b])
                continue;
            int x0 = L + b * (R - L) / BINS, x1 = L + (b + 1) * (R - L) / BINS - 1;
            int y = B - (int)((double)cnt[k][b] / top * (B - T));
            ax_canvas_rect(&cv, x0, y, x1, B - 1, k ? 0x3060D0 : 0xA0A0A0);
        }
    char path[4096];
    snprintf(path, sizeof path, "%s/calib-%s.png", dir, ax_calib_param_key(p));
    rc = ax_canvas_write_png(&cv, path);
    ax_canvas_free(&cv);
    return rc;
}

int axon_cmd_calibrate(int argc, char **argv)
{
    struct cal_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    struct ax_calib_targets t;
    if (a.targets) {
        if ((rc = ax_calib_targets_load(a.targets, &t)) < 0) {
            axon_err("calibrate: %s", ax_error_detail());
            return 2;
        }
    } else {
        default_targets(&t);
    }
    if (a.plots) { /* before the work: the folder must exist */
        char path[4096];
        snprintf(path, sizeof path, "%s/calib-leak_mv.png", a.plots);
        if ((rc = ax_outfile_check(path)) < 0) {
            axon_err("calibrate: --plots: %s", ax_error_detail());
            return 2;
        }
    }
    ax_device *d;
    if ((rc = ax_open(a.uri, &d)) < 0) {
        axon_err("calibrate: cannot open %s: %s", a.uri ? a.uri : "the default board",
                 ax_error_detail());
        return 1;
    }
    int show = axon_progress_wanted();
    struct ax_calib_result r;
    enum ax_calib_source src = AX_CALIB_MEASURED;
    if (a.apply) {
        rc = ax_calib_get(d, &t, show ? bar : NULL, NULL, &r, &src);
    } else if ((rc = ax_calib_run(d, &t, show ? bar : NULL, NULL, &r)) == AX_OK) {
        rc = ax_calib_cache_save(d, &t, &r); /* its id is the file's hash */
        if (rc < 0)
            ax_calib_result_free(&r);
    }
    if (show)
        axon_progress_clear();
    if (rc < 0) {
        axon_err("calibrate: %s", ax_error_detail());
        ax_close(d);
        return 1;
    }
    double tm[AX_PARAM_COUNT], tsd[AX_PARAM_COUNT];
    bool truth = false;
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
        tm[p] = tsd[p] = NAN;
#ifdef AXON_HAVE_CALIB_TRUTH
    if (!strncmp(ax_device_uri(d), "sim:", 4)) {
        double *v = malloc((size_t)r.neurons * AX_PARAM_COUNT * sizeof *v);
        if (v && ax_calib_truth(d, &r, &t, v) == AX_OK) {
            truth = true;
            for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
                ax_calib_truth_stat(&r, v, p, &tm[p], &tsd[p]);
        }
        free(v);
    }
#endif
    const char *how = src == AX_CALIB_CACHED       ? "cached"
                      : src == AX_CALIB_RECOMPUTED ? "recomputed (the cache was not valid)"
                                                   : "measured";
    if (a.json) {
        printf("{\"device\": \"%s\", \"targets\": \"%s\", \"calibration_id\": \"%s\", "
               "\"source\": \"%s\", \"neurons\": %u, \"seconds\": %.3f, \"flagged\": %u, "
               "\"parameters\": {",
               ax_device_uri(d), t.name, r.id, src == AX_CALIB_CACHED ? "cache" : "measured",
               r.neurons, r.seconds, r.flagged);
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            const struct ax_calib_stat *s = &r.stat[p];
            printf("%s\"%s\": {\"target\": ", p ? ", " : "", ax_calib_param_key(p));
            json_num(s->target);
            const double v[] = {s->mean_before, s->std_before, s->mean_after, s->std_after};
            const char *k[] = {"mean_before", "std_before", "mean_after", "std_after"};
            for (int i = 0; i < 4; i++) {
                printf(", \"%s\": ", k[i]);
                json_num(v[i]);
            }
            if (truth) {
                printf(", \"mean_after_true\": ");
                json_num(tm[p]);
                printf(", \"std_after_true\": ");
                json_num(tsd[p]);
            }
            printf("}");
        }
        printf("}}\n");
    } else {
        printf("calibration %s of %s (%u neurons, targets %s): %s in %.2f s, %u flagged\n", r.id,
               ax_device_uri(d), r.neurons, t.name, how, r.seconds, r.flagged);
        printf("%-14s %9s %10s %9s %10s %9s%s\n", "parameter", "target", "before", "sd", "after",
               "sd", truth ? "       true        sd" : "");
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            const struct ax_calib_stat *s = &r.stat[p];
            if (isnan(s->mean_after)) {
                printf("%-14s %9.4g %10s (not calibrated: nominal code)\n", ax_calib_param_key(p),
                       s->target, "-");
                continue;
            }
            printf("%-14s %9.4g %10.4g %9.3g %10.4g %9.3g", ax_calib_param_key(p), s->target,
                   s->mean_before, s->std_before, s->mean_after, s->std_after);
            if (truth)
                printf(" %10.4g %9.3g", tm[p], tsd[p]);
            printf("\n");
        }
        for (unsigned n = 0; n < r.neurons; n++)
            if (r.flags[n])
                printf("neuron %u flagged: %s\n", n, ax_calib_flag_reason(&r, n));
    }
    for (unsigned p = 0; p < AX_PARAM_COUNT && a.plots && rc == AX_OK; p++)
        if ((rc = plot_param(a.plots, &r, p)) < 0)
            axon_err("calibrate: %s", ax_error_detail());
    ax_calib_result_free(&r);
    ax_close(d);
    return rc < 0 ? 1 : 0;
}
