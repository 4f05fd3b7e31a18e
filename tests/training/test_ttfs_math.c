/* The exact TTFS math against independent references:
 *  - spike times against exact-between-inputs integration of the neuron's ODE
 *    plus bisection (no closed forms of the solver involved);
 *  - analytic gradients (weights, input times, all delay types, both tau
 *    ratios) against central finite differences on random small layers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/ttfs.h"
#include "axon/ttfs_train.h"

#include "ttfs_testutil.h"

/* ---------------------------------------------------------------------------
 * the neuron's ODE: du/dt = -g u + I, dI/dt = -I (tau_s = 1), I jumps by w */

struct state {
    double u, I;
};

/* Closed-form evolution of (u, I) over dt with no input (the ODE's solution). */
static struct state evolve(struct state s, double g, double dt)
{
    struct state o;
    o.I = s.I * exp(-dt);
    if (g == 1.0)
        o.u = s.u * exp(-dt) + s.I * dt * exp(-dt);
    else
        o.u = s.u * exp(-g * dt) + s.I * (exp(-g * dt) - exp(-dt)) / (1.0 - g);
    return o;
}

/* First threshold crossing by fine steps (1e-3) between inputs, then bisection.
 * *near is set when the peak only grazes the threshold (ambiguous case). */
static double integrate_spike(int ratio, double theta, const double *t, const double *w, int n,
                              int *near)
{
    double g = 1.0 / ratio, tt[64], ww[64];
    int m = 0;
    for (int i = 0; i < n; i++) /* sort by time, insertion */
        if (isfinite(t[i])) {
            int k = m++;
            while (k > 0 && tt[k - 1] > t[i]) {
                tt[k] = tt[k - 1];
                ww[k] = ww[k - 1];
                k--;
            }
            tt[k] = t[i];
            ww[k] = w[i];
        }
    struct state s = {0.0, 0.0};
    double now = m ? tt[0] : 0.0, umax = -INFINITY;
    *near = 0;
    for (int k = 0; k < m; k++) {
        s = evolve(s, g, tt[k] - now);
        now = tt[k];
        s.I += ww[k]; /* the current jumps, the potential is continuous */
        double end = k + 1 < m ? tt[k + 1] : now + 40.0, h = 1e-3;
        for (double a = now; a < end; a += h) {
            double b = a + h < end ? a + h : end;
            struct state sb = evolve(s, g, b - now);
            if (sb.u > umax)
                umax = sb.u;
            if (sb.u >= theta) {
                double lo = a, hi = b;
                for (int it = 0; it < 200 && hi - lo > 1e-14; it++) {
                    double mid = 0.5 * (lo + hi);
                    if (evolve(s, g, mid - now).u >= theta)
                        hi = mid;
                    else
                        lo = mid;
                }
                return hi;
            }
        }
    }
    if (fabs(umax - theta) < 1e-5)
        *near = 1;
    return INFINITY;
}

static double urand(void)
{
    return rand() / (RAND_MAX + 1.0);
}

static double nrand(void)
{
    return sqrt(-2.0 * log(1.0 - urand())) * cos(6.283185307179586 * urand());
}

static void test_spike_times_against_integration(int ratio)
{
    int spikes = 0, compared = 0;
    double worst = 0.0;
    for (int trial = 0; trial < 1500; trial++) {
        int n = 1 + rand() % 12;
        double t[12], w[12];
        for (int i = 0; i < n; i++) {
            t[i] = urand() < 0.1 ? INFINITY : 3.0 * urand();
            w[i] = (0.6 + nrand()) * (ratio == 1 ? 1.0 : 1.0);
        }
        double T = ax_ttfs_neuron_spike(ratio, 1.0, t, w, n);
        double Tnaive = ax_ttfs_neuron_spike_naive(ratio, 1.0, t, w, n);
        CHECK(T == Tnaive || fabs(T - Tnaive) <= 1e-12, "ratio %d trial %d: scan %.15g naive %.15g",
              ratio, trial, T, Tnaive);
        int near;
        double Tref = integrate_spike(ratio, 1.0, t, w, n, &near);
        if (near)
            continue;
        compared++;
        CHECK(isfinite(T) == isfinite(Tref), "ratio %d trial %d: T %.12g, integrated %.12g", ratio,
              trial, T, Tref);
        if (isfinite(T) && isfinite(Tref)) {
            spikes++;
            double err = fabs(T - Tref);
            if (err > worst)
                worst = err;
            CHECK(err <= 1e-6, "ratio %d trial %d: T %.12g, integrated %.12g", ratio, trial, T,
                  Tref);
        }
    }
    printf("spike times, tau_m/tau_s = %d: %d compared, %d spiking, worst |dT| %.2e\n", ratio,
           compared, spikes, worst);
    CHECK(spikes > 300, "too few spiking cases (%d) to be a test", spikes);
}

/* Hand-checked values: one input, ratio 1: t e^{-t} w = 1 at w = 2e:
 * T = 1 exactly (the tangent point); w = 5: T = -W0(-1/5). */
static void test_known_values(void)
{
    double t = 0.0, w = 5.0;
    double T = ax_ttfs_neuron_spike(1, 1.0, &t, &w, 1);
    CHECK(fabs(T - 0.25917110181907374) < 1e-12, "T = %.17g", T); /* -W0(-0.2) */
    /* ratio 2, one input at 0: 2 w (e^{-T/2} - e^{-T}) = 1 -> z = (1 + sqrt(1 - 2/w)) / 2 */
    w = 4.0;
    T = ax_ttfs_neuron_spike(2, 1.0, &t, &w, 1);
    double z = (1.0 + sqrt(1.0 - 2.0 / w)) / 2.0;
    CHECK(fabs(T - (-2.0 * log(z))) < 1e-12, "T = %.17g", T);
    w = 1.9; /* peak 2 w / 4 = 0.95 < 1: silent */
    T = ax_ttfs_neuron_spike(2, 1.0, &t, &w, 1);
    CHECK(isinf(T), "T = %g for a sub-threshold input", T);
    CHECK(fabs(ax_lambertw0(-0.2) + 0.25917110181907374) < 1e-15, "W0(-0.2) = %.17g",
          ax_lambertw0(-0.2));
    CHECK(fabs(ax_lambertw0(-0.36787944117144233) + 1.0) < 1e-7, "W0(-1/e)");
    CHECK(fabs(ax_lambertw0(1.0) - 0.56714329040978384) < 1e-15, "W0(1)");
}

/* ---------------------------------------------------------------------------
 * finite-difference gradient checks on one layer */

struct layer_case {
    struct ax_ttfs_layer_spec s;
    int B;
    double t_in[4 * 6], w[5 * 6], d[5 * 6], c[4 * 5];
};

/* Objective J = sum_b,j c_bj T_bj over spiking outputs; also returns the pattern
 * of silent outputs so kinks (a neuron starting/stopping to spike) are seen. */
static double objective(const struct layer_case *lc, ax_ttfs_work *wk, unsigned *pattern)
{
    double t_out[4 * 5];
    ax_ttfs_layer_forward(t_out, lc->t_in, lc->w, lc->s.delay ? lc->d : NULL, &lc->s, lc->B, wk);
    double J = 0.0;
    *pattern = 0;
    for (int k = 0; k < lc->B * lc->s.n_out; k++)
        if (isfinite(t_out[k]))
            J += lc->c[k] * t_out[k];
        else
            *pattern |= 1u << k;
    return J;
}

/* Central differences with two step sizes; returns 0 at a kink. */
static int numeric_grad(struct layer_case *lc, double *x, ax_ttfs_work *wk, double *out)
{
    double fd[2], x0 = *x;
    unsigned p0, pp, pm;
    objective(lc, wk, &p0);
    for (int k = 0; k < 2; k++) {
        double h = k ? 2e-6 : 1e-6;
        *x = x0 + h;
        double jp = objective(lc, wk, &pp);
        *x = x0 - h;
        double jm = objective(lc, wk, &pm);
        *x = x0;
        if (pp != p0 || pm != p0)
            return 0;
        fd[k] = (jp - jm) / (2 * h);
    }
    if (fabs(fd[0] - fd[1]) > 1e-6 * (1.0 + fabs(fd[0])))
        return 0; /* the causal set changed inside the step: a kink */
    *out = fd[0];
    return 1;
}

static void random_case(struct layer_case *lc, int ratio, enum ax_ttfs_delay delay)
{
    memset(lc, 0, sizeof *lc);
    lc->s = (struct ax_ttfs_layer_spec){6, 5, ratio, 1.0, delay, 0.0};
    lc->B = 4;
    for (int i = 0; i < lc->B * 6; i++)
        lc->t_in[i] = urand() < 0.1 ? INFINITY : 2.0 * urand();
    for (int i = 0; i < 30; i++) {
        lc->w[i] = 0.8 + 0.8 * nrand();
        lc->d[i] = 0.6 * urand();
    }
    for (int i = 0; i < 20; i++)
        lc->c[i] = nrand();
}

static void check_one(const char *what, double analytic, double numeric, int *checked,
                      double *worst)
{
    double rel = fabs(analytic - numeric) / fmax(fmax(fabs(analytic), fabs(numeric)), 1e-3);
    if (rel > *worst)
        *worst = rel;
    (*checked)++;
    CHECK(rel <= 1e-5, "%s: analytic %.10g numeric %.10g (rel %.2e)", what, analytic, numeric, rel);
}

static void test_layer_gradients(int ratio, enum ax_ttfs_delay delay)
{
    static const char *names[] = {"none", "synaptic", "axonal", "dendritic"};
    ax_ttfs_work *wk = ax_ttfs_work_create(6, 5);
    int checked = 0, kinks = 0;
    double worst = 0.0;
    for (int trial = 0; trial < 30; trial++) {
        struct layer_case lc;
        random_case(&lc, ratio, delay);
        double t_out[20], dw[30] = {0}, dd[30] = {0}, dt_in[24] = {0};
        const double *d = delay ? lc.d : NULL;
        ax_ttfs_layer_forward(t_out, lc.t_in, lc.w, d, &lc.s, lc.B, wk);
        ax_ttfs_layer_backward(dw, delay ? dd : NULL, dt_in, lc.c, lc.t_in, t_out, lc.w, d, &lc.s,
                               lc.B, wk);
        double num;
        for (int i = 0; i < 30; i++)
            if (numeric_grad(&lc, &lc.w[i], wk, &num))
                check_one("dJ/dw", dw[i], num, &checked, &worst);
            else
                kinks++;
        for (int i = 0; i < lc.B * 6; i++)
            if (isfinite(lc.t_in[i])) {
                if (numeric_grad(&lc, &lc.t_in[i], wk, &num))
                    check_one("dJ/dt_in", dt_in[i], num, &checked, &worst);
                else
                    kinks++;
            }
        for (size_t i = 0; i < ax_ttfs_delay_count(&lc.s); i++)
            if (numeric_grad(&lc, &lc.d[i], wk, &num))
                check_one("dJ/dd", dd[i], num, &checked, &worst);
            else
                kinks++;
    }
    printf("layer gradients, ratio %d, delays %-9s: %d checked, %d at kinks, worst rel %.2e\n",
           ratio, names[delay], checked, kinks, worst);
    CHECK(checked > 10 * kinks && checked > 500, "too few checks (%d) or too many kinks (%d)",
          checked, kinks);
    ax_ttfs_work_free(wk);
}

/* sum_i dT/dt_i = 1 for both ratios (shifting every input shifts the spike). */
static void test_time_gradient_sum(void)
{
    for (int ratio = 1; ratio <= 2; ratio++) {
        double t[5] = {0.1, 0.4, 0.45, 1.2, 2.0}, w[5] = {1.2, 0.9, -0.3, 1.5, 0.8};
        double gw[5], gt[5];
        double T = ax_ttfs_neuron_spike(ratio, 1.0, t, w, 5);
        CHECK(isfinite(T), "ratio %d should spike", ratio);
        CHECK(ax_ttfs_neuron_grad(ratio, 1.0, T, t, w, 5, gw, gt) == 0, "grad");
        double sum = 0.0;
        for (int i = 0; i < 5; i++)
            sum += gt[i];
        CHECK(fabs(sum - 1.0) < 1e-12, "ratio %d: sum dT/dt_i = %.17g", ratio, sum);
    }
}

/* max_dw (the reference's max_dw_norm): a (sample, neuron) whose weight
 * gradient has an entry above the cap gives no weight gradient; the other
 * samples' gradients and every time and delay gradient stay. */
static void test_weight_gradient_cap(void)
{
    for (int ratio = 1; ratio <= 2; ratio++) {
        struct ax_ttfs_layer_spec s = {3, 2, ratio, 1.0, AX_TTFS_DELAY_SYNAPTIC, 0.0};
        enum { B = 2, N = 3, M = 2 };
        double t_in[B * N] = {0.1, 0.4, 0.9, 0.2, 0.3, 1.1};
        double w[M * N] = {1.5, 1.0, 0.8, 1.2, 0.9, 1.4};
        double d[M * N] = {0.2, 0.5, 0.1, 0.3, 0.4, 0.6};
        double t_out[B * M], dt_out[B * M] = {1.0, -0.5, 100.0, 0.3}; /* sample 1, neuron 0: big */
        ax_ttfs_work *wk = ax_ttfs_work_create(N, M);
        ax_ttfs_layer_forward(t_out, t_in, w, d, &s, B, wk);
        for (int i = 0; i < B * M; i++)
            CHECK(isfinite(t_out[i]), "ratio %d: output %d should spike", ratio, i);
        /* Per-sample gradients without the cap. */
        double dw_b[B][M * N] = {{0}}, dd_b[B][M * N] = {{0}}, dt_b[B][N] = {{0}};
        for (int b = 0; b < B; b++)
            ax_ttfs_layer_backward(dw_b[b], dd_b[b], dt_b[b], dt_out + b * M, t_in + b * N,
                                   t_out + b * M, w, d, &s, 1, wk);
        double big = 0.0, small = 0.0;
        for (int i = 0; i < N; i++) {
            big = fmax(big, fabs(dw_b[1][i]));
            small = fmax(small, fmax(fabs(dw_b[0][i]), fabs(dw_b[0][N + i])));
            small = fmax(small, fabs(dw_b[1][N + i]));
        }
        CHECK(big > 2.0 * small, "ratio %d: test case needs one large gradient (%g vs %g)", ratio,
              big, small);
        s.max_dw = 0.5 * (big + small);
        double dw[M * N] = {0}, dd[M * N] = {0}, dt[B * N] = {0};
        ax_ttfs_layer_backward(dw, dd, dt, dt_out, t_in, t_out, w, d, &s, B, wk);
        for (int i = 0; i < M * N; i++) {
            double want = i < N ? dw_b[0][i] : dw_b[0][i] + dw_b[1][i];
            CHECK(fabs(dw[i] - want) <= 1e-12 * (1.0 + fabs(want)),
                  "ratio %d: dw[%d] %.17g, want %.17g", ratio, i, dw[i], want);
            double want_d = dd_b[0][i] + dd_b[1][i];
            CHECK(fabs(dd[i] - want_d) <= 1e-12 * (1.0 + fabs(want_d)), "ratio %d: dd[%d] changed",
                  ratio, i);
        }
        for (int b = 0; b < B; b++)
            for (int i = 0; i < N; i++)
                CHECK(fabs(dt[b * N + i] - dt_b[b][i]) <= 1e-12 * (1.0 + fabs(dt_b[b][i])),
                      "ratio %d: dt_in[%d][%d] changed", ratio, b, i);
        ax_ttfs_work_free(wk);
    }
}

int main(void)
{
    srand(12345);
    test_known_values();
    test_time_gradient_sum();
    test_weight_gradient_cap();
    test_spike_times_against_integration(1);
    test_spike_times_against_integration(2);
    for (int ratio = 1; ratio <= 2; ratio++)
        for (int d = AX_TTFS_DELAY_NONE; d <= AX_TTFS_DELAY_DENDRITIC; d++)
            test_layer_gradients(ratio, (enum ax_ttfs_delay)d);
    return check_summary();
}
