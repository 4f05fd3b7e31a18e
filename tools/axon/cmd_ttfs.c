/* axon ttfs eval: spike times and exact gradients of a small network given in
 * a text file, so other implementations can be compared number by number.
 * Format (docs/training.md): whitespace-separated, '#' starts a comment.
 *   ttfs-eval 1
 *   tau_ratio 1|2      threshold X      delay none|synaptic|axonal|dendritic
 *   sizes N0 N1 ... NL                  (neurons per layer, inputs first)
 *   weights L v...     (layer L = 1..: N_L rows of N_{L-1} values)
 *   delays L v...      (delay values in tau_s: synaptic N_L x N_{L-1}, axonal N_{L-1}, dendritic
 * N_L) sample t...        (N0 input spike times; inf = no spike) grad g...          (optional,
 * after a sample: dJ/dT of the outputs; default all 1) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/ttfs.h"
#include "commands.h"

#define MAX_SAMPLES 1024

struct eval_net {
    int n_layers;
    int sizes[AX_TTFS_MAX_LAYERS + 1];
    int ratio;
    double threshold;
    enum ax_ttfs_delay delay;
    double *w[AX_TTFS_MAX_LAYERS], *d[AX_TTFS_MAX_LAYERS];
    int n_samples;
    double *x[MAX_SAMPLES], *g[MAX_SAMPLES];
};

struct reader {
    FILE *f;
    const char *path;
    int line, kw_line; /* current line, line of the current keyword */
    char tok[128];
};

/* Next token, skipping spaces and comments; 0 at end of file. */
static int next_token(struct reader *r)
{
    int c, n = 0;
    for (;;) {
        c = fgetc(r->f);
        if (c == '#')
            while (c != '\n' && c != EOF)
                c = fgetc(r->f);
        if (c == '\n')
            r->line++;
        if (c == EOF)
            return 0;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
    }
    while (c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '#' &&
           n < (int)sizeof r->tok - 1) {
        r->tok[n++] = (char)c;
        c = fgetc(r->f);
    }
    if (c != EOF)
        ungetc(c, r->f);
    r->tok[n] = 0;
    return 1;
}

static int read_numbers(struct reader *r, const char *field, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *end;
        if (!next_token(r)) {
            axon_err("ttfs eval: %s:%d: %s: expected %zu values, file ended after %zu", r->path,
                     r->kw_line, field, n, i);
            return -1;
        }
        out[i] = strtod(r->tok, &end);
        if (*end || end == r->tok || isnan(out[i])) {
            axon_err("ttfs eval: %s:%d: %s: bad number '%s'", r->path, r->line, field, r->tok);
            return -1;
        }
    }
    return 0;
}

static size_t delay_count(const struct eval_net *n, int l)
{
    struct ax_ttfs_layer_spec s = {n->sizes[l - 1], n->sizes[l], n->ratio,
                                   n->threshold,    n->delay,    0.0};
    return ax_ttfs_delay_count(&s);
}

static double *alloc_read(struct reader *r, const char *field, size_t n)
{
    double *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        axon_err("ttfs eval: out of memory");
        return NULL;
    }
    if (read_numbers(r, field, v, n)) {
        free(v);
        return NULL;
    }
    return v;
}

/* A layer index token 1..n_layers, for `weights L` / `delays L`. */
static int read_layer(struct reader *r, const struct eval_net *n, const char *field)
{
    char *end;
    long l = next_token(r) ? strtol(r->tok, &end, 10) : 0;
    if (n->n_layers == 0 || l < 1 || l > n->n_layers) {
        axon_err("ttfs eval: %s:%d: %s: expected a layer 1..%d after 'sizes'", r->path, r->line,
                 field, n->n_layers);
        return -1;
    }
    return (int)l;
}

static int read_sizes(struct reader *r, struct eval_net *n)
{
    long v;
    char *end;
    n->n_layers = -1;
    while (n->n_layers < AX_TTFS_MAX_LAYERS) {
        long pos = ftell(r->f);
        int line = r->line;
        if (!next_token(r))
            break;
        v = strtol(r->tok, &end, 10);
        if (*end) { /* the next keyword: step back */
            fseek(r->f, pos, SEEK_SET);
            r->line = line;
            break;
        }
        if (v < 1 || v > 100000) {
            axon_err("ttfs eval: %s:%d: sizes: %ld out of range", r->path, r->line, v);
            return -1;
        }
        n->sizes[++n->n_layers] = (int)v;
    }
    if (n->n_layers < 1) {
        axon_err("ttfs eval: %s:%d: sizes: need at least two sizes", r->path, r->line);
        return -1;
    }
    return 0;
}

static int read_keyword(struct reader *r, struct eval_net *n)
{
    char k[sizeof r->tok];
    memcpy(k, r->tok, sizeof k); /* r->tok is overwritten by the values */
    r->kw_line = r->line;
    double v;
    if (!strcmp(k, "tau_ratio")) {
        if (read_numbers(r, k, &v, 1) || (v != 1 && v != 2)) {
            axon_err("ttfs eval: %s:%d: tau_ratio: expected 1 or 2", r->path, r->line);
            return -1;
        }
        n->ratio = (int)v;
    } else if (!strcmp(k, "threshold")) {
        if (read_numbers(r, k, &n->threshold, 1) || !(n->threshold > 0)) {
            axon_err("ttfs eval: %s:%d: threshold: expected a positive number", r->path, r->line);
            return -1;
        }
    } else if (!strcmp(k, "delay")) {
        static const char *names[] = {"none", "synaptic", "axonal", "dendritic"};
        int found = -1;
        if (next_token(r))
            for (int i = 0; i < 4; i++)
                if (!strcmp(r->tok, names[i]))
                    found = i;
        if (found < 0 || n->n_layers > 0) {
            axon_err("ttfs eval: %s:%d: delay: expected none|synaptic|axonal|dendritic before "
                     "sizes",
                     r->path, r->line);
            return -1;
        }
        n->delay = (enum ax_ttfs_delay)found;
    } else if (!strcmp(k, "sizes")) {
        return read_sizes(r, n);
    } else if (!strcmp(k, "weights") || !strcmp(k, "delays")) {
        int l = read_layer(r, n, k);
        if (l < 0)
            return -1;
        int is_w = k[0] == 'w';
        size_t cnt = is_w ? (size_t)n->sizes[l] * n->sizes[l - 1] : delay_count(n, l);
        double **slot = is_w ? &n->w[l - 1] : &n->d[l - 1];
        free(*slot);
        return (*slot = alloc_read(r, k, cnt)) ? 0 : -1;
    } else if (!strcmp(k, "sample") || !strcmp(k, "grad")) {
        int is_x = k[0] == 's';
        if (n->n_layers < 1 || (is_x && n->n_samples == MAX_SAMPLES) || (!is_x && !n->n_samples)) {
            axon_err("ttfs eval: %s:%d: %s: needs 'sizes' first%s", r->path, r->line, k,
                     is_x ? " (at most 1024 samples)" : " and a sample");
            return -1;
        }
        if (is_x)
            return (n->x[n->n_samples++] = alloc_read(r, k, (size_t)n->sizes[0])) ? 0 : -1;
        free(n->g[n->n_samples - 1]);
        return (n->g[n->n_samples - 1] = alloc_read(r, k, (size_t)n->sizes[n->n_layers])) ? 0 : -1;
    } else {
        axon_err("ttfs eval: %s:%d: unknown keyword '%s'", r->path, r->line, k);
        return -1;
    }
    return 0;
}

static int read_eval_file(const char *path, struct eval_net *n)
{
    struct reader r = {fopen(path, "r"), path, 1, 1, ""};
    if (!r.f) {
        axon_err("ttfs eval: %s: cannot open", path);
        return -1;
    }
    int rc = 0;
    if (!next_token(&r) || strcmp(r.tok, "ttfs-eval") || !next_token(&r) || strcmp(r.tok, "1")) {
        axon_err("ttfs eval: %s:%d: expected the header 'ttfs-eval 1'", path, r.line);
        rc = -1;
    }
    while (!rc && next_token(&r))
        rc = read_keyword(&r, n);
    for (int l = 0; !rc && l < n->n_layers; l++)
        if (!n->w[l] || (n->delay && !n->d[l])) {
            axon_err("ttfs eval: %s: layer %d: missing %s", path, l + 1,
                     n->w[l] ? "delays" : "weights");
            rc = -1;
        }
    if (!rc && n->n_layers < 1) {
        axon_err("ttfs eval: %s: sizes: missing", path);
        rc = -1;
    }
    fclose(r.f);
    return rc;
}

static void print_row(const char *label, int layer, const double *v, size_t n)
{
    printf("%s", label);
    if (layer > 0)
        printf(" %d", layer);
    for (size_t i = 0; i < n; i++)
        printf(" %.17g", v[i]);
    putchar('\n');
}

/* Forward and backward of one sample through all layers (B = 1). */
static int eval_sample(const struct eval_net *n, int s, ax_ttfs_work *wk)
{
    int L = n->n_layers;
    double *t[AX_TTFS_MAX_LAYERS + 1], *dt[AX_TTFS_MAX_LAYERS + 1];
    int rc = 0;
    for (int l = 0; l <= L; l++) {
        t[l] = calloc((size_t)n->sizes[l], sizeof(double));
        dt[l] = calloc((size_t)n->sizes[l], sizeof(double));
        if (!t[l] || !dt[l])
            rc = -1;
    }
    struct ax_ttfs_layer_spec spec[AX_TTFS_MAX_LAYERS];
    for (int l = 0; l < L && !rc; l++)
        spec[l] = (struct ax_ttfs_layer_spec){n->sizes[l],  n->sizes[l + 1], n->ratio,
                                              n->threshold, n->delay,        0.0};
    if (!rc) {
        memcpy(t[0], n->x[s], (size_t)n->sizes[0] * sizeof(double));
        for (int l = 0; l < L; l++)
            ax_ttfs_layer_forward(t[l + 1], t[l], n->w[l], n->d[l], &spec[l], 1, wk);
        for (int k = 0; k < n->sizes[L]; k++)
            dt[L][k] = n->g[s] ? n->g[s][k] : 1.0;
        printf("sample %d\n", s + 1);
        for (int l = 1; l <= L; l++)
            print_row("times", l, t[l], (size_t)n->sizes[l]);
    }
    for (int l = L - 1; l >= 0 && !rc; l--) {
        size_t nw = (size_t)n->sizes[l] * n->sizes[l + 1], nd = ax_ttfs_delay_count(&spec[l]);
        double *dw = calloc(nw, sizeof(double)), *dd = calloc(nd ? nd : 1, sizeof(double));
        if (!dw || !dd) {
            free(dw);
            free(dd);
            rc = -1;
            break;
        }
        ax_ttfs_layer_backward(dw, nd ? dd : NULL, dt[l], dt[l + 1], t[l], t[l + 1], n->w[l],
                               n->d[l], &spec[l], 1, wk);
        print_row("dJ/dw", l + 1, dw, nw);
        if (nd)
            print_row("dJ/dd", l + 1, dd, nd);
        free(dw);
        free(dd);
    }
    if (!rc)
        print_row("dJ/dt_in", 0, dt[0], (size_t)n->sizes[0]);
    for (int l = 0; l <= L; l++) {
        free(t[l]);
        free(dt[l]);
    }
    return rc;
}

static int eval_file(const char *path)
{
    struct eval_net n;
    memset(&n, 0, sizeof n);
    n.ratio = 1;
    n.threshold = 1.0;
    int rc = read_eval_file(path, &n);
    int max = 1;
    for (int l = 0; l <= n.n_layers; l++)
        max = n.sizes[l] > max ? n.sizes[l] : max;
    ax_ttfs_work *wk = rc ? NULL : ax_ttfs_work_create(max, max);
    if (!rc && !wk)
        rc = -1;
    if (!rc) {
        printf("# axon ttfs eval: times in tau_s (inf: no spike); J = sum_k grad_k T_k of the "
               "output layer\n");
        printf("# tau_ratio %d threshold %.17g layers %d samples %d\n", n.ratio, n.threshold,
               n.n_layers, n.n_samples);
    }
    for (int s = 0; s < n.n_samples && !rc; s++)
        rc = eval_sample(&n, s, wk);
    ax_ttfs_work_free(wk);
    for (int l = 0; l < AX_TTFS_MAX_LAYERS; l++) {
        free(n.w[l]);
        free(n.d[l]);
    }
    for (int s = 0; s < n.n_samples; s++) {
        free(n.x[s]);
        free(n.g[s]);
    }
    return rc ? 1 : 0;
}

int axon_cmd_ttfs(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: axon ttfs eval FILE\n\nPrints the spike times of every layer and the exact "
             "gradients dJ/dw, dJ/dd\n(delays) and dJ/dt_in of J = sum_k grad_k T_k for the "
             "network and samples\nin FILE (format: docs/training.md, 'axon ttfs eval').");
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "eval")) {
        axon_err("ttfs: usage: axon ttfs eval FILE");
        return 2;
    }
    return eval_file(argv[2]);
}
