#define _POSIX_C_SOURCE 200809L /* clock_gettime */
/* bench-inloop: forward passes of the yinyang-chip network (the initial
 * weights of its seed, or a checkpoint's) on the simulated board, whole
 * batches through the chip backend (libaxon_net playback programs); then the
 * test accuracy of the same weights on the board and in software, and the
 * spike times of both compared per layer (test set). Prints one JSON line:
 *   {"bench":"inloop","samples_per_s":...,"wall_samples_per_s":...,...}
 * samples_per_s counts everything a forward pass costs (quantisation,
 * weight writes, the run, decoding) on process CPU time, as bench-model does
 * (the machine is shared; the simulated board runs in this process);
 * wall_samples_per_s the same on wall time. The calibration (cached) is not
 * in it. usage: bench-inloop [CONFIG [SAMPLES [WEIGHTS [TEST]]]] (default
 * yinyang-chip, 6000 training samples, the initial weights, the whole test
 * set); WEIGHTS a checkpoint or an exported network (*.axnet), "-" the
 * initial weights; TEST: only the first TEST samples of the test set. */
#include <math.h>
#include <stdbool.h>
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

/* Chip against software on the same weights, per layer: spikes missing on
 * the chip where the software has one (and the reverse), and the mean and sd
 * of t_chip - t_software (tau_s) where both spiked. */
struct cmp {
    double miss[2], extra[2], mean[2], sd[2];
};

static int compare(struct ax_ttfs_net *net, const struct ax_ttfs_backend *sw,
                   const struct ax_ttfs_backend *hw, const struct ax_ttfs_dataset *ds, int B,
                   struct cmp *c)
{
    memset(c, 0, sizeof *c);
    int n0 = net->spec[0].n_out, n1 = net->spec[1].n_out;
    double *keep = malloc((size_t)B * (n0 + n1) * sizeof *keep);
    double cnt[2] = {0, 0}, tot[2] = {0, 0}, s2[2] = {0, 0};
    int rc = keep ? 0 : AX_E_NOMEM;
    for (int off = 0; rc == 0 && off + B <= ds->n; off += B) {
        const double *x = ds->t + (size_t)off * ds->n_features;
        net->backend = *sw;
        rc = ax_ttfs_net_forward(net, x, B);
        memcpy(keep, net->t_out[0], (size_t)B * n0 * sizeof *keep);
        memcpy(keep + (size_t)B * n0, net->t_out[1], (size_t)B * n1 * sizeof *keep);
        net->backend = *hw;
        if (rc == 0)
            rc = ax_ttfs_net_forward(net, x, B);
        for (int l = 0; l < 2 && rc == 0; l++) {
            const double *a = net->t_out[l], *b = keep + (l ? (size_t)B * n0 : 0);
            for (int i = 0; i < B * (l ? n1 : n0); i++) {
                tot[l]++;
                if (isfinite(b[i]) && !isfinite(a[i]))
                    c->miss[l]++;
                else if (!isfinite(b[i]) && isfinite(a[i]))
                    c->extra[l]++;
                else if (isfinite(a[i])) {
                    cnt[l]++;
                    c->mean[l] += a[i] - b[i];
                    s2[l] += (a[i] - b[i]) * (a[i] - b[i]);
                }
            }
        }
    }
    for (int l = 0; l < 2; l++) {
        c->miss[l] /= tot[l] > 0 ? tot[l] : 1;
        c->extra[l] /= tot[l] > 0 ? tot[l] : 1;
        c->mean[l] /= cnt[l] > 0 ? cnt[l] : 1;
        c->sd[l] = sqrt(fmax(0, s2[l] / (cnt[l] > 0 ? cnt[l] : 1) - c->mean[l] * c->mean[l]));
    }
    free(keep);
    return rc;
}

static int fail(void)
{
    fprintf(stderr, "bench-inloop: %s\n", ax_error_detail());
    return 1;
}

int main(int argc, char **argv)
{
    char path[512];
    ax_ttfs_config_path(argc > 1 ? argv[1] : "yinyang-chip", path, sizeof path);
    int samples = argc > 2 ? atoi(argv[2]) : 6000;
    const char *ckpt = argc > 3 && strcmp(argv[3], "-") ? argv[3] : NULL;
    int n_test = argc > 4 ? atoi(argv[4]) : 0;
    bool axnet = ckpt && strlen(ckpt) > 6 && !strcmp(ckpt + strlen(ckpt) - 6, ".axnet");
    struct ax_ttfs_config cfg;
    struct ax_ttfs_splits data;
    struct ax_ttfs_trainer tr;
    struct ax_ttfs_chip chip;
    if (ax_ttfs_config_load(&cfg, path) < 0 || ax_ttfs_splits_load(&data, &cfg, NULL) < 0 ||
        ax_ttfs_trainer_create(&tr, &cfg, &data.train, &data.val) < 0 ||
        (ckpt && !axnet && ax_ttfs_checkpoint_load(&tr, ckpt) < 0) ||
        (axnet && ax_ttfs_trainer_init_from(&tr, ckpt) < 0))
        return fail();
    if (n_test > 0 && n_test < data.test.n)
        data.test.n = n_test;
    struct ax_ttfs_net *net = &tr.net;
    int B = cfg.batch_size;
    double t0 = now();
    if (ax_ttfs_chip_open(&chip, &cfg, B, NULL, NULL) < 0)
        return fail();
    double t_open = now() - t0;
    const struct ax_ttfs_dataset *ds = &data.train;
    double test_sw = 0, test_chip = 0;
    struct ax_ttfs_backend sw = net->backend;
    if (ax_ttfs_evaluate(net, &data.test, B, &test_sw) < 0) /* the software backend first */
        return fail();
    net->backend = chip.backend;
    int done = 0, rc = 0;
    t0 = now();
    clock_t c0 = clock();
    while (done < samples && rc == 0) {
        int off = done % ds->n, b = B;
        if (off + b > ds->n)
            b = ds->n - off;
        rc = ax_ttfs_net_forward(net, ds->t + (size_t)off * ds->n_features, b);
        done += b;
    }
    double wall = now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    struct cmp cmp;
    if (rc == 0)
        rc = ax_ttfs_evaluate(net, &data.test, B, &test_chip);
    if (rc == 0)
        rc = compare(net, &sw, &chip.backend, &data.test, B, &cmp);
    if (rc < 0)
        return fail();
    const struct ax_ttfs_chip_stats *st = &chip.stats;
    printf("{\"bench\":\"inloop\",\"config\":\"%s\",\"weights\":\"%s\",\"samples\":%d,"
           "\"batch\":%d,\"samples_per_s\":%.0f,\"wall_samples_per_s\":%.0f,"
           "\"tau_s_cycles\":%.1f,\"trial_cycles\":%llu,\"repeated\":%llu,"
           "\"moved_events\":%llu,\"clipped\":[%u,%u],\"test_accuracy_chip\":%.4f,"
           "\"test_accuracy_software\":%.4f,\"calibration\":\"%s\",\"calibration_id\":\"%s\","
           "\"open_seconds\":%.2f,\"chip_vs_software\":{\"missing\":[%.4f,%.4f],"
           "\"extra\":[%.4f,%.4f],\"dt_mean\":[%.4f,%.4f],\"dt_sd\":[%.4f,%.4f]}}\n",
           argc > 1 ? argv[1] : "yinyang-chip", ckpt ? ckpt : "initial", done, B, done / cpu,
           done / wall, chip.units.tau_s_cycles, (unsigned long long)chip.trial_cycles,
           (unsigned long long)st->repeated, (unsigned long long)st->moved, st->clip.clipped[0],
           st->clip.clipped[1], test_chip, test_sw,
           chip.calib_source == AX_CALIB_CACHED ? "cached" : "measured", chip.calib.id, t_open,
           cmp.miss[0], cmp.miss[1], cmp.extra[0], cmp.extra[1], cmp.mean[0], cmp.mean[1],
           cmp.sd[0], cmp.sd[1]);
    ax_ttfs_chip_close(&chip);
    ax_ttfs_trainer_free(&tr);
    ax_ttfs_splits_free(&data);
    return 0;
}
