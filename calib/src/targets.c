/* Targets: the config file, the range every die reaches, the cache key. */
#include <stdio.h>
#include <string.h>

#include "axon/config.h"
#include "axon/sha256.h"
#include "cal.h"

static const char *const keys[AX_PARAM_COUNT] = {
    "leak_mv",   "reset_mv", "threshold_mv", "tau_m_us",      "tau_se_us",
    "tau_si_us", "psp_e",    "psp_i",        "refractory_us",
};

const char *ax_calib_param_key(unsigned p)
{
    return p < AX_PARAM_COUNT ? keys[p] : "?";
}

/* The largest current jump of one weight step every neuron reaches: input
 * gain code 1022 at its lowest (1022 * 0.74 - 4 = 752) times the nominal
 * synapse step 256 averaged over the rows, / (8 * 16384) mV, with 5 % kept
 * back for the rows' spread. */
#define J_STEP_MAX_MV 1.4
#define J_STEP_MIN_MV 0.02

void ax_calib_param_range(unsigned p, const struct ax_calib_targets *t, double *lo, double *hi)
{
    switch (p) {
    case AX_PARAM_LEAK:
    case AX_PARAM_RESET:
    case AX_PARAM_THRESHOLD: /* code x (1 +- 3 %) +- 40 mV, codes 0..1022 */
        *lo = 45, *hi = 945;
        return;
    case AX_PARAM_TAU_M:
    case AX_PARAM_TAU_SE:
    case AX_PARAM_TAU_SI: /* g at code 0 <= 43.3, at code 1022 >= 2289 (docs/chip.md) */
        *lo = 0.24, *hi = 12.0;
        return;
    case AX_PARAM_REFRAC: /* code x (1 +- 26 %) +- 2 cycles: 754 cycles at code 1022 */
        *lo = 0.02, *hi = 6.0;
        return;
    default: { /* psp: J / (ratio * (threshold - leak)) */
        double r = t->value[AX_PARAM_TAU_M] / t->value[AX_PARAM_TAU_SE];
        double th = t->value[AX_PARAM_THRESHOLD] - t->value[AX_PARAM_LEAK];
        *lo = th > 0 ? J_STEP_MIN_MV / (r * th) : 0;
        *hi = th > 0 ? J_STEP_MAX_MV / (r * th) : 0;
    }
    }
}

int ax_calib_targets_check(const struct ax_calib_targets *t)
{
    double d = t->value[AX_PARAM_THRESHOLD] - t->value[AX_PARAM_LEAK];
    if (!(d >= 5))
        return ax_fail(AX_E_RANGE, "threshold_mv must be at least 5 mV above leak_mv (%g <= %g)",
                       t->value[AX_PARAM_THRESHOLD], t->value[AX_PARAM_LEAK]);
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        double lo, hi, v = t->value[p];
        ax_calib_param_range(p, t, &lo, &hi);
        if (!(v >= lo && v <= hi))
            return ax_fail(AX_E_RANGE,
                           "%s = %g is outside what every neuron reaches (%.4g .. %.4g)", keys[p],
                           v, lo, hi);
    }
    return AX_OK;
}

void ax_calib_targets_hash(struct ax_calib_targets *t)
{
    char text[1024];
    size_t k = 0;
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s=%.17g\n", keys[p], t->value[p]);
    ax_sha256(text, k, t->sha256);
}

int ax_calib_targets_load(const char *path, struct ax_calib_targets *t)
{
    ax_config *cfg;
    int rc = ax_config_load_file(&cfg, path);
    if (rc < 0)
        return rc;
    memset(t, 0, sizeof *t);
    const char *name = "";
    rc = ax_config_get_string(cfg, "targets", "name", &name);
    if (rc == AX_E_NOTFOUND)
        rc = AX_OK;
    for (unsigned p = 0; p < AX_PARAM_COUNT && rc == AX_OK; p++) {
        rc = ax_config_get_double(cfg, "targets", keys[p], -1e9, 1e9, &t->value[p]);
        if (rc == AX_E_NOTFOUND)
            rc = ax_fail(AX_E_NOTFOUND, "%s: [targets] %s is missing", path, keys[p]);
    }
    if (rc == AX_OK)
        rc = ax_config_check_unknown(cfg);
    if (rc == AX_OK)
        snprintf(t->name, sizeof t->name, "%s", name);
    ax_config_free(cfg);
    if (rc == AX_OK && (rc = ax_calib_targets_check(t)) < 0)
        rc = ax_fail(rc, "%s: %s", path, ax_error_detail());
    ax_calib_targets_hash(t);
    return rc;
}
