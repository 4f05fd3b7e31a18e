/* axon TTFS training runs: everything `axon train` does (config, data, epochs,
 * metrics, checkpoints, the test, plots) as library calls, so that any front
 * end (the CLI, Python bindings, an MPI launcher, a chip-in-the-loop trainer)
 * runs the same code and writes the same files. Front ends parse arguments and
 * show what the callbacks report; the library never prints. */
#ifndef AXON_TTFS_RUN_H
#define AXON_TTFS_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "axon/ttfs_train.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file a config name stands for: a path as given when it names an
 * existing file or contains a '/', else training/configs/NAME.cfg of the
 * source tree. */
void ax_ttfs_config_path(const char *name, char *path, size_t n);

/* The three splits of the data set a config names, encoded as its [data]
 * section says: Yin-Yang generated, MNIST read from data_dir (NULL: looked up
 * as ax_ttfs_find_data_dir says). On error ax_error_detail() holds one line. */
struct ax_ttfs_splits {
    struct ax_ttfs_dataset train, val, test;
};
int ax_ttfs_splits_load(struct ax_ttfs_splits *d, const struct ax_ttfs_config *cfg,
                        const char *data_dir);
void ax_ttfs_splits_free(struct ax_ttfs_splits *d);

/* What to run. Start from ax_ttfs_run_opts_init; NULL pointers mean "none". */
struct ax_ttfs_run_opts {
    const char *config;   /* a name in training/configs/ or a path (ax_ttfs_config_path) */
    const char *data_dir; /* MNIST folder (--data) */
    int epochs;           /* >= 0: overrides train.epochs */
    long long seed;       /* >= 0: overrides train.seed */
    int threads;          /* > 0: overrides train.threads */
    /* The forward pass; NULL: the software backend. Its name goes into the
     * metrics' provenance. */
    const struct ax_ttfs_backend *backend;
    const char *checkpoint; /* rewritten after every epoch */
    const char *resume;     /* a checkpoint to continue from exactly */
    const char *init_from;  /* an exported network to start from (not with resume) */
    const char *metrics_path;
    FILE *metrics;           /* the metrics stream, instead of metrics_path */
    const char *plots_dir;   /* learning-curves.png and, for Yin-Yang, yinyang-decision.png */
    int plot_grid;           /* points per side of the decision map (0: 240) */
    const char *export_path; /* the selected parameters as a network file (AXTTFSNT) */
    /* Callbacks (each may be NULL), called with ctx: the training samples done
     * of epoch `epoch` (1-based) after every batch; and the run's report, one
     * line per epoch and one for the test result, without a newline. */
    void (*progress)(void *ctx, int epoch, int done, int total);
    void (*log)(void *ctx, const char *line);
    /* After every epoch (and its checkpoint): its statistics. */
    void (*epoch_done)(void *ctx, const struct ax_ttfs_epoch_stats *st);
    void *ctx;
};
void ax_ttfs_run_opts_init(struct ax_ttfs_run_opts *o, const char *config);

/* Trains as o says and tests the parameters train.select picks and the last
 * epoch's. Returns 0 with the test result in *result, or a negative ax_status
 * with one line in ax_error_detail() (no "file:" prefix when no file is
 * involved). */
int ax_ttfs_run(const struct ax_ttfs_run_opts *o, struct ax_ttfs_final *result);

#ifdef __cplusplus
}
#endif
#endif
