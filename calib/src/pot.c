/* Potentials: leak, then reset, then threshold (the threshold is measured
 * against the calibrated leak). The CADC reads 4 mV a code, coarser than the
 * 1 mV wanted, so a potential is never read at one code: a sweep over codes
 * around it (steps not a multiple of the LSB) and a least-squares line per
 * neuron average the quantisation out, all neurons in parallel. */
#include <stdlib.h>
#include <string.h>

#include "cal.h"

#define READS  4
#define MAXPTS 16

/* Sets up the neuron so the CADC sees potential k at the codes in
 * c->code[k]: leak at rest (no spikes, fast membrane), or reset right after
 * NEURON_RESET (slow membrane, leak code equal to reset code: little drift). */
static int pot_point(struct cal *c, unsigned k, int tk[READS][2])
{
    unsigned other = k == 0 ? AX_PARAM_RESET : AX_PARAM_LEAK;
    for (unsigned i = 0; i < c->n; i++)
        c->code[other][i] = c->code[k][i];
    cal_put_codes(c, k);
    cal_put_codes(c, other);
    cal_settle(c);
    cal_wait(c, 320); /* 6 tau_m of the slowest neuron at tau_m code 600 */
    for (int r = 0; r < READS; r++) {
        if (k == 1)
            ax_program_neuron_reset(c->p, true, 0, 0);
        int rc = cal_cadc(c, tk[r]);
        if (rc < 0)
            return rc;
        cal_wait(c, 40);
    }
    return AX_OK;
}

/* Lines of potential k through codes center + off[j]. */
static int pot_sweep(struct cal *c, unsigned k, const double *center, const int *off, int npts,
                     struct cal_line *out)
{
    static int tk[MAXPTS][READS][2];
    static double x[CAL_NMAX][MAXPTS], y[CAL_NMAX][MAXPTS];
    cal_set_all(c, AX_PARAM_THRESHOLD, AX_CAPMEM_MAX);
    cal_set_all(c, AX_PARAM_TAU_M, k == 0 ? 600 : 0);
    cal_begin(c);
    cal_put_codes(c, AX_PARAM_THRESHOLD);
    cal_put_codes(c, AX_PARAM_TAU_M);
    for (int j = 0; j < npts; j++) {
        for (unsigned n = 0; n < c->n; n++) {
            c->code[k][n] = cal_clamp_code(center[n] + off[j]);
            x[n][j] = c->code[k][n];
        }
        int rc = pot_point(c, k, tk[j]);
        if (rc < 0)
            return rc;
    }
    int rc = cal_run(c);
    if (rc < 0)
        return rc;
    for (unsigned n = 0; n < c->n; n++) {
        for (int j = 0; j < npts; j++) {
            double s = 0;
            int m = 0;
            for (int r = 0; r < READS; r++) {
                double v = cal_cadc_mv(c, tk[j][r], n);
                if (isfinite(v))
                    s += v, m++;
            }
            y[n][j] = m == READS ? s / m : NAN;
        }
        if (cal_fit_line(x[n], y[n], npts, &out[n].a, &out[n].b) < 4 || !(out[n].a > 0.5))
            out[n].a = NAN, out[n].b = NAN;
    }
    return AX_OK;
}

/* Leak or reset: a wide sweep around the nominal code (the line later steps
 * extrapolate along, and the "before" value), then a narrow one around the
 * code it gives (the final code and the "after" value). */
static int pot_cal(struct cal *c, unsigned k)
{
    static const int wide[] = {-240, -200, -160, -120, -80, -40, 0, 40, 80, 120, 160, 200, 240};
    static const int fine[] = {-12, -9, -6, -3, 0, 3, 6, 9, 12};
    static double center[CAL_NMAX];
    static struct cal_line loc[CAL_NMAX];
    double target = c->tg->value[k];
    uint16_t c0;
    ax_calib_nominal_code(k, target, &c0);
    for (unsigned n = 0; n < c->n; n++)
        center[n] = c0;
    int rc = pot_sweep(c, k, center, wide, 13, c->line[k]);
    cal_step(c, 1);
    if (rc < 0)
        return rc;
    for (unsigned n = 0; n < c->n; n++) {
        c->res->before[n * AX_PARAM_COUNT + k] = cal_line_mv(c, k, n, c0);
        double cc = cal_line_code(c, k, n, target);
        center[n] = isfinite(cc) ? cal_clamp_code(cc) : c0;
    }
    rc = pot_sweep(c, k, center, fine, 9, loc);
    cal_step(c, 1);
    if (rc < 0)
        return rc;
    for (unsigned n = 0; n < c->n; n++) {
        double cc = (target - loc[n].b) / loc[n].a;
        if (!isfinite(cc) || cc < -0.5 || cc > AX_CAPMEM_MAX + 0.5) {
            cal_flag(c, n, k);
            cc = isfinite(cc) ? cc : c0;
        }
        c->code[k][n] = cal_clamp_code(cc);
        c->res->after[n * AX_PARAM_COUNT + k] = loc[n].a * c->code[k][n] + loc[n].b;
    }
    return AX_OK;
}

int cal_leak(struct cal *c)
{
    return pot_cal(c, AX_PARAM_LEAK);
}

int cal_reset(struct cal *c)
{
    static uint16_t leak[CAL_NMAX];
    memcpy(leak, c->code[AX_PARAM_LEAK], sizeof leak);
    int rc = pot_cal(c, AX_PARAM_RESET);
    memcpy(c->code[AX_PARAM_LEAK], leak, sizeof leak); /* the sweep moved the leak along */
    return rc;
}

/* Spike counters of all neurons into tickets (reads of at most 252). */
static int read_counts(struct cal *c, int *tk, int *ntk)
{
    *ntk = 0;
    for (unsigned f = 0; f < c->n; f += AX_PROGRAM_READ_MAX) {
        unsigned m = c->n - f < AX_PROGRAM_READ_MAX ? c->n - f : AX_PROGRAM_READ_MAX;
        if ((tk[(*ntk)++] = ax_program_read(c->p, R_SPIKE_CNT + f, m)) < 0)
            return tk[*ntk - 1];
    }
    c->t += CAL_ACCESS_CYCLES * c->n + 16;
    return AX_OK;
}

static int count_of(const struct cal *c, const int *tk, unsigned n)
{
    const ax_ticket *t = &c->r.tickets[tk[n / AX_PROGRAM_READ_MAX]];
    return t->filled && t->status == 0 ? (int)t->data[n % AX_PROGRAM_READ_MAX] : -1;
}

#define ONSET_WINDOW  600u /* cycles from the last block's reset */
#define ONSET_STAGGER 40u
#define ONSET_SPAN    100.0 /* > the 40 mV offset plus 3 % gain: one search brackets every neuron */

/* The threshold of every neuron at the codes in c->code[THRESHOLD]: a
 * binary search (all neurons at once, one program a step) for the lowest
 * leak at which the neuron fires within ONSET_WINDOW cycles. The membrane's
 * temporal noise lets it fire a little below: that excursion (the expected
 * maximum of the documented noise over the window) is added back. */
static int onset(struct cal *c, const double *guess, double *theta)
{
    static int lo[CAL_NMAX], hi[CAL_NMAX], lo0[CAL_NMAX], hi0[CAL_NMAX];
    for (unsigned n = 0; n < c->n; n++) {
        lo0[n] = lo[n] = cal_clamp_code(floor(cal_line_code(c, 0, n, guess[n] - ONSET_SPAN)));
        hi0[n] = hi[n] = cal_clamp_code(ceil(cal_line_code(c, 0, n, guess[n] + ONSET_SPAN)));
    }
    cal_set_all(c, AX_PARAM_TAU_M, AX_CAPMEM_MAX);
    /* the longest refractory time (>= 754 cycles): a firing neuron spikes once
     * in the window, enough to tell, and 512 neurons stay under the spike
     * queue's one a cycle. A storm of tonic spikes would overflow the queue,
     * and the chip pays its drops out as one loss pulse a cycle (up to 65535
     * of them) that a later recorded program would count as lost records. */
    cal_set_all(c, AX_PARAM_REFRAC, AX_CAPMEM_MAX);
    for (int step = 0; step < 8; step++) {
        cal_begin(c);
        cal_put_codes(c, AX_PARAM_REFRAC);
        cal_put_codes(c, AX_PARAM_THRESHOLD);
        cal_put_codes(c, AX_PARAM_TAU_M);
        for (unsigned n = 0; n < c->n; n++) {
            c->code[AX_PARAM_LEAK][n] = (uint16_t)((lo[n] + hi[n]) / 2);
            /* far below: a reset above the threshold would keep it firing */
            c->code[AX_PARAM_RESET][n] = cal_clamp_code(c->code[AX_PARAM_LEAK][n] - 150.0);
        }
        cal_put_codes(c, AX_PARAM_LEAK);
        cal_put_codes(c, AX_PARAM_RESET);
        cal_settle(c);
        cal_wait(c, 200);
        ax_program_write(c->p, R_CNT_RESET, 1);
        cal_wait(c, 8);
        /* NEURON_RESET ends a refractory time from before (a neuron that fired
         * during the writes could not fire again in the window); blocks of 32
         * ONSET_STAGGER apart, so their first spikes stay under the queue's
         * one a cycle */
        for (unsigned b = 0; b < c->n / 32; b++) {
            ax_program_neuron_reset(c->p, false, b, 0xFFFFFFFFu);
            cal_wait(c, ONSET_STAGGER);
        }
        cal_wait(c, ONSET_WINDOW - ONSET_STAGGER);
        int tk[4], ntk, rc = read_counts(c, tk, &ntk);
        if (rc == AX_OK)
            rc = cal_run(c);
        if (rc < 0)
            return rc;
        for (unsigned n = 0; n < c->n; n++) {
            int mid = (lo[n] + hi[n]) / 2, k = count_of(c, tk, n);
            if (hi[n] - lo[n] > 1)
                *(k > 0 ? &hi[n] : &lo[n]) = mid;
        }
    }
    double tau = 65536.0 / (32.0 + 3.0 * AX_CAPMEM_MAX);
    double sd = c->noise_mv / 2 * sqrt(tau);
    /* the mean window: the first block's is longer by the stagger */
    double win = ONSET_WINDOW + ONSET_STAGGER * (c->n / 32 - 1) / 2.0;
    double excursion = sd * sqrt(2.0 * log(win / tau));
    for (unsigned n = 0; n < c->n; n++) {
        bool ok = hi[n] - lo[n] == 1 && hi[n] != hi0[n] && lo[n] != lo0[n];
        theta[n] =
            ok ? (cal_line_mv(c, 0, n, lo[n]) + cal_line_mv(c, 0, n, hi[n])) / 2 + excursion : NAN;
    }
    return AX_OK;
}

/* Threshold: measured at the nominal code and 160 codes away (a line with a
 * well-determined slope), the code for the target from that line, and the
 * threshold measured again there (the "after" value). */
int cal_threshold(struct cal *c)
{
    static double g[CAL_NMAX], th0[CAL_NMAX], th1[CAL_NMAX], th2[CAL_NMAX];
    static uint16_t leak[CAL_NMAX], reset[CAL_NMAX];
    memcpy(leak, c->code[AX_PARAM_LEAK], sizeof leak);
    memcpy(reset, c->code[AX_PARAM_RESET], sizeof reset);
    const unsigned k = AX_PARAM_THRESHOLD;
    double target = c->tg->value[k];
    uint16_t c0;
    ax_calib_nominal_code(k, target, &c0);
    int d = c0 > 700 ? -160 : 160, rc;
    cal_set_all(c, k, c0);
    for (unsigned n = 0; n < c->n; n++)
        g[n] = target;
    if ((rc = onset(c, g, th0)) < 0)
        return rc;
    cal_step(c, 1);
    cal_set_all(c, k, (unsigned)(c0 + d));
    for (unsigned n = 0; n < c->n; n++)
        g[n] = isfinite(th0[n]) ? th0[n] + d : target + d;
    if ((rc = onset(c, g, th1)) < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++) {
        c->line[2][n].a = (th1[n] - th0[n]) / d;
        c->line[2][n].b = th0[n] - c->line[2][n].a * c0;
        c->res->before[n * AX_PARAM_COUNT + k] = th0[n];
        double cc = cal_line_code(c, 2, n, target);
        if (!isfinite(cc) || cc < -0.5 || cc > AX_CAPMEM_MAX + 0.5) {
            cal_flag(c, n, k);
            cc = isfinite(cc) ? cc : c0;
        }
        c->code[k][n] = cal_clamp_code(cc);
        g[n] = target;
    }
    if ((rc = onset(c, g, th2)) < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++) {
        c->res->after[n * AX_PARAM_COUNT + k] = th2[n];
        if (!isfinite(th2[n]))
            cal_flag(c, n, k);
    }
    memcpy(c->code[AX_PARAM_LEAK], leak, sizeof leak);
    memcpy(c->code[AX_PARAM_RESET], reset, sizeof reset);
    return AX_OK;
}
