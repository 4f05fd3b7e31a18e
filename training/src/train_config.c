/* Experiment configs (training/configs/ *.cfg), read with the project's one
 * config parser. Every key is optional except data.set and network.sizes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "axon/config.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"

/* A missing optional key keeps its default. */
static int optional(int rc)
{
    return rc == AX_E_NOTFOUND ? 0 : rc;
}

static void set_defaults(struct ax_ttfs_config *c)
{
    memset(c, 0, sizeof *c);
    c->t_early = 0.15;
    c->t_late = 2.0;
    c->bias = true;
    c->bias_time = 0.9;
    c->bias_layers = ~0u;
    c->tau_ratio = 1;
    c->threshold = 1.0;
    c->delay = AX_TTFS_DELAY_NONE;
    c->delay_param = AX_TTFS_DELAY_SIGMOID;
    c->delay_scale = 1.0;
    c->delay_std = 0.25;
    c->loss = AX_TTFS_LOSS_FASTDEEP;
    c->fastdeep = (struct ax_ttfs_loss_fastdeep){0.2, 0.005, 1.0};
    c->shift_dt = 0.2;
    c->epochs = 300;
    c->batch_size = 150;
    c->seed = 1;
    c->step_size = 20;
    c->gamma = 0.95;
    c->adam_beta1 = 0.9;
    c->adam_beta2 = 0.999;
    c->adam_eps = 1e-8;
    c->max_dw_norm = 0.2;
    c->weight_bump = 5e-4;
    c->threads = 1;
    c->chip.tau_s_us = 0.4;
    c->chip.trial = 5.0;
    c->chip.die = -1;
    c->chip.max_duplicates = 3;
    c->chip.clip_weights = true;
    c->chip.calibrate = true;
    c->chip.arrivals = true;
    c->chip.distance_mv = 30.0;
    for (int l = 0; l < AX_TTFS_MAX_LAYERS; l++) {
        c->weight_mean[l] = 1.0;
        c->weight_std[l] = 1.0;
        c->lr_weights[l] = 0.005;
        c->lr_delays[l] = 0.0;
        c->missing_threshold[l] = 1.0;
    }
    ax_ttfs_constraints_default(&c->constraints);
}

/* A per-layer list: one value for all layers or exactly one per layer. */
static int per_layer(ax_config *f, const char *sec, const char *key, double lo, double hi,
                     int n_layers, double *out)
{
    double v[AX_TTFS_MAX_LAYERS];
    size_t n = 0;
    int rc = ax_config_get_double_list(f, sec, key, lo, hi, 1, AX_TTFS_MAX_LAYERS, v, &n);
    if (rc)
        return rc;
    if (n != 1 && n != (size_t)n_layers) {
        /* re-ask with the exact count so the message names file:line and field */
        return ax_config_get_double_list(f, sec, key, lo, hi, (size_t)n_layers, (size_t)n_layers, v,
                                         &n);
    }
    for (int l = 0; l < n_layers; l++)
        out[l] = v[n == 1 ? 0 : l];
    return 0;
}

static int read_data(ax_config *f, struct ax_ttfs_config *c)
{
    static const char *const sets[] = {"yinyang", "mnist", "mnist16", NULL};
    int set = 0;
    int rc = ax_config_get_choice(f, "data", "set", sets, &set);
    if (rc)
        return rc;
    c->data = (enum ax_ttfs_data_kind)set;
    rc = optional(ax_config_get_double(f, "data", "t_early", 0.0, 100.0, &c->t_early));
    if (!rc)
        rc = optional(ax_config_get_double(f, "data", "t_late", 0.0, 100.0, &c->t_late));
    if (!rc)
        rc = optional(ax_config_get_bool(f, "data", "bias", &c->bias));
    if (!rc)
        rc = optional(ax_config_get_double(f, "data", "bias_time", 0.0, 100.0, &c->bias_time));
    if (!rc)
        rc = optional(ax_config_get_double(f, "data", "train_noise", 0.0, 100.0, &c->train_noise));
    long long layers[AX_TTFS_MAX_LAYERS];
    size_t nl = 0;
    int lrc = ax_config_get_int_list(f, "data", "bias_layers", 1, AX_TTFS_MAX_LAYERS, 1,
                                     AX_TTFS_MAX_LAYERS, layers, &nl);
    if (!rc && lrc == 0) { /* weight layers 1..L that get the bias */
        c->bias_layers = 0;
        for (size_t i = 0; i < nl; i++)
            c->bias_layers |= 1u << (layers[i] - 1);
    } else if (!rc)
        rc = optional(lrc);
    long long shift = c->train_shift;
    if (!rc)
        rc = optional(ax_config_get_int(f, "data", "train_shift", 0, 8, &shift));
    c->train_shift = (int)shift;
    return rc;
}

static int read_network(ax_config *f, struct ax_ttfs_config *c)
{
    long long sizes[AX_TTFS_MAX_LAYERS + 1];
    size_t n = 0;
    int rc = ax_config_get_int_list(f, "network", "sizes", 1, 100000, 2, AX_TTFS_MAX_LAYERS + 1,
                                    sizes, &n);
    if (rc)
        return rc;
    c->n_layers = (int)n - 1;
    long long weights = 0;
    for (size_t i = 0; i < n; i++) {
        c->sizes[i] = (int)sizes[i];
        weights += i ? (sizes[i - 1] + 1) * sizes[i] : 0; /* + 1: a bias input */
    }
    if (weights > AX_TTFS_MAX_WEIGHTS)
        return ax_fail(AX_E_RANGE,
                       "%s: network.sizes: %lld weights; at most %d (each weight takes 32 bytes "
                       "with its gradient and Adam moments, and a batch's spike times more)",
                       ax_config_name(f), weights, AX_TTFS_MAX_WEIGHTS);
    long long ratio = c->tau_ratio;
    static const char *const delays[] = {"none", "synaptic", "axonal", "dendritic", NULL};
    static const char *const params[] = {"sigmoid", "clip", NULL};
    int delay = 0, param = 0;
    rc = optional(ax_config_get_int(f, "network", "tau_ratio", 1, 2, &ratio));
    c->tau_ratio = (int)ratio;
    if (!rc)
        rc = optional(ax_config_get_double(f, "network", "threshold", 1e-6, 1e6, &c->threshold));
    if (!rc && !(rc = optional(ax_config_get_choice(f, "network", "delay", delays, &delay))))
        c->delay = (enum ax_ttfs_delay)delay;
    if (!rc && !(rc = optional(ax_config_get_choice(f, "network", "delay_param", params, &param))))
        c->delay_param = (enum ax_ttfs_delay_param)param;
    if (!rc)
        rc =
            optional(ax_config_get_double(f, "network", "delay_scale", 1e-6, 1e3, &c->delay_scale));
    return rc;
}

static int read_init_loss(ax_config *f, struct ax_ttfs_config *c)
{
    int L = c->n_layers;
    int rc = optional(per_layer(f, "init", "weight_mean", -100, 100, L, c->weight_mean));
    if (!rc)
        rc = optional(per_layer(f, "init", "weight_std", 0, 100, L, c->weight_std));
    if (!rc)
        rc = optional(ax_config_get_double(f, "init", "delay_mean", -100, 100, &c->delay_mean));
    if (!rc)
        rc = optional(ax_config_get_double(f, "init", "delay_std", 0, 100, &c->delay_std));
    static const char *const losses[] = {"fastdeep", "shift_mse", "shift_hinge", NULL};
    int loss = 0;
    if (!rc && !(rc = optional(ax_config_get_choice(f, "loss", "kind", losses, &loss))))
        c->loss = (enum ax_ttfs_loss_kind)loss;
    if (!rc)
        rc = optional(ax_config_get_double(f, "loss", "xi", 1e-6, 1e6, &c->fastdeep.xi));
    if (!rc)
        rc = optional(ax_config_get_double(f, "loss", "alpha", 0, 1e6, &c->fastdeep.alpha));
    if (!rc)
        rc = optional(ax_config_get_double(f, "loss", "beta", 1e-6, 1e6, &c->fastdeep.beta));
    if (!rc)
        rc = optional(ax_config_get_double(f, "loss", "dt", -100, 100, &c->shift_dt));
    return rc;
}

static int read_train(ax_config *f, struct ax_ttfs_config *c)
{
    int L = c->n_layers;
    long long epochs = c->epochs, batch = c->batch_size, seed = (long long)c->seed,
              step = c->step_size;
    int rc = optional(ax_config_get_int(f, "train", "epochs", 0, 1000000, &epochs));
    if (!rc)
        rc = optional(ax_config_get_int(f, "train", "batch_size", 1, 100000, &batch));
    if (!rc)
        rc = optional(ax_config_get_int(f, "train", "seed", 0, (1LL << 62), &seed));
    if (!rc)
        rc = optional(per_layer(f, "train", "lr_weights", 0, 10, L, c->lr_weights));
    if (!rc)
        rc = optional(per_layer(f, "train", "lr_delays", 0, 10, L, c->lr_delays));
    if (!rc)
        rc = optional(ax_config_get_int(f, "train", "step_size", 1, 1000000, &step));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "gamma", 0, 1, &c->gamma));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "adam_beta1", 0, 0.999999, &c->adam_beta1));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "adam_beta2", 0, 0.999999, &c->adam_beta2));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "adam_eps", 1e-300, 1, &c->adam_eps));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "max_dw_norm", 0, 1e6, &c->max_dw_norm));
    static const char *const dw_modes[] = {"clip", "skip", NULL};
    int dw_mode = (int)c->max_dw_mode;
    if (!rc)
        rc = optional(ax_config_get_choice(f, "train", "max_dw_mode", dw_modes, &dw_mode));
    c->max_dw_mode = (enum ax_ttfs_dw_mode)dw_mode;
    if (!rc)
        rc = optional(per_layer(f, "train", "missing_threshold", 0, 1, L, c->missing_threshold));
    if (!rc)
        rc = optional(ax_config_get_double(f, "train", "weight_bump", 0, 1, &c->weight_bump));
    static const char *const bump_outputs[] = {"any", "label", NULL};
    int bump_out = (int)c->bump_outputs;
    if (!rc)
        rc = optional(ax_config_get_choice(f, "train", "bump_outputs", bump_outputs, &bump_out));
    c->bump_outputs = (enum ax_ttfs_bump_outputs)bump_out;
    static const char *const selects[] = {"last", "best_val", NULL};
    int select = (int)c->select;
    if (!rc)
        rc = optional(ax_config_get_choice(f, "train", "select", selects, &select));
    c->select = (enum ax_ttfs_select)select;
    long long threads = c->threads;
    if (!rc)
        rc = optional(ax_config_get_int(f, "train", "threads", 1, AX_TTFS_MAX_THREADS, &threads));
    c->threads = (int)threads;
    c->epochs = (int)epochs;
    c->batch_size = (int)batch;
    c->seed = (uint64_t)seed;
    c->step_size = (int)step;
    return rc;
}

static int copy_string(ax_config *f, const char *key, char *out)
{
    const char *s;
    int rc = ax_config_get_string(f, "chip", key, &s);
    if (rc)
        return rc;
    if (strlen(s) >= AX_TTFS_PATH_MAX)
        return ax_fail(AX_E_RANGE, "%s: chip.%s: longer than %d characters", ax_config_name(f), key,
                       AX_TTFS_PATH_MAX - 1);
    snprintf(out, AX_TTFS_PATH_MAX, "%s", s);
    return 0;
}

/* [chip]: every key optional; the section's presence selects a board. */
static int read_chip(ax_config *f, struct ax_ttfs_config *c)
{
    struct ax_ttfs_chip_section *k = &c->chip;
    static const char *const backends[] = {"chip", "software", NULL};
    int backend = 0;
    int rc = optional(ax_config_get_choice(f, "chip", "backend", backends, &backend));
    static const char *const keys[] = {
        "backend",        "tau_s_us",     "trial",       "targets",   "device",   "die",    "psp",
        "max_duplicates", "clip_weights", "distance_mv", "calibrate", "arrivals", "layout", NULL};
    for (int i = 0; keys[i]; i++)
        k->present |= ax_config_has(f, "chip", keys[i]);
    k->software = backend == 1;
    static const char *const layouts[] = {"auto", "split", "joined", NULL};
    if (!rc)
        rc = optional(ax_config_get_choice(f, "chip", "layout", layouts, &k->layout));
    /* 0.25-10 us: the time constants every neuron reaches (docs/chip.md) */
    if (!rc)
        rc = optional(ax_config_get_double(f, "chip", "tau_s_us", 0.25, 10.0, &k->tau_s_us));
    if (!rc)
        rc = optional(ax_config_get_double(f, "chip", "trial", 0.5, 100.0, &k->trial));
    if (!rc)
        rc = optional(copy_string(f, "targets", k->targets));
    if (!rc)
        rc = optional(copy_string(f, "device", k->device));
    long long dup = k->max_duplicates;
    if (!rc)
        rc = optional(ax_config_get_int(f, "chip", "die", 0, (1LL << 62), &k->die));
    if (!rc)
        rc = optional(ax_config_get_int(f, "chip", "max_duplicates", 1, 8, &dup));
    k->max_duplicates = (int)dup;
    if (!rc)
        rc = optional(ax_config_get_bool(f, "chip", "clip_weights", &k->clip_weights));
    if (!rc)
        rc = optional(ax_config_get_double(f, "chip", "distance_mv", 5.0, 200.0, &k->distance_mv));
    if (!rc)
        rc = optional(ax_config_get_double(f, "chip", "psp", 0.001, 1.0, &k->psp));
    if (!rc)
        rc = optional(ax_config_get_bool(f, "chip", "calibrate", &k->calibrate));
    if (!rc)
        rc = optional(ax_config_get_bool(f, "chip", "arrivals", &k->arrivals));
    return rc;
}

/* Checks that need several fields at once. */
static int check_consistency(const struct ax_ttfs_config *c, const char *path)
{
    int features = c->data == AX_TTFS_DATA_YINYANG ? 4 : c->data == AX_TTFS_DATA_MNIST ? 784 : 256;
    int classes = c->data == AX_TTFS_DATA_YINYANG ? 3 : 10;
    if (c->sizes[0] != features || c->sizes[c->n_layers] != classes)
        return ax_fail(AX_E_RANGE, "%s: network.sizes: the data set needs %d inputs and %d outputs",
                       path, features, classes);
    if (c->bias_layers != ~0u && c->bias_layers >> c->n_layers)
        return ax_fail(AX_E_RANGE, "%s: data.bias_layers: the network has %d weight layers", path,
                       c->n_layers);
    if (c->train_shift > 0 && c->data == AX_TTFS_DATA_YINYANG)
        return ax_fail(AX_E_RANGE,
                       "%s: data.train_shift: only image data sets (mnist, mnist16) can be shifted",
                       path);
    if (c->chip.present && !c->chip.software && c->t_late >= c->chip.trial)
        return ax_fail(AX_E_RANGE, "%s: chip.trial (%g tau_s) must be longer than data.t_late",
                       path, c->chip.trial);
    if (c->t_late <= c->t_early)
        return ax_fail(AX_E_RANGE, "%s: data.t_late must be greater than data.t_early", path);
    return 0;
}

/* A parsed config file into c; frees f. */
static int read_config(struct ax_ttfs_config *c, ax_config *f, const char *path)
{
    int rc;
    c->hash = ax_config_hash(f);
    rc = read_data(f, c);
    if (rc == AX_E_NOTFOUND) {
        ax_config_free(f);
        return ax_fail(AX_E_FORMAT,
                       "%s:1: data.set: missing (one of \"yinyang\", \"mnist\", \"mnist16\")",
                       path);
    }
    if (!rc) {
        rc = read_network(f, c);
        if (rc == AX_E_NOTFOUND) {
            ax_config_free(f);
            return ax_fail(AX_E_FORMAT, "%s:1: network.sizes: missing", path);
        }
    }
    if (!rc)
        rc = read_init_loss(f, c);
    if (!rc)
        rc = read_train(f, c);
    if (!rc)
        rc = read_chip(f, c);
    if (!rc)
        rc = ax_ttfs_constraints_read(f, &c->constraints);
    if (!rc)
        rc = ax_config_check_unknown(f);
    if (!rc) /* on failure the getter has set "file:line: section.key: ..." */
        rc = check_consistency(c, path);
    ax_config_free(f);
    return rc;
}

int ax_ttfs_config_load(struct ax_ttfs_config *c, const char *path)
{
    ax_config *f;
    set_defaults(c);
    int rc = ax_config_load_file(&f, path); /* its detail names file:line */
    return rc ? rc : read_config(c, f, path);
}

int ax_ttfs_config_load_string(struct ax_ttfs_config *c, const char *text, const char *name)
{
    ax_config *f;
    set_defaults(c);
    int rc = ax_config_load_string(&f, text, name);
    return rc ? rc : read_config(c, f, name);
}
