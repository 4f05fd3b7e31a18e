/* The chip's register map (docs/chip.md, section 1) as C calls. The only file
 * of libaxon that knows chip addresses; they come from axon/chip_regs.h,
 * generated from rtl-model/regs/chip_regs.def. */
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "device.h"

/* A SYN word holds two synapses: the second one's bits are the first one's, shifted. */
#define SYN_PAIR_SHIFT (AX_CHIP_SYN_WEIGHT1_SHIFT - AX_CHIP_SYN_WEIGHT0_SHIFT)

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
    int r = ax_reg_read_block(d, AX_CHIP_INFO, v, 2); /* INFO, VERSION */
    if (r < 0)
        return r;
    *neurons_per_hemi = (v[0] & AX_CHIP_INFO_NEURONS_MASK) >> AX_CHIP_INFO_NEURONS_SHIFT;
    *rows_per_hemi = (v[0] & AX_CHIP_INFO_ROWS_MASK) >> AX_CHIP_INFO_ROWS_SHIFT;
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
        r = ax_reg_write_block(d, AX_CHIP_CAPMEM(p, first), w, n);
    free(w);
    return r;
}

int ax_chip_get_param(ax_device *d, unsigned p, unsigned first, uint16_t *codes, size_t n)
{
    if (p >= AX_PARAM_COUNT || !neurons_ok(d, first, n))
        return bad("parameter or neuron");
    uint32_t *w = malloc(n * sizeof *w);
    int r = w ? ax_reg_read_block(d, AX_CHIP_CAPMEM(p, first), w, n) : AX_E_NOMEM;
    for (size_t i = 0; r == AX_OK && i < n; i++)
        codes[i] = (uint16_t)(w[i] & AX_CHIP_CAPMEM_CODE_MASK);
    free(w);
    return r;
}

int ax_chip_wait_capmem(ax_device *d)
{
    for (int i = 0; i < 1000; i++) {
        uint32_t s;
        int r = ax_reg_read(d, AX_CHIP_STATUS, &s);
        if (r < 0 || !(s & AX_CHIP_STATUS_SETTLING_MASK))
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
        w[i] = (uint32_t)cfg[i].label << AX_CHIP_NRN_CFG_LABEL_SHIFT |
               (uint32_t)cfg[i].record << AX_CHIP_NRN_CFG_RECORD_SHIFT |
               (uint32_t)cfg[i].join << AX_CHIP_NRN_CFG_JOIN_SHIFT;
    }
    if (r == AX_OK)
        r = ax_reg_write_block(d, AX_CHIP_NRN_CFG(first), w, n);
    free(w);
    return r;
}

/* Packs a row: two synapses a word (SYN WEIGHT0/LABEL0, WEIGHT1/LABEL1). */
static int pack_row(const ax_device *d, unsigned hemi, unsigned row, const uint8_t *weights,
                    const uint8_t *labels, uint32_t *w)
{
    if (hemi > 1 || row >= d->ident.rows_per_hemi)
        return bad("hemisphere or row");
    for (unsigned c = 0; c < npr(d); c++) {
        if (weights[c] > AX_WEIGHT_MAX || labels[c] > AX_ADDR6_MAX)
            return bad("weight or label (0..63)");
        uint32_t s = (uint32_t)weights[c] << AX_CHIP_SYN_WEIGHT0_SHIFT |
                     (uint32_t)labels[c] << AX_CHIP_SYN_LABEL0_SHIFT;
        w[c / 2] = c % 2 ? w[c / 2] | s << SYN_PAIR_SHIFT : s;
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
    return r < 0 ? r : ax_program_write_block(p, AX_CHIP_SYN(hemi, row, 0), w, npr(d) / 2);
}

int ax_chip_set_row(ax_device *d, unsigned hemi, unsigned row, const uint8_t *weights,
                    const uint8_t *labels)
{
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (npr(d) / 2 > AX_FRAME_MAX_PAYLOAD)
        return AX_E_UNSUPPORTED;
    int r = pack_row(d, hemi, row, weights, labels, w);
    return r < 0 ? r : ax_reg_write_block(d, AX_CHIP_SYN(hemi, row, 0), w, npr(d) / 2);
}

int ax_chip_get_row(ax_device *d, unsigned hemi, unsigned row, uint8_t *weights, uint8_t *labels)
{
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
    if (hemi > 1 || row >= d->ident.rows_per_hemi)
        return bad("hemisphere or row");
    int r = ax_reg_read_block(d, AX_CHIP_SYN(hemi, row, 0), w, npr(d) / 2);
    for (unsigned c = 0; r == AX_OK && c < npr(d); c++) {
        uint32_t s = w[c / 2] >> (c % 2 ? SYN_PAIR_SHIFT : 0);
        weights[c] = (uint8_t)((s & AX_CHIP_SYN_WEIGHT0_MASK) >> AX_CHIP_SYN_WEIGHT0_SHIFT);
        labels[c] = (uint8_t)((s & AX_CHIP_SYN_LABEL0_MASK) >> AX_CHIP_SYN_LABEL0_SHIFT);
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
        w[i] = (uint32_t)cfg[i].delay << AX_CHIP_DRIVER_DELAY_SHIFT |
               (uint32_t)cfg[i].sign_even << AX_CHIP_DRIVER_SIGN_EVEN_SHIFT |
               (uint32_t)cfg[i].sign_odd << AX_CHIP_DRIVER_SIGN_ODD_SHIFT;
    }
    return ax_reg_write_block(d, AX_CHIP_DRIVER(hemi, first), w, n);
}

int ax_chip_set_background(ax_device *d, unsigned source, const ax_background *bg)
{
    if (source >= AX_NUM_BG || bg->seed == 0)
        return bad("background source or seed (non-zero)");
    /* LABEL, PERIOD, SEED first: writing CTRL restarts the source with them. */
    uint32_t w[3] = {bg->label, bg->period, bg->seed};
    int r = ax_reg_write_block(d, AX_CHIP_BG_LABEL(source), w, 3);
    uint32_t ctrl = (uint32_t)bg->enable << AX_CHIP_BG_CTRL_EN_SHIFT |
                    (uint32_t)bg->poisson << AX_CHIP_BG_CTRL_POISSON_SHIFT;
    return r < 0 ? r : ax_reg_write(d, AX_CHIP_BG_CTRL(source), ctrl);
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
    ax_program_write(p, AX_CHIP_CADC_CMD,
                     hemi << AX_CHIP_CADC_CMD_HEMI_SHIFT | source << AX_CHIP_CADC_CMD_SRC_SHIFT |
                         row << AX_CHIP_CADC_CMD_ROW_SHIFT);
    r = ax_program_read(p, AX_CHIP_CADC_RES(hemi, 0), words);
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
    uint32_t w[2] = {(uint32_t)enable << AX_CHIP_MADC_CTRL_EN_SHIFT |
                         (uint32_t)neuron << AX_CHIP_MADC_CTRL_NEURON_SHIFT,
                     period}; /* MADC_CTRL, MADC_PERIOD */
    return ax_reg_write_block(d, AX_CHIP_MADC_CTRL, w, 2);
}

int ax_chip_madc_reference(ax_device *d, bool enable, uint16_t period)
{
    if (period == 0)
        return bad("period (1..65535)");
    uint32_t w[2] = {(uint32_t)enable << AX_CHIP_MADC_CTRL_EN_SHIFT | AX_CHIP_MADC_CTRL_REF_MASK,
                     period}; /* MADC_CTRL, MADC_PERIOD */
    return ax_reg_write_block(d, AX_CHIP_MADC_CTRL, w, 2);
}

int ax_chip_set_reference(ax_device *d, uint16_t mv)
{
    if (mv > AX_CAPMEM_MAX)
        return bad("reference level (0..1022 mV)");
    return ax_reg_write(d, AX_CHIP_CADC_REF, mv);
}

int ax_chip_spike_counts(ax_device *d, unsigned first, uint8_t *counts, size_t n)
{
    if (!neurons_ok(d, first, n))
        return bad("neuron");
    uint32_t *w = malloc(n * sizeof *w);
    int r = w ? ax_reg_read_block(d, AX_CHIP_SPIKE_CNT(first), w, n) : AX_E_NOMEM;
    for (size_t i = 0; r == AX_OK && i < n; i++)
        counts[i] = (uint8_t)w[i];
    free(w);
    return r;
}

int ax_chip_clear_counts(ax_device *d)
{
    return ax_reg_write(d, AX_CHIP_CNT_RESET, AX_CHIP_CNT_RESET_GO_MASK);
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
