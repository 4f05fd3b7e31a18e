/* Program helpers: every measurement step is one playback program (many
 * writes and reads, one ax_run), so the board runs it against its own clock
 * without a host round trip per access. */
#include <string.h>

#include "cal.h"

void cal_begin(struct cal *c)
{
    ax_program_clear(c->p);
    ax_program_timer_reset(c->p);
    c->t = 0;
}

void cal_wait(struct cal *c, uint64_t dt)
{
    c->t += dt;
    ax_program_wait_until(c->p, c->t);
}

int cal_put_codes(struct cal *c, unsigned p)
{
    uint32_t w[CAL_NMAX];
    for (unsigned i = 0; i < c->n; i++)
        w[i] = c->code[p][i];
    int rc = ax_program_write_block(c->p, R_CAPMEM(p), w, c->n);
    /* a chip register access takes about 4 cycles (measured: 512 CapMem words
     * in 2016 cycles): schedule past it so WAIT_UNTILs are not late */
    c->t += CAL_ACCESS_CYCLES * c->n + 16;
    return rc;
}

int cal_settle(struct cal *c)
{
    /* docs/chip.md section 4: a write reaches its cell within 2 * NeuronsPerHemi cycles */
    cal_wait(c, 2u * c->nph + 4);
    return AX_OK;
}

int cal_cadc(struct cal *c, int tk[2])
{
    /* both conversions first (3 cycles apart: one register write each), then
     * the readouts, so the two hemispheres are sampled nearly together */
    ax_program_write(c->p, R_CADC_CMD, 0);
    ax_program_write(c->p, R_CADC_CMD, 1);
    for (unsigned h = 0; h < 2; h++) {
        tk[h] = ax_program_read(c->p, R_CADC_RES + 0x100u * h, c->nph / 4);
        if (tk[h] < 0)
            return tk[h];
    }
    c->t += CAL_ACCESS_CYCLES * 2 * (c->nph / 4) + 24;
    return AX_OK;
}

/* A program whose waits came late (the board ran dry of instructions: a link
 * that had to resend, a busy host) measured at the wrong times, and one whose
 * records the link lost (its replay buffer full while frames were resent)
 * misses data; it runs again, up to CAL_LATE_RUNS times in all, before that
 * is an error. */
#define CAL_LATE_RUNS 3

int cal_run(struct cal *c)
{
    unsigned gen = ax_detail_gen();
    for (int run = 0; run < CAL_LATE_RUNS; run++) {
        int rc = ax_run(c->d, c->p, &c->r);
        if (rc < 0)
            return ax_fail_wrap(rc, gen, "calibration run");
        c->cycles += c->r.end_time;
        if (!c->r.nlate && !c->r.lost_spikes && !c->r.lost_madc)
            break;
    }
    /* the chip's spike queue drops spikes of tonically firing neurons in the
     * onset search (nothing recorded there): only lost records count */
    if (c->r.nlate)
        return ax_fail(AX_E_TIMEOUT,
                       "calibration program fell behind its schedule %d times in a row (%zu "
                       "waits late, by up to %u cycles)",
                       CAL_LATE_RUNS, c->r.nlate, c->r.max_lateness);
    /* any loss, also the chip's (counted only while spikes are recorded) */
    if (c->r.lost_spikes || c->r.lost_madc || c->r.lost_chip)
        return ax_fail(AX_E_OVERFLOW, "calibration run lost records (%llu spikes, %llu on chip)",
                       (unsigned long long)c->r.lost_spikes, (unsigned long long)c->r.lost_chip);
    return AX_OK;
}

double cal_cadc_mv(const struct cal *c, const int tk[2], unsigned n)
{
    unsigned h = n / c->nph, col = n % c->nph;
    const ax_ticket *t = &c->r.tickets[tk[h]];
    if (!t->filled || t->status != 0)
        return NAN;
    unsigned code = (t->data[col / 4] >> (8 * (col % 4))) & 0xFF;
    if (code == 0 || code == 255) /* saturated: the value is only bounded */
        return NAN;
    return ((double)code - c->co[n]) / c->cg[n];
}

void cal_set_all(struct cal *c, unsigned p, unsigned code)
{
    for (unsigned i = 0; i < c->n; i++)
        c->code[p][i] = (uint16_t)code;
}

uint16_t cal_clamp_code(double code)
{
    if (!(code > 0))
        return 0;
    if (code > AX_CAPMEM_MAX)
        return AX_CAPMEM_MAX;
    return (uint16_t)lround(code);
}

void cal_step(struct cal *c, double weight)
{
    c->done += weight;
    if (c->progress)
        c->progress(c->ctx, c->done, c->total);
}

int cal_fit_line(const double *x, const double *y, int n, double *a, double *b)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            continue;
        sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
        m++;
    }
    double den = m * sxx - sx * sx;
    if (m < 2 || den <= 0) {
        *a = *b = NAN;
        return m;
    }
    *a = (m * sxy - sx * sy) / den;
    *b = (sy - *a * sx) / m;
    return m;
}

void cal_flag(struct cal *c, unsigned n, unsigned p)
{
    c->res->flags[n] |= 1u << p;
}

double cal_line_code(const struct cal *c, unsigned k, unsigned n, double mv)
{
    return (mv - c->line[k][n].b) / c->line[k][n].a;
}

double cal_line_mv(const struct cal *c, unsigned k, unsigned n, double code)
{
    return c->line[k][n].a * code + c->line[k][n].b;
}
