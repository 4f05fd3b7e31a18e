/* ADCs first: every later step reads potentials through them. The reference
 * source puts an exact level on every CADC channel and on the MADC; a sweep
 * over the whole range gives each channel's gain and offset by least squares
 * (the floor of the conversion averages to -1/2 LSB over a dense sweep, so
 * the fitted line maps a code to the centre of its interval). */
#include <stdlib.h>

#include "cal.h"

#define ADC_STEP   5u /* mV between reference levels: not a multiple of the 4 mV LSB */
#define ADC_LEVELS (1020u / ADC_STEP)

static int cadc_sweep(struct cal *c)
{
    static int tk[ADC_LEVELS][2];
    cal_begin(c);
    for (unsigned j = 0; j < ADC_LEVELS; j++) {
        ax_program_write(c->p, R_CADC_REF, 3 + j * ADC_STEP);
        ax_program_write(c->p, R_CADC_CMD, 0 | 3u << 4);
        ax_program_write(c->p, R_CADC_CMD, 1 | 3u << 4);
        for (unsigned h = 0; h < 2; h++)
            if ((tk[j][h] = ax_program_read(c->p, R_CADC_RES + 0x100u * h, c->nph / 4)) < 0)
                return tk[j][h];
    }
    int rc = cal_run(c);
    if (rc < 0)
        return rc;
    static double x[ADC_LEVELS], y[ADC_LEVELS];
    for (unsigned n = 0; n < c->n; n++) {
        unsigned h = n / c->nph, col = n % c->nph;
        for (unsigned j = 0; j < ADC_LEVELS; j++) {
            const ax_ticket *t = &c->r.tickets[tk[j][h]];
            unsigned code = (t->data[col / 4] >> (8 * (col % 4))) & 0xFF;
            x[j] = 3.0 + j * ADC_STEP;
            y[j] = (code == 0 || code == 255) ? NAN : code; /* clipped levels say nothing */
        }
        if (cal_fit_line(x, y, ADC_LEVELS, &c->cg[n], &c->co[n]) < 20 || !(c->cg[n] > 0))
            return ax_fail(AX_E_REMOTE, "CADC channel %u does not follow its reference", n);
    }
    return AX_OK;
}

static int madc_sweep(struct cal *c)
{
    enum { LEVELS = 64, SLOT = 48, PERIOD = 4 };
    cal_begin(c);
    ax_program_record(c->p, AX_RECORD_MADC);
    ax_program_write(c->p, R_MADC_PER, PERIOD);
    ax_program_write(c->p, R_MADC_CTRL, 3); /* enable, sample the reference */
    for (unsigned j = 0; j < LEVELS; j++) {
        c->t = 16 + (uint64_t)j * SLOT;
        ax_program_wait_until(c->p, c->t);
        ax_program_write(c->p, R_CADC_REF, 7 + j * 16);
    }
    cal_wait(c, SLOT);
    ax_program_write(c->p, R_MADC_CTRL, 0);
    ax_program_record(c->p, 0);
    int rc = cal_run(c);
    if (rc < 0)
        return rc;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    unsigned m = 0;
    for (size_t i = 0; i < c->r.nsamples; i++) {
        const ax_sample *s = &c->r.samples[i];
        if (s->time < 16 + 12 || (s->time - 16) % SLOT < 12) /* the level is still changing */
            continue;
        unsigned j = (unsigned)((s->time - 16) / SLOT);
        if (j >= LEVELS || s->value == 0 || s->value == 1023)
            continue;
        double x = 7.0 + j * 16.0, y = s->value;
        sx += x, sy += y, sxx += x * x, sxy += x * y, m++;
    }
    if (m < 16)
        return ax_fail(AX_E_REMOTE, "the MADC gave %u samples of its reference", m);
    c->madc_g = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    c->madc_o = (sy - c->madc_g * sx) / m;
    return AX_OK;
}

int cal_adc(struct cal *c)
{
    int rc = cadc_sweep(c);
    if (rc == AX_OK)
        rc = madc_sweep(c);
    cal_step(c, 1);
    return rc;
}
