/* The simulated board's truth (calib_truth.h). */
#include <math.h>

#include "axsim_ref.h"
#include "calib_truth.h"

static double mean_step(uint64_t die, unsigned fpn, unsigned n, unsigned nph, unsigned rows)
{
    double s = 0;
    for (unsigned r = 0; r < rows; r++)
        s += axsim_ref_syn_step(die, fpn, n / nph, r, n % nph);
    return s / rows;
}

int ax_calib_truth(ax_device *d, const struct ax_calib_result *r, const struct ax_calib_targets *t,
                   double *values)
{
    uint32_t noise;
    int rc = ax_reg_read(d, AX_REG_NOISE, &noise);
    if (rc < 0)
        return rc;
    const ax_ident *id = ax_device_ident(d);
    unsigned fpn = noise & 0xFF, nph = id->neurons_per_hemi, rows = id->rows_per_hemi;
    double ratio = t->value[AX_PARAM_TAU_M] / t->value[AX_PARAM_TAU_SE];
    double theta = t->value[AX_PARAM_THRESHOLD] - t->value[AX_PARAM_LEAK];
    for (unsigned n = 0; n < r->neurons; n++) {
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            unsigned code = r->codes[n * AX_PARAM_COUNT + p];
            double v = axsim_ref_param_eff(id->die_seed, fpn, (axsim_ref_param)p, n, code), x;
            if (p <= AX_PARAM_THRESHOLD)
                x = v / 16384.0;
            else if (p <= AX_PARAM_TAU_SI)
                x = 65536.0 / v / AX_CYCLES_PER_US;
            else if (p == AX_PARAM_REFRAC)
                x = v / AX_CYCLES_PER_US;
            else /* one weight step: gain * step / 8 (Q14 mV) */
                x = v * mean_step(id->die_seed, fpn, n, nph, rows) / 8.0 / 16384.0 /
                    (ratio * theta);
            values[n * AX_PARAM_COUNT + p] = x;
        }
    }
    return AX_OK;
}

void ax_calib_truth_stat(const struct ax_calib_result *r, const double *values, unsigned p,
                         double *mean, double *sd)
{
    double s = 0, q = 0;
    unsigned m = 0;
    for (unsigned n = 0; n < r->neurons; n++) {
        double v = values[n * AX_PARAM_COUNT + p];
        if (r->flags[n] || !isfinite(v))
            continue;
        s += v, q += v * v, m++;
    }
    *mean = m ? s / m : NAN;
    *sd = m > 1 ? sqrt(fmax(0, (q - m * *mean * *mean) / (m - 1))) : NAN;
}
