#define _POSIX_C_SOURCE 200809L /* clock_gettime */
/* bench-inloop: forward passes of the yinyang-chip network (initial
 * weights of its seed) on the simulated board, whole batches through the
 * chip backend (libaxon_net playback programs), and the software backend's
 * accuracy on the same weights for comparison. Prints one JSON line:
 *   {"bench":"inloop","samples_per_s":...,"chip_samples_per_s":...,...}
 * samples_per_s counts everything a forward pass costs (quantisation,
 * weight writes, the run, decoding) on process CPU time, as bench-model does
 * (the machine is shared; the simulated board runs in this process);
 * wall_samples_per_s the same on wall time. The calibration (cached) is not
 * in it. usage: bench-inloop [CONFIG [SAMPLES]] (default yinyang-chip, 6000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    char path[512];
    ax_ttfs_config_path(argc > 1 ? argv[1] : "yinyang-chip", path, sizeof path);
    int samples = argc > 2 ? atoi(argv[2]) : 6000;
    struct ax_ttfs_config cfg;
    struct ax_ttfs_splits data;
    struct ax_ttfs_net net;
    struct ax_ttfs_chip chip;
    if (ax_ttfs_config_load(&cfg, path) < 0 || ax_ttfs_splits_load(&data, &cfg, NULL) < 0) {
        fprintf(stderr, "bench-inloop: %s\n", ax_error_detail());
        return 1;
    }
    int B = cfg.batch_size;
    struct ax_rng rng;
    ax_rng_seed(&rng, cfg.seed);
    if (ax_ttfs_net_create(&net, &cfg, B) < 0) {
        fprintf(stderr, "bench-inloop: %s\n", ax_error_detail());
        return 1;
    }
    ax_ttfs_net_init(&net, &cfg, &rng);
    double t0 = now();
    if (ax_ttfs_chip_open(&chip, &cfg, B, NULL, NULL) < 0) {
        fprintf(stderr, "bench-inloop: %s\n", ax_error_detail());
        return 1;
    }
    double t_open = now() - t0;
    const struct ax_ttfs_dataset *ds = &data.train;
    double acc_sw = 0;
    ax_ttfs_evaluate(&net, ds, B, &acc_sw); /* the software backend first */
    net.backend = chip.backend;
    int done = 0, correct = 0, rc = 0;
    t0 = now();
    clock_t c0 = clock();
    while (done < samples && rc == 0) {
        int off = done % ds->n, b = B;
        if (off + b > ds->n)
            b = ds->n - off;
        rc = ax_ttfs_net_forward(&net, ds->t + (size_t)off * ds->n_features, b);
        const double *out = ax_ttfs_net_output(&net);
        for (int k = 0; rc == 0 && k < b; k++)
            correct += ax_ttfs_first_spike(out + (size_t)k * ds->n_classes, ds->n_classes) ==
                       ds->labels[off + k];
        done += b;
    }
    double wall = now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (rc < 0) {
        const ax_result *raw = &chip.res.raw;
        for (size_t k = 0; k < raw->nlosses && k < 8; k++)
            fprintf(stderr, "loss: trial %u source %u count %u time %llu (first trial %u)\n",
                    raw->losses[k].trial, raw->losses[k].source, raw->losses[k].count,
                    (unsigned long long)raw->losses[k].time, chip.res.first_trial);
        fprintf(stderr, "bench-inloop: %s\n", ax_error_detail());
        return 1;
    }
    const struct ax_ttfs_chip_stats *st = &chip.stats;
    printf("{\"bench\":\"inloop\",\"config\":\"%s\",\"samples\":%d,\"batch\":%d,"
           "\"samples_per_s\":%.0f,\"wall_samples_per_s\":%.0f,\"tau_s_cycles\":%.1f,"
           "\"trial_cycles\":%llu,\"repeated\":%llu,\"moved_events\":%llu,"
           "\"clipped\":[%u,%u],\"accuracy_chip_init\":%.4f,\"accuracy_software_init\":%.4f,"
           "\"calibration\":\"%s\",\"calibration_id\":\"%s\",\"open_seconds\":%.2f}\n",
           argc > 1 ? argv[1] : "yinyang-chip", done, B, done / cpu, done / wall,
           chip.units.tau_s_cycles, (unsigned long long)chip.trial_cycles,
           (unsigned long long)st->repeated, (unsigned long long)st->moved, st->clip.clipped[0],
           st->clip.clipped[1], (double)correct / done, acc_sw,
           chip.calib_source == AX_CALIB_CACHED ? "cached" : "measured", chip.calib.id, t_open);
    ax_ttfs_chip_close(&chip);
    ax_ttfs_net_free(&net);
    ax_ttfs_splits_free(&data);
    return 0;
}
