/* axon train: trains a time-to-first-spike network from a config in
 * training/configs/ (software backend: the exact math; chip backend: the
 * forward pass on a board, for configs with a [chip] section).
 * The run is the library's ax_ttfs_run; this file parses arguments and shows
 * its progress and report lines. */
#define _POSIX_C_SOURCE 200809L /* access */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/status.h"
#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"
#include "commands.h"
#include "train_job.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

static const char usage[] =
    "usage: axon train CONFIG [--backend software|chip] [--epochs N] [--seed S] [--data DIR]\n"
    "                  [--metrics FILE] [--checkpoint FILE] [--resume FILE] [--plots DIR]\n"
    "                  [--threads N] [--device URI] [--die N] [--export FILE]\n"
    "                  [--init-from FILE]\n"
    "       axon train yinyang [--full] [OPTIONS]\n"
    "\n"
    "Trains a time-to-first-spike network. CONFIG is a name in training/configs/\n"
    "(e.g. yinyang-fastdeep) or a path to a .cfg file. Times are in units of tau_s.\n"
    "`axon train yinyang` is the main job: yinyang-chip in the loop on the board,\n"
    "quick by default (" STR(
        AXON_QUICK_EPOCHS) " epochs; --full: the config's), with a\n"
                           "checkpoint, metrics, plots and report.txt in a results folder it "
                           "names\n"
                           "(results/yinyang-DATE-TIME; with --resume FILE: FILE's folder).\n"
                           "The test set is evaluated once at the end: for the parameters "
                           "train.select picks\n"
                           "(best_val: those of the best validation epoch) and for the last "
                           "epoch's.\n"
                           "  --backend B        forward pass: software (exact math) or chip (the "
                           "board and\n"
                           "                     operating point of the config's [chip] section: "
                           "calibrated\n"
                           "                     or from the calibration cache first); default: "
                           "chip when\n"
                           "                     the config has a [chip] section, else software\n"
                           "  --epochs N         override train.epochs\n"
                           "  --seed S           override train.seed (the run is bit-reproducible "
                           "per seed)\n"
                           "  --data DIR         data folder (MNIST); else $AXON_DATA_DIR, else "
                           "../shared/data\n"
                           "  --metrics FILE     JSON lines: provenance, one line per epoch, the "
                           "test result\n"
                           "  --checkpoint FILE  write a checkpoint after every epoch\n"
                           "  --resume FILE      continue exactly from a checkpoint\n"
                           "  --init-from FILE   start from the parameters of an exported network\n"
                           "                     (--export; the same network, e.g. pre-trained\n"
                           "                     in software for fine-tuning on the board)\n"
                           "  --plots DIR        write learning-curves.png (and "
                           "yinyang-decision.png)\n"
                           "  --threads N        split each batch over N threads (default "
                           "train.threads, 1);\n"
                           "                     results are reproducible per thread count\n"
                           "  --device URI       the board ([chip] device; sim:, socket:HOST:PORT, "
                           "...)\n"
                           "  --die N            the simulated board's die seed ([chip] die)\n"
                           "  --export FILE      the selected parameters as a network file for "
                           "axon evaluate\n"
                           "  --full             (yinyang) the config's epochs instead of the "
                           "quick run's\n";

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
    a->epochs = a->seed = a->threads = a->die = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(o, "--full")) {
            a->full = true;
            continue;
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
        else if (!strcmp(o, "--init-from"))
            a->init_from = v;
        else if (!strcmp(o, "--plots"))
            a->plots = v;
        else if (!strcmp(o, "--export"))
            a->export_path = v;
        else if (!strcmp(o, "--device"))
            a->device = v;
        else if (!strcmp(o, "--die"))
            rc = parse_number(o, v, 1LL << 62, &a->die);
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
    if (a->device && axon_check_device("train", a->device))
        return 2;
    return axon_train_main_job(a);
}

/* What the run's callbacks need: the progress bar's state and the last
 * epoch's figures it shows. */
struct show {
    int bar_open, epochs;
    double t0;             /* when the first batch of this process started */
    long long samples0;    /* samples done before it (a resumed run's) */
    long long per_epoch;   /* training samples an epoch */
    double loss, accuracy; /* of the last epoch; accuracy < 0: none yet */
};

static void progress_bar(void *ctx, int epoch, int done, int total)
{
    struct show *sh = ctx;
    double now = ax_mono_seconds();
    long long at = (long long)(epoch - 1) * total + done;
    if (sh->t0 == 0) {
        sh->t0 = now;
        sh->samples0 = at;
    }
    sh->per_epoch = total;
    double rate = now > sh->t0 ? (double)(at - sh->samples0) / (now - sh->t0) : 0;
    long long left = (long long)sh->epochs * total - at;
    char label[160], eta[32] = "?";
    if (rate > 0 && at > sh->samples0) {
        long s = (long)((double)left / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
    }
    int n = snprintf(label, sizeof label, "epoch %d/%d", epoch, sh->epochs);
    if (sh->accuracy >= 0)
        n += snprintf(label + n, sizeof label - (size_t)n, " loss %.4f acc %.1f%%", sh->loss,
                      100 * sh->accuracy);
    snprintf(label + n, sizeof label - (size_t)n, " %.0f samples/s ETA %s", rate, eta);
    axon_progress(label, done, total);
    sh->bar_open = done < total;
}

static void epoch_done(void *ctx, const struct ax_ttfs_epoch_stats *st)
{
    struct show *sh = ctx;
    sh->loss = st->loss;
    sh->accuracy = st->val_accuracy;
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

/* The config with the command line's board (--device, --die) and epochs. */
static int load_config(const struct train_args *a, struct ax_ttfs_config *cfg, char *path, size_t n)
{
    ax_ttfs_config_path(a->config, path, n);
    if (ax_ttfs_config_load(cfg, path) < 0)
        return -1;
    if (a->device)
        snprintf(cfg->chip.device, sizeof cfg->chip.device, "%s", a->device);
    if (a->device && a->die < 0)
        cfg->chip.die = -1; /* the URI's */
    if (a->die >= 0)
        cfg->chip.die = a->die;
    if (a->epochs >= 0)
        cfg->epochs = (int)a->epochs;
    return 0;
}

/* The chip backend when the config (or --backend chip) asks for it: the
 * board opened, calibrated (or the cache applied) and the network mapped
 * before training starts. 0: software; 1: chip opened; < 0: error (detail
 * set); > 0 exit codes come back as 100 + code. */
static int open_chip(const struct train_args *a, struct ax_ttfs_chip *chip, int *epochs)
{
    char path[1024];
    struct ax_ttfs_config cfg;
    if (load_config(a, &cfg, path, sizeof path) < 0)
        return -1;
    *epochs = cfg.epochs;
    bool want = a->backend ? !strcmp(a->backend, "chip") : cfg.chip.present && !cfg.chip.software;
    if (want && !cfg.chip.present)
        return ax_fail(AX_E_INVAL, "--backend chip: %s has no [chip] section", path);
    int rc = a->resume ? axon_train_check_resume(a, &cfg, want) : 0;
    if (rc)
        return 100 + rc;
    if (!want)
        return 0;
    bool bar = axon_progress_wanted();
    rc = ax_ttfs_chip_open(chip, &cfg, cfg.batch_size, bar ? calib_progress : NULL, NULL);
    if (bar)
        axon_progress_clear();
    if (rc < 0)
        return rc;
    chip->backend.mapping_id = ax_ttfs_chip_map_id(&chip->map);
    printf("board %s: die %llu, calibration %s (%s), tau_s %.1f cycles, trial %llu cycles\n",
           chip->name, (unsigned long long)chip->calib.die_seed, chip->calib.id,
           chip->calib_source == AX_CALIB_CACHED ? "cached" : "measured", chip->units.tau_s_cycles,
           (unsigned long long)chip->trial_cycles);
    fflush(stdout);
    return 1;
}

static void run_opts(const struct train_args *a, struct ax_ttfs_run_opts *o, struct show *sh,
                     const struct ax_ttfs_chip *chip, bool on_chip)
{
    ax_ttfs_run_opts_init(o, a->config);
    o->data_dir = a->data;
    o->epochs = (int)a->epochs;
    o->seed = a->seed;
    o->threads = (int)a->threads;
    o->checkpoint = a->checkpoint;
    o->resume = a->resume;
    o->init_from = a->init_from;
    o->metrics_path = a->metrics;
    o->plots_dir = a->plots;
    o->plot_grid = a->main_job ? 80 : 0;
    o->export_path = a->export_path;
    o->backend = on_chip ? &chip->backend : NULL;
    o->progress = axon_progress_wanted() ? progress_bar : NULL;
    o->log = print_line;
    o->epoch_done = epoch_done;
    o->ctx = sh;
}

int axon_cmd_train(int argc, char **argv)
{
    struct train_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    double t0 = ax_mono_seconds();
    struct ax_ttfs_chip chip;
    struct show sh = {.accuracy = -1};
    int on_chip = open_chip(&a, &chip, &sh.epochs);
    if (on_chip >= 100)
        return on_chip - 100;
    if (on_chip < 0) {
        axon_err("train: %s", ax_error_detail());
        return 1;
    }
    struct ax_ttfs_run_opts o;
    run_opts(&a, &o, &sh, &chip, on_chip);
    struct ax_ttfs_final f;
    rc = ax_ttfs_run(&o, &f);
    if (rc && sh.bar_open)
        axon_progress_clear();
    if (rc) {
        axon_err("train: %s", ax_error_detail());
        if (a.checkpoint && access(a.checkpoint, R_OK) == 0)
            axon_err("train: the last complete epoch is in %s: continue with --resume %s",
                     a.checkpoint, a.checkpoint);
    } else {
        rc = axon_train_report(&a, on_chip ? &chip : NULL, &f, ax_mono_seconds() - t0);
    }
    if (on_chip)
        ax_ttfs_chip_close(&chip);
    return rc ? 1 : 0;
}
