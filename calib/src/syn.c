/* Synaptic time constants and input strengths from PSP shapes read by the
 * CADC (all neurons in parallel).
 *
 * Operating point: a fast membrane (tau_m code 1022, its conversion b = 1 -
 * g_m/65536 measured by first-spike times), threshold at code 1022 (no
 * spikes), leak L_E = 150 mV for the excitatory and L_I = 850 mV for the
 * inhibitory PSP, reset at the same potential. All CAL_ROWS rows of every
 * column hold the same weight w; 16 events (one per driver, both hemispheres)
 * arrive in 4 consecutive cycles (4 a cycle, the wheel's limit, by their
 * axonal delays), so the current jumps by J_tot = rows * w * J_step. The
 * documented update (docs/chip.md section 3) then gives, t cycles after the
 * first arrival, u(t) = K (a^t - b^t) per quarter of the jump, a = 1 -
 * g_s/65536, K = (1 - b) J / (a - b). The membrane is sampled at 12 delays
 * from 0.05 to 2.5 tau_s (one delay a repetition; NEURON_RESET with
 * reset = leak clears the current between repetitions), twice with the leak
 * 2 codes apart (dithers the 4 mV CADC step), plus 2 samples without
 * events. Per neuron a, K and a baseline offset (the leak line extrapolated
 * to 150 or 850 mV is off by a few mV: with long tau_s, where the late samples
 * weigh, that biased tau_s by up to 35 %) are fitted by least squares
 * (golden-section search on ln tau_s, K and the offset linear); the time
 * offset between arrival and sample (the pipeline's, the same for every
 * neuron of a hemisphere) is the one that fits the hemisphere best.
 * tau_s = 65536 / g_s; the strength is J_step / (tau_ratio (threshold -
 * leak)), the trainer's normalised weight of one step (calib.h).
 *
 * Order: tau_se and tau_si by a secant search on g (linear in the code) with
 * the gains at their nominal codes; then the gains (linear in the code) at
 * the calibrated time constants. */
#include <stdlib.h>
#include <string.h>

#include "cal.h"

#define NPTS    14 /* 2 baseline samples (no events), 12 delays */
#define REPS    2
#define NSYN_EV 16u /* events a PSP: one per driver of the first CAL_ROWS rows */
#define L_E     150.0
#define L_I     850.0
#define T0      16u /* first injection after the repetition's start */
#define INJ_DT  3u  /* cycles between injections */
#define ARRIVE  (T0 + INJ_DT * (NSYN_EV - 1) + 1u)
#define DOFF    6     /* time offsets tried: -DOFF..DOFF cycles */
#define I_WANT  500.0 /* mV of the summed jump aimed at */

static const double frac_pts[NPTS] = {-1,  -1,  0.05, 0.1, 0.2, 0.3, 0.45,
                                      0.6, 0.8, 1.0,  1.3, 1.6, 2.0, 2.5};

struct psp {
    int tau[2][NPTS];                          /* sample delays after ARRIVE (< 0: baseline) */
    int tk[2][REPS][NPTS][2];                  /* [exc/inh][rep][point] CADC tickets */
    double base[2][REPS][CAL_NMAX];            /* the leak potential of each repetition */
    double y[2][CAL_NMAX][REPS * NPTS];        /* PSP height (mV, positive) */
    double t[REPS * NPTS];                     /* sample delays of the points (scratch) */
    uint16_t w;                                /* synapse weight */
    double b[CAL_NMAX];                        /* membrane factor at tau_m code 1022 */
    double g[2][CAL_NMAX], jstep[2][CAL_NMAX]; /* results: g_s and mV of one weight step */
    int off[2][2]; /* [kind][hemisphere]: cycles from the nominal arrival to the sample */
    bool have_off[2][2];
};

/* The synapses of the first CAL_ROWS rows of every column: weight w, label 0
 * (one program; w = 0 clears them). */
static int put_syn(struct cal *c, unsigned w)
{
    static uint32_t row[256];
    for (unsigned i = 0; i < c->nph / 2; i++)
        row[i] = w | (uint32_t)w << 16;
    cal_begin(c);
    for (unsigned h = 0; h < 2; h++)
        for (unsigned r = 0; r < CAL_ROWS; r++)
            ax_program_write_block(c->p, 0x100000u + 0x10000u * h + 0x100u * r, row, c->nph / 2);
    return cal_run(c);
}

/* Drivers 0..NSYN_EV-1 of both hemispheres: both rows of the sign, delays
 * that bring the 16 events (injected INJ_DT apart) in 4 a cycle. */
static void put_drivers(struct cal *c, unsigned sign)
{
    for (unsigned h = 0; h < 2; h++)
        for (unsigned d = 0; d < NSYN_EV; d++) {
            unsigned delay = sign ? INJ_DT * (NSYN_EV - 1 - d) + d / 4 : 0; /* 0: power-on */
            ax_program_write(c->p, 0x013000u + 0x100u * h + d, delay | sign << 16 | sign << 18);
        }
    c->t += CAL_ACCESS_CYCLES * 2 * NSYN_EV + 16;
}

/* One phase (k 0 excitatory, 1 inhibitory) of a measurement program: each
 * sample is a trial of its own (TIMER_RESET), so its timing does not depend
 * on how long the register writes before it took. */
static int phase(struct cal *c, struct psp *ps, unsigned k)
{
    put_drivers(c, k ? 2u : 1u);
    for (int r = 0; r < REPS; r++) {
        double mv = k ? L_I : L_E;
        for (unsigned n = 0; n < c->n; n++) {
            double lc = cal_clamp_code(cal_line_code(c, 0, n, mv) + 2 * r);
            c->code[AX_PARAM_LEAK][n] = (uint16_t)lc;
            ps->base[k][r][n] = cal_line_mv(c, 0, n, lc);
            c->code[AX_PARAM_RESET][n] = cal_clamp_code(cal_line_code(c, 1, n, ps->base[k][r][n]));
        }
        cal_put_codes(c, AX_PARAM_LEAK);
        cal_put_codes(c, AX_PARAM_RESET);
        cal_settle(c);
        for (unsigned j = 0; j < NPTS; j++) {
            ax_program_timer_reset(c->p);
            ax_program_neuron_reset(c->p, true, 0, 0);
            c->t = 200; /* 7 tau_m: the membrane at the leak */
            for (unsigned d = 0; d < NSYN_EV && ps->tau[k][j] >= 0; d++) {
                ax_program_wait_until(c->p, c->t + T0 + INJ_DT * d);
                ax_program_inject(c->p, (uint16_t)(d << 6 | 1u << 13 | 1u << 14));
            }
            c->t += ARRIVE + (ps->tau[k][j] < 0 ? 0 : (unsigned)ps->tau[k][j]);
            ax_program_wait_until(c->p, c->t);
            int rc = cal_cadc(c, ps->tk[k][r][j]);
            if (rc < 0)
                return rc;
        }
        ax_program_neuron_reset(c->p, true, 0, 0);
    }
    return AX_OK;
}

/* Summed quarter-jump response at delay t (cycles after the first arrival). */
static double shape(double a, double b, double t)
{
    double s = 0;
    double la = log(a), lb = log(b);
    for (int q = 0; q < 4; q++)
        if (t - q >= 0)
            s += (exp((t - q) * la) - exp((t - q) * lb)) / 4;
    return s;
}

/* Least-squares K at a; returns the residual sum of squares. */
/* Least-squares K and baseline offset B of y = K x + B at a (B absorbs the
 * error of the leak line far from where it was measured); returns the
 * residual sum of squares. */
static double resid(const double *y, const double *t, int m, double a, double b, double off,
                    double *k)
{
    double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
    int w = 0;
    for (int i = 0; i < m; i++) {
        if (!isfinite(y[i]))
            continue;
        double x = shape(a, b, t[i] + off);
        sx += x, sy += y[i], sxy += x * y[i], sxx += x * x, syy += y[i] * y[i], w++;
    }
    double vxx = sxx - sx * sx / w, vxy = sxy - sx * sy / w, vyy = syy - sy * sy / w;
    *k = w > 2 && vxx > 0 ? vxy / vxx : NAN;
    return w > 2 && vxx > 0 ? vyy - *k * vxy : INFINITY;
}

/* Best a (as g = 65536 (1 - a)) and K of one neuron, golden section on ln g. */
static double fit(const double *y, const double *t, int m, double b, double off, double g0,
                  double *gout, double *kout)
{
    const double phi = 0.6180339887498949;
    double lo = log(g0 / 3), hi = log(g0 * 3), k;
    double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
    double f1 = resid(y, t, m, 1 - exp(x1) / 65536, b, off, &k);
    double f2 = resid(y, t, m, 1 - exp(x2) / 65536, b, off, &k);
    for (int it = 0; it < 32; it++) { /* ln 9 x 0.618^32: 4e-7 */
        if (f1 < f2) {
            hi = x2, x2 = x1, f2 = f1;
            x1 = hi - phi * (hi - lo);
            f1 = resid(y, t, m, 1 - exp(x1) / 65536, b, off, &k);
        } else {
            lo = x1, x1 = x2, f1 = f2;
            x2 = lo + phi * (hi - lo);
            f2 = resid(y, t, m, 1 - exp(x2) / 65536, b, off, &k);
        }
    }
    double lg = (lo + hi) / 2;
    double f = resid(y, t, m, 1 - exp(lg) / 65536, b, off, &k);
    *gout = exp(lg);
    *kout = k;
    return f;
}

/* g_s and the mV of one weight step of every neuron (both kinds) at the
 * codes in c->code. */
static int measure(struct cal *c, struct psp *ps)
{
    static uint16_t save[AX_PARAM_COUNT][CAL_NMAX];
    memcpy(save, c->code, sizeof save);
    double gt[2];
    for (unsigned k = 0; k < 2; k++) {
        gt[k] = 65536.0 / (c->tg->value[AX_PARAM_TAU_SE + k] * AX_CYCLES_PER_US);
        for (unsigned j = 0; j < NPTS; j++) {
            double x = frac_pts[j] * 65536.0 / gt[k];
            ps->tau[k][j] = frac_pts[j] < 0 ? -1000000 : x < 2 ? 2 : (int)lround(x);
        }
    }
    cal_set_all(c, AX_PARAM_THRESHOLD, AX_CAPMEM_MAX);
    cal_set_all(c, AX_PARAM_TAU_M, AX_CAPMEM_MAX);
    cal_begin(c);
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
        cal_put_codes(c, p);
    cal_settle(c);
    int rc = phase(c, ps, 0);
    if (rc == AX_OK)
        rc = phase(c, ps, 1);
    put_drivers(c, 0);
    if (rc == AX_OK)
        rc = cal_run(c);
    memcpy(c->code, save, sizeof save);
    if (rc < 0)
        return rc;
    for (unsigned k = 0; k < 2; k++) {
        for (int r = 0; r < REPS; r++)
            for (unsigned j = 0; j < NPTS; j++)
                ps->t[r * NPTS + j] = ps->tau[k][j];
        for (unsigned n = 0; n < c->n; n++)
            for (int r = 0; r < REPS; r++)
                for (unsigned j = 0; j < NPTS; j++) {
                    double v = cal_cadc_mv(c, ps->tk[k][r][j], n);
                    ps->y[k][n][r * NPTS + j] = k ? ps->base[k][r][n] - v : v - ps->base[k][r][n];
                }
        /* the time offset: the one that fits each hemisphere's first 32
         * neurons best, found in the first measurement (the pipeline's, it
         * does not change) */
        for (unsigned h = 0; h < 2; h++) {
            if (!ps->have_off[k][h]) {
                double best = INFINITY;
                for (int off = -DOFF; off <= DOFF; off++) {
                    double sum = 0, g, kk;
                    for (unsigned n = h * c->nph; n < h * c->nph + 32; n++)
                        if (isfinite(ps->b[n]))
                            sum +=
                                fit(ps->y[k][n], ps->t, REPS * NPTS, ps->b[n], off, gt[k], &g, &kk);
                    if (sum < best)
                        best = sum, ps->off[k][h] = off;
                }
                ps->have_off[k][h] = true;
            }
            int boff = ps->off[k][h];
            for (unsigned n = h * c->nph; n < (h + 1) * c->nph; n++) {
                double g = NAN, kk = NAN;
                if (isfinite(ps->b[n]))
                    fit(ps->y[k][n], ps->t, REPS * NPTS, ps->b[n], boff, gt[k], &g, &kk);
                double a = 1 - g / 65536, jt = kk * (a - ps->b[n]) / (1 - ps->b[n]);
                ps->g[k][n] = g;
                ps->jstep[k][n] = jt / (CAL_ROWS * ps->w);
            }
        }
    }
    return AX_OK;
}

static double tau_us(double g)
{
    return 65536.0 / g / AX_CYCLES_PER_US;
}

/* The trainer's normalised weight of one step (calib.h). */
static double norm_w(const struct cal *c, double jstep)
{
    const double *v = c->tg->value;
    return jstep /
           (v[AX_PARAM_TAU_M] / v[AX_PARAM_TAU_SE] * (v[AX_PARAM_THRESHOLD] - v[AX_PARAM_LEAK]));
}

static double secant(struct cal *c, unsigned n, unsigned p, double ca, double ya, double cb,
                     double yb, double yt)
{
    double cc = cb + (yt - yb) * (cb - ca) / (yb - ya);
    if (!isfinite(cc) || cc < -0.5 || cc > AX_CAPMEM_MAX + 0.5) {
        cal_flag(c, n, p);
        cc = isfinite(cc) ? cc : cb;
    }
    return cal_clamp_code(cc);
}

int cal_syn(struct cal *c)
{
    struct psp *ps = calloc(1, sizeof *ps);
    static double cs[1][2][CAL_NMAX], gs[1][2][CAL_NMAX];
    if (!ps)
        return ax_fail(AX_E_NOMEM, "calibration: out of memory");
    /* the membrane factor at tau_m code 1022 */
    static uint16_t tm[CAL_NMAX];
    memcpy(tm, c->code[AX_PARAM_TAU_M], sizeof tm);
    cal_set_all(c, AX_PARAM_TAU_M, AX_CAPMEM_MAX);
    int rc = cal_measure_gm(c, ps->b);
    cal_step(c, 1);
    memcpy(c->code[AX_PARAM_TAU_M], tm, sizeof tm);
    for (unsigned n = 0; n < c->n; n++)
        ps->b[n] = 1 - ps->b[n] / 65536;
    /* one weight for both kinds: the summed jump near I_WANT for the larger gain */
    double jnom = 0;
    for (unsigned k = 0; k < 2; k++)
        for (unsigned n = 0; n < c->n; n++)
            jnom = fmax(jnom, c->code[AX_PARAM_GAIN_E + k][n] / 512.0);
    double w = I_WANT / (CAL_ROWS * fmax(jnom, 1e-3));
    ps->w = (uint16_t)(w < 1 ? 1 : w > 63 ? 63 : lround(w));
    if (rc == AX_OK)
        rc = put_syn(c, ps->w);
    double gt[2], jt[2];
    for (unsigned k = 0; k < 2; k++) {
        const double *v = c->tg->value;
        gt[k] = 65536.0 / (v[AX_PARAM_TAU_SE + k] * AX_CYCLES_PER_US);
        jt[k] = v[AX_PARAM_GAIN_E + k] * v[AX_PARAM_TAU_M] / v[AX_PARAM_TAU_SE] *
                (v[AX_PARAM_THRESHOLD] - v[AX_PARAM_LEAK]);
    }
    /* time constants: nominal, proportional step, two secant steps */
    for (int it = 0; it < 4 && rc == AX_OK; it++) {
        if ((rc = measure(c, ps)) < 0)
            break;
        cal_step(c, 1);
        for (unsigned k = 0; k < 2; k++) {
            unsigned p = AX_PARAM_TAU_SE + k;
            for (unsigned n = 0; n < c->n; n++) {
                double code = c->code[p][n], g = ps->g[k][n];
                if (it == 0)
                    c->res->before[n * AX_PARAM_COUNT + p] = tau_us(g);
                if (it == 3) {
                    c->res->after[n * AX_PARAM_COUNT + p] = tau_us(g);
                    if (!isfinite(g))
                        cal_flag(c, n, p);
                    continue;
                }
                double next;
                if (it == 0) {
                    double kk = g / (32.0 + 3.0 * code);
                    next = (gt[k] / kk - 32.0) / 3.0;
                    if (!isfinite(next))
                        next = code;
                    if (fabs(next - code) < 8)
                        next = code + (code < 500 ? 8 : -8);
                    next = cal_clamp_code(next);
                } else if (fabs(code - cs[0][k][n]) >= 8) {
                    /* through the last two points */
                    next = secant(c, n, p, cs[0][k][n], gs[0][k][n], code, g, gt[k]);
                } else {
                    /* too close for a slope through the noise: the model's
                     * (g = k (32 + 3 code)) at this point */
                    next = code + (gt[k] - g) * (32.0 + 3.0 * code) / (3.0 * g);
                    if (!isfinite(next))
                        next = code;
                    next = cal_clamp_code(next);
                }
                cs[0][k][n] = code, gs[0][k][n] = g;
                c->code[p][n] = (uint16_t)next;
            }
        }
    }
    /* strengths: at the calibrated time constants; the last measurement was
     * at the nominal gain codes */
    for (int it = 0; it < 3 && rc == AX_OK; it++) {
        if (it > 0) {
            if ((rc = measure(c, ps)) < 0)
                break;
            cal_step(c, 1);
        }
        for (unsigned k = 0; k < 2; k++) {
            unsigned p = AX_PARAM_GAIN_E + k;
            for (unsigned n = 0; n < c->n; n++) {
                double code = c->code[p][n], j = ps->jstep[k][n];
                if (it == 0)
                    c->res->before[n * AX_PARAM_COUNT + p] = norm_w(c, j);
                if (it == 2) {
                    c->res->after[n * AX_PARAM_COUNT + p] = norm_w(c, j);
                    if (!isfinite(j))
                        cal_flag(c, n, p);
                    continue;
                }
                if (it == 0) {
                    cs[0][k][n] = code, gs[0][k][n] = j;
                    double next = isfinite(j) && j > 0 ? code * jt[k] / j : code;
                    if (fabs(next - code) < 8)
                        next = code + (code < 500 ? 8 : -8);
                    c->code[p][n] = cal_clamp_code(next);
                } else {
                    c->code[p][n] =
                        (uint16_t)secant(c, n, p, cs[0][k][n], gs[0][k][n], code, j, jt[k]);
                }
            }
        }
    }
    int rc2 = put_syn(c, 0); /* leave no synapse behind */
    free(ps);
    return rc < 0 ? rc : rc2;
}
