/* The chip's nominal code-to-value conversion (docs/chip.md section 2). */
#include <math.h>

#include "axon/calib.h"

static double tau_us(uint16_t code)
{
    return 65536.0 / (32.0 + 3.0 * code) / AX_CYCLES_PER_US;
}

double ax_calib_nominal_value(unsigned p, uint16_t code)
{
    switch (p) {
    case AX_PARAM_TAU_M:
    case AX_PARAM_TAU_SE:
    case AX_PARAM_TAU_SI:
        return tau_us(code);
    case AX_PARAM_REFRAC:
        return (double)code / AX_CYCLES_PER_US;
    default: /* potentials in mV, gains */
        return code;
    }
}

/* Time constants fall with the code: the code whose tau is nearest. */
static int tau_code(double us, uint16_t *code)
{
    double g = 65536.0 / (us * AX_CYCLES_PER_US), c = (g - 32.0) / 3.0;
    if (!(c > -0.5 && c < AX_CAPMEM_MAX + 0.5))
        return AX_E_RANGE;
    int lo = c < 0 ? 0 : (int)c, hi = lo < (int)AX_CAPMEM_MAX ? lo + 1 : lo;
    *code =
        (uint16_t)(fabs(tau_us((uint16_t)lo) - us) <= fabs(tau_us((uint16_t)hi) - us) ? lo : hi);
    return AX_OK;
}

int ax_calib_nominal_code(unsigned p, double value, uint16_t *code)
{
    if (p >= AX_PARAM_COUNT || !isfinite(value))
        return AX_E_INVAL;
    if (p == AX_PARAM_TAU_M || p == AX_PARAM_TAU_SE || p == AX_PARAM_TAU_SI)
        return value > 0 ? tau_code(value, code) : AX_E_RANGE;
    double c = p == AX_PARAM_REFRAC ? value * AX_CYCLES_PER_US : value;
    if (!(c > -0.5 && c < AX_CAPMEM_MAX + 0.5))
        return AX_E_RANGE;
    *code = (uint16_t)lround(c < 0 ? 0 : c);
    return AX_OK;
}
