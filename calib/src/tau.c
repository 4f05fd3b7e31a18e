/* Membrane time constant: the first spike after NEURON_RESET, from the reset
 * potential R towards a leak L above the threshold T, comes after
 * k = ln((L - R) / (L - T)) / -ln(1 - 1/tau) cycles (the documented update
 * moves v by (L - v) / tau a cycle). Spike times are exact to 1/16 cycle,
 * cheap and parallel; L, R and T come from the calibrated potential lines.
 * The code is found by a secant search on the conductance g = 65536 / tau,
 * which is linear in the code (docs/chip.md section 4). */
#include <stdlib.h>
#include <string.h>

#include "cal.h"

#define TRIALS  16
#define STAGGER 96u /* cycles between blocks of 32: keeps the record rate under the link's */
#define T_LEAK  650.0
#define T_RESET 250.0
#define T_THR   450.0

static int label_neurons(struct cal *c)
{
    static ax_neuron_cfg cfg[CAL_NMAX];
    for (unsigned n = 0; n < c->n; n++)
        cfg[n] = (ax_neuron_cfg){.label = (uint16_t)n, .record = true}; /* no hemisphere bit */
    unsigned gen = ax_detail_gen();
    int rc = ax_chip_set_neurons(c->d, 0, cfg, c->n);
    return rc < 0 ? ax_fail_wrap(rc, gen, "calibration: neuron labels") : AX_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The mean of the values within 4 cycles of their median (a spike of another
 * trial that slipped through does not move it); NaN with fewer than half the
 * trials. */
static double robust_mean(double *v, unsigned m)
{
    if (m < TRIALS / 2)
        return NAN;
    qsort(v, m, sizeof *v, cmp_double);
    double med = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2, s = 0;
    unsigned k = 0;
    for (unsigned i = 0; i < m; i++)
        if (fabs(v[i] - med) <= 4.0)
            s += v[i], k++;
    return k >= TRIALS / 2 ? s / k : NAN;
}

/* Mean time of the first spike after each block's NEURON_RESET (cycles after
 * the reset) and, with nsp = 2, of the second spike after the cycle of the
 * first one, of every neuron; NaN when a neuron gave fewer than half the
 * trials. */
/* One group: the blocks b with b % groups == g are reset STAGGER apart and
 * measured; the others have their leak at their reset potential (silent). */
static int spike_group(struct cal *c, double len, unsigned nsp, unsigned groups, unsigned g,
                       double (*v)[CAL_NMAX][TRIALS], unsigned (*m)[CAL_NMAX])
{
    static unsigned last[CAL_NMAX], seen[CAL_NMAX];
    static double cyc1[CAL_NMAX];
    static uint16_t leak[CAL_NMAX];
    unsigned blocks = c->n / 32, active = blocks / groups;
    memcpy(leak, c->code[AX_PARAM_LEAK], sizeof leak);
    for (unsigned n = 0; n < c->n; n++)
        if ((n / 32) % groups != g)
            c->code[AX_PARAM_LEAK][n] = c->code[AX_PARAM_RESET][n];
    cal_begin(c);
    /* the refractory time first: no moment of the writes fires faster than
     * the spike queue drains (see onset() in pot.c) */
    cal_put_codes(c, AX_PARAM_REFRAC);
    for (unsigned k = 0; k < AX_PARAM_REFRAC; k++)
        cal_put_codes(c, k);
    memcpy(c->code[AX_PARAM_LEAK], leak, sizeof leak);
    cal_settle(c);
    cal_wait(c, 64);
    /* all spikes, not first-only: a neuron of a late block may fire before its
     * own reset (free running from the last trial); the first spikes after the
     * reset are picked here */
    ax_program_record(c->p, AX_RECORD_SPIKES);
    for (int tr = 0; tr < TRIALS; tr++) {
        ax_program_timer_reset(c->p);
        for (unsigned i = 0; i < active; i++) {
            ax_program_wait_until(c->p, 8 + i * STAGGER);
            ax_program_neuron_reset(c->p, false, i * groups + g, 0xFFFFFFFFu);
        }
        ax_program_wait_until(c->p, 8 + (uint64_t)(active * STAGGER + len));
    }
    ax_program_record(c->p, 0);
    int rc = cal_run(c);
    if (rc < 0)
        return rc;
    memset(last, 0, sizeof last);
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < c->r.nspikes; i++) {
        const ax_spike *sp = &c->r.spikes[i];
        unsigned n = sp->label;
        if (n >= c->n || (n / 32) % groups != g)
            continue;
        double t = (double)sp->time + sp->frac / 16.0 - 8.0 - (double)(n / 32 / groups * STAGGER);
        /* trial 1 is the setup's; a spike of its last cycles can come after the
         * TRIAL record, stamped in the old trial's time (past this one's end);
         * a spike stamped in the reset's own cycle (t < 1) came before it */
        if (sp->trial < 2 || t < 1.0 || t > len)
            continue;
        if (last[n] != sp->trial)
            last[n] = sp->trial, seen[n] = 0;
        if (seen[n] >= nsp || m[seen[n]][n] >= TRIALS)
            continue;
        if (seen[n] == 0)
            cyc1[n] = (double)sp->time; /* the cycle of the first spike's update */
        /* the second from the end of the first one's cycle: see cal.h */
        v[seen[n]][n][m[seen[n]][n]++] = seen[n] ? (double)sp->time + sp->frac / 16.0 - cyc1[n] : t;
        seen[n]++;
    }
    return AX_OK;
}

int cal_spike_times(struct cal *c, double len, unsigned nsp, double period, double *t1, double *t2)
{
    static double v[2][CAL_NMAX][TRIALS];
    static unsigned m[2][CAL_NMAX];
    /* free-running neurons fire every `period` cycles or more: groups of
     * blocks per program keep them under 0.4 spikes a cycle (the queue drains
     * one a cycle, the link's records a little less) */
    unsigned groups = 1;
    while (groups < c->n / 32 && c->n / groups > 0.4 * period)
        groups *= 2;
    memset(m, 0, sizeof m);
    int rc = AX_OK;
    for (unsigned g = 0; g < groups && rc == AX_OK; g++)
        rc = spike_group(c, len, nsp, groups, g, v, m);
    if (rc < 0)
        return rc;
    for (unsigned n = 0; n < c->n; n++) {
        t1[n] = robust_mean(v[0][n], m[0][n]);
        if (nsp > 1)
            t2[n] = robust_mean(v[1][n], m[1][n]);
    }
    return AX_OK;
}

void cal_spike_point(struct cal *c, uint16_t save[3][CAL_NMAX])
{
    const double want[3] = {T_LEAK, T_RESET, T_THR};
    for (unsigned k = 0; k < 3; k++) {
        memcpy(save[k], c->code[k], sizeof save[k]);
        for (unsigned n = 0; n < c->n; n++)
            c->code[k][n] = cal_clamp_code(cal_line_code(c, k, n, want[k]));
    }
}

void cal_spike_point_restore(struct cal *c, uint16_t save[3][CAL_NMAX])
{
    for (unsigned k = 0; k < 3; k++)
        memcpy(c->code[k], save[k], sizeof save[k]);
}

/* ln((L - T) / (L - R)) of neuron n at the spike-time operating point. */
static double log_ratio(const struct cal *c, unsigned n)
{
    double l = cal_line_mv(c, 0, n, c->code[0][n]), r = cal_line_mv(c, 1, n, c->code[1][n]);
    double th = cal_line_mv(c, 2, n, c->code[2][n]);
    return log((l - th) / (l - r));
}

/* g of every neuron at the codes in c->code[TAU_M]. */
int cal_measure_gm(struct cal *c, double *g)
{
    static double t1[CAL_NMAX];
    static uint16_t save[3][CAL_NMAX];
    cal_spike_point(c, save);
    static uint16_t refr[CAL_NMAX];
    memcpy(refr, c->code[AX_PARAM_REFRAC], sizeof refr);
    cal_set_all(c, AX_PARAM_REFRAC, AX_CAPMEM_MAX); /* one spike per trial */
    double tau_max = 1.4 * 65536.0 / (32.0 + 3.0 * c->code[AX_PARAM_TAU_M][0]);
    /* refractory code 1022: >= 754 cycles between spikes */
    int rc = cal_spike_times(c, 1.5 * tau_max, 1, 754.0, t1, NULL);
    for (unsigned n = 0; n < c->n && rc == AX_OK; n++) {
        /* the stamp of a crossing during the k-th update after the reset is
         * k + frac, the membrane's continuous index k - 1 + frac */
        double q = log_ratio(c, n) / (t1[n] - 1.0);
        g[n] = isfinite(q) && q < 0 ? 65536.0 * -expm1(q) : NAN;
    }
    cal_spike_point_restore(c, save);
    memcpy(c->code[AX_PARAM_REFRAC], refr, sizeof refr);
    return rc;
}

static uint16_t secant(struct cal *c, unsigned n, unsigned p, double ca, double ga, double cb,
                       double gb, double gt)
{
    double cc = cb + (gt - gb) * (cb - ca) / (gb - ga);
    if (!isfinite(cc) || cc < -0.5 || cc > AX_CAPMEM_MAX + 0.5) {
        cal_flag(c, n, p);
        cc = isfinite(cc) ? cc : cb;
    }
    return cal_clamp_code(cc);
}

int cal_tau_m(struct cal *c)
{
    static double g0[CAL_NMAX], g1[CAL_NMAX], g2[CAL_NMAX], c0[CAL_NMAX];
    const unsigned p = AX_PARAM_TAU_M;
    double gt = 65536.0 / (c->tg->value[p] * AX_CYCLES_PER_US);
    uint16_t nom;
    ax_calib_nominal_code(p, c->tg->value[p], &nom);
    cal_set_all(c, p, nom); /* the onset search left its own codes */
    int rc = label_neurons(c);
    if (rc == AX_OK)
        rc = cal_measure_gm(c, g0);
    if (rc < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++) {
        c0[n] = c->code[p][n];
        c->res->before[n * AX_PARAM_COUNT + p] = 65536.0 / g0[n] / AX_CYCLES_PER_US;
        double k = g0[n] / (32.0 + 3.0 * c0[n]), c1 = (gt / k - 32.0) / 3.0;
        if (fabs(c1 - c0[n]) < 8)
            c1 = c0[n] + (c0[n] < 500 ? 8 : -8); /* far enough apart for a slope */
        c->code[p][n] = cal_clamp_code(isfinite(c1) ? c1 : c0[n]);
    }
    if ((rc = cal_measure_gm(c, g1)) < 0)
        return rc;
    cal_step(c, 1);
    static double c1[CAL_NMAX], g3[CAL_NMAX];
    for (unsigned n = 0; n < c->n; n++) {
        c1[n] = c->code[p][n];
        c->code[p][n] = secant(c, n, p, c0[n], g0[n], c1[n], g1[n], gt);
    }
    if ((rc = cal_measure_gm(c, g2)) < 0)
        return rc;
    cal_step(c, 1);
    /* a second secant step through the two nearest points: the first one
     * extrapolated from the nominal code */
    for (unsigned n = 0; n < c->n; n++) {
        double c2 = c->code[p][n];
        c->code[p][n] = fabs(c2 - c1[n]) >= 2 ? secant(c, n, p, c1[n], g1[n], c2, g2[n], gt) : c2;
    }
    if ((rc = cal_measure_gm(c, g3)) < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++)
        c->res->after[n * AX_PARAM_COUNT + p] = 65536.0 / g3[n] / AX_CYCLES_PER_US;
    return AX_OK;
}
