/* axon train's main job (`axon train yinyang`): its defaults and results
 * folder, the resume check before a board is touched, the end-of-run report. */
#define _POSIX_C_SOURCE 200809L /* mkdir, stat */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "axon/outfile.h"
#include "axon/plot.h"
#include "axon/status.h"
#include "commands.h"
#include "train_job.h"

/* The folder: --plots if given, else --resume's folder, else a new
 * results/yinyang-DATE-TIME (made here; results/ too). */
static int results_folder(struct train_args *a)
{
    if (a->plots) { /* ax_ttfs_run makes it */
        snprintf(a->results, sizeof a->results, "%s", a->plots);
    } else if (a->resume) {
        snprintf(a->results, sizeof a->results, "%s", a->resume);
        char *slash = strrchr(a->results, '/');
        if (slash)
            *slash = 0;
        else
            snprintf(a->results, sizeof a->results, ".");
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
        snprintf(a->results, sizeof a->results, "results/yinyang-%s", stamp);
        if ((mkdir("results", 0777) != 0 && errno != EEXIST) || mkdir(a->results, 0777) != 0) {
            axon_err("train: cannot make the folder %s: %s", a->results, strerror(errno));
            return 1;
        }
    }
    a->plots = a->results;
    return 0;
}

int axon_train_main_job(struct train_args *a)
{
    struct stat st;
    if (strcmp(a->config, "yinyang") || stat(a->config, &st) == 0) {
        if (a->full) {
            axon_err("train: --full is for `axon train yinyang` (use --epochs N)");
            return 2;
        }
        return 0;
    }
    a->main_job = true;
    a->config = AXON_MAIN_JOB_CONFIG;
    if (a->epochs < 0 && !a->full)
        a->epochs = AXON_QUICK_EPOCHS;
    if (results_folder(a))
        return 1;
    /* A resumed run keeps the first part's metrics and continues the
     * checkpoint it resumed from (rewritten whole after every epoch). */
    const char *names[4] = {"checkpoint.axck",
                            a->resume ? "metrics-resumed.jsonl" : "metrics.jsonl", "report.txt",
                            "network.axnet"};
    for (int i = 0; i < 4; i++)
        snprintf(a->paths[i], sizeof a->paths[i], "%s/%s", a->results, names[i]);
    if (!a->checkpoint)
        a->checkpoint = a->paths[0];
    if (!a->metrics)
        a->metrics = a->paths[1];
    if (!a->export_path)
        a->export_path = a->paths[3];
    return 0;
}

int axon_train_check_resume(const struct train_args *a, const struct ax_ttfs_config *cfg,
                            bool on_chip)
{
    struct ax_ttfs_checkpoint_info in;
    if (ax_ttfs_checkpoint_info(a->resume, &in) < 0) {
        axon_err("train: --resume %s", ax_error_detail());
        return 1;
    }
    if (in.config_hash != cfg->hash) {
        axon_err("train: --resume %s: a checkpoint of another network (config hash %016llx, "
                 "this config %016llx); nothing was written to a board",
                 a->resume, (unsigned long long)in.config_hash, (unsigned long long)cfg->hash);
        return 1;
    }
    if (in.version >= 3 && in.on_chip != on_chip) {
        axon_err("train: --resume %s: made %s, this run is %s; nothing was written to a board",
                 a->resume, in.on_chip ? "on a board" : "with the software backend",
                 on_chip ? "on a board" : "with the software backend");
        return 1;
    }
    if (in.on_chip && on_chip && cfg->chip.die >= 0 && (uint64_t)cfg->chip.die != in.die_seed) {
        axon_err("train: --resume %s: made on die %llu, this board is die %lld; nothing was "
                 "written to the board",
                 a->resume, (unsigned long long)in.die_seed, cfg->chip.die);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * one sample on the chip: spike raster and membrane trace */

enum { AX_TTFS_MAX_INPUTS_SHOWN = 16 };

struct sample_run {
    struct ax_net_result res;
    double tin[AX_TTFS_MAX_INPUTS_SHOWN], tbias;
    int n_in, out_unit; /* inputs without the bias; the output traced */
};

/* Test sample 0 of Yin-Yang through the chip as one trial, every spike
 * recorded, or (madc) the membrane of its label's output neuron. */
static int run_sample(struct ax_ttfs_chip *c, const struct ax_ttfs_config *cfg,
                      struct sample_run *s, bool madc)
{
    struct ax_ttfs_dataset ds;
    ax_net_result_init(&s->res);
    int rc = ax_ttfs_dataset_yinyang(&ds, AX_YINYANG_TEST, cfg->t_early, cfg->t_late);
    if (rc)
        return rc;
    s->n_in = ds.n_features < AX_TTFS_MAX_INPUTS_SHOWN ? ds.n_features : AX_TTFS_MAX_INPUTS_SHOWN;
    for (int i = 0; i < s->n_in; i++)
        s->tin[i] = ds.t[i] * c->units.tau_s_cycles;
    s->tbias = cfg->bias_time * c->units.tau_s_cycles;
    s->out_unit = ds.labels[0];
    ax_ttfs_dataset_free(&ds);
    struct ax_net_batch b;
    ax_net_batch_init(&b);
    b.trials = 1;
    b.trial_cycles = c->trial_cycles;
    /* The membrane run records no spikes: the board writes one record a
     * cycle, so with a sample every cycle each recorded spike would cost a
     * sample (docs/protocol.md section 4) and the trial would count losses. */
    b.record = madc ? 0 : AX_RECORD_SPIKES;
    b.times[c->map.pop_in] = s->tin;
    if (c->map.pop_bias >= 0)
        b.times[c->map.pop_bias] = &s->tbias;
    if (madc) /* one sample a cycle */
        b.madc_neuron = ax_net_neuron(c->map.net, c->map.pop_out, (unsigned)s->out_unit);
    return ax_net_run(c->map.net, c->dev, &b, &s->res);
}

/* Rows: inputs (and the bias), hidden, outputs; x: the trial's cycles. */
static int plot_raster(const char *path, struct ax_ttfs_chip *c, const struct sample_run *s)
{
    enum { W = 640, L = 46, R = 630, TOP = 10, ROW = 3 };
    int nb = c->map.pop_bias >= 0, rows = s->n_in + nb + c->map.n_hidden + c->map.n_out;
    int h = TOP + rows * ROW + 34;
    ax_canvas cv;
    int rc = ax_canvas_init(&cv, W, h, 0xffffff);
    if (rc)
        return rc;
    double span = (double)c->trial_cycles + AX_NET_T0;
#define X(t) (L + (int)((t) / span * (R - L)))
    int base = TOP + rows * ROW + 2;
    ax_canvas_rect(&cv, L, base, R, base + 1, 0x000000);
    /* the layers' names at their rows, the time axis in cycles */
    const int first[3] = {0, s->n_in + nb, s->n_in + nb + c->map.n_hidden};
    const int count[3] = {s->n_in + nb, c->map.n_hidden, c->map.n_out};
    static const char *const name[3] = {"in", "hidden", "out"};
    for (int k = 0; k < 3; k++)
        ax_canvas_text(&cv, 2, TOP + (first[k] + count[k] / 2) * ROW - 3, name[k], 0x000000);
    char txt[64];
    ax_canvas_text(&cv, L, base + 5, "0", 0x000000);
    snprintf(txt, sizeof txt, "%.0f", span);
    ax_canvas_text(&cv, R - ax_canvas_text_width(txt), base + 5, txt, 0x000000);
    snprintf(txt, sizeof txt, "time (cycles of 8 ns; tau_s = %.0f)", c->units.tau_s_cycles);
    ax_canvas_text(&cv, (L + R - ax_canvas_text_width(txt)) / 2, base + 15, txt, 0x000000);
    for (int i = 0; i < s->n_in + nb; i++) { /* inputs: blue, the bias last */
        double t = i < s->n_in ? s->tin[i] : s->tbias;
        ax_canvas_rect(&cv, X(t), TOP + i * ROW, X(t) + 1, TOP + i * ROW + ROW - 1, 0x1f77b4);
    }
    const ax_result *raw = &s->res.raw;
    for (size_t k = 0; k < raw->nspikes; k++) {
        unsigned unit;
        int q = ax_net_label_unit(c->map.net, raw->spikes[k].label, &unit);
        if (q != c->map.pop_hidden && q != c->map.pop_out)
            continue;
        int row = s->n_in + nb + (q == c->map.pop_out ? c->map.n_hidden : 0) + (int)unit;
        double t = (double)raw->spikes[k].time + raw->spikes[k].frac / 16.0 - AX_NET_T0;
        uint32_t col = q == c->map.pop_out ? 0xd62728 : 0x2ca02c; /* output red, hidden green */
        ax_canvas_rect(&cv, X(t), TOP + row * ROW, X(t) + 1, TOP + row * ROW + ROW - 1, col);
    }
#undef X
    rc = ax_canvas_write_png(&cv, path);
    ax_canvas_free(&cv);
    return rc;
}

/* The MADC samples of the traced output neuron over the trial. */
static int plot_membrane(const char *path, const struct sample_run *s)
{
    const ax_result *raw = &s->res.raw;
    double *v = malloc((raw->nsamples + 1) * sizeof *v);
    if (!v)
        return AX_E_NOMEM;
    int n = 0;
    double lo = 1024, hi = 0;
    for (size_t k = 0; k < raw->nsamples; k++) {
        v[n++] = raw->samples[k].value;
        lo = fmin(lo, v[n - 1]);
        hi = fmax(hi, v[n - 1]);
    }
    ax_canvas cv;
    int rc = n < 2 ? AX_E_NOTFOUND : ax_canvas_init(&cv, 640, 260, 0xffffff);
    if (!rc) {
        ax_plot_box box = {46, 630, 10, 230};
        ax_canvas_rect(&cv, 46, 231, 630, 232, 0x000000);
        ax_canvas_series(&cv, &box, v, n, lo - 4, hi + 4, 0xd62728);
        char t[64]; /* the MADC codes at the top and bottom, samples one a cycle */
        snprintf(t, sizeof t, "%.0f", hi + 4);
        ax_canvas_text(&cv, 2, box.top, t, 0x000000);
        snprintf(t, sizeof t, "%.0f", lo - 4);
        ax_canvas_text(&cv, 2, box.bottom - 7, t, 0x000000);
        ax_canvas_text(&cv, 2, (box.top + box.bottom) / 2 - 3, "MADC", 0x000000);
        snprintf(t, sizeof t, "%d", n);
        ax_canvas_text(&cv, 630 - ax_canvas_text_width(t), 236, t, 0x000000);
        ax_canvas_text(&cv, 46, 236, "0", 0x000000);
        ax_canvas_text(&cv, 250, 248, "time (cycles of 8 ns)", 0x000000);
        rc = ax_canvas_write_png(&cv, path);
        ax_canvas_free(&cv);
    }
    free(v);
    return rc;
}

static int sample_plots(const char *dir, struct ax_ttfs_chip *c, const struct ax_ttfs_config *cfg,
                        int *n_samples)
{
    struct sample_run s;
    char path[1200];
    snprintf(path, sizeof path, "%s/spike-raster.png", dir);
    int rc = run_sample(c, cfg, &s, false);
    if (!rc)
        rc = plot_raster(path, c, &s);
    ax_net_result_free(&s.res);
    if (!rc) {
        snprintf(path, sizeof path, "%s/membrane.png", dir);
        rc = run_sample(c, cfg, &s, true);
    }
    if (!rc)
        rc = plot_membrane(path, &s);
    *n_samples = (int)s.res.raw.nsamples;

    ax_net_result_free(&s.res);
    if (rc)
        ax_fail(rc, "%s: %s", path, ax_strerror(rc));
    return rc;
}

/* ---------------------------------------------------------------------------
 * the report */

static void write_report(FILE *f, const struct train_args *a, const struct ax_ttfs_chip *c,
                         const struct ax_ttfs_final *r, double wall, int madc)
{
    fprintf(f, "test accuracy %.1f %% (parameters of epoch %d; last epoch %.1f %%)\n",
            100 * r->test_accuracy, r->selected_epoch, 100 * r->test_accuracy_last);
    fprintf(f, "epochs %d, %.0f s training, %.0f s wall in all\n", r->epochs, r->seconds, wall);
    if (c) {
        const struct ax_ttfs_chip_stats *st = &c->stats;
        fprintf(f, "board %s: die %llu, calibration %s, model %d, protocol %d.%d\n", c->name,
                (unsigned long long)c->calib.die_seed, c->calib.id, c->prov.model_version,
                c->prov.protocol_major, c->prov.protocol_minor);
        fprintf(f,
                "chip: %llu trials in %llu batches, %.0f trials/s on the board, %llu repeated "
                "after a loss, %llu input events a cycle late, %.0f words of weight writes a "
                "batch; last weights: %u + %u clipped (range %.2f, %.2f)\n",
                (unsigned long long)st->trials, (unsigned long long)st->batches,
                st->chip_seconds > 0 ? (double)st->trials / st->chip_seconds : 0.0,
                (unsigned long long)st->repeated, (unsigned long long)st->moved,
                st->batches ? (double)st->write_words / (double)st->batches : 0.0,
                st->clip.clipped[0], st->clip.clipped[1], st->clip.range[0], st->clip.range[1]);
        ax_link_stats ls;
        ax_link_get_stats(c->dev, &ls);
        fprintf(f,
                "link: %llu CMD frames (%llu resent), %llu DATA frames, %llu NACKs, %llu bad "
                "frames dropped, %llu timeouts\n",
                (unsigned long long)ls.cmd_frames, (unsigned long long)ls.cmd_resent,
                (unsigned long long)ls.data_frames, (unsigned long long)ls.nacks,
                (unsigned long long)ls.bad_frames, (unsigned long long)ls.timeouts);
    } else {
        fprintf(f, "backend software (exact math)\n");
    }
    if (a->plots)
        fprintf(f, "plots in %s%s\n", a->plots,
                madc > 0 ? " (membrane.png: the MADC trace of one output neuron)" : "");
    if (a->export_path)
        fprintf(f, "network in %s (axon evaluate FILE [--device URI] [--die N])\n", a->export_path);
}

/* report.txt beside the plots, written whole or not at all. */
static int save_report(const char *path, const struct train_args *a, const struct ax_ttfs_chip *c,
                       const struct ax_ttfs_final *r, double wall, int madc)
{
    ax_outfile *o;
    int rc = ax_outfile_open(&o, path);
    if (rc)
        return rc;
    write_report(ax_outfile_stream(o), a, c, r, wall, madc);
    return ax_outfile_commit(o);
}

int axon_train_report(const struct train_args *a, struct ax_ttfs_chip *chip,
                      const struct ax_ttfs_final *f, double wall_seconds)
{
    int rc = 0, madc = 0;
    if (chip && a->plots) {
        char path[1024];
        struct ax_ttfs_config cfg;
        ax_ttfs_config_path(a->config, path, sizeof path);
        rc = ax_ttfs_config_load(&cfg, path);
        if (!rc && cfg.data == AX_TTFS_DATA_YINYANG && cfg.n_layers == 2)
            rc = sample_plots(a->plots, chip, &cfg, &madc);
    }
    if (rc) {
        axon_err("train: sample plots: %s", ax_error_detail());
        return 1;
    }
    fputs("report:\n", stdout);
    write_report(stdout, a, chip, f, wall_seconds, madc);
    char path[1200];
    snprintf(path, sizeof path, "%s/report.txt", a->plots ? a->plots : ".");
    if (a->plots && (rc = save_report(path, a, chip, f, wall_seconds, madc))) {
        axon_err("train: %s", ax_error_detail());
        return 1;
    }
    if (a->main_job)
        printf("results in %s (checkpoint.axck: continue with --resume; --full: %s)\n", a->results,
               "the config's epochs");
    return 0;
}
