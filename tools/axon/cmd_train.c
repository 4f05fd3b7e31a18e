/* axon train: trains a time-to-first-spike network from a config in
 * training/configs/ (software backend: the exact math; chip: later issue). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "axon/provenance.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"
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
    "  --backend B        forward pass: software (exact math, default) or chip\n"
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
    a->backend = "software";
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
    if (strcmp(a->backend, "software") && strcmp(a->backend, "chip")) {
        axon_err("train: --backend: expected 'software' or 'chip', got '%s'", a->backend);
        return 2;
    }
    return 0;
}

/* A config name (training/configs/NAME.cfg) or a path. */
static void resolve_config(const char *name, char *path, size_t n)
{
    struct stat st;
    if (strchr(name, '/') || stat(name, &st) == 0) {
        snprintf(path, n, "%s", name);
        return;
    }
    snprintf(path, n, "%s/training/configs/%s.cfg", ax_source_dir(), name);
}

struct run_data {
    struct ax_ttfs_dataset train, val, test;
};

static int load_data(const struct ax_ttfs_config *cfg, const char *data_dir, struct run_data *d)
{
    memset(d, 0, sizeof *d);
    if (cfg->data == AX_TTFS_DATA_YINYANG) {
        int rc = ax_ttfs_dataset_yinyang(&d->train, AX_YINYANG_TRAIN, cfg->t_early, cfg->t_late);
        if (!rc)
            rc = ax_ttfs_dataset_yinyang(&d->val, AX_YINYANG_VALIDATION, cfg->t_early, cfg->t_late);
        if (!rc)
            rc = ax_ttfs_dataset_yinyang(&d->test, AX_YINYANG_TEST, cfg->t_early, cfg->t_late);
        if (rc)
            axon_err("train: yinyang: %s", ax_strerror(rc));
        return rc;
    }
    char dir[1024], err[1200];
    int size = cfg->data == AX_TTFS_DATA_MNIST ? 28 : 16;
    int rc = ax_ttfs_find_data_dir(data_dir, dir, sizeof dir, err, sizeof err);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->train, dir, AX_MNIST_TRAIN, size, cfg->t_early, cfg->t_late,
                                   err, sizeof err);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->val, dir, AX_MNIST_VALIDATION, size, cfg->t_early,
                                   cfg->t_late, err, sizeof err);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->test, dir, AX_MNIST_TEST, size, cfg->t_early, cfg->t_late,
                                   err, sizeof err);
    if (rc)
        axon_err("train: %s", err);
    return rc;
}

static void free_data(struct run_data *d)
{
    ax_ttfs_dataset_free(&d->train);
    ax_ttfs_dataset_free(&d->val);
    ax_ttfs_dataset_free(&d->test);
}

/* The batch progress of one epoch (ctx: the epoch's number). */
static void progress_bar(void *ctx, int done, int total)
{
    char label[32];
    snprintf(label, sizeof label, "epoch %d", *(const int *)ctx);
    axon_progress(label, done, total);
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int write_plots(struct ax_ttfs_trainer *tr, const char *dir, const struct run_data *d)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/learning-curves.png", dir);
    int rc = ax_ttfs_plot_curves(path, tr->hist_loss, tr->hist_train, tr->hist_val, tr->epoch);
    if (!rc && tr->cfg.data == AX_TTFS_DATA_YINYANG) {
        snprintf(path, sizeof path, "%s/yinyang-decision.png", dir);
        rc = ax_ttfs_plot_yinyang(path, &tr->net, &tr->cfg, &d->test);
    }
    if (rc)
        axon_err("train: %s: cannot write plot: %s", path, ax_strerror(rc));
    return rc;
}

/* The epoch loop: metrics, checkpoints, progress. */
static int run_epochs(struct ax_ttfs_trainer *tr, const struct train_args *a, FILE *metrics)
{
    int show = axon_progress_wanted(), epoch_shown = 0;
    char err[1200];
    while (tr->epoch < tr->cfg.epochs) {
        struct ax_ttfs_epoch_stats st;
        epoch_shown = tr->epoch + 1;
        int rc = ax_ttfs_trainer_epoch(tr, &st, show ? progress_bar : NULL, &epoch_shown);
        if (rc) {
            if (show)
                axon_progress_clear();
            axon_err("train: epoch %d: %s", tr->epoch + 1, ax_strerror(rc));
            return rc;
        }
        if (metrics)
            ax_ttfs_metrics_epoch(metrics, &st);
        printf("epoch %d/%d loss %.5f train %.4f val %.4f (%.0f samples/s, bumps", st.epoch,
               tr->cfg.epochs, st.loss, st.train_accuracy, st.val_accuracy, st.samples_per_s);
        for (int l = 0; l < tr->net.n_layers; l++)
            printf(" %d", st.bumps_by_layer[l]);
        printf(")\n");
        fflush(stdout);
        if (a->checkpoint && (rc = ax_ttfs_checkpoint_save(tr, a->checkpoint, err, sizeof err))) {
            axon_err("train: %s", err);
            return rc;
        }
    }
    return 0;
}

/* Tests the last epoch's parameters, then the ones the config selects (the
 * plots show the selected ones too). */
static int test_selected(struct ax_ttfs_trainer *tr, const struct ax_ttfs_dataset *test,
                         struct ax_ttfs_final *r)
{
    int rc = ax_ttfs_evaluate(&tr->net, test, tr->cfg.batch_size, &r->test_accuracy_last);
    r->selected_epoch = ax_ttfs_trainer_select(tr);
    r->test_accuracy = r->test_accuracy_last;
    if (!rc && r->selected_epoch != tr->epoch)
        rc = ax_ttfs_evaluate(&tr->net, test, tr->cfg.batch_size, &r->test_accuracy);
    if (rc)
        axon_err("train: test: %s", ax_strerror(rc));
    return rc;
}

static int train(const struct train_args *a, const struct ax_ttfs_config *cfg, const char *path)
{
    struct run_data d;
    if (load_data(cfg, a->data, &d))
        return 1;
    struct ax_ttfs_trainer tr;
    char err[1200];
    int rc = ax_ttfs_trainer_create(&tr, cfg, &d.train, &d.val);
    if (rc)
        axon_err("train: %s", ax_strerror(rc));
    if (!rc && a->resume && (rc = ax_ttfs_checkpoint_load(&tr, a->resume, err, sizeof err)))
        axon_err("train: %s", err);
    FILE *metrics = NULL;
    if (!rc && a->metrics && !(metrics = fopen(a->metrics, "w"))) {
        axon_err("train: %s: cannot write metrics", a->metrics);
        rc = AX_E_IO;
    }
    if (metrics)
        ax_ttfs_metrics_provenance(metrics, cfg, path, a->backend, tr.epoch);
    double t0 = wall_seconds();
    clock_t c0 = clock();
    if (!rc)
        rc = run_epochs(&tr, a, metrics);
    struct ax_ttfs_final r = {.epochs = tr.epoch,
                              .seconds = wall_seconds() - t0,
                              .cpu_seconds = (double)(clock() - c0) / CLOCKS_PER_SEC};
    if (!rc)
        rc = test_selected(&tr, &d.test, &r);
    if (!rc) {
        printf("test_accuracy %.4f selected_epoch %d test_accuracy_last %.4f seconds %.2f "
               "cpu_seconds %.2f\n",
               r.test_accuracy, r.selected_epoch, r.test_accuracy_last, r.seconds, r.cpu_seconds);
        if (metrics)
            ax_ttfs_metrics_final(metrics, &r);
    }
    if (!rc && a->plots)
        rc = write_plots(&tr, a->plots, &d);
    if (metrics)
        fclose(metrics);
    ax_ttfs_trainer_free(&tr);
    free_data(&d);
    return rc ? 1 : 0;
}

int axon_cmd_train(int argc, char **argv)
{
    struct train_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!strcmp(a.backend, "chip")) {
        axon_err("train: --backend chip is not available yet (a later issue wires the chip in); "
                 "use --backend software");
        return 1;
    }
    char path[1100], err[1200];
    resolve_config(a.config, path, sizeof path);
    struct ax_ttfs_config cfg;
    if (ax_ttfs_config_load(&cfg, path, err, sizeof err)) {
        axon_err("train: %s", err);
        return 1;
    }
    if (a.epochs >= 0)
        cfg.epochs = (int)a.epochs;
    if (a.seed >= 0)
        cfg.seed = (uint64_t)a.seed;
    if (a.threads == 0) {
        axon_err("train: --threads: expected 1 to %d", AX_TTFS_MAX_THREADS);
        return 2;
    }
    if (a.threads > 0)
        cfg.threads = (int)a.threads;
    return train(&a, &cfg, path);
}
