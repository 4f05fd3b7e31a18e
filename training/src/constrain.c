/* The chip's constraints in software: 6-bit weights with row duplication,
 * delays and spike times on the chip's cycle grid, the die's mismatch and
 * temporal jitter (axon/ttfs_constrain.h, docs/training.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_constrain.h"
#include "axon/ttfs_train.h"

void ax_ttfs_constraints_default(struct ax_ttfs_constraints *c)
{
    memset(c, 0, sizeof *c);
    c->weight_max_code = 63;
    c->rows_per_sign = 1;
    c->delay_max_cycles = 1022;
}

static int optional(int rc)
{
    return rc == AX_E_NOTFOUND ? 0 : rc;
}

int ax_ttfs_constraints_read(ax_config *f, struct ax_ttfs_constraints *c)
{
    static const char *const S = "constraints";
    long long code = c->weight_max_code, rows = c->rows_per_sign, dmax = c->delay_max_cycles,
              die = (long long)c->die_seed;
    int rc = optional(ax_config_get_double(f, S, "weight_step", 0, 10, &c->weight_step));
    if (!rc)
        rc = optional(ax_config_get_int(f, S, "weight_max_code", 1, 63, &code));
    if (!rc)
        rc = optional(ax_config_get_int(f, S, "rows_per_sign", 1, 4, &rows));
    if (!rc)
        rc = optional(
            ax_config_get_double(f, S, "delay_cycles_per_tau", 0, 10000, &c->delay_cycles_per_tau));
    if (!rc)
        rc = optional(ax_config_get_int(f, S, "delay_max_cycles", 0, 1022, &dmax));
    if (!rc)
        rc = optional(
            ax_config_get_double(f, S, "threshold_mismatch", 0, 0.5, &c->threshold_mismatch));
    if (!rc)
        rc = optional(ax_config_get_double(f, S, "weight_mismatch", 0, 0.5, &c->weight_mismatch));
    if (!rc)
        rc = optional(ax_config_get_double(f, S, "time_jitter", 0, 10, &c->time_jitter));
    if (!rc)
        rc = optional(ax_config_get_int(f, S, "die_seed", 0, (1LL << 62), &die));
    c->weight_max_code = (int)code;
    c->rows_per_sign = (int)rows;
    c->delay_max_cycles = (int)dmax;
    c->die_seed = (uint64_t)die;
    return rc;
}

bool ax_ttfs_constraints_need_forward(const struct ax_ttfs_constraints *c)
{
    return c->delay_cycles_per_tau > 0 || c->threshold_mismatch > 0 || c->weight_mismatch > 0 ||
           c->time_jitter > 0;
}

bool ax_ttfs_constraints_active(const struct ax_ttfs_constraints *c)
{
    return c->weight_step > 0 || ax_ttfs_constraints_need_forward(c);
}

/* ---------------------------------------------------------------------------
 * quantisers */

double ax_ttfs_weight_max(const struct ax_ttfs_constraints *c)
{
    return (double)c->rows_per_sign * c->weight_max_code * c->weight_step;
}

int ax_ttfs_weight_code(const struct ax_ttfs_constraints *c, double w, int *rows)
{
    int k = c->rows_per_sign, max = k * c->weight_max_code, total = 0;
    if (c->weight_step > 0 && isfinite(w)) {
        double m = round(fabs(w) / c->weight_step);
        total = m > max ? max : (int)m;
    } else if (c->weight_step > 0 && isinf(w)) {
        total = max;
    }
    if (rows)
        for (int r = 0; r < k; r++)
            rows[r] = total / k + (r < total % k);
    return w < 0 ? -total : total;
}

double ax_ttfs_quantise_weight(const struct ax_ttfs_constraints *c, double w)
{
    if (c->weight_step <= 0)
        return w;
    return ax_ttfs_weight_code(c, w, NULL) * c->weight_step;
}

double ax_ttfs_quantise_delay(const struct ax_ttfs_constraints *c, double d)
{
    double cpt = c->delay_cycles_per_tau;
    if (cpt <= 0)
        return d;
    double cycles = round(d * cpt);
    if (!(cycles > 0)) /* negative or NaN */
        cycles = 0;
    if (cycles > c->delay_max_cycles)
        cycles = c->delay_max_cycles;
    return cycles / cpt;
}

double ax_ttfs_quantise_arrival(const struct ax_ttfs_constraints *c, double t)
{
    double cpt = c->delay_cycles_per_tau;
    return cpt > 0 && isfinite(t) ? round(t * cpt) / cpt : t;
}

double ax_ttfs_quantise_record(const struct ax_ttfs_constraints *c, double t)
{
    double steps = c->delay_cycles_per_tau * AX_TTFS_TIME_STEPS_PER_CYCLE;
    return steps > 0 && isfinite(t) ? round(t * steps) / steps : t;
}

/* ---------------------------------------------------------------------------
 * the constrained network */

/* The die: a synapse's strength and its neuron's threshold distance are off
 * by relative errors; a threshold theta (1 + x) acts as weights / (1 + x)
 * (the potential is linear in the weights), so both fold into one factor
 * per synapse. Factors stay positive. */
static void draw_die(struct ax_ttfs_net *net, const struct ax_ttfs_constraints *c)
{
    struct ax_rng rng;
    ax_rng_seed(&rng, c->die_seed);
    for (int l = 0; l < net->n_layers; l++) {
        const struct ax_ttfs_layer_spec *s = &net->spec[l];
        double *f = net->die + net->w_off[l];
        for (int j = 0; j < s->n_out; j++) {
            double th = 1.0 + c->threshold_mismatch * ax_rng_normal(&rng);
            th = th > 0.1 ? th : 0.1;
            for (int i = 0; i < s->n_in; i++) {
                double g = 1.0 + c->weight_mismatch * ax_rng_normal(&rng);
                f[(size_t)j * s->n_in + i] = (g > 0 ? g : 0) / th;
            }
        }
    }
}

int ax_ttfs_net_constrain(struct ax_ttfs_net *net, const struct ax_ttfs_constraints *c)
{
    if (!ax_ttfs_constraints_active(c))
        return 0;
    net->constraints = *c;
    size_t nd = 1, max_w = 1;
    for (int l = 0; l < net->n_layers; l++) {
        size_t nw = (size_t)net->spec[l].n_in * net->spec[l].n_out;
        nd += net->d_count[l];
        max_w = nw > max_w ? nw : max_w;
    }
    net->wq = calloc(net->n_params, sizeof(double));
    net->dq = calloc(nd, sizeof(double));
    if (!net->wq || !net->dq)
        return AX_E_NOMEM;
    if (c->threshold_mismatch > 0 || c->weight_mismatch > 0) {
        net->die = malloc(net->n_params * sizeof(double));
        net->weff = malloc(max_w * sizeof(double));
        if (!net->die || !net->weff)
            return AX_E_NOMEM;
        draw_die(net, c);
    }
    ax_ttfs_net_noise_seed(net, 0);
    if (ax_ttfs_constraints_need_forward(c))
        net->backend = (struct ax_ttfs_backend){
            .name = "software-constrained", .forward = ax_ttfs_constrained_forward, .ctx = net};
    return 0;
}

void ax_ttfs_net_quantise(struct ax_ttfs_net *net)
{
    if (!net->wq)
        return;
    const struct ax_ttfs_constraints *c = &net->constraints;
    size_t at = 0;
    for (int l = 0; l < net->n_layers; l++) {
        size_t o = net->w_off[l], nw = (size_t)net->spec[l].n_in * net->spec[l].n_out;
        for (size_t i = 0; i < nw; i++)
            net->wq[o + i] = ax_ttfs_quantise_weight(c, net->params[o + i]);
        for (size_t i = 0; i < net->d_count[l]; i++)
            net->dq[at + i] = ax_ttfs_quantise_delay(c, net->delays[l][i]);
        at += net->d_count[l];
    }
}

void ax_ttfs_net_clamp_weights(struct ax_ttfs_net *net)
{
    const struct ax_ttfs_constraints *c = &net->constraints;
    if (!net->wq || c->weight_step <= 0)
        return;
    double lim = ax_ttfs_weight_max(c) + 0.5 * c->weight_step;
    for (int l = 0; l < net->n_layers; l++) {
        double *w = net->params + net->w_off[l];
        size_t nw = (size_t)net->spec[l].n_in * net->spec[l].n_out;
        for (size_t i = 0; i < nw; i++)
            w[i] = w[i] > lim ? lim : w[i] < -lim ? -lim : w[i];
    }
}

void ax_ttfs_net_noise_seed(struct ax_ttfs_net *net, uint64_t seed)
{
    /* another stream than the die's: the jitter is the run's, not the chip's */
    ax_rng_seed(&net->noise_rng, net->constraints.die_seed ^ (0x6a09e667f3bcc909ULL + seed));
}

/* ---------------------------------------------------------------------------
 * the forward pass as the chip runs it */

static void arrivals(const struct ax_ttfs_constraints *c, double *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        t[i] = ax_ttfs_quantise_arrival(c, t[i]);
}

static void jitter_and_record(struct ax_ttfs_net *net, const struct ax_ttfs_stack *s, int l, int B)
{
    const struct ax_ttfs_constraints *c = &net->constraints;
    size_t n = (size_t)B * s->spec[l].n_out;
    double *t = s->t_out[l];
    if (c->time_jitter > 0)
        for (size_t i = 0; i < n; i++)
            if (isfinite(t[i])) {
                t[i] += c->time_jitter * ax_rng_normal(&net->noise_rng);
                t[i] = t[i] > 0 ? t[i] : 0;
            }
    /* the next layer's events leave from the jittered times, on whole cycles */
    if (l + 1 < s->n_layers)
        ax_ttfs_stack_fill_inputs(s, l + 1, 0, B);
    for (size_t i = 0; i < n; i++)
        t[i] = ax_ttfs_quantise_record(c, t[i]);
}

int ax_ttfs_constrained_forward(void *ctx, const struct ax_ttfs_stack *s, int B)
{
    struct ax_ttfs_net *net = ctx;
    if (B > net->max_batch || s->n_layers != net->n_layers)
        return AX_E_INVAL;
    for (int l = 0; l < s->n_layers; l++)
        if (s->spec[l].n_in != net->spec[l].n_in || s->spec[l].n_out != net->spec[l].n_out)
            return AX_E_INVAL; /* the die's factors are the net's */
    const struct ax_ttfs_constraints *c = &net->constraints;
    for (int l = 0; l < s->n_layers; l++) {
        const struct ax_ttfs_layer_spec *sp = &s->spec[l];
        size_t nw = (size_t)sp->n_in * sp->n_out;
        const double *w = s->w[l];
        if (net->die) {
            const double *f = net->die + net->w_off[l];
            for (size_t i = 0; i < nw; i++)
                net->weff[i] = w[i] * f[i];
            w = net->weff;
        }
        arrivals(c, s->t_in[l], (size_t)B * sp->n_in);
        ax_ttfs_layer_forward(s->t_out[l], s->t_in[l], w, s->d[l], sp, B, net->work);
        jitter_and_record(net, s, l, B);
    }
    return 0;
}
