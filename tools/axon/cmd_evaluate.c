/* axon evaluate: a trained network's test accuracy on a board (with that
 * board's own calibration) or in software, from a network file written by
 * `axon train --export` (AXTTFSNT, docs/training.md). Not `axon ttfs eval`
 * (spike times and gradients of a small hand-written network). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"
#include "commands.h"

static const char usage[] =
    "usage: axon evaluate FILE [--device URI] [--die N] [--backend chip|software] [--data DIR]\n"
    "\n"
    "Measures the test accuracy of a trained network (FILE: written by axon train\n"
    "--export, or network.axnet in axon train yinyang's results folder) on a board,\n"
    "calibrated to the network's operating point (or from the calibration cache),\n"
    "or with the software backend. Default: the board of the network's [chip]\n"
    "section; --device and --die name another one (any die: the weights are not\n"
    "retrained).\n";

struct eval_args {
    const char *file, *device, *backend, *data;
    long long die;
};

static int parse_args(int argc, char **argv, struct eval_args *a)
{
    memset(a, 0, sizeof *a);
    a->die = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (o[0] != '-' && !a->file) {
            a->file = o;
            continue;
        }
        if (o[0] != '-' || !v) {
            axon_err(o[0] != '-' ? "evaluate: unexpected argument '%s'"
                                 : "evaluate: %s needs a value (see axon evaluate --help)",
                     o);
            return 2;
        }
        i++;
        char *end;
        if (!strcmp(o, "--device"))
            a->device = v;
        else if (!strcmp(o, "--backend"))
            a->backend = v;
        else if (!strcmp(o, "--data"))
            a->data = v;
        else if (!strcmp(o, "--die") && (a->die = strtoll(v, &end, 10)) >= 0 && *v && !*end)
            continue;
        else {
            axon_err("evaluate: bad option '%s %s' (see axon evaluate --help)", o, v);
            return 2;
        }
    }
    if (!a->file) {
        axon_err("evaluate: missing FILE (see axon evaluate --help)");
        return 2;
    }
    if (a->backend && strcmp(a->backend, "chip") && strcmp(a->backend, "software")) {
        axon_err("evaluate: --backend: expected 'chip' or 'software', got '%s'", a->backend);
        return 2;
    }
    return a->device ? axon_check_device("evaluate", a->device) : 0;
}

/* The test split through the trainer's net with the exported parameters. */
static int measure(const struct ax_ttfs_export *e, struct ax_ttfs_config *cfg,
                   const struct eval_args *a, struct ax_ttfs_chip *chip, double *acc)
{
    struct ax_ttfs_splits d;
    struct ax_ttfs_trainer tr;
    int rc = ax_ttfs_splits_load(&d, cfg, a->data);
    if (rc)
        return rc;
    memset(&tr, 0, sizeof tr);
    rc = ax_ttfs_trainer_create(&tr, cfg, &d.train, &d.val);
    if (!rc && e->n_params != tr.net.n_params)
        rc = ax_fail(AX_E_FORMAT, "%s: %llu parameters, the network has %zu", a->file,
                     (unsigned long long)e->n_params, (size_t)tr.net.n_params);
    if (!rc) {
        memcpy(tr.net.params, e->params, e->n_params * sizeof *e->params);
        ax_ttfs_net_map_delays(&tr.net);
        if (chip)
            ax_ttfs_trainer_set_backend(&tr, &chip->backend);
        rc = ax_ttfs_evaluate(&tr.net, &d.test, cfg->batch_size, acc);
    }
    ax_ttfs_trainer_free(&tr);
    ax_ttfs_splits_free(&d);
    return rc;
}

static int evaluate(const struct eval_args *a, const struct ax_ttfs_export *e)
{
    struct ax_ttfs_config cfg;
    int rc = ax_ttfs_config_load_string(&cfg, e->config_text, a->file);
    if (rc)
        return rc;
    if (a->device)
        snprintf(cfg.chip.device, sizeof cfg.chip.device, "%s", a->device);
    if (a->device && a->die < 0)
        cfg.chip.die = -1;
    if (a->die >= 0)
        cfg.chip.die = a->die;
    bool on_chip = a->backend ? !strcmp(a->backend, "chip") : cfg.chip.present;
    if (on_chip && !cfg.chip.present)
        return ax_fail(AX_E_INVAL, "%s: the network has no [chip] operating point", a->file);
    struct ax_ttfs_chip chip;
    if (on_chip && (rc = ax_ttfs_chip_open(&chip, &cfg, cfg.batch_size, NULL, NULL)))
        return rc;
    double acc = 0;
    rc = measure(e, &cfg, a, on_chip ? &chip : NULL, &acc);
    if (!rc && on_chip)
        printf("test_accuracy %.4f on %s: die %llu, calibration %s (%s); trained on %s%llu, "
               "epoch %u, test accuracy there %.4f\n",
               acc, chip.name, (unsigned long long)chip.calib.die_seed, chip.calib.id,
               chip.calib_source == AX_CALIB_CACHED ? "cached" : "measured",
               e->board.on_chip ? "die " : "software ", (unsigned long long)e->board.die_seed,
               e->epoch, e->test_accuracy);
    else if (!rc)
        printf("test_accuracy %.4f in software; trained on %s%llu, epoch %u, test accuracy "
               "there %.4f\n",
               acc, e->board.on_chip ? "die " : "software ", (unsigned long long)e->board.die_seed,
               e->epoch, e->test_accuracy);
    if (on_chip)
        ax_ttfs_chip_close(&chip);
    return rc;
}

int axon_cmd_evaluate(int argc, char **argv)
{
    struct eval_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    struct ax_ttfs_export e;
    rc = ax_ttfs_export_load(&e, a.file);
    if (!rc)
        rc = evaluate(&a, &e);
    ax_ttfs_export_free(&e);
    if (rc) {
        axon_err("evaluate: %s", ax_error_detail());
        return 1;
    }
    return 0;
}
