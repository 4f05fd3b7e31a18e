/* Refractory time: at the spike-time operating point of the tau_m step
 * (calibrated tau_m; reset R, threshold T, leak L above it), a neuron reset
 * by NEURON_RESET fires after t1 cycles, is held at the reset potential for
 * its refractory time, and fires again t1 after that: counted from the
 * cycle of the first spike, t2 = t_ref + t1. Both spikes come from the same
 * trial, so t_ref = t2 - t1 needs no model of the membrane. The refractory counter is linear in the
 * code (floor(code x gain) + offset, docs/chip.md section 4): the nominal code, the code a
 * proportional step gives, a secant step, a final measurement. */
#include <string.h>

#include "cal.h"

static int measure_refr(struct cal *c, double *tref)
{
    static double t1[CAL_NMAX], t2[CAL_NMAX];
    static uint16_t save[3][CAL_NMAX];
    cal_spike_point(c, save);
    double tau_max = 0, tau_min = INFINITY, r_max = 0, r_min = INFINITY;
    for (unsigned n = 0; n < c->n; n++) {
        double g = 32.0 + 3.0 * c->code[AX_PARAM_TAU_M][n];
        tau_max = fmax(tau_max, 1.4 * 65536.0 / g);
        tau_min = fmin(tau_min, 0.6 * 65536.0 / g);
        r_max = fmax(r_max, 1.3 * c->code[AX_PARAM_REFRAC][n] + 3);
        r_min = fmin(r_min, 0.7 * c->code[AX_PARAM_REFRAC][n] - 3);
    }
    /* two spikes: 2 t1 (< 0.75 tau) plus the refractory time, with margin;
     * a neuron fires every t1 (> ln 2 tau) plus its refractory time */
    int rc =
        cal_spike_times(c, 2.0 * tau_max + r_max + 16, 2, fmax(0.69 * tau_min + r_min, 1), t1, t2);
    for (unsigned n = 0; n < c->n && rc == AX_OK; n++)
        tref[n] = t2[n] - t1[n];
    cal_spike_point_restore(c, save);
    return rc;
}

int cal_refrac(struct cal *c)
{
    static double r0[CAL_NMAX], r1[CAL_NMAX], r2[CAL_NMAX], c0[CAL_NMAX], c1[CAL_NMAX];
    const unsigned p = AX_PARAM_REFRAC;
    double target = c->tg->value[p] * AX_CYCLES_PER_US;
    uint16_t nom;
    ax_calib_nominal_code(p, c->tg->value[p], &nom);
    cal_set_all(c, p, nom);
    int rc = measure_refr(c, r0);
    cal_step(c, 1);
    if (rc < 0)
        return rc;
    for (unsigned n = 0; n < c->n; n++) {
        c0[n] = nom;
        c->res->before[n * AX_PARAM_COUNT + p] = r0[n] / AX_CYCLES_PER_US;
        double cc = nom * target / r0[n];
        if (!isfinite(cc))
            cc = nom;
        if (fabs(cc - nom) < 16)
            cc = nom + (nom < 500 ? 16 : -16); /* far enough apart for a slope */
        c->code[p][n] = cal_clamp_code(cc);
    }
    if ((rc = measure_refr(c, r1)) < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++) {
        c1[n] = c->code[p][n];
        double cc = c1[n] + (target - r1[n]) * (c1[n] - c0[n]) / (r1[n] - r0[n]);
        if (!isfinite(cc) || cc < -0.5 || cc > AX_CAPMEM_MAX + 0.5) {
            cal_flag(c, n, p);
            cc = isfinite(cc) ? cc : c1[n];
        }
        c->code[p][n] = cal_clamp_code(cc);
    }
    if ((rc = measure_refr(c, r2)) < 0)
        return rc;
    cal_step(c, 1);
    for (unsigned n = 0; n < c->n; n++) {
        c->res->after[n * AX_PARAM_COUNT + p] = r2[n] / AX_CYCLES_PER_US;
        if (!isfinite(r2[n]))
            cal_flag(c, n, p);
    }
    return AX_OK;
}
