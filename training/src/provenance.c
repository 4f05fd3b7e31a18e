/* Data-set lookup and the metrics lines (JSON, one object per line). */
#define _POSIX_C_SOURCE 200809L /* stat */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "axon/provenance.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"

static int has_mnist(const char *dir)
{
    char p[1200];
    struct stat st;
    snprintf(p, sizeof p, "%s/mnist/train-images-idx3-ubyte.gz", dir);
    if (stat(p, &st) == 0)
        return 1;
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte.gz", dir);
    return stat(p, &st) == 0;
}

int ax_ttfs_find_data_dir(const char *cli_dir, char *out, size_t n)
{
    if (cli_dir) {
        if (has_mnist(cli_dir)) {
            snprintf(out, n, "%s", cli_dir);
            return 0;
        }
        return ax_fail(AX_E_NOTFOUND, "MNIST not found: looked in --data %s (and %s/mnist)",
                       cli_dir, cli_dir);
    }
    const char *env = getenv("AXON_DATA_DIR");
    char beside[1100];
    snprintf(beside, sizeof beside, "%s/../shared/data", ax_source_dir());
    if (env && *env && has_mnist(env)) {
        snprintf(out, n, "%s", env);
        return 0;
    }
    if (has_mnist(beside)) {
        snprintf(out, n, "%s", beside);
        return 0;
    }
    return ax_fail(AX_E_NOTFOUND,
                   "MNIST not found: looked in $AXON_DATA_DIR (%s) and %s (each also with /mnist); "
                   "pass --data DIR",
                   env && *env ? env : "unset", beside);
}

/* JSON numbers: non-finite values become null. */
static void json_num(FILE *f, const char *key, double v, int last)
{
    if (isfinite(v))
        fprintf(f, "\"%s\":%.10g%s", key, v, last ? "" : ",");
    else
        fprintf(f, "\"%s\":null%s", key, last ? "" : ",");
}

void ax_ttfs_metrics_provenance(FILE *f, const struct ax_ttfs_config *cfg, const char *config,
                                const struct ax_ttfs_backend *backend, int resumed_epoch)
{
    struct ax_provenance p;
    ax_provenance_init(&p, "axon-ttfs-metrics", 1);
    if (backend && backend->provenance)
        p = *backend->provenance;
    p.format = "axon-ttfs-metrics";
    p.version = 1;
    p.config = config;
    p.has_config_hash = p.has_seed = true;
    p.config_hash = cfg->hash;
    p.seed = cfg->seed;
    p.backend = backend ? backend->name : "software";
    char extra[160];
    snprintf(
        extra, sizeof extra, "\"data_seeds\":%s,\"time_unit\":\"tau_s\",\"resumed_from_epoch\":%d",
        cfg->data == AX_TTFS_DATA_YINYANG ? "{\"train\":42,\"validation\":41,\"test\":40}" : "null",
        resumed_epoch);
    fputc('{', f);
    ax_provenance_write_json(f, &p, extra);
    fputs("}\n", f);
    fflush(f);
}

void ax_ttfs_metrics_epoch(FILE *f, const struct ax_ttfs_epoch_stats *st)
{
    fprintf(f, "{\"epoch\":%d,", st->epoch);
    json_num(f, "loss", st->loss, 0);
    json_num(f, "train_accuracy", st->train_accuracy, 0);
    json_num(f, "val_accuracy", st->val_accuracy, 0);
    json_num(f, "samples_per_s", st->samples_per_s, 0);
    json_num(f, "epoch_seconds", st->seconds, 0);
    fprintf(f, "\"bumps\":%d}\n", st->bumps);
    fflush(f);
}

void ax_ttfs_metrics_final(FILE *f, const struct ax_ttfs_final *r)
{
    fprintf(f, "{\"epochs\":%d,\"selected_epoch\":%d,", r->epochs, r->selected_epoch);
    json_num(f, "test_accuracy", r->test_accuracy, 0);
    json_num(f, "test_accuracy_last", r->test_accuracy_last, 0);
    json_num(f, "seconds", r->seconds, 0);
    json_num(f, "cpu_seconds", r->cpu_seconds, 1);
    fprintf(f, "}\n");
    fflush(f);
}
