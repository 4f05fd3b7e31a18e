/* The calibration's order (docs/calibration.md): ADCs, leak, reset,
 * threshold (onset against the calibrated leak), membrane time constant
 * (spike times between calibrated potentials), refractory time (two spikes a
 * trial at the calibrated tau_m), synaptic time constants and then input
 * strengths (PSP shapes through the CADC). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/clock.h"
#include "cal.h"

void ax_calib_result_free(struct ax_calib_result *r)
{
    free(r->codes);
    free(r->flags);
    free(r->before);
    free(r->after);
    memset(r, 0, sizeof *r);
}

static int result_alloc(struct ax_calib_result *r, unsigned n)
{
    r->neurons = n;
    r->codes = calloc((size_t)n * AX_PARAM_COUNT, sizeof *r->codes);
    r->flags = calloc(n, sizeof *r->flags);
    r->before = malloc((size_t)n * AX_PARAM_COUNT * sizeof *r->before);
    r->after = malloc((size_t)n * AX_PARAM_COUNT * sizeof *r->after);
    if (!r->codes || !r->flags || !r->before || !r->after) {
        ax_calib_result_free(r);
        return ax_fail(AX_E_NOMEM, "out of memory for a calibration of %u neurons", n);
    }
    for (size_t i = 0; i < (size_t)n * AX_PARAM_COUNT; i++)
        r->before[i] = r->after[i] = NAN;
    return AX_OK;
}

const char *ax_calib_flag_reason(const struct ax_calib_result *r, unsigned n)
{
    static const char *const why[AX_PARAM_COUNT] = {
        "leak potential out of reach",      "reset potential out of reach",
        "threshold out of reach",           "membrane time constant out of reach",
        "excitatory tau_s out of reach",    "inhibitory tau_s out of reach",
        "excitatory strength out of reach", "inhibitory strength out of reach",
        "refractory time out of reach",
    };
    if (n >= r->neurons || !r->flags[n])
        return "";
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
        if (r->flags[n] & (1u << p))
            return why[p];
    return "";
}

static void stats(struct ax_calib_result *r, const struct ax_calib_targets *t)
{
    r->flagged = 0;
    for (unsigned n = 0; n < r->neurons; n++)
        r->flagged += r->flags[n] != 0;
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        double s[2] = {0, 0}, q[2] = {0, 0};
        unsigned m[2] = {0, 0};
        for (unsigned n = 0; n < r->neurons; n++) {
            double v[2] = {r->before[n * AX_PARAM_COUNT + p], r->after[n * AX_PARAM_COUNT + p]};
            for (int k = 0; k < 2; k++)
                if (isfinite(v[k]) && (k == 0 || !r->flags[n]))
                    s[k] += v[k], q[k] += v[k] * v[k], m[k]++;
        }
        struct ax_calib_stat *st = &r->stat[p];
        st->target = t->value[p];
        double mean[2], sd[2];
        for (int k = 0; k < 2; k++) {
            mean[k] = m[k] ? s[k] / m[k] : NAN;
            sd[k] = m[k] > 1 ? sqrt(fmax(0, (q[k] - m[k] * mean[k] * mean[k]) / (m[k] - 1))) : NAN;
        }
        st->mean_before = mean[0], st->std_before = sd[0];
        st->mean_after = mean[1], st->std_after = sd[1];
    }
}

static int ctx_init(struct cal *c, ax_device *d, const struct ax_calib_targets *t)
{
    const ax_ident *id = ax_device_ident(d);
    memset(c, 0, sizeof *c);
    c->d = d;
    c->tg = t;
    c->nph = id->neurons_per_hemi;
    c->n = 2 * c->nph;
    if (c->n > CAL_NMAX || c->nph % 32 || id->rows_per_hemi < CAL_ROWS)
        return ax_fail(AX_E_UNSUPPORTED, "calibration: unsupported chip geometry %u x %u", c->nph,
                       id->rows_per_hemi);
    uint32_t noise = 0;
    unsigned gen = ax_detail_gen();
    int rc = ax_reg_read(d, AX_REG_NOISE, &noise);
    if (rc < 0)
        return ax_fail_wrap(rc, gen, "calibration: reading the board's noise register");
    c->noise_mv = floor(2458.0 * ((noise >> 8) & 0xFF) / 128.0) / 16384.0;
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        uint16_t code = 0;
        /* gains: nominally J = gain / 512 mV a weight step (docs/chip.md section 3) */
        double v = p == AX_PARAM_GAIN_E || p == AX_PARAM_GAIN_I
                       ? t->value[p] * t->value[AX_PARAM_TAU_M] / t->value[AX_PARAM_TAU_SE] *
                             (t->value[AX_PARAM_THRESHOLD] - t->value[AX_PARAM_LEAK]) * 512.0
                       : t->value[p];
        if ((rc = ax_calib_nominal_code(p, v, &code)) < 0)
            return ax_fail(rc, "calibration: %s = %g has no code", ax_calib_param_key(p),
                           t->value[p]);
        cal_set_all(c, p, code);
    }
    if ((rc = ax_program_new(&c->p)) < 0)
        return rc;
    ax_result_init(&c->r);
    return AX_OK;
}

static int steps(struct cal *c)
{
    int rc = cal_adc(c);
    if (rc == AX_OK)
        rc = cal_leak(c);
    if (rc == AX_OK)
        rc = cal_reset(c);
    if (rc == AX_OK)
        rc = cal_threshold(c);
    if (rc == AX_OK)
        rc = cal_tau_m(c);
    if (rc == AX_OK)
        rc = cal_refrac(c);
    if (rc == AX_OK)
        rc = cal_syn(c);
    return rc;
}

int ax_calib_run(ax_device *d, const struct ax_calib_targets *t, ax_calib_progress_fn progress,
                 void *ctx, struct ax_calib_result *r)
{
    struct cal *c = calloc(1, sizeof *c); /* large: on the heap */
    if (!c)
        return ax_fail(AX_E_NOMEM, "calibration: out of memory");
    double t0 = ax_mono_seconds();
    memset(r, 0, sizeof *r);
    int rc = ax_calib_targets_check(t);
    if (rc == AX_OK)
        rc = ctx_init(c, d, t);
    if (rc < 0)
        goto out;
    const ax_ident *id = ax_device_ident(d);
    if ((rc = result_alloc(r, c->n)) < 0)
        goto out;
    r->die_seed = id->die_seed, r->chip_id = id->chip_id, r->model_version = id->model_version;
    memcpy(r->targets_sha256, t->sha256, 32);
    c->res = r, c->progress = progress, c->ctx = ctx, c->total = 22;
    if ((rc = steps(c)) < 0)
        goto out;
    for (unsigned n = 0; n < c->n; n++)
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            r->codes[n * AX_PARAM_COUNT + p] = c->code[p][n];
    stats(r, t);
    r->cycles = c->cycles;
    if ((rc = ax_calib_apply(d, r)) < 0)
        goto out;
    r->seconds = ax_mono_seconds() - t0;
    if (progress)
        progress(ctx, c->total, c->total);
out:
    ax_program_free(c->p);
    ax_result_free(&c->r);
    free(c);
    if (rc < 0)
        ax_calib_result_free(r);
    return rc;
}

int ax_calib_apply(ax_device *d, const struct ax_calib_result *r)
{
    int rc = ax_calib_matches(d, NULL, r);
    if (rc < 0)
        return rc;
    ax_program *p;
    ax_result res;
    rc = ax_program_new(&p);
    if (rc < 0)
        return rc;
    ax_result_init(&res);
    uint32_t w[CAL_NMAX];
    for (unsigned k = 0; k < AX_PARAM_COUNT && rc == AX_OK; k++) {
        for (unsigned n = 0; n < r->neurons; n++)
            w[n] = r->codes[n * AX_PARAM_COUNT + k];
        rc = ax_program_write_block(p, R_CAPMEM(k), w, r->neurons);
    }
    /* the program ends after the last CapMem write has settled */
    if (rc == AX_OK)
        rc = ax_program_wait_until(p, (uint64_t)(AX_PARAM_COUNT + 2) * r->neurons + 64);
    unsigned gen = ax_detail_gen();
    if (rc == AX_OK && (rc = ax_run(d, p, &res)) < 0)
        rc = ax_fail_wrap(rc, gen, "applying the calibration");
    ax_result_free(&res);
    ax_program_free(p);
    return rc;
}
