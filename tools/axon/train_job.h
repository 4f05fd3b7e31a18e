/* axon train's pieces shared by cmd_train.c (arguments, the run) and
 * cmd_train_job.c (the main job's defaults, the resume check, the report). */
#ifndef AXON_TRAIN_JOB_H
#define AXON_TRAIN_JOB_H

#include <stdbool.h>

#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"

/* `axon train yinyang` without --full or --epochs: measured 4 s an epoch on
 * the simulated board (2 loaded cores), so the run with calibration, test and
 * plots stays within 3 minutes (docs/training.md). */
#define AXON_QUICK_EPOCHS    30
#define AXON_MAIN_JOB_CONFIG "yinyang-chip"

struct train_args {
    const char *config, *backend, *data, *metrics, *checkpoint, *resume, *init_from, *plots,
        *device, *export_path;
    long long epochs, seed, threads, die; /* -1: from the config */
    bool full, main_job;                  /* --full; `axon train yinyang` */
    char results[1100];                   /* the main job's folder */
    char paths[4][1200];                  /* its checkpoint, metrics, report, network */
};

/* `axon train yinyang`: the config, epochs and the results folder with its
 * checkpoint, metrics and plots (options given win). 0 or an exit code. */
int axon_train_main_job(struct train_args *a);
/* Refuses --resume FILE that does not fit cfg or the board (die) before the
 * board is opened; 0 or an exit code. */
int axon_train_check_resume(const struct train_args *a, const struct ax_ttfs_config *cfg,
                            bool on_chip);
/* The end-of-run report (stdout and, for the main job, report.txt) and the
 * chip's plots of one sample (raster, membrane). 0 or an exit code. */
int axon_train_report(const struct train_args *a, struct ax_ttfs_chip *chip,
                      const struct ax_ttfs_final *f, double wall_seconds);

#endif
