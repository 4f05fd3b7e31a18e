/* A training run as `axon train` does it: config, data, trainer, epochs with
 * metrics and checkpoints, the test of the selected parameters, plots. */
#define _POSIX_C_SOURCE 200809L /* stat */
#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/outfile.h"
#include "axon/provenance.h"
#include "axon/status.h"
#include "axon/ttfs_run.h"

void ax_ttfs_config_path(const char *name, char *path, size_t n)
{
    struct stat st;
    if (strchr(name, '/') || stat(name, &st) == 0)
        snprintf(path, n, "%s", name);
    else
        snprintf(path, n, "%s/training/configs/%s.cfg", ax_source_dir(), name);
}

/* ---------------------------------------------------------------------------
 * data */

static int load_yinyang(struct ax_ttfs_splits *d, const struct ax_ttfs_config *cfg)
{
    int rc = ax_ttfs_dataset_yinyang(&d->train, AX_YINYANG_TRAIN, cfg->t_early, cfg->t_late);
    if (!rc)
        rc = ax_ttfs_dataset_yinyang(&d->val, AX_YINYANG_VALIDATION, cfg->t_early, cfg->t_late);
    if (!rc)
        rc = ax_ttfs_dataset_yinyang(&d->test, AX_YINYANG_TEST, cfg->t_early, cfg->t_late);
    return rc;
}

static int load_mnist(struct ax_ttfs_splits *d, const struct ax_ttfs_config *cfg,
                      const char *data_dir)
{
    char dir[1024];
    int size = cfg->data == AX_TTFS_DATA_MNIST ? 28 : 16;
    double t0 = cfg->t_early, t1 = cfg->t_late;
    int rc = ax_ttfs_find_data_dir(data_dir, dir, sizeof dir);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->train, dir, AX_MNIST_TRAIN, size, t0, t1);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->val, dir, AX_MNIST_VALIDATION, size, t0, t1);
    if (!rc)
        rc = ax_ttfs_dataset_mnist(&d->test, dir, AX_MNIST_TEST, size, t0, t1);
    return rc;
}

int ax_ttfs_splits_load(struct ax_ttfs_splits *d, const struct ax_ttfs_config *cfg,
                        const char *data_dir)
{
    memset(d, 0, sizeof *d);
    int rc;
    if (cfg->data == AX_TTFS_DATA_YINYANG) {
        rc = load_yinyang(d, cfg);
        if (rc)
            ax_fail(rc, "yinyang: %s", ax_strerror(rc));
    } else {
        rc = load_mnist(d, cfg, data_dir);
    }
    if (rc)
        ax_ttfs_splits_free(d);
    return rc;
}

void ax_ttfs_splits_free(struct ax_ttfs_splits *d)
{
    ax_ttfs_dataset_free(&d->train);
    ax_ttfs_dataset_free(&d->val);
    ax_ttfs_dataset_free(&d->test);
}

/* ---------------------------------------------------------------------------
 * the run */

void ax_ttfs_run_opts_init(struct ax_ttfs_run_opts *o, const char *config)
{
    memset(o, 0, sizeof *o);
    o->config = config;
    o->epochs = -1;
    o->seed = -1;
}

struct run {
    const struct ax_ttfs_run_opts *o;
    char path[1100]; /* the config file */
    struct ax_ttfs_config cfg;
    struct ax_ttfs_splits data;
    struct ax_ttfs_trainer tr;
    FILE *metrics;
    int epoch_shown; /* the epoch the progress callback reports */
};

static void report(const struct run *r, const char *line)
{
    if (r->o->log)
        r->o->log(r->o->ctx, line);
}

static int load_config(struct run *r)
{
    const struct ax_ttfs_run_opts *o = r->o;
    ax_ttfs_config_path(o->config, r->path, sizeof r->path);
    int rc = ax_ttfs_config_load(&r->cfg, r->path);
    if (rc)
        return rc;
    if (o->epochs >= 0)
        r->cfg.epochs = o->epochs;
    if (o->seed >= 0)
        r->cfg.seed = (uint64_t)o->seed;
    if (o->threads > 0)
        r->cfg.threads = o->threads;
    return 0;
}

/* Every output is checked before any work (hours of MNIST must not end in
 * "cannot write"): the folders exist, the plots folder is made when missing,
 * and no two outputs name the same file. */
static int check_outputs(const struct ax_ttfs_run_opts *o)
{
    const char *ck = o->checkpoint, *mt = o->metrics ? NULL : o->metrics_path;
    int rc = 0;
    if (ck && (rc = ax_outfile_check(ck)))
        return ax_fail(rc, "--checkpoint %s", ax_error_detail());
    if (mt && (rc = ax_outfile_check(mt)))
        return ax_fail(rc, "--metrics %s", ax_error_detail());
    if (o->export_path && (rc = ax_outfile_check(o->export_path)))
        return ax_fail(rc, "--export %s", ax_error_detail());
    if (ck && mt && ax_outfile_same(ck, mt))
        return ax_fail(AX_E_INVAL, "--checkpoint and --metrics name the same file (%s)", ck);
    if (o->resume && o->init_from)
        return ax_fail(AX_E_INVAL, "--init-from and --resume: a resumed run has its parameters");
    if (mt && o->resume && ax_outfile_same(mt, o->resume))
        return ax_fail(AX_E_INVAL, "--metrics would overwrite the checkpoint to resume (%s)", mt);
    const char *pd = o->plots_dir;
    struct stat st;
    if (pd && stat(pd, &st) != 0 && mkdir(pd, 0777) != 0)
        return ax_fail(AX_E_IO, "--plots %s: cannot make the folder: %s", pd, strerror(errno));
    if (pd && (stat(pd, &st) != 0 || !S_ISDIR(st.st_mode)))
        return ax_fail(AX_E_INVAL, "--plots %s: not a folder", pd);
    if (pd && access(pd, W_OK) != 0)
        return ax_fail(AX_E_IO, "--plots %s: cannot write there: %s", pd, strerror(errno));
    return 0;
}

/* The trainer, resumed from a checkpoint when asked, and its metrics stream. */
static int start(struct run *r)
{
    const struct ax_ttfs_run_opts *o = r->o;
    int rc = ax_ttfs_trainer_create(&r->tr, &r->cfg, &r->data.train, &r->data.val);
    if (rc)
        return ax_fail(rc, "%s", ax_strerror(rc));
    if (o->backend)
        ax_ttfs_trainer_set_backend(&r->tr, o->backend);
    if (o->resume && (rc = ax_ttfs_checkpoint_load(&r->tr, o->resume)))
        return rc;
    if (o->init_from && (rc = ax_ttfs_trainer_init_from(&r->tr, o->init_from)))
        return rc;
    /* Metrics are written as they happen (a run can be followed with tail -f). */
    r->metrics = o->metrics;
    if (!r->metrics && o->metrics_path && !strcmp(o->metrics_path, "-"))
        r->metrics = stdout;
    if (!r->metrics && o->metrics_path && !(r->metrics = fopen(o->metrics_path, "w")))
        return ax_fail(AX_E_IO, "%s: cannot write metrics: %s", o->metrics_path, strerror(errno));
    if (r->metrics)
        ax_ttfs_metrics_provenance(r->metrics, &r->cfg, r->path, &r->tr.net.backend, r->tr.epoch);
    return 0;
}

static void progress(void *ctx, int done, int total)
{
    const struct run *r = ctx;
    r->o->progress(r->o->ctx, r->epoch_shown, done, total);
}

static void report_epoch(const struct run *r, const struct ax_ttfs_epoch_stats *st)
{
    char line[512];
    int n =
        snprintf(line, sizeof line,
                 "epoch %d/%d loss %.5f train %.4f val %.4f (%.0f samples/s, bumps", st->epoch,
                 r->cfg.epochs, st->loss, st->train_accuracy, st->val_accuracy, st->samples_per_s);
    for (int l = 0; l < r->tr.net.n_layers && n > 0 && (size_t)n < sizeof line; l++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %d", st->bumps_by_layer[l]);
    if (n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, ")");
    report(r, line);
}

/* The epoch loop: metrics, report, checkpoint after every epoch. */
static int run_epochs(struct run *r)
{
    struct ax_ttfs_trainer *tr = &r->tr;
    while (tr->epoch < tr->cfg.epochs) {
        struct ax_ttfs_epoch_stats st;
        r->epoch_shown = tr->epoch + 1;
        unsigned gen = ax_detail_gen();
        int rc = ax_ttfs_trainer_epoch(tr, &st, r->o->progress ? progress : NULL, r);
        if (rc) { /* "epoch N: " and a backend's own detail, else the status text */
            char what[32];
            snprintf(what, sizeof what, "epoch %d", tr->epoch + 1);
            return ax_fail_wrap(rc, gen, what);
        }
        if (r->metrics)
            ax_ttfs_metrics_epoch(r->metrics, &st);
        report_epoch(r, &st);
        if (r->o->checkpoint && (rc = ax_ttfs_checkpoint_save(tr, r->o->checkpoint)))
            return rc;
        if (r->o->epoch_done)
            r->o->epoch_done(r->o->ctx, &st);
    }
    return 0;
}

/* Tests the last epoch's parameters, then the ones the config selects (the
 * plots show the selected ones too). */
static int test_selected(struct run *r, struct ax_ttfs_final *f)
{
    struct ax_ttfs_trainer *tr = &r->tr;
    const struct ax_ttfs_dataset *test = &r->data.test;
    unsigned gen = ax_detail_gen();
    int rc = ax_ttfs_evaluate(&tr->net, test, tr->cfg.batch_size, &f->test_accuracy_last);
    f->selected_epoch = ax_ttfs_trainer_select(tr);
    f->test_accuracy = f->test_accuracy_last;
    if (!rc && f->selected_epoch != tr->epoch)
        rc = ax_ttfs_evaluate(&tr->net, test, tr->cfg.batch_size, &f->test_accuracy);
    if (rc) /* a backend's own detail, else the status text */
        return ax_fail_wrap(rc, gen, "test");
    char line[256];
    snprintf(line, sizeof line,
             "test_accuracy %.4f selected_epoch %d test_accuracy_last %.4f seconds %.2f "
             "cpu_seconds %.2f",
             f->test_accuracy, f->selected_epoch, f->test_accuracy_last, f->seconds,
             f->cpu_seconds);
    report(r, line);
    if (r->metrics)
        ax_ttfs_metrics_final(r->metrics, f);
    return 0;
}

static int write_plots(struct run *r, const char *dir)
{
    struct ax_ttfs_trainer *tr = &r->tr;
    char path[1200];
    snprintf(path, sizeof path, "%s/learning-curves.png", dir);
    int rc = ax_ttfs_plot_curves(path, tr->hist_loss, tr->hist_train, tr->hist_val, tr->epoch);
    if (!rc && tr->cfg.data == AX_TTFS_DATA_YINYANG) {
        snprintf(path, sizeof path, "%s/yinyang-decision.png", dir);
        int grid = r->o->plot_grid > 0 ? r->o->plot_grid : 240;
        rc = ax_ttfs_plot_yinyang_grid(path, &tr->net, &tr->cfg, &r->data.test, grid);
    }
    if (rc)
        return ax_fail(rc, "%s: cannot write plot: %s", path, ax_strerror(rc));
    return 0;
}

/* The selected parameters (loaded by test_selected) with the config's text. */
static int export_network(struct run *r, const struct ax_ttfs_final *f)
{
    FILE *in = fopen(r->path, "rb");
    enum { MAX = 1 << 20 };
    char *text = malloc(MAX + 1);
    size_t n = in && text ? fread(text, 1, MAX, in) : 0;
    int rc = !text ? AX_E_NOMEM : !in || ferror(in) ? AX_E_IO : 0;
    if (in)
        fclose(in);
    if (rc) {
        free(text);
        return ax_fail(rc, "%s: cannot read the config to export", r->path);
    }
    text[n] = 0;
    rc = ax_ttfs_export_save(&r->tr, text, f->selected_epoch, f->test_accuracy, ax_git_revision(),
                             r->o->export_path);
    free(text);
    return rc;
}

/* A metrics file that could not be written fails the run (a full disk must
 * not leave a log that looks complete). */
static int close_metrics(struct run *r, int rc)
{
    FILE *m = r->metrics;
    if (!m)
        return rc;
    errno = 0;
    int bad = fflush(m) != 0 || ferror(m), e = errno;
    if (m != r->o->metrics && m != stdout && fclose(m) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad && !rc)
        rc = ax_fail(AX_E_IO, "cannot write to %s: %s",
                     r->o->metrics_path ? r->o->metrics_path : "the metrics stream",
                     e ? strerror(e) : "write error");
    return rc;
}

/* Trains and tests; the final record's times cover the epoch loop. */
static int train_and_test(struct run *r, struct ax_ttfs_final *f)
{
    double t0 = ax_mono_seconds();
    clock_t c0 = clock();
    int rc = run_epochs(r);
    *f = (struct ax_ttfs_final){.epochs = r->tr.epoch,
                                .seconds = ax_mono_seconds() - t0,
                                .cpu_seconds = (double)(clock() - c0) / CLOCKS_PER_SEC};
    if (!rc)
        rc = test_selected(r, f);
    if (!rc && r->o->plots_dir)
        rc = write_plots(r, r->o->plots_dir);
    if (!rc && r->o->export_path)
        rc = export_network(r, f);
    return rc;
}

int ax_ttfs_run(const struct ax_ttfs_run_opts *o, struct ax_ttfs_final *result)
{
    struct run r = {.o = o};
    struct ax_ttfs_final f = {0};
    int rc = check_outputs(o);
    if (!rc)
        rc = load_config(&r);
    if (!rc)
        rc = ax_ttfs_splits_load(&r.data, &r.cfg, o->data_dir);
    if (!rc)
        rc = start(&r);
    if (!rc)
        rc = train_and_test(&r, &f);
    rc = close_metrics(&r, rc);
    ax_ttfs_trainer_free(&r.tr); /* both are safe on the zeroed structs */
    ax_ttfs_splits_free(&r.data);
    if (!rc && result)
        *result = f;
    return rc;
}
