/* axon train: trains a time-to-first-spike network from a config in
 * training/configs/ (software backend: the exact math; chip backend: the
 * forward pass on a board, for configs with a [chip] section).
 * The run is the library's ax_ttfs_run; this file parses arguments and shows
 * its progress and report lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"
#include "commands.h"

static const char usage[] =
    "usage: axon train CONFIG [--backend software|chip] [--epochs N] [--seed S] [--data DIR]\n"
    "                  [--metrics FILE] [--checkpoint FILE] [--resume FILE] [--plots DIR]\n"
    "                  [--threads N]\n"
    "\n"
    "Trains a time-to-first-spike network. CONFIG is a name in training/configs/\n"
    "(e.g. yinyang-fastdeep) or a path to a .cfg file. Times are in units of tau_s.\n"
    "The test set is evaluated once at the end: for the parameters train.select picks\n"
    "(best_val: those of the best validation epoch) and for the last epoch's.\n"
    "  --backend B        forward pass: software (exact math) or chip (the board and\n"
    "                     operating point of the config's [chip] section: calibrated\n"
    "                     or from the calibration cache first); default: chip when\n"
    "                     the config has a [chip] section, else software\n"
    "  --epochs N         override train.epochs\n"
    "  --seed S           override train.seed (the run is bit-reproducible per seed)\n"
    "  --data DIR         data folder (MNIST); else $AXON_DATA_DIR, else ../shared/data\n"
    "  --metrics FILE     JSON lines: provenance, one line per epoch, the test result\n"
    "  --checkpoint FILE  write a checkpoint after every epoch\n"
    "  --resume FILE      continue exactly from a checkpoint\n"
    "  --plots DIR        write learning-curves.png (and yinyang-decision.png)\n"
    "  --threads N        split each batch over N threads (default train.threads, 1);\n"
    "                     results are reproducible per thread count\n";

struct train_args {
    const char *config, *backend, *data, *metrics, *checkpoint, *resume, *plots;
    long long epochs, seed, threads; /* -1: from the config */
};

static int parse_number(const char *opt, const char *s, long long max, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0 || v > max) {
        axon_err("train: %s: expected an integer in [0, %lld], got '%s'", opt, max, s);
        return 2;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct train_args *a)
{
    memset(a, 0, sizeof *a);
    a->backend = NULL;
    a->epochs = a->seed = a->threads = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (o[0] != '-') {
            if (a->config) {
                axon_err("train: unexpected argument '%s'", o);
                return 2;
            }
            a->config = o;
            continue;
        }
        if (!v) {
            axon_err("train: %s needs a value (see axon train --help)", o);
            return 2;
        }
        i++;
        int rc = 0;
        if (!strcmp(o, "--backend"))
            a->backend = v;
        else if (!strcmp(o, "--epochs"))
            rc = parse_number(o, v, 1000000, &a->epochs);
        else if (!strcmp(o, "--seed"))
            rc = parse_number(o, v, 1LL << 62, &a->seed);
        else if (!strcmp(o, "--threads"))
            rc = parse_number(o, v, AX_TTFS_MAX_THREADS, &a->threads);
        else if (!strcmp(o, "--data"))
            a->data = v;
        else if (!strcmp(o, "--metrics"))
            a->metrics = v;
        else if (!strcmp(o, "--checkpoint"))
            a->checkpoint = v;
        else if (!strcmp(o, "--resume"))
            a->resume = v;
        else if (!strcmp(o, "--plots"))
            a->plots = v;
        else {
            axon_err("train: unknown option '%s' (see axon train --help)", o);
            return 2;
        }
        if (rc)
            return rc;
    }
    if (!a->config) {
        axon_err("train: missing CONFIG (see axon train --help)");
        return 2;
    }
    if (a->threads == 0) {
        axon_err("train: --threads: expected 1 to %d", AX_TTFS_MAX_THREADS);
        return 2;
    }
    if (a->backend && strcmp(a->backend, "software") && strcmp(a->backend, "chip")) {
        axon_err("train: --backend: expected 'software' or 'chip', got '%s'", a->backend);
        return 2;
    }
    return 0;
}

/* What the run's callbacks need: whether a progress bar is drawn and open. */
struct show {
    int bar_open;
};

static void progress_bar(void *ctx, int epoch, int done, int total)
{
    struct show *sh = ctx;
    char label[32];
    snprintf(label, sizeof label, "epoch %d", epoch);
    axon_progress(label, done, total);
    sh->bar_open = done < total;
}

static void print_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
    fflush(stdout);
}

static void calib_progress(void *ctx, double done, double total)
{
    (void)ctx;
    axon_progress("calibrate", done, total);
}

/* The chip backend when the config (or --backend chip) asks for it: the
 * board opened, calibrated (or the cache applied) and the network mapped
 * before training starts. 0: software; 1: chip opened; < 0: error. */
static int open_chip(const struct train_args *a, struct ax_ttfs_chip *chip)
{
    char path[1024];
    struct ax_ttfs_config cfg;
    ax_ttfs_config_path(a->config, path, sizeof path);
    if (ax_ttfs_config_load(&cfg, path) < 0)
        return -1;
    bool want = a->backend ? !strcmp(a->backend, "chip") : cfg.chip.present && !cfg.chip.software;
    if (!want)
        return 0;
    if (!cfg.chip.present)
        return ax_fail(AX_E_INVAL, "--backend chip: %s has no [chip] section", path);
    bool bar = axon_progress_wanted();
    int rc = ax_ttfs_chip_open(chip, &cfg, cfg.batch_size, bar ? calib_progress : NULL, NULL);
    if (bar)
        axon_progress_clear();
    if (rc < 0)
        return rc;
    printf("board %s: die %llu, calibration %s (%s), tau_s %.1f cycles, trial %llu cycles\n",
           chip->name, (unsigned long long)chip->calib.die_seed, chip->calib.id,
           chip->calib_source == AX_CALIB_CACHED ? "cached" : "measured", chip->units.tau_s_cycles,
           (unsigned long long)chip->trial_cycles);
    return 1;
}

int axon_cmd_train(int argc, char **argv)
{
    struct train_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    struct ax_ttfs_chip chip;
    int on_chip = open_chip(&a, &chip);
    if (on_chip < 0) {
        axon_err("train: %s", ax_error_detail());
        return 1;
    }
    struct ax_ttfs_run_opts o;
    ax_ttfs_run_opts_init(&o, a.config);
    o.data_dir = a.data;
    o.epochs = (int)a.epochs;
    o.seed = a.seed;
    o.threads = (int)a.threads;
    o.checkpoint = a.checkpoint;
    o.resume = a.resume;
    o.metrics_path = a.metrics;
    o.plots_dir = a.plots;
    o.backend = on_chip ? &chip.backend : NULL;
    struct show sh = {0};
    o.progress = axon_progress_wanted() ? progress_bar : NULL;
    o.log = print_line;
    o.ctx = &sh;
    rc = ax_ttfs_run(&o, NULL);
    if (rc && sh.bar_open)
        axon_progress_clear();
    if (rc)
        axon_err("train: %s", ax_error_detail());
    if (on_chip) {
        const struct ax_ttfs_chip_stats *st = &chip.stats;
        if (!rc)
            printf("chip: %llu trials in %llu batches, %.0f trials/s on the board, %llu "
                   "repeated after a loss, %llu input events a cycle late; last weights: %u + %u "
                   "clipped (range %.2f, %.2f)\n",
                   (unsigned long long)st->trials, (unsigned long long)st->batches,
                   st->chip_seconds > 0 ? (double)st->trials / st->chip_seconds : 0.0,
                   (unsigned long long)st->repeated, (unsigned long long)st->moved,
                   st->clip.clipped[0], st->clip.clipped[1], st->clip.range[0], st->clip.range[1]);
        ax_ttfs_chip_close(&chip);
    }
    return rc ? 1 : 0;
}
