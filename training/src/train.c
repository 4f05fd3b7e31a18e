/* The training loop: next batch, forward, loss, zero grad, backward, update;
 * with the reference's safeguards (per-neuron gradient cap, weight bumping). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/clock.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"

int ax_ttfs_trainer_create(struct ax_ttfs_trainer *tr, const struct ax_ttfs_config *cfg,
                           const struct ax_ttfs_dataset *train, const struct ax_ttfs_dataset *val)
{
    memset(tr, 0, sizeof *tr);
    tr->cfg = *cfg;
    tr->train = train;
    tr->val = val;
    int rc = ax_ttfs_net_create(&tr->net, cfg, cfg->batch_size);
    if (rc)
        return rc;
    int C = cfg->sizes[cfg->n_layers], B = cfg->batch_size, E = cfg->epochs > 0 ? cfg->epochs : 1;
    tr->order = malloc((size_t)train->n * sizeof *tr->order);
    tr->xbatch = malloc((size_t)B * train->n_features * sizeof *tr->xbatch);
    tr->xshift = malloc((size_t)train->n_features * sizeof *tr->xshift);
    tr->ybatch = malloc((size_t)B * sizeof *tr->ybatch);
    tr->dloss = malloc((size_t)B * C * sizeof *tr->dloss);
    tr->hist_loss = calloc((size_t)E, sizeof(double));
    tr->hist_train = calloc((size_t)E, sizeof(double));
    tr->hist_val = calloc((size_t)E, sizeof(double));
    tr->best_params = malloc(tr->net.n_params * sizeof(double));
    if (!tr->order || !tr->xbatch || !tr->xshift || !tr->ybatch || !tr->dloss || !tr->hist_loss ||
        !tr->hist_train || !tr->hist_val || !tr->best_params) {
        ax_ttfs_trainer_free(tr);
        return AX_E_NOMEM;
    }
    for (int i = 0; i < train->n; i++)
        tr->order[i] = i;
    if (ax_ttfs_net_set_threads(&tr->net, cfg->threads > 0 ? cfg->threads : 1)) {
        ax_ttfs_trainer_free(tr);
        return AX_E_NOMEM;
    }
    ax_rng_seed(&tr->rng, cfg->seed);
    ax_ttfs_net_init(&tr->net, cfg, &tr->rng);
    tr->bump = cfg->weight_bump;
    tr->bump_layer = -1;
    return 0;
}

void ax_ttfs_trainer_free(struct ax_ttfs_trainer *tr)
{
    ax_ttfs_net_free(&tr->net);
    free(tr->order);
    free(tr->xbatch);
    free(tr->xshift);
    free(tr->ybatch);
    free(tr->dloss);
    free(tr->hist_loss);
    free(tr->hist_train);
    free(tr->hist_val);
    free(tr->best_params);
    memset(tr, 0, sizeof *tr);
}

/* Keeps the weights within what the backend represents (ax_ttfs_backend.w_max). */
static void clamp_weights(struct ax_ttfs_net *net)
{
    const struct ax_ttfs_backend *b = &net->backend;
    for (int l = 0; l < net->n_layers; l++) {
        if (!(b->w_max[l] > 0))
            continue;
        int n_in = net->spec[l].n_in, bias_col = net->bias ? n_in - 1 : n_in;
        double *w = net->params + net->w_off[l];
        for (int j = 0; j < net->spec[l].n_out; j++)
            for (int i = 0; i < n_in; i++) {
                double m = i == bias_col && b->w_max_bias[l] > 0 ? b->w_max_bias[l] : b->w_max[l];
                double *x = &w[(size_t)j * n_in + i];
                *x = *x > m ? m : *x < -m ? -m : *x;
            }
    }
}

void ax_ttfs_trainer_set_backend(struct ax_ttfs_trainer *tr, const struct ax_ttfs_backend *b)
{
    tr->net.backend = *b;
    clamp_weights(&tr->net);
}

/* The first difference between the networks of two configs, or NULL. */
static const char *network_differs(const struct ax_ttfs_config *a, const struct ax_ttfs_config *b)
{
    if (a->n_layers != b->n_layers)
        return "network.sizes";
    for (int l = 0; l <= a->n_layers; l++)
        if (a->sizes[l] != b->sizes[l])
            return "network.sizes";
    if (a->bias != b->bias || (a->bias && a->bias_layers != b->bias_layers))
        return "data.bias / data.bias_layers";
    if (a->tau_ratio != b->tau_ratio || a->threshold != b->threshold)
        return "network.tau_ratio / network.threshold";
    if (a->delay != b->delay || a->delay_param != b->delay_param ||
        a->delay_scale != b->delay_scale)
        return "network.delay";
    return NULL;
}

int ax_ttfs_trainer_init_from(struct ax_ttfs_trainer *tr, const char *path)
{
    struct ax_ttfs_export e;
    int rc = ax_ttfs_export_load(&e, path);
    if (rc < 0)
        return rc;
    struct ax_ttfs_config ec;
    rc = ax_ttfs_config_load_string(&ec, e.config_text, path);
    const char *diff = rc == 0 ? network_differs(&tr->cfg, &ec) : NULL;
    if (rc == 0 && !diff && e.n_params != tr->net.n_params)
        diff = "the parameter count";
    if (rc == 0 && diff)
        rc = ax_fail(AX_E_INVAL, "%s: its network differs from the config's (%s)", path, diff);
    if (rc == 0) {
        struct ax_ttfs_net *net = &tr->net;
        memcpy(net->params, e.params, net->n_params * sizeof(double));
        memcpy(tr->best_params, net->params, net->n_params * sizeof(double));
        ax_ttfs_net_bias_off(net, net->params);
        clamp_weights(net);
        ax_ttfs_net_clamp_weights(net);
        ax_ttfs_net_map_delays(net);
    }
    ax_ttfs_export_free(&e);
    return rc;
}

/* ---------------------------------------------------------------------------
 * safeguards and optimizer */

/* Whether (sample b, neuron j) of layer l counts for the weight bumps: every
 * pair, or in the output layer with bump_outputs = "label" only the label's. */
static int bump_counts(const struct ax_ttfs_trainer *tr, int l, int b, int j)
{
    return l < tr->net.n_layers - 1 || tr->cfg.bump_outputs == AX_TTFS_BUMP_ANY ||
           tr->ybatch[b] == j;
}

/* The first layer whose fraction of silent counted (sample, neuron) pairs
 * exceeds its threshold, or -1. */
static int find_silent_layer(const struct ax_ttfs_trainer *tr, int B)
{
    const struct ax_ttfs_net *net = &tr->net;
    for (int l = 0; l < net->n_layers; l++) {
        const double *t = net->t_out[l];
        int n_out = net->spec[l].n_out;
        size_t n = 0, silent = 0;
        for (int b = 0; b < B; b++)
            for (int j = 0; j < n_out; j++)
                if (bump_counts(tr, l, b, j)) {
                    n++;
                    silent += !isfinite(t[(size_t)b * n_out + j]);
                }
        if (n > 0 && (double)silent / (double)n > tr->cfg.missing_threshold[l])
            return l;
    }
    return -1;
}

/* Adds `bump` to the incoming weights of each neuron of layer l that was
 * silent in a counted pair of the batch (the reference's targeted bump). */
static void bump_layer_weights(struct ax_ttfs_trainer *tr, int l, double bump, int B)
{
    struct ax_ttfs_net *net = &tr->net;
    const struct ax_ttfs_layer_spec *s = &net->spec[l];
    const double *t = net->t_out[l];
    for (int j = 0; j < s->n_out; j++) {
        int silent = 0;
        for (int b = 0; b < B && !silent; b++)
            silent = bump_counts(tr, l, b, j) && !isfinite(t[(size_t)b * s->n_out + j]);
        if (!silent)
            continue;
        double *w = net->params + net->w_off[l] + (size_t)j * s->n_in;
        for (int i = 0; i < s->n_in; i++)
            w[i] += bump;
    }
}

/* Scales each neuron's incoming weight gradient to a norm of at most max_norm. */
static void cap_weight_gradients(struct ax_ttfs_net *net, double max_norm)
{
    for (int l = 0; l < net->n_layers; l++) {
        const struct ax_ttfs_layer_spec *s = &net->spec[l];
        for (int j = 0; j < s->n_out; j++) {
            double *g = net->grads + net->w_off[l] + (size_t)j * s->n_in, sq = 0.0;
            for (int i = 0; i < s->n_in; i++)
                sq += g[i] * g[i];
            double norm = sqrt(sq);
            if (norm > max_norm)
                for (int i = 0; i < s->n_in; i++)
                    g[i] *= max_norm / norm;
        }
    }
}

/* One flat Adam loop over a slice of the shared layout. */
static void adam_slice(double *p, const double *g, double *m, double *v, size_t n, double lr,
                       const struct ax_ttfs_config *c, double bc1, double bc2)
{
    double b1 = c->adam_beta1, b2 = c->adam_beta2;
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1.0 - b1) * g[i];
        v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
        p[i] -= lr * (m[i] / bc1) / (sqrt(v[i] / bc2) + c->adam_eps);
    }
}

static void adam_update(struct ax_ttfs_trainer *tr)
{
    struct ax_ttfs_net *net = &tr->net;
    const struct ax_ttfs_config *c = &tr->cfg;
    tr->step++;
    double bc1 = 1.0 - pow(c->adam_beta1, (double)tr->step);
    double bc2 = 1.0 - pow(c->adam_beta2, (double)tr->step);
    double decay = pow(c->gamma, (double)(tr->epoch / c->step_size)); /* StepLR */
    for (int l = 0; l < net->n_layers; l++) {
        size_t o = net->w_off[l], nw = (size_t)net->spec[l].n_in * net->spec[l].n_out;
        adam_slice(net->params + o, net->grads + o, net->m + o, net->v + o, nw,
                   c->lr_weights[l] * decay, c, bc1, bc2);
        o = net->d_off[l];
        adam_slice(net->params + o, net->grads + o, net->m + o, net->v + o, net->d_count[l],
                   c->lr_delays[l] * decay, c, bc1, bc2);
        if (net->delay_param == AX_TTFS_DELAY_CLIP)
            for (size_t i = 0; i < net->d_count[l]; i++)
                if (net->params[o + i] < 0.0)
                    net->params[o + i] = 0.0;
    }
    clamp_weights(net);             /* the backend's range */
    ax_ttfs_net_clamp_weights(net); /* the constraints' largest chip weight */
    ax_ttfs_net_map_delays(net);
}

/* ---------------------------------------------------------------------------
 * epochs */

static double batch_loss(struct ax_ttfs_trainer *tr, int B)
{
    const struct ax_ttfs_config *c = &tr->cfg;
    const double *t = ax_ttfs_net_output(&tr->net);
    int C = c->sizes[c->n_layers];
    if (c->loss == AX_TTFS_LOSS_FASTDEEP)
        return ax_ttfs_loss_fastdeep(tr->dloss, t, tr->ybatch, B, C, &c->fastdeep);
    if (c->loss == AX_TTFS_LOSS_SHIFT_HINGE)
        return ax_ttfs_loss_shift_hinge(tr->dloss, t, tr->ybatch, B, C, c->shift_dt);
    return ax_ttfs_loss_shift_mse(tr->dloss, t, tr->ybatch, B, C, c->shift_dt);
}

static int count_correct(const double *t, const int *labels, int B, int C)
{
    int correct = 0;
    for (int b = 0; b < B; b++)
        correct += ax_ttfs_first_spike(t + (size_t)b * C, C) == labels[b];
    return correct;
}

/* The reference's training noise: every finite input time gets Gaussian
 * noise of standard deviation std; negative times are reflected at 0. */
static void add_input_noise(double *t, size_t n, double std, struct ax_rng *rng)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t[i]))
            continue;
        t[i] += std * ax_rng_normal(rng);
        if (t[i] < 0.0)
            t[i] = -t[i];
    }
}

/* Shift augmentation: moves a w x w image by (dx, dy) pixels, each drawn
 * uniformly from [-max, max]; pixels moved in from outside stay silent. */
static void shift_image(double *img, double *tmp, int w, int max, struct ax_rng *rng)
{
    int dx = (int)(ax_rng_next(rng) % (uint64_t)(2 * max + 1)) - max;
    int dy = (int)(ax_rng_next(rng) % (uint64_t)(2 * max + 1)) - max;
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++) {
            int sx = x - dx, sy = y - dy;
            tmp[y * w + x] = sx >= 0 && sx < w && sy >= 0 && sy < w ? img[sy * w + sx] : INFINITY;
        }
    memcpy(img, tmp, (size_t)w * w * sizeof *img);
}

/* One training step on samples order[start, start + B). */
static int train_step(struct ax_ttfs_trainer *tr, int start, int B, double *loss, int *correct,
                      int *bumped /* 0, or 1 + the bumped layer */)
{
    const struct ax_ttfs_dataset *ds = tr->train;
    struct ax_ttfs_net *net = &tr->net;
    int nf = ds->n_features, C = ds->n_classes;
    for (int b = 0; b < B; b++) {
        int s = tr->order[start + b];
        memcpy(tr->xbatch + (size_t)b * nf, ds->t + (size_t)s * nf, (size_t)nf * sizeof(double));
        tr->ybatch[b] = ds->labels[s];
    }
    if (tr->cfg.train_shift > 0 && ds->width > 0)
        for (int b = 0; b < B; b++)
            shift_image(tr->xbatch + (size_t)b * nf, tr->xshift, ds->width, tr->cfg.train_shift,
                        &tr->rng);
    if (tr->cfg.train_noise > 0.0)
        add_input_noise(tr->xbatch, (size_t)B * nf, tr->cfg.train_noise, &tr->rng);
    int rc = ax_ttfs_net_forward(net, tr->xbatch, B);
    if (rc)
        return rc;
    *loss = batch_loss(tr, B);
    *correct = count_correct(ax_ttfs_net_output(net), tr->ybatch, B, C);
    int layer = tr->cfg.weight_bump > 0.0 ? find_silent_layer(tr, B) : -1;
    if (layer >= 0) { /* skip the step; a repeat for the same layer doubles the bump */
        tr->bump = layer == tr->bump_layer ? 2.0 * tr->bump : tr->cfg.weight_bump;
        tr->bump_layer = layer;
        bump_layer_weights(tr, layer, tr->bump, B);
        ax_ttfs_net_bias_off(net, net->params);
        clamp_weights(net);
        *bumped = 1 + layer;
        return 0;
    }
    tr->bump_layer = -1;
    *bumped = 0;
    ax_ttfs_net_zero_grad(net);
    memcpy(net->dt_out[net->n_layers - 1], tr->dloss, (size_t)B * C * sizeof(double));
    int rc_b = ax_ttfs_net_backward(net, B);
    if (rc_b)
        return rc_b;
    if (tr->cfg.max_dw_norm > 0.0 && tr->cfg.max_dw_mode == AX_TTFS_DW_CLIP)
        cap_weight_gradients(net, tr->cfg.max_dw_norm);
    adam_update(tr);
    return 0;
}

int ax_ttfs_trainer_epoch(struct ax_ttfs_trainer *tr, struct ax_ttfs_epoch_stats *st,
                          ax_ttfs_progress_fn progress, void *progress_ctx)
{
    const struct ax_ttfs_dataset *ds = tr->train;
    double t0 = ax_mono_seconds();
    ax_ttfs_net_noise_seed(&tr->net, 1 + (uint64_t)tr->epoch); /* resumes repeat it */
    /* Shuffle from the identity so the order depends only on the RNG state
     * (which checkpoints keep): resumed runs repeat the same batches. */
    for (int i = 0; i < ds->n; i++)
        tr->order[i] = i;
    for (int i = ds->n - 1; i > 0; i--) { /* Fisher-Yates shuffle */
        int j = (int)(ax_rng_next(&tr->rng) % (uint64_t)(i + 1));
        int tmp = tr->order[i];
        tr->order[i] = tr->order[j];
        tr->order[j] = tmp;
    }
    double loss_sum = 0.0;
    int loss_n = 0, correct = 0, bumps = 0;
    memset(st->bumps_by_layer, 0, sizeof st->bumps_by_layer);
    for (int start = 0; start < ds->n; start += tr->cfg.batch_size) {
        int B = ds->n - start < tr->cfg.batch_size ? ds->n - start : tr->cfg.batch_size;
        double loss;
        int ok, bumped;
        int rc = train_step(tr, start, B, &loss, &ok, &bumped);
        if (rc)
            return rc;
        if (isfinite(loss)) {
            loss_sum += loss;
            loss_n++;
        }
        correct += ok;
        bumps += bumped > 0;
        if (bumped > 0)
            st->bumps_by_layer[bumped - 1]++;
        if (progress)
            progress(progress_ctx, start + B, ds->n);
    }
    double t1 = ax_mono_seconds();
    double val_acc = NAN;
    if (tr->val) {
        int rc = ax_ttfs_evaluate(&tr->net, tr->val, tr->cfg.batch_size, &val_acc);
        if (rc)
            return rc;
    }
    int e = tr->epoch;
    tr->epoch++;
    st->epoch = tr->epoch;
    st->loss = loss_n ? loss_sum / loss_n : NAN;
    st->train_accuracy = (double)correct / ds->n;
    st->val_accuracy = val_acc;
    st->samples_per_s = ds->n / (t1 - t0 > 0 ? t1 - t0 : 1e-9);
    st->seconds = ax_mono_seconds() - t0;
    st->bumps = bumps;
    if (e < (tr->cfg.epochs > 0 ? tr->cfg.epochs : 1)) {
        tr->hist_loss[e] = st->loss;
        tr->hist_train[e] = st->train_accuracy;
        tr->hist_val[e] = st->val_accuracy;
        if (tr->val && (!tr->best_epoch || val_acc >= tr->hist_val[tr->best_epoch - 1])) {
            memcpy(tr->best_params, tr->net.params, tr->net.n_params * sizeof(double));
            tr->best_epoch = tr->epoch;
        }
    }
    return 0;
}

int ax_ttfs_trainer_select(struct ax_ttfs_trainer *tr)
{
    if (tr->cfg.select != AX_TTFS_SELECT_BEST_VAL || tr->best_epoch == 0)
        return tr->epoch;
    memcpy(tr->net.params, tr->best_params, tr->net.n_params * sizeof(double));
    ax_ttfs_net_map_delays(&tr->net);
    return tr->best_epoch;
}

int ax_ttfs_predict(struct ax_ttfs_net *net, const double *x, int n, int batch, int *classes)
{
    int nf = net->spec[0].n_in - (net->bias ? 1 : 0), C = net->spec[net->n_layers - 1].n_out;
    if (batch > net->max_batch)
        batch = net->max_batch;
    ax_ttfs_net_noise_seed(net, 0); /* the same trials every time: no hidden state */
    for (int start = 0; start < n; start += batch) {
        int B = n - start < batch ? n - start : batch;
        int rc = ax_ttfs_net_forward(net, x + (size_t)start * nf, B);
        if (rc)
            return rc;
        const double *t = ax_ttfs_net_output(net);
        for (int b = 0; b < B; b++)
            classes[start + b] = ax_ttfs_first_spike(t + (size_t)b * C, C);
    }
    return 0;
}

int ax_ttfs_evaluate(struct ax_ttfs_net *net, const struct ax_ttfs_dataset *ds, int batch,
                     double *accuracy)
{
    int *cls = malloc((size_t)(ds->n > 0 ? ds->n : 1) * sizeof *cls);
    if (!cls)
        return AX_E_NOMEM;
    int rc = ax_ttfs_predict(net, ds->t, ds->n, batch, cls);
    int correct = 0;
    for (int i = 0; i < ds->n && !rc; i++)
        correct += cls[i] == ds->labels[i];
    free(cls);
    if (!rc)
        *accuracy = ds->n ? (double)correct / ds->n : 0.0;
    return rc;
}
