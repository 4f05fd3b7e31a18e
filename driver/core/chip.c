/* The chip's register map (docs/chip.md, section 1) as C calls. The only file
 * of libaxon that knows chip addresses. */
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "device.h"

#define R_INFO         0x010000u
#define R_VERSION      0x010001u
#define R_STATUS       0x010003u
#define R_CNT_RESET    0x010005u
#define R_MADC_CTRL    0x010008u
#define R_MADC_PERIOD  0x010009u
#define R_CADC_CMD     0x010010u
#define R_CADC_REF     0x010020u
#define R_BG(g, k)     (0x010040u + 4u * (g) + (k))
#define R_NRN_CFG(n)   (0x011000u + (n))
#define R_SPIKE_CNT(n) (0x012000u + (n))
#define R_DRIVER(h, d) (0x013000u + 0x100u * (h) + (d))
#define R_CADC_RES(h)  (0x014000u + 0x100u * (h))
#define R_CAPMEM(p, n) (0x020000u + 0x400u * (p) + (n))
#define R_SYN(h, r)    (0x100000u + 0x10000u * (h) + 0x100u * (r))

static unsigned npr(const ax_device *d) /* neurons per hemisphere = columns */
{
    return d->ident.neurons_per_hemi;
}

static int bad(const char *what)
{
    return ax_fail(AX_E_RANGE, "chip: %s out of range", what);
}

static bool neurons_ok(const ax_device *d, unsigned first, size_t n)
{
    return n > 0 && first < 2u * npr(d) && n <= 2u * npr(d) - first;
}

int ax_chip_info(ax_device *d, uint32_t *version, unsigned *neurons_per_hemi,
                 unsigned *rows_per_hemi)
{
    uint32_t v[2];
    int r = ax_reg_read_block(d, R_INFO, v, 2);
    if (r < 0)
        return r;
    *neurons_per_hemi = v[0] & 0xFFFFu;
    *rows_per_hemi = v[0] >> 16;
    *version = v[1];
    return AX_OK;
}

int ax_chip_set_param(ax_device *d, unsigned p, unsigned first, const uint16_t *codes, size_t n)
{
    if (p >= AX_PARAM_COUNT || !neurons_ok(d, first, n))
        return bad("parameter or neuron");
    uint32_t *w = malloc(n * sizeof *w);
    if (!w)
        return AX_E_NOMEM;
    int r = AX_OK;
    for (size_t i = 0; i < n && r == AX_OK; i++) {
        if (codes[i] > AX_CAPMEM_MAX)
            r = bad("CapMem code (0..1022)");
        w[i] = codes[i];
    }
    if (r == AX_OK)
        r = ax_reg_write_block(d, R_CAPMEM(p, first), w, n);
    free(w);
    return r;
}

int ax_chip_get_param(ax_device *d, unsigned p, unsigned first, uint16_t *codes, size_t n)
{
    if (p >= AX_PARAM_COUNT || !neurons_ok(d, first, n))
        return bad("parameter or neuron");
    uint32_t *w = malloc(n * sizeof *w);
    int r = w ? ax_reg_read_block(d, R_CAPMEM(p, first), w, n) : AX_E_NOMEM;
    for (size_t i = 0; r == AX_OK && i < n; i++)
        codes[i] = (uint16_t)(w[i] & 0x3FFu);
    free(w);
    return r;
}

int ax_chip_wait_capmem(ax_device *d)
{
    for (int i = 0; i < 1000; i++) {
        uint32_t s;
        int r = ax_reg_read(d, R_STATUS, &s);
        if (r < 0 || !(s & 1u))
            return r;
    }
    return ax_fail(AX_E_TIMEOUT, "chip: the CapMem did not settle");
}

int ax_chip_set_neurons(ax_device *d, unsigned first, const ax_neuron_cfg *cfg, size_t n)
{
    if (!neurons_ok(d, first, n))
        return bad("neuron");
    uint32_t *w = malloc(n * sizeof *w);
    if (!w)
        return AX_E_NOMEM;
    int r = AX_OK;
    for (size_t i = 0; i < n && r == AX_OK; i++) {
        if (cfg[i].join && first + i >= npr(d))
            r = bad("join (top neurons only)");
        w[i] = cfg[i].label | (uint32_t)cfg[i].record << 16 | (uint32_t)cfg[i].join << 17;
    }
    if (r == AX_OK)
        r = ax_reg_write_block(d, R_NRN_CFG(first), w, n);
    free(w);
    return r;
}

/* Packs a row: two synapses a word, [5:0] weight, [11:6] label. */
static int pack_row(const ax_device *d, unsigned hemi, unsigned row, const uint8_t *weights,
                    const uint8_t *labels, uint32_t *w)
{
    if (hemi > 1 || row >= d->ident.rows_per_hemi)
        return bad("hemisphere or row");
    for (unsigned c = 0; c < npr(d); c++) {
        if (weights[c] > AX_WEIGHT_MAX || labels[c] > AX_ADDR6_MAX)
            return bad("weight or label (0..63)");
        uint32_t s = weights[c] | (uint32_t)labels[c] << 6;
        w[c / 2] = c % 2 ? w[c / 2] | s << 16 : s;
    }
    return AX_OK;
}

int ax_chip_prog_set_row(ax_device *d, ax_program *p, unsigned hemi, unsigned row,
                         const uint8_t *weights, const uint8_t *labels)
{
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (npr(d) / 2 > AX_FRAME_MAX_PAYLOAD)
        return AX_E_UNSUPPORTED;
    int r = pack_row(d, hemi, row, weights, labels, w);
    return r < 0 ? r : ax_program_write_block(p, R_SYN(hemi, row), w, npr(d) / 2);
}

int ax_chip_set_row(ax_device *d, unsigned hemi, unsigned row, const uint8_t *weights,
                    const uint8_t *labels)
{
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (npr(d) / 2 > AX_FRAME_MAX_PAYLOAD)
        return AX_E_UNSUPPORTED;
    int r = pack_row(d, hemi, row, weights, labels, w);
    return r < 0 ? r : ax_reg_write_block(d, R_SYN(hemi, row), w, npr(d) / 2);
}

int ax_chip_get_row(ax_device *d, unsigned hemi, unsigned row, uint8_t *weights, uint8_t *labels)
{
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (hemi > 1 || row >= d->ident.rows_per_hemi)
        return bad("hemisphere or row");
    int r = ax_reg_read_block(d, R_SYN(hemi, row), w, npr(d) / 2);
    for (unsigned c = 0; r == AX_OK && c < npr(d); c++) {
        uint32_t s = w[c / 2] >> (c % 2 ? 16 : 0);
        weights[c] = (uint8_t)(s & 0x3Fu);
        labels[c] = (uint8_t)((s >> 6) & 0x3Fu);
    }
    return r;
}

int ax_chip_set_drivers(ax_device *d, unsigned hemi, unsigned first, const ax_driver_cfg *cfg,
                        size_t n)
{
    unsigned drivers = d->ident.rows_per_hemi / 2u;
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (hemi > 1 || n == 0 || first >= drivers || n > drivers - first)
        return bad("hemisphere or driver");
    for (size_t i = 0; i < n; i++) {
        if (cfg[i].delay > AX_DELAY_MAX || cfg[i].sign_even > AX_SIGN_INH ||
            cfg[i].sign_odd > AX_SIGN_INH)
            return bad("delay (0..1022) or row sign");
        w[i] = cfg[i].delay | (uint32_t)cfg[i].sign_even << 16 | (uint32_t)cfg[i].sign_odd << 18;
    }
    return ax_reg_write_block(d, R_DRIVER(hemi, first), w, n);
}

int ax_chip_set_background(ax_device *d, unsigned source, const ax_background *bg)
{
    if (source >= AX_NUM_BG || bg->seed == 0)
        return bad("background source or seed (non-zero)");
    /* LABEL, PERIOD, SEED first: writing CTRL restarts the source with them. */
    uint32_t w[3] = {bg->label, bg->period, bg->seed};
    int r = ax_reg_write_block(d, R_BG(source, 1), w, 3);
    return r < 0 ? r : ax_reg_write(d, R_BG(source, 0), bg->enable | (uint32_t)bg->poisson << 1);
}

int ax_chip_cadc(ax_device *d, unsigned hemi, unsigned source, unsigned row, uint8_t *codes)
{
    if (hemi > 1 || source > AX_CADC_REFERENCE || row >= d->ident.rows_per_hemi)
        return bad("hemisphere, source or row");
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    unsigned words = (npr(d) + 3) / 4;
    ax_program_write(p, R_CADC_CMD, hemi | source << 4 | row << 16);
    r = ax_program_read(p, R_CADC_RES(hemi), words);
    if (r >= 0)
        r = ax_run(d, p, &res);
    for (unsigned c = 0; r == AX_OK && c < npr(d); c++)
        codes[c] = (uint8_t)(res.tickets[0].data[c / 4] >> (8 * (c % 4)));
    ax_result_free(&res);
    ax_program_free(p);
    return r;
}

int ax_chip_madc(ax_device *d, bool enable, unsigned neuron, uint16_t period)
{
    if (!neurons_ok(d, neuron, 1) || period == 0)
        return bad("neuron or period (1..65535)");
    uint32_t w[2] = {enable | (uint32_t)neuron << 4, period};
    return ax_reg_write_block(d, R_MADC_CTRL, w, 2);
}

int ax_chip_madc_reference(ax_device *d, bool enable, uint16_t period)
{
    if (period == 0)
        return bad("period (1..65535)");
    uint32_t w[2] = {enable | 1u << 1, period};
    return ax_reg_write_block(d, R_MADC_CTRL, w, 2);
}

int ax_chip_set_reference(ax_device *d, uint16_t mv)
{
    if (mv > AX_CAPMEM_MAX)
        return bad("reference level (0..1022 mV)");
    return ax_reg_write(d, R_CADC_REF, mv);
}

int ax_chip_spike_counts(ax_device *d, unsigned first, uint8_t *counts, size_t n)
{
    if (!neurons_ok(d, first, n))
        return bad("neuron");
    uint32_t *w = malloc(n * sizeof *w);
    int r = w ? ax_reg_read_block(d, R_SPIKE_CNT(first), w, n) : AX_E_NOMEM;
    for (size_t i = 0; r == AX_OK && i < n; i++)
        counts[i] = (uint8_t)w[i];
    free(w);
    return r;
}

int ax_chip_clear_counts(ax_device *d)
{
    return ax_reg_write(d, R_CNT_RESET, 1);
}

int ax_chip_neuron_reset(ax_device *d, bool all, unsigned block, uint32_t mask)
{
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p);
    if (r == AX_OK)
        r = ax_program_neuron_reset(p, all, block, mask);
    if (r == AX_OK)
        r = ax_run(d, p, &res);
    ax_result_free(&res);
    ax_program_free(p);
    return r;
}
