/* The network: one parameter buffer (params | grads | Adam m | Adam v), the
 * forward pass through a backend and the exact backward pass. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_train.h"

/* ---------------------------------------------------------------------------
 * random numbers: xoshiro256** seeded through splitmix64 */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void ax_rng_seed(struct ax_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t ax_rng_next(struct ax_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double ax_rng_uniform(struct ax_rng *r)
{
    return (double)(ax_rng_next(r) >> 11) * 0x1.0p-53;
}

double ax_rng_normal(struct ax_rng *r)
{
    /* Box-Muller; one value per call keeps the state a plain 256 bits. */
    double u1 = 1.0 - ax_rng_uniform(r), u2 = ax_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---------------------------------------------------------------------------
 * create / free / init */

static size_t total_delays(const struct ax_ttfs_net *net)
{
    size_t n = 0;
    for (int l = 0; l < net->n_layers; l++)
        n += net->d_count[l];
    return n;
}

static int alloc_activations(struct ax_ttfs_net *net, int B)
{
    int max_in = 1, max_out = 1;
    for (int l = 0; l < net->n_layers; l++) {
        const struct ax_ttfs_layer_spec *s = &net->spec[l];
        size_t in = (size_t)B * s->n_in, out = (size_t)B * s->n_out;
        net->t_in[l] = malloc(in * sizeof(double));
        net->dt_in[l] = malloc(in * sizeof(double));
        net->t_out[l] = malloc(out * sizeof(double));
        net->dt_out[l] = malloc(out * sizeof(double));
        net->delays[l] = malloc((net->d_count[l] ? net->d_count[l] : 1) * 2 * sizeof(double));
        if (!net->t_in[l] || !net->dt_in[l] || !net->t_out[l] || !net->dt_out[l] || !net->delays[l])
            return AX_E_NOMEM;
        if (s->n_in > max_in)
            max_in = s->n_in;
        if (s->n_out > max_out)
            max_out = s->n_out;
    }
    net->work = ax_ttfs_work_create(max_in, max_out);
    net->tddelay[0] = malloc((total_delays(net) + 1) * sizeof(double));
    return net->work && net->tddelay[0] ? 0 : AX_E_NOMEM;
}

int ax_ttfs_net_create(struct ax_ttfs_net *net, const struct ax_ttfs_config *cfg, int max_batch)
{
    memset(net, 0, sizeof *net);
    net->n_layers = cfg->n_layers;
    net->bias = cfg->bias;
    net->bias_time = cfg->bias_time;
    net->bias_layers = cfg->bias_layers;
    net->delay_param = cfg->delay_param;
    net->delay_scale = cfg->delay_scale;
    net->max_batch = max_batch;
    size_t off = 0;
    for (int l = 0; l < cfg->n_layers; l++) {
        struct ax_ttfs_layer_spec *s = &net->spec[l];
        s->n_in = cfg->sizes[l] + (cfg->bias ? 1 : 0);
        s->n_out = cfg->sizes[l + 1];
        s->tau_ratio = cfg->tau_ratio;
        s->threshold = cfg->threshold;
        s->delay = cfg->delay;
        s->max_dw = cfg->max_dw_mode == AX_TTFS_DW_SKIP ? cfg->max_dw_norm : 0.0;
        net->w_off[l] = off;
        off += (size_t)s->n_in * s->n_out;
        net->d_off[l] = off;
        net->d_count[l] = ax_ttfs_delay_count(s);
        off += net->d_count[l];
    }
    net->n_params = off;
    net->mem = calloc(4 * off, sizeof(double));
    int rc = net->mem ? alloc_activations(net, max_batch) : AX_E_NOMEM;
    if (rc) {
        ax_ttfs_net_free(net);
        return rc;
    }
    net->params = net->mem;
    net->grads = net->mem + off;
    net->m = net->mem + 2 * off;
    net->v = net->mem + 3 * off;
    net->backend = (struct ax_ttfs_backend){
        .name = "software", .forward = ax_ttfs_software_forward, .ctx = net};
    net->n_threads = 1;
    rc = ax_ttfs_net_constrain(net, &cfg->constraints);
    if (rc)
        ax_ttfs_net_free(net);
    return rc;
}

int ax_ttfs_net_set_threads(struct ax_ttfs_net *net, int n)
{
    if (n < 1 || n > AX_TTFS_MAX_THREADS)
        return AX_E_RANGE;
    int max_in = 1, max_out = 1;
    for (int l = 0; l < net->n_layers; l++) {
        max_in = net->spec[l].n_in > max_in ? net->spec[l].n_in : max_in;
        max_out = net->spec[l].n_out > max_out ? net->spec[l].n_out : max_out;
    }
    for (int t = 1; t < n; t++) {
        if (!net->twork[t])
            net->twork[t] = ax_ttfs_work_create(max_in, max_out);
        if (!net->tgrads[t])
            net->tgrads[t] = malloc(net->n_params * sizeof(double));
        if (!net->tddelay[t])
            net->tddelay[t] = malloc((total_delays(net) + 1) * sizeof(double));
        if (!net->twork[t] || !net->tgrads[t] || !net->tddelay[t])
            return AX_E_NOMEM;
    }
    net->n_threads = n;
    return 0;
}

void ax_ttfs_net_free(struct ax_ttfs_net *net)
{
    for (int l = 0; l < AX_TTFS_MAX_LAYERS; l++) {
        free(net->t_in[l]);
        free(net->dt_in[l]);
        free(net->t_out[l]);
        free(net->dt_out[l]);
        free(net->delays[l]);
    }
    ax_ttfs_work_free(net->work);
    free(net->tddelay[0]);
    for (int t = 1; t < AX_TTFS_MAX_THREADS; t++) {
        ax_ttfs_work_free(net->twork[t]);
        free(net->tgrads[t]);
        free(net->tddelay[t]);
    }
    free(net->mem);
    free(net->wq);
    free(net->dq);
    free(net->die);
    free(net->weff);
    memset(net, 0, sizeof *net);
}

void ax_ttfs_net_init(struct ax_ttfs_net *net, const struct ax_ttfs_config *cfg, struct ax_rng *rng)
{
    memset(net->mem, 0, 4 * net->n_params * sizeof(double));
    for (int l = 0; l < net->n_layers; l++) {
        double *w = net->params + net->w_off[l];
        size_t nw = (size_t)net->spec[l].n_in * net->spec[l].n_out;
        for (size_t i = 0; i < nw; i++)
            w[i] = cfg->weight_mean[l] + cfg->weight_std[l] * ax_rng_normal(rng);
        double *p = net->params + net->d_off[l];
        for (size_t i = 0; i < net->d_count[l]; i++) {
            p[i] = cfg->delay_mean + cfg->delay_std * ax_rng_normal(rng);
            if (net->delay_param == AX_TTFS_DELAY_CLIP && p[i] < 0.0)
                p[i] = 0.0;
        }
    }
    ax_ttfs_net_bias_off(net, net->params);
    ax_ttfs_net_map_delays(net);
}

void ax_ttfs_net_bias_off(const struct ax_ttfs_net *net, double *x)
{
    for (int l = 0; net->bias && l < net->n_layers; l++) {
        if (net->bias_layers >> l & 1)
            continue;
        const struct ax_ttfs_layer_spec *s = &net->spec[l];
        for (int j = 0; j < s->n_out; j++)
            x[net->w_off[l] + (size_t)j * s->n_in + (size_t)s->n_in - 1] = 0.0;
    }
}

/* delays[l] holds the values, then their derivatives d(value)/d(param). */
void ax_ttfs_net_map_delays(struct ax_ttfs_net *net)
{
    for (int l = 0; l < net->n_layers; l++) {
        size_t n = net->d_count[l];
        const double *p = net->params + net->d_off[l];
        double *d = net->delays[l], *dd = net->delays[l] + n;
        for (size_t i = 0; i < n; i++) {
            if (net->delay_param == AX_TTFS_DELAY_SIGMOID) {
                double s = 1.0 / (1.0 + exp(-p[i]));
                d[i] = net->delay_scale * s;
                dd[i] = net->delay_scale * s * (1.0 - s);
            } else {
                d[i] = p[i] > 0.0 ? p[i] : 0.0;
                dd[i] = p[i] > 0.0 ? 1.0 : 0.0;
            }
        }
    }
}

/* ---------------------------------------------------------------------------
 * forward / backward */

/* The network as a layer stack: views into its parameters and activations. */
static void net_stack(const struct ax_ttfs_net *net, struct ax_ttfs_stack *s)
{
    /* with constraints, both passes see the quantised parameters */
    const double *w = net->wq ? net->wq : net->params, *dq = net->dq;
    memset(s, 0, sizeof *s);
    s->n_layers = net->n_layers;
    s->bias = net->bias;
    s->bias_time = net->bias_time;
    for (int l = 0; l < net->n_layers; l++) {
        s->spec[l] = net->spec[l];
        s->w[l] = w + net->w_off[l];
        s->d[l] = net->d_count[l] ? (dq ? dq : net->delays[l]) : NULL;
        dq = dq ? dq + net->d_count[l] : NULL;
        s->t_in[l] = net->t_in[l];
        s->t_out[l] = net->t_out[l];
        s->dt_in[l] = l > 0 ? net->dt_in[l] : NULL; /* nothing learns from the input times */
        s->dt_out[l] = net->dt_out[l];
    }
}

/* Copies B rows of n values into rows of n (+1 bias) values. */
static void fill_inputs(double *dst, const double *src, int B, int n, bool bias, double bias_time)
{
    int stride = n + (bias ? 1 : 0);
    for (int b = 0; b < B; b++) {
        memcpy(dst + (size_t)b * stride, src + (size_t)b * n, (size_t)n * sizeof(double));
        if (bias)
            dst[(size_t)b * stride + n] = bias_time;
    }
}

/* ---------------------------------------------------------------------------
 * threads over the batch: each thread owns rows [r0, r1) of every activation */

struct row_task {
    struct ax_ttfs_net *net;
    const struct ax_ttfs_stack *s;
    int t, r0, r1;
};

static ax_ttfs_work *thread_work(const struct ax_ttfs_net *net, int t)
{
    return t ? net->twork[t] : net->work;
}

static void *forward_thread(void *arg)
{
    struct row_task *k = arg;
    ax_ttfs_stack_forward(k->s, k->r0, k->r1, thread_work(k->net, k->t));
    return NULL;
}

/* Thread t accumulates into its own gradient buffers (thread 0: net->grads)
 * and delay-value gradients; reduce_thread_grads sums them in thread order. */
static void *backward_thread(void *arg)
{
    struct row_task *k = arg;
    struct ax_ttfs_net *net = k->net;
    double *grads = k->t ? net->tgrads[k->t] : net->grads, *ddv = net->tddelay[k->t];
    if (k->t)
        memset(grads, 0, net->n_params * sizeof(double));
    memset(ddv, 0, (total_delays(net) + 1) * sizeof(double));
    double *dw[AX_TTFS_MAX_LAYERS], *dd[AX_TTFS_MAX_LAYERS];
    size_t at = 0;
    for (int l = 0; l < net->n_layers; l++) {
        dw[l] = grads + net->w_off[l];
        dd[l] = net->d_count[l] ? ddv + at : NULL;
        at += net->d_count[l];
    }
    ax_ttfs_stack_backward(k->s, dw, dd, k->r0, k->r1, thread_work(net, k->t));
    return NULL;
}

static int row_threads(const struct ax_ttfs_net *net, int B)
{
    int n = net->n_threads < B ? net->n_threads : B;
    return n > 1 ? n : 1;
}

/* Runs fn over the row ranges of the net's threads; thread 0 is the caller. */
static int run_threads(struct ax_ttfs_net *net, const struct ax_ttfs_stack *s, int B,
                       void *(*fn)(void *))
{
    struct row_task task[AX_TTFS_MAX_THREADS];
    pthread_t tid[AX_TTFS_MAX_THREADS];
    int n = row_threads(net, B), started = 0, rc = 0;
    for (int t = 0; t < n; t++)
        task[t] = (struct row_task){net, s, t, B * t / n, B * (t + 1) / n};
    for (int t = 1; t < n; t++, started++)
        if (pthread_create(&tid[t], NULL, fn, &task[t])) {
            rc = AX_E_NOMEM;
            break;
        }
    if (!rc)
        fn(&task[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return rc;
}

/* Sums the threads' gradients in thread order and applies the delay chain rule. */
static void reduce_thread_grads(struct ax_ttfs_net *net, int B)
{
    int n = row_threads(net, B);
    size_t nd = total_delays(net);
    for (int t = 1; t < n; t++) {
        for (size_t i = 0; i < net->n_params; i++)
            net->grads[i] += net->tgrads[t][i];
        for (size_t i = 0; i < nd; i++)
            net->tddelay[0][i] += net->tddelay[t][i];
    }
    /* Delay gradients are taken w.r.t. the delay values first, then go
     * through the reparametrisation into grads. */
    size_t at = 0;
    for (int l = 0; l < net->n_layers; l++) {
        double *g = net->grads + net->d_off[l];
        const double *deriv = net->delays[l] + net->d_count[l];
        for (size_t i = 0; i < net->d_count[l]; i++)
            g[i] += net->tddelay[0][at + i] * deriv[i];
        at += net->d_count[l];
    }
}

int ax_ttfs_software_forward(void *ctx, const struct ax_ttfs_stack *s, int B)
{
    struct ax_ttfs_net *net = ctx;
    for (int l = 0; l < s->n_layers; l++) {
        const struct ax_ttfs_layer_spec *sp = &s->spec[l];
        if (l >= net->n_layers || sp->n_in > net->spec[l].n_in || sp->n_out > net->spec[l].n_out)
            return AX_E_INVAL; /* the workspaces would be too small */
    }
    if (B > net->max_batch)
        return AX_E_INVAL;
    return run_threads(net, s, B, forward_thread);
}

int ax_ttfs_net_forward(struct ax_ttfs_net *net, const double *x, int B)
{
    if (B > net->max_batch)
        return AX_E_INVAL;
    int n0 = net->spec[0].n_in - (net->bias ? 1 : 0);
    fill_inputs(net->t_in[0], x, B, n0, net->bias, net->bias_time);
    ax_ttfs_net_quantise(net);
    struct ax_ttfs_stack s;
    net_stack(net, &s);
    int rc = net->backend.forward(net->backend.ctx, &s, B);
    if (rc)
        return rc;
    /* The backward pass reads each layer's inputs: derive them from the times
     * the backend produced (which is what the software backend left there). */
    for (int l = 1; l < net->n_layers && !net->backend.fills_inputs; l++)
        ax_ttfs_stack_fill_inputs(&s, l, 0, B);
    return 0;
}

const double *ax_ttfs_net_output(const struct ax_ttfs_net *net)
{
    return net->t_out[net->n_layers - 1];
}

void ax_ttfs_net_zero_grad(struct ax_ttfs_net *net)
{
    memset(net->grads, 0, net->n_params * sizeof(double));
}

int ax_ttfs_net_backward(struct ax_ttfs_net *net, int B)
{
    if (B > net->max_batch)
        return AX_E_INVAL;
    struct ax_ttfs_stack s;
    net_stack(net, &s);
    int rc = run_threads(net, &s, B, backward_thread);
    if (!rc)
        reduce_thread_grads(net, B);
    ax_ttfs_net_bias_off(net, net->grads);
    return rc;
}
