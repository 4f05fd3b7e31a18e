#define _POSIX_C_SOURCE 200809L /* clock_gettime */
/* The chip backend of the ttfs trainer: a board, its calibration and the
 * mapped network; the forward pass of a whole batch as one playback program. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"

/* The targets of a [chip] section without a targets file: leak = reset
 * 300 mV, threshold distance_mv above, the config's time constants, its psp
 * (default calib/targets/ttfs.cfg's 0.03 / tau_ratio), refractory 5 us. */
static void derived_targets(const struct ax_ttfs_config *cfg, struct ax_calib_targets *t)
{
    memset(t, 0, sizeof *t);
    double ts = cfg->chip.tau_s_us;
    double psp = cfg->chip.psp > 0 ? cfg->chip.psp : 0.03 / cfg->tau_ratio;
    snprintf(t->name, sizeof t->name, "ttfs-%gus-r%d-%gmV-psp%g", ts, cfg->tau_ratio,
             cfg->chip.distance_mv, psp);
    t->value[AX_PARAM_LEAK] = 300;
    t->value[AX_PARAM_RESET] = 300;
    t->value[AX_PARAM_THRESHOLD] = 300 + cfg->chip.distance_mv;
    t->value[AX_PARAM_TAU_M] = ts * cfg->tau_ratio;
    t->value[AX_PARAM_TAU_SE] = ts;
    t->value[AX_PARAM_TAU_SI] = ts;
    t->value[AX_PARAM_GAIN_E] = psp;
    t->value[AX_PARAM_GAIN_I] = psp;
    t->value[AX_PARAM_REFRAC] = 5.0;
    ax_calib_targets_hash(t);
}

int ax_ttfs_chip_targets(const struct ax_ttfs_config *cfg, struct ax_calib_targets *t)
{
    const char *name = cfg->chip.targets;
    if (!name[0]) {
        derived_targets(cfg, t);
        return ax_calib_targets_check(t);
    }
    char path[AX_TTFS_PATH_MAX + 64];
    if (strchr(name, '/') || strstr(name, ".cfg"))
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%s/calib/targets/%s.cfg", ax_source_dir(), name);
    int rc = ax_calib_targets_load(path, t);
    if (rc < 0)
        return rc;
    const double *v = t->value;
    double ratio = v[AX_PARAM_TAU_M] / v[AX_PARAM_TAU_SE];
    if (fabs(ratio - cfg->tau_ratio) > 0.01 * cfg->tau_ratio ||
        fabs(v[AX_PARAM_TAU_SI] - v[AX_PARAM_TAU_SE]) > 0.01 * v[AX_PARAM_TAU_SE])
        return ax_fail(AX_E_RANGE,
                       "%s: tau_m / tau_se = %.3f and tau_si %g us: the network needs tau_ratio "
                       "%d and tau_si = tau_se",
                       path, ratio, v[AX_PARAM_TAU_SI], cfg->tau_ratio);
    if (fabs(v[AX_PARAM_TAU_SE] - cfg->chip.tau_s_us) > 0.01 * cfg->chip.tau_s_us)
        return ax_fail(AX_E_RANGE, "%s: tau_se_us = %g, but chip.tau_s_us = %g", path,
                       v[AX_PARAM_TAU_SE], cfg->chip.tau_s_us);
    return AX_OK;
}

static void device_uri(const struct ax_ttfs_config *cfg, char *uri, size_t n)
{
    const char *u = cfg->chip.device[0] ? cfg->chip.device : getenv("AXON_DEVICE");
    if (!u || !u[0])
        u = "sim:";
    if (cfg->chip.die >= 0 && !strncmp(u, "sim:", 4) && !strstr(u, "die="))
        snprintf(uri, n, "%s%sdie=%lld", u, strchr(u, '?') ? "&" : "?", cfg->chip.die);
    else
        snprintf(uri, n, "%s", u);
}

static void fill_provenance(struct ax_ttfs_chip *c)
{
    const ax_ident *id = ax_device_ident(c->dev);
    ax_provenance_init(&c->prov, "axon-ttfs-metrics", 1);
    c->prov.has_die_seed = true;
    c->prov.die_seed = id->die_seed;
    c->prov.calibration_id = c->calib.id;
    c->prov.model_version = (int)id->model_version;
    c->prov.protocol_major = (int)(id->protocol_version >> 16);
    c->prov.protocol_minor = (int)(id->protocol_version & 0xFFFFu);
}

int ax_ttfs_chip_map_config(struct ax_ttfs_chip_map *m, const struct ax_ttfs_config *cfg,
                            const struct ax_calib_targets *t, unsigned neurons_per_hemi,
                            unsigned rows_per_hemi)
{
    struct ax_ttfs_layer_spec spec[2];
    int L = cfg->n_layers;
    memset(m, 0, sizeof *m);
    if (L != 2)
        return ax_fail(AX_E_RANGE,
                       "chip mapper: %d weight layers; it maps two (inputs -> hidden -> outputs)",
                       L);
    for (int l = 0; l < 2; l++)
        spec[l] = (struct ax_ttfs_layer_spec){.n_in = cfg->sizes[l] + (cfg->bias ? 1 : 0),
                                              .n_out = cfg->sizes[l + 1],
                                              .tau_ratio = cfg->tau_ratio,
                                              .threshold = cfg->threshold,
                                              .delay = cfg->delay};
    int rc = ax_ttfs_chip_map_create(
        m, spec, 2, cfg->bias ? cfg->bias_layers & 3u : 0u, t->value[AX_PARAM_GAIN_E],
        t->value[AX_PARAM_GAIN_I], cfg->chip.max_duplicates,
        (enum ax_ttfs_chip_layout)cfg->chip.layout, neurons_per_hemi, rows_per_hemi);
    if (rc < 0)
        return rc;
    m->tau_s_cycles = t->value[AX_PARAM_TAU_SE] * AX_CYCLES_PER_US;
    /* through a sigmoid the delays stay below delay_scale: refused before the
     * board is touched when the registers do not reach it (clip: per batch) */
    double top = cfg->delay_scale * m->tau_s_cycles;
    if (m->delays && cfg->delay_param == AX_TTFS_DELAY_SIGMOID && top > AX_DELAY_MAX + 0.5) {
        ax_ttfs_chip_map_free(m);
        return ax_fail(AX_E_RANGE,
                       "chip mapper: network.delay_scale %g tau_s = %.0f cycles, the drivers' "
                       "delays reach 0..%d cycles (%g tau_s at tau_s %g cycles)",
                       cfg->delay_scale, top, (int)AX_DELAY_MAX,
                       (double)AX_DELAY_MAX / m->tau_s_cycles, m->tau_s_cycles);
    }
    return AX_OK;
}

static int calibrate(struct ax_ttfs_chip *c, ax_calib_progress_fn progress, void *ctx)
{
    int rc = ax_calib_get(c->dev, &c->targets, progress, ctx, &c->calib, &c->calib_source);
    return rc < 0 ? rc : ax_calib_matches(c->dev, &c->targets, &c->calib);
}

/* [chip] calibrate = false: every neuron gets the targets' nominal codes
 * (exact on a board without fixed-pattern noise, fpn=0; a diagnostic, not an
 * operating point for a real die). Gains: one step's current jump J = psp x
 * tau_ratio x (threshold - leak) mV, nominally gain / 512 mV. */
static int nominal_codes(struct ax_ttfs_chip *c)
{
    const double *v = c->targets.value;
    double ratio = v[AX_PARAM_TAU_M] / v[AX_PARAM_TAU_SE];
    double dist = v[AX_PARAM_THRESHOLD] - v[AX_PARAM_LEAK];
    unsigned n = 2u * ax_device_ident(c->dev)->neurons_per_hemi;
    uint16_t *codes = malloc(n * sizeof *codes);
    int rc = codes ? AX_OK : AX_E_NOMEM;
    for (unsigned p = 0; p < AX_PARAM_COUNT && rc == 0; p++) {
        double x =
            p == AX_PARAM_GAIN_E || p == AX_PARAM_GAIN_I ? v[p] * ratio * dist * 512.0 : v[p];
        uint16_t code;
        if ((rc = ax_calib_nominal_code(p, x, &code)) < 0)
            break;
        for (unsigned i = 0; i < n; i++)
            codes[i] = code;
        rc = ax_chip_set_param(c->dev, p, 0, codes, n);
    }
    free(codes);
    if (rc == 0)
        rc = ax_chip_wait_capmem(c->dev);
    snprintf(c->calib.id, sizeof c->calib.id, "nominal");
    c->calib.die_seed = ax_device_ident(c->dev)->die_seed;
    return rc;
}

int ax_ttfs_chip_open(struct ax_ttfs_chip *c, const struct ax_ttfs_config *cfg, int max_batch,
                      ax_calib_progress_fn progress, void *ctx)
{
    memset(c, 0, sizeof *c);
    ax_net_result_init(&c->res);
    int rc = ax_ttfs_chip_targets(cfg, &c->targets);
    if (rc < 0)
        return rc;
    char uri[AX_TTFS_PATH_MAX + 32];
    device_uri(cfg, uri, sizeof uri);
    snprintf(c->name, sizeof c->name, "chip:%s", uri);
    if ((rc = ax_open(uri, &c->dev)) < 0)
        return rc;
    const ax_ident *id = ax_device_ident(c->dev);
    /* the fit first: nothing is written to a board the network does not fit */
    if ((rc = ax_ttfs_chip_map_config(&c->map, cfg, &c->targets, id->neurons_per_hemi,
                                      id->rows_per_hemi)) < 0 ||
        (rc = cfg->chip.calibrate ? calibrate(c, progress, ctx) : nominal_codes(c)) < 0) {
        ax_ttfs_chip_close(c);
        return rc;
    }
    c->units.tau_s_cycles = c->targets.value[AX_PARAM_TAU_SE] * AX_CYCLES_PER_US;
    rc = ax_ttfs_chip_to_cycles(&c->units, cfg->chip.trial, &c->trial_cycles);
    c->max_batch = max_batch;
    c->tin = malloc((size_t)max_batch * c->map.n_in * sizeof *c->tin);
    c->tbias = malloc((size_t)max_batch * sizeof *c->tbias);
    c->hops = malloc((size_t)c->map.n_hidden * 4 * sizeof *c->hops);
    c->inj_cycles = AX_NET_T0 + c->trial_cycles + 2;
    c->inj_buses = malloc(c->inj_cycles);
    if (rc == 0 && (!c->tin || !c->tbias || !c->hops || !c->inj_buses))
        rc = AX_E_NOMEM;
    if (rc < 0) {
        ax_ttfs_chip_close(c);
        return rc;
    }
    fill_provenance(c);
    c->backend = (struct ax_ttfs_backend){
        .name = c->name, .forward = ax_ttfs_chip_forward, .ctx = c, .provenance = &c->prov};
    c->arrivals = cfg->chip.arrivals;
    c->backend.fills_inputs = c->arrivals;
    if (cfg->chip.clip_weights) { /* the host trains what the codes reach */
        double step = fmin(c->map.scale_e, c->map.scale_i);
        c->backend.w_max[0] = AX_WEIGHT_MAX * c->map.duplicates * step;
        c->backend.w_max[1] = AX_WEIGHT_MAX * step;
        c->backend.w_max_bias[0] = c->backend.w_max_bias[1] =
            AX_WEIGHT_MAX * c->map.bias_duplicates * step;
    }
    return AX_OK;
}

void ax_ttfs_chip_close(struct ax_ttfs_chip *c)
{
    ax_ttfs_chip_map_free(&c->map);
    ax_net_result_free(&c->res);
    ax_calib_result_free(&c->calib);
    if (c->dev)
        ax_close(c->dev);
    free(c->tin);
    free(c->tbias);
    free(c->hops);
    free(c->inj_buses);
    memset(c, 0, sizeof *c);
}

/* Input times of the batch's rows (rows[b], or b) in cycles; the bias
 * column of t_in[0] is the bias source's time. */
static void input_cycles(struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int B,
                         const int *rows)
{
    int n = c->map.n_in, bias = c->map.pop_bias >= 0, nf = n - bias;
    for (int b = 0; b < B; b++) {
        const double *t = s->t_in[0] + (size_t)(rows ? rows[b] : b) * n;
        for (int i = 0; i < nf; i++)
            c->tin[(size_t)b * nf + i] = t[i] * c->units.tau_s_cycles;
        c->tbias[b] = bias ? t[nf] * c->units.tau_s_cycles : INFINITY;
    }
}

static int run_rows(struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int B, const int *rows)
{
    struct ax_net_batch b;
    ax_net_batch_init(&b);
    b.trials = (unsigned)B;
    b.trial_cycles = c->trial_cycles;
    input_cycles(c, s, B, rows);
    b.times[c->map.pop_in] = c->tin;
    if (c->map.pop_bias >= 0)
        b.times[c->map.pop_bias] = c->tbias;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ax_net_run(c->map.net, c->dev, &b, &c->res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->stats.chip_seconds +=
        (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    c->stats.batches++;
    c->stats.trials += (uint64_t)B;
    c->stats.moved += c->res.moved;
    c->stats.write_words += c->res.write_words;
    return rc;
}

static int hop_cmp(const void *a, const void *b)
{
    const struct ax_ttfs_chip_hop *x = a, *y = b;
    if (x->cycle != y->cycle)
        return x->cycle < y->cycle ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

/* The input time to hand the trainer for input i of layer l that was on its
 * rows at `cycles` after time 0 before its driver's delay: the trainer adds
 * its float delay to it, so the sum is the chip's arrival (the delay
 * register's whole cycles included). */
static double arrival(const struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int l, int i,
                      double cycles)
{
    double t = cycles / c->units.tau_s_cycles;
    if (c->map.delays)
        t += c->map.delay_cycles[l][i] / c->units.tau_s_cycles - s->d[l][i];
    return t;
}

/* When unit i of source pop reached its rows in trial k of the last run
 * (cycles after time 0; ax_net_result.arrived: moved events included), or
 * its time rounded to the cycle when the run did not say. */
static double arrived(const struct ax_ttfs_chip *c, int pop, int k, int i, double t)
{
    const double *a = pop >= 0 ? c->res.arrived[pop] : NULL;
    unsigned size = pop >= 0 ? ax_net_pop_size(c->map.net, pop) : 0;
    if (a && isfinite(a[(size_t)k * size + (size_t)i]))
        return a[(size_t)k * size + (size_t)i];
    return (double)llround(t * c->units.tau_s_cycles);
}

/* Layer 0's inputs of trial k (row `row`) as the chip got them: on the
 * cycle each event really arrived (and, with delays, the delay register's
 * cycles). */
static void injected_inputs(const struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int k,
                            int row)
{
    int n = c->map.n_in, bias = c->map.pop_bias >= 0;
    double *t = s->t_in[0] + (size_t)row * n;
    for (int i = 0; i < n; i++)
        if (isfinite(t[i]))
            t[i] = arrival(c, s, 0, i,
                           bias && i == n - 1 ? arrived(c, c->map.pop_bias, k, 0, t[i])
                                              : arrived(c, c->map.pop_in, k, i, t[i]));
}

/* The buses the host's injections took in each cycle of trial k (bit b:
 * bus b; experiment time, indices up to c->inj_cycles). */
static void injected_buses(struct ax_ttfs_chip *c, int k)
{
    memset(c->inj_buses, 0, c->inj_cycles);
    const struct ax_net_result *r = &c->res;
    for (size_t i = 0; i < r->ninj; i++)
        if (r->inj[i].trial == (uint32_t)k && r->inj[i].cycle < c->inj_cycles)
            c->inj_buses[r->inj[i].cycle] |= r->inj[i].buses;
}

/* When each hidden spike of trial k reached the output rows, from the
 * event buses' queues (docs/chip.md section 6): a spike of update cycle t
 * is on its bus at t + 1 at the earliest, each bus carries one event a
 * cycle, spikes queue in spike order (within a cycle in neuron order), the
 * host's injections (the inputs still arriving, the bias) take their bus
 * index first, in both hemispheres, and an event reaches its rows the cycle
 * after its bus cycle (delay 0). These arrival times are the output layer's
 * inputs. Writes row `row` of t_in[1]. */
static void hidden_arrivals(struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int k, int row)
{
    const struct ax_ttfs_chip_map *m = &c->map;
    int nh = m->n_hidden, n1 = s->spec[1].n_in;
    double *tin = s->t_in[1] + (size_t)row * n1;
    struct ax_ttfs_chip_hop *h = c->hops;
    size_t n = 0;
    const ax_result *raw = &c->res.raw;
    for (size_t i = 0; i < raw->nspikes; i++) {
        const ax_spike *sp = &raw->spikes[i];
        unsigned unit;
        if (sp->trial != c->res.first_trial + (uint32_t)k ||
            ax_net_label_unit(m->net, sp->label, &unit) != m->pop_hidden || (int)unit >= nh ||
            n >= (size_t)nh * 4)
            continue;
        h[n++] = (struct ax_ttfs_chip_hop){sp->time, unit,
                                           (sp->label >> 6 & 0x7Fu) % AX_NET_EVENT_BUSES};
    }
    qsort(h, n, sizeof *h, hop_cmp);
    uint64_t busy[AX_NET_EVENT_BUSES] = {0}; /* the next free bus cycle */
    injected_buses(c, k);
    for (int j = 0; j < nh; j++)
        tin[j] = INFINITY;
    for (size_t i = 0; i < n; i++) {
        uint64_t bus = h[i].cycle + 1;
        if (bus < busy[h[i].bus])
            bus = busy[h[i].bus];
        while (bus < c->inj_cycles && c->inj_buses[bus] >> h[i].bus & 1)
            bus++;
        busy[h[i].bus] = bus + 1;
        tin[h[i].unit] = arrival(c, s, 1, (int)h[i].unit, (double)(bus + 1) - AX_NET_T0);
    }
    if (m->pop_bias >= 0 && isfinite(s->bias_time))
        tin[nh] = arrival(c, s, 1, nh, arrived(c, m->pop_bias, k, 0, s->bias_time));
}

/* Measured first spikes of trial k of the last run into row `row`, and the
 * output layer's inputs as they arrived. */
static void take_times(struct ax_ttfs_chip *c, const struct ax_ttfs_stack *s, int k, int row)
{
    const int pops[2] = {c->map.pop_hidden, c->map.pop_out};
    for (int l = 0; l < 2; l++) {
        int n = s->spec[l].n_out;
        const double *f = c->res.first[pops[l]] + (size_t)k * n;
        for (int j = 0; j < n; j++)
            s->t_out[l][(size_t)row * n + j] = f[j] / c->units.tau_s_cycles; /* INFINITY stays */
    }
    if (c->arrivals) {
        injected_inputs(c, s, k, row);
        hidden_arrivals(c, s, k, row);
    }
}

int ax_ttfs_chip_forward(void *ctx, const struct ax_ttfs_stack *s, int B)
{
    struct ax_ttfs_chip *c = ctx;
    if (B > c->max_batch || s->n_layers != 2 || s->spec[0].n_in != c->map.n_in ||
        s->spec[0].n_out != c->map.n_hidden || s->spec[1].n_out != c->map.n_out)
        return ax_fail(AX_E_INVAL,
                       "chip backend: the batch or network differs from the mapped one");
    const double *const w[2] = {s->w[0], s->w[1]};
    int rc = ax_ttfs_chip_map_weights(&c->map, w, &c->stats.clip);
    if (rc == 0 && c->map.delays) {
        const double *const d[2] = {s->d[0], s->d[1]};
        rc = ax_ttfs_chip_map_delays(&c->map, d);
    }
    if (rc == 0)
        rc = run_rows(c, s, B, NULL);
    if (rc < 0)
        return rc;
    int *again = malloc((size_t)B * sizeof *again), n_again = 0;
    if (!again)
        return AX_E_NOMEM;
    for (int b = 0; b < B; b++) {
        if (c->res.lost[b])
            again[n_again++] = b;
        else
            take_times(c, s, b, b);
    }
    if (n_again) { /* once more, then an error: a trial with a loss is never trained on */
        c->stats.repeated += (uint64_t)n_again;
        rc = run_rows(c, s, n_again, again);
        for (int k = 0; rc == 0 && k < n_again; k++) {
            if (c->res.lost[k])
                rc = ax_fail(AX_E_OVERFLOW,
                             "chip backend: sample %d of the batch lost %llu events or records "
                             "twice (spikes queued or late inputs: see docs/training.md, the "
                             "operating point)",
                             again[k], (unsigned long long)c->res.lost[k]);
            else
                take_times(c, s, k, again[k]);
        }
    }
    free(again);
    return rc;
}
