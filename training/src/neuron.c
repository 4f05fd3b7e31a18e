/* Exact TTFS neuron and layer kernels: forward spike times and gradients.
 *
 * The threshold condition, with U_i = e^{t_i / r} (r = tau_m / tau_s):
 *   r = 1:  e^{-T} (a1 T - b) = c,         a1 = sum w_i e^{t_i}, b = sum w_i t_i e^{t_i}
 *   r = 2:  a2 z - a1 z^2 = c, z = e^{-T/2}, a1 = sum w_i e^{t_i}, a2 = sum w_i e^{t_i/2}
 * with c = theta / r (theta * g_l) and sums over the causal inputs.
 * docs/training.md derives the gradients. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs.h"

/* ---------------------------------------------------------------------------
 * Lambert W, principal branch */

double ax_lambertw0(double x)
{
    const double em1 = 0.36787944117144233; /* 1/e */
    if (x <= -em1)
        return -1.0;
    if (x == 0.0)
        return 0.0;
    double w;
    if (x < -0.3) {
        /* Series about the branch point, p = sqrt(2(ex+1)). */
        double p = sqrt(2.0 * (2.718281828459045 * x + 1.0));
        w = -1.0 + p * (1.0 + p * (-1.0 / 3.0 + p * (11.0 / 72.0 +
                                                     p * (-43.0 / 540.0 + p * (769.0 / 17280.0)))));
    } else if (x < 0.0) {
        /* Taylor series at 0. */
        w = x * (1.0 + x * (-1.0 + x * (1.5 + x * (-8.0 / 3.0 + x * (125.0 / 24.0)))));
    } else if (x < 3.0) {
        w = log1p(x);
    } else {
        double l = log(x);
        w = l - log(l);
    }
    /* Halley's iteration converges cubically: once a step is below 1e-6 the
     * error after it is far below double precision, so stop there. */
    for (int i = 0; i < 20; i++) {
        double ew = exp(w);
        double f = w * ew - x;
        double wp1 = w + 1.0;
        if (wp1 == 0.0)
            break;
        double dw = f / (ew * wp1 - (w + 2.0) * f / (2.0 * wp1));
        w -= dw;
        if (fabs(dw) <= 1e-6 * (1.0 + fabs(w)))
            break;
    }
    return w;
}

size_t ax_ttfs_delay_count(const struct ax_ttfs_layer_spec *spec)
{
    switch (spec->delay) {
    case AX_TTFS_DELAY_SYNAPTIC:
        return (size_t)spec->n_out * (size_t)spec->n_in;
    case AX_TTFS_DELAY_AXONAL:
        return (size_t)spec->n_in;
    case AX_TTFS_DELAY_DENDRITIC:
        return (size_t)spec->n_out;
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------------------
 * Scans over inputs sorted by arrival time. t: (m) times, U: (m) e^{t/r},
 * weights w[idx[k]] (or w[k] when idx is NULL). Return the first spike time. */

static inline double weight_at(const double *w, const int *idx, int k)
{
    return idx ? w[idx[k]] : w[k];
}

static double scan_ratio1(double c, const double *t, const double *U, const double *Uinv,
                          const double *w, const int *idx, int m)
{
    double a1 = 0.0, b = 0.0;
    for (int k = 0; k < m; k++) {
        double e = weight_at(w, idx, k) * U[k];
        a1 += e;
        b += e * t[k];
        if (a1 <= 0.0)
            continue; /* a1 <= 0: the potential can only cross downwards */
        int last = k + 1 == m;
        double t_next = last ? INFINITY : t[k + 1];
        /* Max of V over [t_k, t_next]: at t_next, or at the peak t* = 1 + b/a1
         * when V' > 0 at t_k and V' < 0 at t_next (V' ~ a1 (1 - t) + b). */
        int reach = !last && (a1 * t_next - b) * Uinv[k + 1] >= c;
        if (!reach && a1 * (1.0 - t[k]) + b > 0.0 && (last || a1 * (1.0 - t_next) + b < 0.0))
            reach = a1 * exp(-1.0 - b / a1) >= c;
        if (!reach)
            continue;
        double x = -(c / a1) * exp(b / a1);
        double T = b / a1 - ax_lambertw0(x);
        if (T < t[k])
            T = t[k];
        if (T > t_next)
            T = t_next;
        return T;
    }
    return INFINITY;
}

static double scan_ratio2(double c, const double *t, const double *U, const double *w,
                          const int *idx, int m)
{
    double a1 = 0.0, a2 = 0.0;
    for (int k = 0; k < m; k++) {
        double e = weight_at(w, idx, k) * U[k];
        a2 += e;
        a1 += e * U[k];
        if (a1 <= 0.0)
            continue;
        double disc = a2 * a2 - 4.0 * a1 * c;
        if (disc < 0.0 || a2 <= 0.0)
            continue; /* no real root, or both roots at z <= 0 */
        double s = sqrt(disc);
        double z = (a2 + s) / (2.0 * a1); /* e^{-T/2} of the earlier root */
        if (z * U[k] > 1.0)
            continue; /* T < t_k: the potential is past its crossing region */
        if (k + 1 < m && z * U[k + 1] <= 1.0)
            continue; /* T >= t_next: the next input arrives first */
        double T = 2.0 * log(2.0 * a1 / (a2 + s));
        if (T < t[k])
            T = t[k];
        if (k + 1 < m && T > t[k + 1])
            T = t[k + 1];
        return T;
    }
    return INFINITY;
}

/* Uinv (m) = 1 / U, needed by r = 1 only. */
static double scan(int ratio, double c, const double *t, const double *U, const double *Uinv,
                   const double *w, const int *idx, int m)
{
    return ratio == 1 ? scan_ratio1(c, t, U, Uinv, w, idx, m) : scan_ratio2(c, t, U, w, idx, m);
}

/* ---------------------------------------------------------------------------
 * Sorting: (time, index) pairs of the finite inputs, ascending. */

struct tpair {
    double t;
    int i;
};

static int cmp_tpair(const void *a, const void *b)
{
    const struct tpair *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->i - y->i;
}

static inline int tpair_less(const struct tpair *x, const struct tpair *y)
{
    return x->t < y->t || (x->t == y->t && x->i < y->i);
}

static void insertion_sort(struct tpair *p, int m)
{
    for (int k = 1; k < m; k++) {
        struct tpair v = p[k];
        int j = k - 1;
        while (j >= 0 && tpair_less(&v, &p[j])) {
            p[j + 1] = p[j];
            j--;
        }
        p[j + 1] = v;
    }
}

/* Sorts p (m) ascending by (t, i). Insertion sort for short rows, otherwise
 * runs of 16 merged bottom-up through tmp (m): no callbacks, no allocation. */
static void sort_pairs(struct tpair *p, int m, struct tpair *tmp)
{
    enum { RUN = 16 };
    if (m <= 2 * RUN || !tmp) {
        if (m > 2 * RUN)
            qsort(p, (size_t)m, sizeof *p, cmp_tpair);
        else
            insertion_sort(p, m);
        return;
    }
    for (int s = 0; s < m; s += RUN)
        insertion_sort(p + s, m - s < RUN ? m - s : RUN);
    struct tpair *src = p, *dst = tmp;
    for (int width = RUN; width < m; width *= 2) {
        for (int lo = 0; lo < m; lo += 2 * width) {
            int mid = lo + width < m ? lo + width : m, hi = lo + 2 * width < m ? lo + 2 * width : m;
            int a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                dst[o++] = tpair_less(&src[b], &src[a]) ? src[b++] : src[a++];
            while (a < mid)
                dst[o++] = src[a++];
            while (b < hi)
                dst[o++] = src[b++];
        }
        struct tpair *t = src;
        src = dst;
        dst = t;
    }
    if (src != p)
        memcpy(p, src, (size_t)m * sizeof *p);
}

/* ---------------------------------------------------------------------------
 * One neuron, reference entry points */

double ax_ttfs_neuron_spike(int tau_ratio, double threshold, const double *t, const double *w,
                            int n)
{
    struct tpair *p = malloc((size_t)(n > 0 ? n : 1) * sizeof *p);
    double *buf = malloc((size_t)(n > 0 ? n : 1) * 3 * sizeof *buf);
    int *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
    double T = INFINITY;
    if (p && buf && idx) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (isfinite(t[i]))
                p[m++] = (struct tpair){t[i], i};
        sort_pairs(p, m, NULL);
        double *ts = buf, *U = buf + n, *Uinv = buf + 2 * n;
        for (int k = 0; k < m; k++) {
            ts[k] = p[k].t;
            U[k] = exp(p[k].t / tau_ratio);
            Uinv[k] = 1.0 / U[k];
            idx[k] = p[k].i;
        }
        T = scan(tau_ratio, threshold / tau_ratio, ts, U, Uinv, w, idx, m);
    }
    free(p);
    free(buf);
    free(idx);
    return T;
}

/* The naive reference: solve the closed form for every prefix of the sorted
 * inputs and take the first solution inside its interval. Slow, but it uses
 * the formulas as written, without the scan's reachability tests. */
double ax_ttfs_neuron_spike_naive(int tau_ratio, double threshold, const double *t, const double *w,
                                  int n)
{
    double c = threshold / tau_ratio, best = INFINITY;
    for (int k = 0; k < n; k++) { /* candidate causal set: inputs with t_i <= t_k */
        if (!isfinite(t[k]))
            continue;
        double a1 = 0.0, a2 = 0.0, b = 0.0, next = INFINITY;
        for (int i = 0; i < n; i++) {
            if (t[i] <= t[k]) {
                a1 += w[i] * exp(t[i]);
                a2 += w[i] * exp(t[i] / 2.0);
                b += w[i] * t[i] * exp(t[i]);
            } else if (t[i] < next) {
                next = t[i];
            }
        }
        double T = INFINITY;
        if (tau_ratio == 1 && a1 > 0.0) {
            double x = -(c / a1) * exp(b / a1);
            if (x >= -0.36787944117144233)
                T = b / a1 - ax_lambertw0(x);
        } else if (tau_ratio == 2 && a1 > 0.0 && a2 * a2 - 4.0 * a1 * c >= 0.0) {
            double arg = 2.0 * a1 / (a2 + sqrt(a2 * a2 - 4.0 * a1 * c));
            if (arg > 0.0)
                T = 2.0 * log(arg);
        }
        if (T >= t[k] && T < next && T < best)
            best = T;
    }
    return best;
}

/* Per-input terms at the spike time T: gw_i = dV/dw_i, gt_i = -dV/dt_i, for
 * causal inputs (t_i < T), 0 otherwise. U_i = e^{t_i / r} (NULL: computed).
 * Returns D = dV/dT = sum_i gt_i. */
static double neuron_terms(int ratio, double T, const double *t, const double *U, const double *w,
                           int n, double *gw, double *gt)
{
    double D = 0.0;
    double eT = exp(-T / ratio);
    for (int i = 0; i < n; i++) {
        if (!(t[i] < T)) {
            gw[i] = gt[i] = 0.0;
            continue;
        }
        double E = (U ? U[i] : exp(t[i] / ratio)) * eT; /* e^{(t_i - T)/r} */
        if (ratio == 1) {
            double x = T - t[i];
            gw[i] = x * E;
            gt[i] = w[i] * E * (1.0 - x);
        } else {
            gw[i] = E - E * E;
            gt[i] = w[i] * (E * E - 0.5 * E);
        }
        D += gt[i];
    }
    return D;
}

int ax_ttfs_neuron_grad(int tau_ratio, double threshold, double T, const double *t, const double *w,
                        int n, double *dT_dw, double *dT_dt)
{
    (void)threshold; /* enters only through T */
    if (!isfinite(T)) {
        memset(dT_dw, 0, (size_t)n * sizeof *dT_dw);
        memset(dT_dt, 0, (size_t)n * sizeof *dT_dt);
        return AX_E_RANGE;
    }
    double D = neuron_terms(tau_ratio, T, t, NULL, w, n, dT_dw, dT_dt);
    if (!(D > 0.0)) {
        memset(dT_dw, 0, (size_t)n * sizeof *dT_dw);
        memset(dT_dt, 0, (size_t)n * sizeof *dT_dt);
        return AX_E_RANGE;
    }
    for (int i = 0; i < n; i++) {
        dT_dw[i] = -dT_dw[i] / D;
        dT_dt[i] /= D;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Layers */

struct ax_ttfs_work {
    int max_in, max_out;
    size_t max_delays;
    struct tpair *pairs;   /* (n_in) */
    struct tpair *pairs2;  /* (n_in) merge-sort scratch */
    int *idx;              /* (n_in) */
    double *ts, *U, *Uinv; /* (n_in) sorted arrival times, e^{t/r}, e^{-t/r} */
    double *ut;            /* (n_in) e^{t/r} of one sample's arrival times, input order */
    double *arr;           /* (n_in) one row of arrival times, input order */
    double *gw, *gt;       /* (n_in) per-input gradient terms */
    double *ud;            /* (max_delays) e^{d/r} of the delays */
};

static ax_ttfs_work *work_alloc(int max_n_in, int max_n_out, size_t max_delays)
{
    ax_ttfs_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t n = (size_t)(max_n_in > 0 ? max_n_in : 1);
    w->max_in = (int)n;
    w->max_out = max_n_out > 0 ? max_n_out : 1;
    w->max_delays = max_delays;
    w->pairs = malloc(n * sizeof *w->pairs);
    w->pairs2 = malloc(n * sizeof *w->pairs2);
    w->idx = malloc(n * sizeof *w->idx);
    w->ts = malloc(n * sizeof(double));
    w->U = malloc(n * sizeof(double));
    w->Uinv = malloc(n * sizeof(double));
    w->ut = malloc(n * sizeof(double));
    w->arr = malloc(n * sizeof(double));
    w->gw = malloc(n * sizeof(double));
    w->gt = malloc(n * sizeof(double));
    w->ud = malloc((max_delays ? max_delays : 1) * sizeof(double));
    if (!w->pairs || !w->pairs2 || !w->idx || !w->ts || !w->U || !w->Uinv || !w->ut || !w->arr ||
        !w->gw || !w->gt || !w->ud) {
        ax_ttfs_work_free(w);
        return NULL;
    }
    return w;
}

ax_ttfs_work *ax_ttfs_work_create(int max_n_in, int max_n_out)
{
    size_t n = (size_t)(max_n_in > 0 ? max_n_in : 1), no = (size_t)(max_n_out > 0 ? max_n_out : 1);
    return work_alloc(max_n_in, max_n_out, n * no);
}

/* Sized by the largest layer rather than the largest n_in times the largest
 * n_out, which for a wide input and a wide later layer would be huge. */
ax_ttfs_work *ax_ttfs_work_create_stack(const struct ax_ttfs_stack *s)
{
    int max_in = 1, max_out = 1;
    size_t max_delays = 0;
    for (int l = 0; l < s->n_layers; l++) {
        const struct ax_ttfs_layer_spec *sp = &s->spec[l];
        max_in = sp->n_in > max_in ? sp->n_in : max_in;
        max_out = sp->n_out > max_out ? sp->n_out : max_out;
        size_t nd = ax_ttfs_delay_count(sp);
        max_delays = nd > max_delays ? nd : max_delays;
    }
    return work_alloc(max_in, max_out, max_delays);
}

void ax_ttfs_work_free(ax_ttfs_work *w)
{
    if (!w)
        return;
    free(w->pairs);
    free(w->pairs2);
    free(w->idx);
    free(w->ts);
    free(w->U);
    free(w->Uinv);
    free(w->ut);
    free(w->arr);
    free(w->gw);
    free(w->gt);
    free(w->ud);
    free(w);
}

/* Sorted finite arrival times (ts, U, idx) of one input row; returns their count. */
static int sort_row(ax_ttfs_work *wk, const double *arr, const double *U_in, int n, int ratio)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(arr[i]))
            wk->pairs[m++] = (struct tpair){arr[i], i};
    sort_pairs(wk->pairs, m, wk->pairs2);
    for (int k = 0; k < m; k++) {
        int i = wk->pairs[k].i;
        wk->idx[k] = i;
        wk->ts[k] = wk->pairs[k].t;
        wk->U[k] = U_in ? U_in[i] : exp(wk->pairs[k].t / ratio);
        wk->Uinv[k] = 1.0 / wk->U[k];
    }
    return m;
}

/* e^{d/r} for every delay value (the delays are fixed during a call). */
static void delay_exps(ax_ttfs_work *wk, const double *d, size_t nd, int ratio)
{
    for (size_t i = 0; i < nd; i++)
        wk->ud[i] = exp(d[i] / ratio);
}

/* Synaptic delays: every neuron sees its own arrival order. */
static void forward_synaptic_sample(double *t_out, const double *t_in, const double *w,
                                    const double *d, const struct ax_ttfs_layer_spec *s,
                                    ax_ttfs_work *wk)
{
    int n = s->n_in, r = s->tau_ratio;
    double c = s->threshold / r;
    for (int i = 0; i < n; i++)
        wk->ut[i] = exp(t_in[i] / r);
    for (int j = 0; j < s->n_out; j++) {
        const double *dj = d + (size_t)j * n, *udj = wk->ud + (size_t)j * n;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (isfinite(t_in[i]))
                wk->pairs[m++] = (struct tpair){t_in[i] + dj[i], i};
        sort_pairs(wk->pairs, m, wk->pairs2);
        for (int k = 0; k < m; k++) {
            int i = wk->pairs[k].i;
            wk->idx[k] = i;
            wk->ts[k] = wk->pairs[k].t;
            wk->U[k] = wk->ut[i] * udj[i];
            wk->Uinv[k] = 1.0 / wk->U[k];
        }
        t_out[j] = scan(r, c, wk->ts, wk->U, wk->Uinv, w + (size_t)j * n, wk->idx, m);
    }
}

void ax_ttfs_layer_forward(double *t_out, const double *t_in, const double *w, const double *d,
                           const struct ax_ttfs_layer_spec *s, int B, ax_ttfs_work *wk)
{
    int n = s->n_in, r = s->tau_ratio;
    double c = s->threshold / r;
    if (s->delay != AX_TTFS_DELAY_NONE)
        delay_exps(wk, d, ax_ttfs_delay_count(s), r);
    for (int b = 0; b < B; b++) {
        const double *tin = t_in + (size_t)b * n;
        double *tout = t_out + (size_t)b * s->n_out;
        if (s->delay == AX_TTFS_DELAY_SYNAPTIC) {
            forward_synaptic_sample(tout, tin, w, d, s, wk);
            continue;
        }
        /* One arrival order for all neurons: sort once per sample. */
        const double *arr = tin;
        if (s->delay == AX_TTFS_DELAY_AXONAL) {
            for (int i = 0; i < n; i++)
                wk->arr[i] = tin[i] + d[i];
            arr = wk->arr;
        }
        int m = sort_row(wk, arr, NULL, n, r);
        for (int j = 0; j < s->n_out; j++) {
            double T = scan(r, c, wk->ts, wk->U, wk->Uinv, w + (size_t)j * n, wk->idx, m);
            /* A dendritic delay shifts every input equally, hence the spike. */
            tout[j] = s->delay == AX_TTFS_DELAY_DENDRITIC ? T + d[j] : T;
        }
    }
}

/* Gradient of one (sample, neuron): arrivals arr (n), U (n) = e^{arr/r}. */
static void backward_neuron(double *dw_row, double *dd, double *dt_in, double g_out, double T,
                            const double *arr, const double *U, const double *w_row, int j,
                            const struct ax_ttfs_layer_spec *s, ax_ttfs_work *wk)
{
    int n = s->n_in;
    double D = neuron_terms(s->tau_ratio, T, arr, U, w_row, n, wk->gw, wk->gt);
    if (!(D > 0.0))
        return; /* tangent crossing: the derivative is not defined */
    double g = g_out / D;
    /* The reference's safeguard: drop this sample's weight gradient of the
     * neuron when any entry exceeds max_dw (the time and delay gradients stay). */
    int keep_dw = 1;
    if (s->max_dw > 0.0)
        for (int i = 0; i < n && keep_dw; i++)
            keep_dw = !(fabs(g * wk->gw[i]) > s->max_dw);
    for (int i = 0; i < n; i++) {
        if (wk->gt[i] == 0.0 && wk->gw[i] == 0.0)
            continue;
        if (keep_dw)
            dw_row[i] -= g * wk->gw[i];
        double gti = g * wk->gt[i]; /* dL/d(arrival time of input i) */
        if (dt_in)
            dt_in[i] += gti;
        if (s->delay == AX_TTFS_DELAY_SYNAPTIC)
            dd[(size_t)j * n + i] += gti;
        else if (s->delay == AX_TTFS_DELAY_AXONAL)
            dd[i] += gti;
    }
    if (s->delay == AX_TTFS_DELAY_DENDRITIC)
        dd[j] += g_out; /* sum_i dT/dt_i = 1 */
}

void ax_ttfs_layer_backward(double *dw, double *dd, double *dt_in, const double *dt_out,
                            const double *t_in, const double *t_out, const double *w,
                            const double *d, const struct ax_ttfs_layer_spec *s, int B,
                            ax_ttfs_work *wk)
{
    int n = s->n_in, r = s->tau_ratio;
    if (s->delay != AX_TTFS_DELAY_NONE)
        delay_exps(wk, d, ax_ttfs_delay_count(s), r);
    for (int b = 0; b < B; b++) {
        const double *tin = t_in + (size_t)b * n;
        double *dtin = dt_in ? dt_in + (size_t)b * n : NULL;
        for (int i = 0; i < n; i++)
            wk->ut[i] = isfinite(tin[i]) ? exp(tin[i] / r) : INFINITY;
        for (int j = 0; j < s->n_out; j++) {
            double T = t_out[(size_t)b * s->n_out + j];
            double g = dt_out[(size_t)b * s->n_out + j];
            if (!isfinite(T) || g == 0.0)
                continue; /* silent neurons pass no gradient */
            const double *arr = tin, *U = wk->ut;
            if (s->delay == AX_TTFS_DELAY_SYNAPTIC || s->delay == AX_TTFS_DELAY_AXONAL) {
                const double *dj = s->delay == AX_TTFS_DELAY_SYNAPTIC ? d + (size_t)j * n : d;
                const double *udj =
                    s->delay == AX_TTFS_DELAY_SYNAPTIC ? wk->ud + (size_t)j * n : wk->ud;
                for (int i = 0; i < n; i++) {
                    wk->arr[i] = tin[i] + dj[i];
                    wk->U[i] = wk->ut[i] * udj[i];
                }
                arr = wk->arr;
                U = wk->U;
            } else if (s->delay == AX_TTFS_DELAY_DENDRITIC) {
                T -= d[j]; /* same gradient as the undelayed neuron spiking at T - d_j */
            }
            backward_neuron(dw + (size_t)j * n, dd, dtin, g, T, arr, U, w + (size_t)j * n, j, s,
                            wk);
        }
    }
}

/* ---------------------------------------------------------------------------
 * Losses */

int ax_ttfs_first_spike(const double *t, int n)
{
    int best = -1;
    for (int i = 0; i < n; i++)
        if (isfinite(t[i]) && (best < 0 || t[i] < t[best]))
            best = i;
    return best;
}

double ax_ttfs_loss_fastdeep(double *dt, const double *t, const int *labels, int B, int n_classes,
                             const struct ax_ttfs_loss_fastdeep *p)
{
    double total = 0.0;
    int counted = 0;
    memset(dt, 0, (size_t)B * (size_t)n_classes * sizeof *dt);
    for (int b = 0; b < B; b++) {
        const double *tb = t + (size_t)b * n_classes;
        double *gb = dt + (size_t)b * n_classes;
        int c = labels[b];
        if (!isfinite(tb[c]))
            continue; /* the label neuron is silent: no finite loss, no gradient */
        double tmin = tb[ax_ttfs_first_spike(tb, n_classes)];
        double z = 0.0;
        for (int n = 0; n < n_classes; n++)
            if (isfinite(tb[n]))
                z += exp(-(tb[n] - tmin) / p->xi);
        double reg = p->alpha * exp(tb[c] / p->beta);
        total += -tmin / p->xi + log(z) + tb[c] / p->xi + reg;
        counted++;
        for (int n = 0; n < n_classes; n++)
            if (isfinite(tb[n]))
                gb[n] = -exp(-(tb[n] - tmin) / p->xi) / z / p->xi / B;
        gb[c] += (1.0 / p->xi + reg / p->beta) / B;
    }
    return counted ? total / counted : NAN;
}

/* Both shift losses: one_sided drops the terms of wrong neurons that already
 * spike dt or more after the label neuron. */
static double shift_loss(double *dt_grad, const double *t, const int *labels, int B, int n_classes,
                         double dt, int one_sided)
{
    double total = 0.0;
    int counted = 0;
    memset(dt_grad, 0, (size_t)B * (size_t)n_classes * sizeof *dt_grad);
    for (int b = 0; b < B; b++) {
        const double *tb = t + (size_t)b * n_classes;
        double *gb = dt_grad + (size_t)b * n_classes;
        int c = labels[b];
        if (!isfinite(tb[c]))
            continue;
        double l = 0.0;
        for (int i = 0; i < n_classes; i++) {
            if (i == c || !isfinite(tb[i]))
                continue;
            double e = tb[i] - tb[c] - dt;
            if (one_sided && e >= 0.0)
                continue;
            l += 0.5 * e * e;
            gb[i] += e / B;
            gb[c] -= e / B;
        }
        total += l;
        counted++;
    }
    return counted ? total / counted : NAN;
}

double ax_ttfs_loss_shift_mse(double *dt_grad, const double *t, const int *labels, int B,
                              int n_classes, double dt)
{
    return shift_loss(dt_grad, t, labels, B, n_classes, dt, 0);
}

double ax_ttfs_loss_shift_hinge(double *dt_grad, const double *t, const int *labels, int B,
                                int n_classes, double dt)
{
    return shift_loss(dt_grad, t, labels, B, n_classes, dt, 1);
}
