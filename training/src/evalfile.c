/* The ttfs-eval file reader (format: axon/ttfs_eval.h, docs/training.md) and
 * the evaluation of its samples through the layer stack the trainer uses. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_eval.h"

/* ---------------------------------------------------------------------------
 * tokens: read strictly forward, with one token of look-ahead put back in
 * place, so that pipes and terminals work as well as files */

struct reader {
    FILE *f;
    const char *name;
    int line, kw_line; /* line of the current token, line of the current keyword */
    int sizes_line;    /* line of the 'sizes' keyword, 0 before it */
    bool put_back;     /* tok is to be returned again by the next next_token */
    char tok[128];
};

static int fail(struct reader *r, int line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets the thread's error detail to "name:line: message" (line 0: "name:
 * message") and returns code. */
static int fail(struct reader *r, int line, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        return ax_fail(code, "%s:%d: %s", r->name, line, msg);
    return ax_fail(code, "%s: %s", r->name, msg);
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Next token, skipping spaces and comments; false at end of input. */
static bool next_token(struct reader *r)
{
    if (r->put_back) {
        r->put_back = false;
        return true;
    }
    int c, n = 0;
    for (;;) {
        c = fgetc(r->f);
        if (c == '#')
            while (c != '\n' && c != EOF)
                c = fgetc(r->f);
        if (c == '\n')
            r->line++;
        if (c == EOF)
            return false;
        if (!is_space(c))
            break;
    }
    while (c != EOF && !is_space(c) && c != '#' && n < (int)sizeof r->tok - 1) {
        r->tok[n++] = (char)c;
        c = fgetc(r->f);
    }
    if (c != EOF)
        ungetc(c, r->f); /* one character of push-back is all stdio promises */
    r->tok[n] = 0;
    return true;
}

static int read_numbers(struct reader *r, const char *field, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *end;
        if (!next_token(r))
            return fail(r, r->kw_line, AX_E_TRUNC, "%s: expected %zu values, file ended after %zu",
                        field, n, i);
        out[i] = strtod(r->tok, &end);
        if (*end || end == r->tok || isnan(out[i]))
            return fail(r, r->line, AX_E_FORMAT, "%s: bad number '%s'", field, r->tok);
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * keywords */

static size_t delay_count(const struct ax_ttfs_eval *ev, int l)
{
    struct ax_ttfs_layer_spec s = {ev->sizes[l - 1], ev->sizes[l], ev->tau_ratio,
                                   ev->threshold,    ev->delay,    0.0};
    return ax_ttfs_delay_count(&s);
}

static int alloc_read(struct reader *r, const char *field, size_t n, double **out)
{
    double *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return fail(r, r->kw_line, AX_E_NOMEM, "%s: out of memory for %zu values", field, n);
    int rc = read_numbers(r, field, v, n);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* A layer index token 1..n_layers, for `weights L` / `delays L`. */
static int read_layer(struct reader *r, const struct ax_ttfs_eval *ev, const char *field)
{
    char *end;
    long l = next_token(r) ? strtol(r->tok, &end, 10) : 0;
    if (ev->n_layers == 0 || l < 1 || l > ev->n_layers)
        return fail(r, r->line, AX_E_FORMAT, "%s: expected a layer 1..%d after 'sizes'", field,
                    ev->n_layers);
    return (int)l;
}

/* The whole network's weight count against the limit, so that the sizes of a
 * typo are refused before anything is allocated for them. */
static int check_network_size(struct reader *r, const struct ax_ttfs_eval *ev)
{
    long long weights = 0;
    for (int l = 1; l <= ev->n_layers; l++)
        weights += (long long)ev->sizes[l - 1] * ev->sizes[l];
    if (weights > AX_TTFS_EVAL_MAX_WEIGHTS)
        return fail(r, r->kw_line, AX_E_RANGE,
                    "sizes: the network would have %lld weights; this reader takes at most %ld "
                    "(128 MiB, and as much again for the gradients)",
                    weights, AX_TTFS_EVAL_MAX_WEIGHTS);
    return 0;
}

static int read_sizes(struct reader *r, struct ax_ttfs_eval *ev)
{
    if (r->sizes_line)
        return fail(r, r->kw_line, AX_E_FORMAT, "sizes: given twice (first on line %d)",
                    r->sizes_line);
    r->sizes_line = r->kw_line;
    int n = 0;
    while (next_token(r)) {
        char *end;
        long v = strtol(r->tok, &end, 10);
        if (*end) { /* the next keyword */
            r->put_back = true;
            break;
        }
        if (n == AX_TTFS_MAX_LAYERS + 1)
            return fail(r, r->line, AX_E_RANGE, "sizes: at most %d layers", AX_TTFS_MAX_LAYERS);
        if (v < 1 || v > AX_TTFS_EVAL_MAX_NEURONS)
            return fail(r, r->line, AX_E_RANGE,
                        "sizes: %ld out of range (1 to %d neurons per layer)", v,
                        AX_TTFS_EVAL_MAX_NEURONS);
        ev->sizes[n++] = (int)v;
    }
    if (n < 2)
        return fail(r, r->line, AX_E_FORMAT, "sizes: need at least two sizes");
    ev->n_layers = n - 1;
    return check_network_size(r, ev);
}

static int read_delay_kind(struct reader *r, struct ax_ttfs_eval *ev)
{
    static const char *names[] = {"none", "synaptic", "axonal", "dendritic"};
    int found = -1;
    if (next_token(r))
        for (int i = 0; i < 4; i++)
            if (!strcmp(r->tok, names[i]))
                found = i;
    if (found < 0 || ev->n_layers > 0)
        return fail(r, r->line, AX_E_FORMAT,
                    "delay: expected none|synaptic|axonal|dendritic before sizes");
    ev->delay = (enum ax_ttfs_delay)found;
    return 0;
}

/* `weights L ...` or `delays L ...`; a repeated one replaces the earlier. */
static int read_layer_values(struct reader *r, struct ax_ttfs_eval *ev, const char *k)
{
    int l = read_layer(r, ev, k);
    if (l < 0)
        return l;
    bool is_w = k[0] == 'w';
    size_t cnt = is_w ? (size_t)ev->sizes[l] * ev->sizes[l - 1] : delay_count(ev, l);
    double **slot = is_w ? &ev->w[l - 1] : &ev->d[l - 1];
    free(*slot);
    *slot = NULL;
    return alloc_read(r, k, cnt, slot);
}

/* `sample ...` adds a sample, `grad ...` sets the last one's output gradient. */
static int read_sample_values(struct reader *r, struct ax_ttfs_eval *ev, const char *k)
{
    bool is_x = k[0] == 's';
    if (ev->n_layers < 1 || (is_x && ev->n_samples == AX_TTFS_EVAL_MAX_SAMPLES) ||
        (!is_x && !ev->n_samples))
        return fail(r, r->line, AX_E_FORMAT, "%s: needs 'sizes' first%s", k,
                    is_x ? " (at most 1024 samples)" : " and a sample");
    if (is_x) {
        int rc = alloc_read(r, k, (size_t)ev->sizes[0], &ev->x[ev->n_samples]);
        ev->n_samples += rc == 0;
        return rc;
    }
    double **g = &ev->g[ev->n_samples - 1];
    free(*g);
    *g = NULL;
    return alloc_read(r, k, (size_t)ev->sizes[ev->n_layers], g);
}

static int read_keyword(struct reader *r, struct ax_ttfs_eval *ev)
{
    char k[sizeof r->tok];
    memcpy(k, r->tok, sizeof k); /* r->tok is overwritten by the values */
    r->kw_line = r->line;
    double v;
    if (!strcmp(k, "tau_ratio")) {
        if (read_numbers(r, k, &v, 1) || (v != 1 && v != 2))
            return fail(r, r->line, AX_E_RANGE, "tau_ratio: expected 1 or 2");
        ev->tau_ratio = (int)v;
        return 0;
    }
    if (!strcmp(k, "threshold")) {
        if (read_numbers(r, k, &ev->threshold, 1) || !(ev->threshold > 0))
            return fail(r, r->line, AX_E_RANGE, "threshold: expected a positive number");
        return 0;
    }
    if (!strcmp(k, "delay"))
        return read_delay_kind(r, ev);
    if (!strcmp(k, "sizes"))
        return read_sizes(r, ev);
    if (!strcmp(k, "weights") || !strcmp(k, "delays"))
        return read_layer_values(r, ev, k);
    if (!strcmp(k, "sample") || !strcmp(k, "grad"))
        return read_sample_values(r, ev, k);
    return fail(r, r->line, AX_E_FORMAT, "unknown keyword '%s'", k);
}

/* ---------------------------------------------------------------------------
 * files */

static int check_complete(struct reader *r, const struct ax_ttfs_eval *ev)
{
    for (int l = 0; l < ev->n_layers; l++)
        if (!ev->w[l] || (ev->delay && !ev->d[l]))
            return fail(r, 0, AX_E_FORMAT, "layer %d: missing %s", l + 1,
                        ev->w[l] ? "delays" : "weights");
    if (ev->n_layers < 1)
        return fail(r, 0, AX_E_FORMAT, "sizes: missing");
    return 0;
}

int ax_ttfs_eval_read(struct ax_ttfs_eval *ev, FILE *f, const char *name)
{
    memset(ev, 0, sizeof *ev);
    ev->tau_ratio = 1;
    ev->threshold = 1.0;
    struct reader r = {.f = f, .name = name, .line = 1, .kw_line = 1};
    int rc = 0;
    if (!next_token(&r) || strcmp(r.tok, "ttfs-eval") || !next_token(&r) || strcmp(r.tok, "1"))
        rc = fail(&r, r.line, AX_E_FORMAT, "expected the header 'ttfs-eval 1'");
    while (!rc && next_token(&r))
        rc = read_keyword(&r, ev);
    if (!rc)
        rc = check_complete(&r, ev);
    if (rc)
        ax_ttfs_eval_free(ev);
    return rc;
}

int ax_ttfs_eval_load(struct ax_ttfs_eval *ev, const char *path)
{
    bool std_in = !strcmp(path, "-");
    FILE *f = std_in ? stdin : fopen(path, "r");
    if (!f) {
        memset(ev, 0, sizeof *ev);
        return ax_fail(AX_E_NOTFOUND, "%s: cannot open", path);
    }
    int rc = ax_ttfs_eval_read(ev, f, std_in ? "<stdin>" : path);
    if (!std_in)
        fclose(f);
    return rc;
}

void ax_ttfs_eval_free(struct ax_ttfs_eval *ev)
{
    for (int l = 0; l < AX_TTFS_MAX_LAYERS; l++) {
        free(ev->w[l]);
        free(ev->d[l]);
    }
    for (int s = 0; s < ev->n_samples; s++) {
        free(ev->x[s]);
        free(ev->g[s]);
    }
    memset(ev, 0, sizeof *ev);
}

/* ---------------------------------------------------------------------------
 * evaluation: the network as a layer stack of batch 1 without a bias input
 * (a bias is an ordinary input in this format) */

/* Doubles for one sample's activations and gradients of every layer. */
static size_t out_doubles(const struct ax_ttfs_eval *ev)
{
    size_t n = 0;
    for (int l = 1; l <= ev->n_layers; l++) {
        size_t in = (size_t)ev->sizes[l - 1], out = (size_t)ev->sizes[l];
        n += 2 * in + 2 * out + in * out + delay_count(ev, l); /* t, dt in and out; dw; dd */
    }
    return n;
}

int ax_ttfs_eval_out_create(struct ax_ttfs_eval_out *o, const struct ax_ttfs_eval *ev)
{
    memset(o, 0, sizeof *o);
    struct ax_ttfs_stack *s = &o->stack;
    s->n_layers = ev->n_layers;
    o->mem = calloc(out_doubles(ev) + 1, sizeof(double));
    double *p = o->mem;
    for (int l = 0; l < ev->n_layers && p; l++) {
        int in = ev->sizes[l], out = ev->sizes[l + 1];
        s->spec[l] =
            (struct ax_ttfs_layer_spec){in, out, ev->tau_ratio, ev->threshold, ev->delay, 0.0};
        s->w[l] = ev->w[l];
        s->d[l] = ev->d[l];
        o->n_delays[l] = delay_count(ev, l + 1);
        s->t_in[l] = p, p += in;
        s->dt_in[l] = p, p += in;
        s->t_out[l] = o->times[l] = p, p += out;
        s->dt_out[l] = p, p += out;
        o->dw[l] = p, p += (size_t)in * out;
        o->dd[l] = o->n_delays[l] ? p : NULL, p += o->n_delays[l];
    }
    o->dt_in = s->dt_in[0];
    o->work = o->mem ? ax_ttfs_work_create_stack(s) : NULL;
    if (!o->work) {
        ax_ttfs_eval_out_free(o);
        return ax_fail(AX_E_NOMEM, "%s", ax_strerror(AX_E_NOMEM));
    }
    return 0;
}

void ax_ttfs_eval_out_free(struct ax_ttfs_eval_out *o)
{
    ax_ttfs_work_free(o->work);
    free(o->mem);
    memset(o, 0, sizeof *o);
}

void ax_ttfs_eval_sample(struct ax_ttfs_eval_out *o, const struct ax_ttfs_eval *ev, int s)
{
    const struct ax_ttfs_stack *st = &o->stack;
    int L = ev->n_layers, n_out = ev->sizes[L];
    memcpy(st->t_in[0], ev->x[s], (size_t)ev->sizes[0] * sizeof(double));
    ax_ttfs_stack_forward(st, 0, 1, o->work);
    for (int k = 0; k < n_out; k++)
        st->dt_out[L - 1][k] = ev->g[s] ? ev->g[s][k] : 1.0;
    for (int l = 0; l < L; l++) { /* the backward pass accumulates */
        memset(o->dw[l], 0, (size_t)ev->sizes[l] * ev->sizes[l + 1] * sizeof(double));
        if (o->dd[l])
            memset(o->dd[l], 0, o->n_delays[l] * sizeof(double));
    }
    ax_ttfs_stack_backward(st, o->dw, o->dd, 0, 1, o->work);
}
