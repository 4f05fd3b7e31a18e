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
    ax_cadc_req q = {(uint8_t)hemi, (uint8_t)source, (uint16_t)row};
    if (hemi > 1 || source > AX_CADC_REFERENCE || row >= d->ident.rows_per_hemi)
        return bad("hemisphere, source or row");
    return ax_chip_cadc_many(d, &q, 1, codes);
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

/* ---- batched access: ax_chip_prog_* append, ax_chip_decode_* read back ---- */

/* The result of ticket t: AX_E_INVAL if the run has no such read at addr of
 * count words (the decode's arguments are not the call's), AX_E_REMOTE if the
 * board did not answer it or failed it. */
static int ticket_data(const ax_result *r, size_t t, uint32_t addr, size_t count,
                       const uint32_t **data)
{
    if (!r || t >= r->ntickets || r->tickets[t].addr != addr || r->tickets[t].count != count)
        return ax_fail(AX_E_INVAL, "chip: ticket %zu is not the read of this call", t);
    if (!r->tickets[t].filled || r->tickets[t].status != 0)
        return ax_fail(AX_E_REMOTE, "chip: the read of ticket %zu failed", t);
    *data = r->tickets[t].data;
    return AX_OK;
}

/* Runs of cells at consecutive CapMem addresses, at most max long: the
 * length of the run starting at cell i. */
static size_t cell_run(const ax_capmem_cell *cells, size_t n, size_t i, size_t max)
{
    size_t k = 1;
    while (i + k < n && k < max &&
           AX_CHIP_CAPMEM(cells[i + k].param, cells[i + k].neuron) ==
               AX_CHIP_CAPMEM(cells[i].param, cells[i].neuron) + k)
        k++;
    return k;
}

static int cells_ok(const ax_device *d, const ax_capmem_cell *cells, size_t n)
{
    if (!cells || n == 0)
        return AX_E_INVAL;
    for (size_t i = 0; i < n; i++)
        if (cells[i].param >= AX_PARAM_COUNT || !neurons_ok(d, cells[i].neuron, 1))
            return bad("parameter or neuron");
    return AX_OK;
}

int ax_chip_prog_set_params(ax_device *d, ax_program *p, const ax_capmem_cell *cells,
                            const uint16_t *codes, size_t n)
{
    int r = cells_ok(d, cells, n);
    if (r < 0)
        return r;
    for (size_t i = 0; i < n; i++)
        if (codes[i] > AX_CAPMEM_MAX)
            return bad("CapMem code (0..1022)");
    uint32_t w[AX_WRITE_BURST_MAX];
    for (size_t i = 0; i < n && r == AX_OK;) {
        size_t k = cell_run(cells, n, i, AX_WRITE_BURST_MAX);
        for (size_t j = 0; j < k; j++)
            w[j] = codes[i + j];
        r = ax_program_write_block(p, AX_CHIP_CAPMEM(cells[i].param, cells[i].neuron), w, k);
        i += k;
    }
    return r;
}

int ax_chip_prog_get_params(ax_device *d, ax_program *p, const ax_capmem_cell *cells, size_t n)
{
    int r = cells_ok(d, cells, n), first = -1;
    for (size_t i = 0; i < n && r >= 0;) {
        size_t k = cell_run(cells, n, i, AX_PROGRAM_READ_MAX);
        r = ax_program_read(p, AX_CHIP_CAPMEM(cells[i].param, cells[i].neuron), k);
        if (first < 0)
            first = r;
        i += k;
    }
    return r < 0 ? r : first;
}

int ax_chip_decode_params(const ax_result *r, int ticket, const ax_capmem_cell *cells, size_t n,
                          uint16_t *codes)
{
    if (ticket < 0 || !cells || !codes)
        return AX_E_INVAL;
    size_t t = (size_t)ticket;
    for (size_t i = 0; i < n; t++) {
        size_t k = cell_run(cells, n, i, AX_PROGRAM_READ_MAX);
        const uint32_t *w = NULL;
        int rc = ticket_data(r, t, AX_CHIP_CAPMEM(cells[i].param, cells[i].neuron), k, &w);
        if (rc < 0)
            return rc;
        for (size_t j = 0; j < k; j++)
            codes[i + j] = (uint16_t)(w[j] & AX_CHIP_CAPMEM_CODE_MASK);
        i += k;
    }
    return AX_OK;
}

/* Runs p on d (an error if building it failed: r < 0) and hands the result
 * to the caller; frees p. */
static int run_built(ax_device *d, ax_program *p, int r, ax_result *res)
{
    if (r >= 0)
        r = ax_run(d, p, res);
    ax_program_free(p);
    return r;
}

/* run_built for a program that only writes: its result is dropped. */
static int run_writes(ax_device *d, ax_program *p, int r)
{
    ax_result res;
    ax_result_init(&res);
    r = run_built(d, p, r, &res);
    ax_result_free(&res);
    return r;
}

int ax_chip_set_params_many(ax_device *d, const ax_capmem_cell *cells, const uint16_t *codes,
                            size_t n)
{
    ax_program *p;
    int r = ax_program_new(&p);
    return r < 0 ? r : run_writes(d, p, ax_chip_prog_set_params(d, p, cells, codes, n));
}

int ax_chip_get_params_many(ax_device *d, const ax_capmem_cell *cells, uint16_t *codes, size_t n)
{
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    int t = ax_chip_prog_get_params(d, p, cells, n);
    r = run_built(d, p, t, &res);
    if (r == AX_OK)
        r = ax_chip_decode_params(&res, t, cells, n, codes);
    ax_result_free(&res);
    return r;
}

static bool rows_ok(const ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows)
{
    return hemi <= 1 && nrows > 0 && first_row < d->ident.rows_per_hemi &&
           nrows <= d->ident.rows_per_hemi - first_row;
}

int ax_chip_prog_set_matrix(ax_device *d, ax_program *p, unsigned hemi, unsigned first_row,
                            unsigned nrows, const uint8_t *weights, const uint8_t *labels)
{
    if (!rows_ok(d, hemi, first_row, nrows))
        return bad("hemisphere or rows");
    if (!weights || !labels)
        return AX_E_INVAL;
    if (npr(d) / 2 > AX_WRITE_BURST_MAX)
        return AX_E_UNSUPPORTED;
    for (size_t i = 0; i < (size_t)nrows * npr(d); i++)
        if (weights[i] > AX_WEIGHT_MAX || labels[i] > AX_ADDR6_MAX)
            return bad("weight or label (0..63)");
    int r = AX_OK;
    for (unsigned k = 0; k < nrows && r == AX_OK; k++)
        r = ax_chip_prog_set_row(d, p, hemi, first_row + k, weights + (size_t)k * npr(d),
                                 labels + (size_t)k * npr(d));
    return r;
}

int ax_chip_prog_get_matrix(ax_device *d, ax_program *p, unsigned hemi, unsigned first_row,
                            unsigned nrows)
{
    if (!rows_ok(d, hemi, first_row, nrows))
        return bad("hemisphere or rows");
    if (npr(d) / 2 > AX_PROGRAM_READ_MAX)
        return AX_E_UNSUPPORTED;
    int r = AX_OK, first = -1;
    for (unsigned k = 0; k < nrows && r >= 0; k++) {
        r = ax_program_read(p, AX_CHIP_SYN(hemi, first_row + k, 0), npr(d) / 2);
        if (first < 0)
            first = r;
    }
    return r < 0 ? r : first;
}

int ax_chip_decode_matrix(const ax_device *d, const ax_result *r, int ticket, unsigned hemi,
                          unsigned first_row, unsigned nrows, uint8_t *weights, uint8_t *labels)
{
    if (ticket < 0 || !rows_ok(d, hemi, first_row, nrows))
        return AX_E_INVAL;
    for (unsigned k = 0; k < nrows; k++) {
        const uint32_t *w = NULL;
        int rc =
            ticket_data(r, (size_t)ticket + k, AX_CHIP_SYN(hemi, first_row + k, 0), npr(d) / 2, &w);
        if (rc < 0)
            return rc;
        for (unsigned c = 0; c < npr(d); c++) {
            uint32_t s = w[c / 2] >> (c % 2 ? SYN_PAIR_SHIFT : 0);
            size_t i = (size_t)k * npr(d) + c;
            if (weights)
                weights[i] = (uint8_t)((s & AX_CHIP_SYN_WEIGHT0_MASK) >> AX_CHIP_SYN_WEIGHT0_SHIFT);
            if (labels)
                labels[i] = (uint8_t)((s & AX_CHIP_SYN_LABEL0_MASK) >> AX_CHIP_SYN_LABEL0_SHIFT);
        }
    }
    return AX_OK;
}

int ax_chip_set_matrix(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                       const uint8_t *weights, const uint8_t *labels)
{
    ax_program *p;
    int r = ax_program_new(&p);
    return r < 0
               ? r
               : run_writes(d, p,
                            ax_chip_prog_set_matrix(d, p, hemi, first_row, nrows, weights, labels));
}

int ax_chip_get_matrix(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                       uint8_t *weights, uint8_t *labels)
{
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    int t = ax_chip_prog_get_matrix(d, p, hemi, first_row, nrows);
    r = run_built(d, p, t, &res);
    if (r == AX_OK)
        r = ax_chip_decode_matrix(d, &res, t, hemi, first_row, nrows, weights, labels);
    ax_result_free(&res);
    return r;
}

int ax_chip_prog_cadc(ax_device *d, ax_program *p, unsigned hemi, unsigned source, unsigned row)
{
    if (hemi > 1 || source > AX_CADC_REFERENCE || row >= d->ident.rows_per_hemi)
        return bad("hemisphere, source or row");
    int r = ax_program_write(p, AX_CHIP_CADC_CMD,
                             hemi << AX_CHIP_CADC_CMD_HEMI_SHIFT |
                                 source << AX_CHIP_CADC_CMD_SRC_SHIFT |
                                 row << AX_CHIP_CADC_CMD_ROW_SHIFT);
    return r < 0 ? r : ax_program_read(p, AX_CHIP_CADC_RES(hemi, 0), (npr(d) + 3) / 4);
}

int ax_chip_decode_cadc(const ax_device *d, const ax_result *r, int ticket, unsigned hemi,
                        uint8_t *codes)
{
    const uint32_t *w = NULL;
    if (ticket < 0 || hemi > 1 || !codes)
        return AX_E_INVAL;
    int rc = ticket_data(r, (size_t)ticket, AX_CHIP_CADC_RES(hemi, 0), (npr(d) + 3) / 4, &w);
    for (unsigned c = 0; rc == AX_OK && c < npr(d); c++)
        codes[c] = (uint8_t)(w[c / 4] >> (8 * (c % 4)));
    return rc;
}

int ax_chip_cadc_many(ax_device *d, const ax_cadc_req *reqs, size_t n, uint8_t *codes)
{
    if (!reqs || !codes || n == 0)
        return AX_E_INVAL;
    for (size_t i = 0; i < n; i++)
        if (reqs[i].hemi > 1 || reqs[i].source > AX_CADC_REFERENCE ||
            reqs[i].row >= d->ident.rows_per_hemi)
            return bad("hemisphere, source or row");
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p), first = -1;
    if (r < 0)
        return r;
    for (size_t i = 0; i < n && r >= 0; i++) {
        r = ax_chip_prog_cadc(d, p, reqs[i].hemi, reqs[i].source, reqs[i].row);
        if (first < 0)
            first = r;
    }
    r = run_built(d, p, r, &res);
    for (size_t i = 0; r == AX_OK && i < n; i++) /* one ticket each, in order */
        r = ax_chip_decode_cadc(d, &res, first + (int)i, reqs[i].hemi, codes + i * npr(d));
    ax_result_free(&res);
    return r;
}

int ax_chip_prog_corr_reset(ax_device *d, ax_program *p)
{
    (void)d;
    return ax_program_write(p, AX_CHIP_CORR_RESET, AX_CHIP_CORR_RESET_GO_MASK);
}

int ax_chip_corr_reset(ax_device *d)
{
    return ax_reg_write(d, AX_CHIP_CORR_RESET, AX_CHIP_CORR_RESET_GO_MASK);
}

int ax_chip_prog_corr_reset_rows(ax_device *d, ax_program *p, unsigned hemi, unsigned first_row,
                                 unsigned nrows)
{
    if (!rows_ok(d, hemi, first_row, nrows))
        return bad("hemisphere or rows");
    return ax_program_write(p, AX_CHIP_CORR_RESET,
                            AX_CHIP_CORR_RESET_GO_MASK | AX_CHIP_CORR_RESET_ROWS_MASK |
                                hemi << AX_CHIP_CORR_RESET_HEMI_SHIFT |
                                first_row << AX_CHIP_CORR_RESET_ROW_SHIFT |
                                (first_row + nrows - 1) << AX_CHIP_CORR_RESET_LAST_SHIFT);
}

int ax_chip_corr_reset_rows(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows)
{
    ax_program *p;
    int r = ax_program_new(&p);
    return r < 0 ? r : run_writes(d, p, ax_chip_prog_corr_reset_rows(d, p, hemi, first_row, nrows));
}

int ax_chip_corr_read_many(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                           uint8_t *causal, uint8_t *anticausal)
{
    if (!rows_ok(d, hemi, first_row, nrows))
        return bad("hemisphere or rows");
    if (!causal && !anticausal)
        return AX_E_INVAL;
    size_t n = (causal ? nrows : 0) + (anticausal ? nrows : 0);
    ax_cadc_req *q = calloc(n, sizeof *q);
    uint8_t *codes = malloc(n * npr(d));
    int r = q && codes ? AX_OK : AX_E_NOMEM;
    size_t k = 0;
    for (unsigned i = 0; r == AX_OK && i < nrows; i++) {
        if (causal)
            q[k++] = (ax_cadc_req){(uint8_t)hemi, AX_CADC_CAUSAL, (uint16_t)(first_row + i)};
        if (anticausal)
            q[k++] = (ax_cadc_req){(uint8_t)hemi, AX_CADC_ANTICAUSAL, (uint16_t)(first_row + i)};
    }
    if (r == AX_OK)
        r = ax_chip_cadc_many(d, q, n, codes);
    k = 0;
    for (unsigned i = 0; r == AX_OK && i < nrows; i++) {
        if (causal)
            memcpy(causal + (size_t)i * npr(d), codes + k++ * npr(d), npr(d));
        if (anticausal)
            memcpy(anticausal + (size_t)i * npr(d), codes + k++ * npr(d), npr(d));
    }
    free(q);
    free(codes);
    return r;
}

/* MADC sweep timing: the sweep starts at experiment time MADC_T0 of its
 * trial; neuron i is selected at MADC_T0 + i * dwell and its samples are
 * those of [MADC_T0 + i * dwell + MADC_GUARD, + samples * period). */
#define MADC_T0    16u
#define MADC_GUARD 8u

static uint64_t madc_dwell(uint16_t period, unsigned samples)
{
    return (uint64_t)samples * period + MADC_GUARD;
}

int ax_chip_prog_madc_sweep(ax_device *d, ax_program *p, const uint16_t *neurons, size_t n,
                            uint16_t period, unsigned samples)
{
    if (!neurons || n == 0 || period == 0 || samples == 0 || samples > 65535)
        return bad("neurons, period or samples");
    for (size_t i = 0; i < n; i++)
        if (!neurons_ok(d, neurons[i], 1))
            return bad("neuron");
    uint64_t dwell = madc_dwell(period, samples);
    int r = ax_program_timer_reset(p);
    int trial = (int)ax_program_trials_(p);
    if (r == AX_OK)
        r = ax_program_record(p, AX_RECORD_MADC);
    if (r == AX_OK)
        r = ax_program_write(p, AX_CHIP_MADC_PERIOD, period);
    for (size_t i = 0; i <= n && r == AX_OK; i++) {
        r = ax_program_wait_until(p, MADC_T0 + i * dwell);
        uint32_t ctrl = i < n ? AX_CHIP_MADC_CTRL_EN_MASK | (uint32_t)neurons[i]
                                                                << AX_CHIP_MADC_CTRL_NEURON_SHIFT
                              : 0; /* off after the last one */
        if (r == AX_OK)
            r = ax_program_write(p, AX_CHIP_MADC_CTRL, ctrl);
    }
    if (r == AX_OK)
        r = ax_program_record(p, 0);
    return r < 0 ? r : trial;
}

int ax_chip_decode_madc_sweep(const ax_result *r, int ticket, size_t n, uint16_t period,
                              unsigned samples, uint16_t *codes)
{
    if (!r || ticket < 0 || !codes || period == 0 || samples == 0)
        return AX_E_INVAL;
    uint64_t dwell = madc_dwell(period, samples);
    size_t *got = calloc(n, sizeof *got);
    if (!got)
        return AX_E_NOMEM;
    for (size_t s = 0; s < r->nsamples; s++) {
        const ax_sample *m = &r->samples[s];
        if (m->trial != (uint32_t)ticket || m->time < MADC_T0)
            continue;
        uint64_t i = (m->time - MADC_T0) / dwell, off = (m->time - MADC_T0) % dwell;
        if (i < n && off >= MADC_GUARD && got[i] < samples)
            codes[i * samples + got[i]++] = m->value;
    }
    int rc = AX_OK;
    for (size_t i = 0; i < n && rc == AX_OK; i++)
        if (got[i] < samples)
            rc = ax_fail(AX_E_REMOTE, "chip: MADC sweep: %zu of %u samples of entry %zu", got[i],
                         samples, i);
    free(got);
    return rc;
}

int ax_chip_madc_sweep(ax_device *d, const uint16_t *neurons, size_t n, uint16_t period,
                       unsigned samples, uint16_t *codes)
{
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    int t = ax_chip_prog_madc_sweep(d, p, neurons, n, period, samples);
    r = run_built(d, p, t, &res);
    if (r == AX_OK && (res.lost_madc || res.overflow))
        r = ax_fail(AX_E_OVERFLOW, "chip: MADC sweep lost samples");
    if (r == AX_OK)
        r = ax_chip_decode_madc_sweep(&res, t, n, period, samples, codes);
    ax_result_free(&res);
    return r;
}
