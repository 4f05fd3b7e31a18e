/* bench-ttfs: seconds per training epoch (train + validation pass) of each
 * Yin-Yang config on one core. One JSON line per config; seconds_per_epoch is
 * the median CPU time over the timed epochs (wall time is reported beside it),
 * so noise from other jobs is damped.
 * Usage: bench-ttfs [EPOCHS]   (default 15) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "axon/status.h"
#include "axon/ttfs_train.h"

/* CPU seconds of this (single-threaded) process: on a machine shared with other
 * jobs this is the one-core figure, while wall time also counts waiting. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench(const char *name, int epochs, const struct ax_ttfs_dataset *train,
                 const struct ax_ttfs_dataset *val)
{
    char path[512];
    snprintf(path, sizeof path, "%s/training/configs/%s.cfg", AX_SOURCE_DIR, name);
    struct ax_ttfs_config cfg;
    if (ax_ttfs_config_load(&cfg, path)) {
        fprintf(stderr, "bench-ttfs: %s\n", ax_error_detail());
        return 1;
    }
    cfg.epochs = epochs;
    struct ax_ttfs_trainer tr;
    if (ax_ttfs_trainer_create(&tr, &cfg, train, val))
        return 1;
    double *sec = malloc((size_t)epochs * sizeof *sec),
           *wall = malloc((size_t)epochs * sizeof *wall);
    for (int e = 0; e < epochs; e++) {
        struct ax_ttfs_epoch_stats st;
        double c0 = cpu_seconds();
        if (ax_ttfs_trainer_epoch(&tr, &st, NULL, NULL))
            return 1;
        sec[e] = cpu_seconds() - c0;
        wall[e] = st.seconds;
    }
    qsort(sec, (size_t)epochs, sizeof *sec, cmp_double);
    qsort(wall, (size_t)epochs, sizeof *wall, cmp_double);
    double median = sec[epochs / 2];
    printf("{\"bench\":\"ttfs\",\"config\":\"%s\",\"seconds_per_epoch\":%.5f,\"epochs_timed\":%d,"
           "\"min_seconds_per_epoch\":%.5f,\"wall_seconds_per_epoch\":%.5f,"
           "\"projected_300_epochs_s\":%.1f,\"threads\":1,\"clock\":\"process_cpu\"}\n",
           name, median, epochs, sec[0], wall[epochs / 2], 300.0 * median);
    free(wall);
    fflush(stdout);
    free(sec);
    ax_ttfs_trainer_free(&tr);
    return 0;
}

int main(int argc, char **argv)
{
    int epochs = argc > 1 ? atoi(argv[1]) : 15;
    if (epochs < 1) {
        fprintf(stderr, "usage: bench-ttfs [EPOCHS]\n");
        return 2;
    }
    struct ax_ttfs_dataset train, val;
    if (ax_ttfs_dataset_yinyang(&train, AX_YINYANG_TRAIN, 0.15, 2.0) ||
        ax_ttfs_dataset_yinyang(&val, AX_YINYANG_VALIDATION, 0.15, 2.0))
        return 1;
    int rc = bench("yinyang-fastdeep", epochs, &train, &val) ||
             bench("yinyang-delgrad-h30ws", epochs, &train, &val);
    ax_ttfs_dataset_free(&train);
    ax_ttfs_dataset_free(&val);
    return rc;
}
