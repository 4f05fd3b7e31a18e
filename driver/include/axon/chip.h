/* The chip's registers as C calls (docs/chip.md): CapMem parameters, neuron
 * configuration, synapse rows, drivers, background sources, ADCs, spike
 * counters. Whole rows and blocks move in one call (one program on the
 * board, bursts inside); every argument is checked against the board's
 * geometry before anything is sent, so a bad call writes nothing. Nothing
 * above this layer needs a register address. Neurons are numbered 0 ..
 * 2*NeuronsPerHemi-1 (hemisphere 0 first). */
#ifndef AXON_CHIP_H
#define AXON_CHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/axon.h"
#include "axon/chip_regs.h" /* the register map, generated from rtl-model/regs/chip_regs.def */
#include "axon/program.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ax_param { /* CapMem parameters per neuron, 10-bit codes 0..AX_CAPMEM_MAX */
                AX_PARAM_LEAK = AX_CHIP_PARAM_LEAK,
                AX_PARAM_RESET = AX_CHIP_PARAM_RESET,
                AX_PARAM_THRESHOLD = AX_CHIP_PARAM_THRESHOLD,
                AX_PARAM_TAU_M = AX_CHIP_PARAM_TAU_M,
                AX_PARAM_TAU_SE = AX_CHIP_PARAM_TAU_SE,
                AX_PARAM_TAU_SI = AX_CHIP_PARAM_TAU_SI,
                AX_PARAM_GAIN_E = AX_CHIP_PARAM_GAIN_E,
                AX_PARAM_GAIN_I = AX_CHIP_PARAM_GAIN_I,
                AX_PARAM_REFRAC = AX_CHIP_PARAM_REFRAC,
                AX_PARAM_COUNT = AX_CHIP_PARAM_COUNT,
};
#define AX_CAPMEM_MAX AX_CHIP_CODE_MAX
#define AX_WEIGHT_MAX (AX_CHIP_SYN_WEIGHT0_MASK >> AX_CHIP_SYN_WEIGHT0_SHIFT)
#define AX_ADDR6_MAX  (AX_CHIP_SYN_LABEL0_MASK >> AX_CHIP_SYN_LABEL0_SHIFT)
#define AX_DELAY_MAX  AX_CHIP_DELAY_MAX
#define AX_NUM_BG     AX_CHIP_NUM_BG

enum ax_row_sign {
    AX_SIGN_OFF = AX_CHIP_SIGN_OFF,
    AX_SIGN_EXC = AX_CHIP_SIGN_EXC,
    AX_SIGN_INH = AX_CHIP_SIGN_INH
};
enum ax_cadc_source {
    AX_CADC_MEMBRANE = AX_CHIP_CADC_SRC_MEMBRANE,
    AX_CADC_CAUSAL = AX_CHIP_CADC_SRC_CAUSAL,
    AX_CADC_ANTICAUSAL = AX_CHIP_CADC_SRC_ACAUSAL,
    AX_CADC_REFERENCE = AX_CHIP_CADC_SRC_REF
};

/* Chip model revision (VERSION) and geometry (INFO). */
AX_API int ax_chip_info(ax_device *d, uint32_t *version, unsigned *neurons_per_hemi,
                        unsigned *rows_per_hemi);

/* CapMem codes of parameter p for neurons first .. first+n-1. New values take
 * effect within 2*NeuronsPerHemi cycles (ax_chip_wait_capmem). */
AX_API int ax_chip_set_param(ax_device *d, unsigned p, unsigned first, const uint16_t *codes,
                             size_t n);
AX_API int ax_chip_get_param(ax_device *d, unsigned p, unsigned first, uint16_t *codes, size_t n);
/* Waits until the CapMem has settled (STATUS[0] = 0). */
AX_API int ax_chip_wait_capmem(ax_device *d);

typedef struct ax_neuron_cfg {
    uint16_t label; /* output label: [5:0] address, [12:6] driver, [13] hemi 0, [14] hemi 1 */
    bool record;    /* send its spikes to the host */
    bool join;      /* top neuron only: also driven by the bottom synapse array */
} ax_neuron_cfg;
AX_API int ax_chip_set_neurons(ax_device *d, unsigned first, const ax_neuron_cfg *cfg, size_t n);

/* A whole synapse row: NeuronsPerHemi weights (0..63) and labels (0..63). */
AX_API int ax_chip_set_row(ax_device *d, unsigned hemi, unsigned row, const uint8_t *weights,
                           const uint8_t *labels);
AX_API int ax_chip_get_row(ax_device *d, unsigned hemi, unsigned row, uint8_t *weights,
                           uint8_t *labels);
/* The same, as instructions of a program (for batching with an experiment). */
AX_API int ax_chip_prog_set_row(ax_device *d, ax_program *p, unsigned hemi, unsigned row,
                                const uint8_t *weights, const uint8_t *labels);

typedef struct ax_driver_cfg {
    uint16_t delay;    /* axonal delay, cycles 0..1022 */
    uint8_t sign_even; /* enum ax_row_sign of row 2d */
    uint8_t sign_odd;  /* of row 2d+1 */
} ax_driver_cfg;
/* Drivers first .. first+n-1 of hemisphere hemi (RowsPerHemi/2 drivers). */
AX_API int ax_chip_set_drivers(ax_device *d, unsigned hemi, unsigned first,
                               const ax_driver_cfg *cfg, size_t n);

typedef struct ax_background {
    bool enable, poisson;
    uint16_t label;
    uint32_t period; /* regular: cycles; Poisson: probability per cycle * 2^32 */
    uint32_t seed;   /* non-zero */
} ax_background;
AX_API int ax_chip_set_background(ax_device *d, unsigned source, const ax_background *bg);

/* One CADC conversion of a hemisphere: NeuronsPerHemi 8-bit codes. row is
 * the synapse row for the correlation sources, else ignored. */
AX_API int ax_chip_cadc(ax_device *d, unsigned hemi, unsigned source, unsigned row, uint8_t *codes);
/* MADC: sample neuron every period cycles (enable false: off); record its
 * samples with ax_program_record(p, AX_RECORD_MADC). */
AX_API int ax_chip_madc(ax_device *d, bool enable, unsigned neuron, uint16_t period);
/* The reference source (exact, no fixed-pattern noise): its level in mV
 * (CapMem code 0..1022), seen by the CADC as source AX_CADC_REFERENCE and by
 * the MADC when ax_chip_madc_reference samples it instead of a neuron; with
 * two levels a host measures each ADC channel's offset and gain. */
AX_API int ax_chip_set_reference(ax_device *d, uint16_t mv);
AX_API int ax_chip_madc_reference(ax_device *d, bool enable, uint16_t period);

/* 8-bit spike counters of neurons first .. first+n-1; clear all. */
AX_API int ax_chip_spike_counts(ax_device *d, unsigned first, uint8_t *counts, size_t n);
AX_API int ax_chip_clear_counts(ax_device *d);

/* Neuron reset now (membrane to reset potential, currents 0): all, or the
 * neurons 32*block + i for the set bits i of mask. */
AX_API int ax_chip_neuron_reset(ax_device *d, bool all, unsigned block, uint32_t mask);

/* ---- Batched access: many registers in one playback program -------------
 * Each ax_chip_prog_* call checks its arguments against d's geometry (a bad
 * argument appends nothing), then appends instructions to the caller's
 * program p; nothing is sent until ax_run(d, p, &res), which does them all
 * on the board against its own clock: one run instead of a host round trip
 * per register or row. A call that reads returns a ticket (>= 0): the first
 * of the consecutive ax_program_read tickets it uses (one per CADC
 * conversion, per synapse row, per run of consecutive CapMem cells of at
 * most AX_PROGRAM_READ_MAX). Its ax_chip_decode_* partner, given the same
 * arguments, fills the caller's arrays from that run's ax_result (AX_E_INVAL
 * if the ticket is not that call's read, AX_E_REMOTE if the board failed
 * it). Calls that only write return AX_OK. The register accesses run one
 * after another, a few cycles each (docs/chip.md section 1); a program that
 * mixes them with timed events puts its wait-until times after them.
 * The convenience calls (ax_chip_*_many, ax_chip_*_matrix, ax_chip_madc_sweep)
 * build such a program, run it once and decode. Arrays of several rows or
 * conversions are row-major: entry [k * NeuronsPerHemi + column]. */

/* CapMem cells in any order; consecutive cells at consecutive addresses
 * (same parameter, neurons n, n+1, ...) move as one burst. */
typedef struct ax_capmem_cell {
    uint16_t param;  /* enum ax_param */
    uint16_t neuron; /* 0 .. 2*NeuronsPerHemi-1 */
} ax_capmem_cell;
AX_API int ax_chip_prog_set_params(ax_device *d, ax_program *p, const ax_capmem_cell *cells,
                                   const uint16_t *codes, size_t n);
AX_API int ax_chip_prog_get_params(ax_device *d, ax_program *p, const ax_capmem_cell *cells,
                                   size_t n);
AX_API int ax_chip_decode_params(const ax_result *r, int ticket, const ax_capmem_cell *cells,
                                 size_t n, uint16_t *codes);
AX_API int ax_chip_set_params_many(ax_device *d, const ax_capmem_cell *cells, const uint16_t *codes,
                                   size_t n);
AX_API int ax_chip_get_params_many(ax_device *d, const ax_capmem_cell *cells, uint16_t *codes,
                                   size_t n);

/* Synapse rows first_row .. first_row+nrows-1 of hemisphere hemi: weights
 * and labels [k * NeuronsPerHemi + column] (decode: either may be NULL). */
AX_API int ax_chip_prog_set_matrix(ax_device *d, ax_program *p, unsigned hemi, unsigned first_row,
                                   unsigned nrows, const uint8_t *weights, const uint8_t *labels);
AX_API int ax_chip_prog_get_matrix(ax_device *d, ax_program *p, unsigned hemi, unsigned first_row,
                                   unsigned nrows);
AX_API int ax_chip_decode_matrix(const ax_device *d, const ax_result *r, int ticket, unsigned hemi,
                                 unsigned first_row, unsigned nrows, uint8_t *weights,
                                 uint8_t *labels);
AX_API int ax_chip_set_matrix(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                              const uint8_t *weights, const uint8_t *labels);
AX_API int ax_chip_get_matrix(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                              uint8_t *weights, uint8_t *labels);

/* CADC conversions (CADC_CMD, then a read of the hemisphere's results):
 * NeuronsPerHemi codes each, all columns of the hemisphere. */
typedef struct ax_cadc_req {
    uint8_t hemi, source; /* enum ax_cadc_source */
    uint16_t row;         /* synapse row of the correlation sources, else ignored (< RowsPerHemi) */
} ax_cadc_req;
AX_API int ax_chip_prog_cadc(ax_device *d, ax_program *p, unsigned hemi, unsigned source,
                             unsigned row);
AX_API int ax_chip_decode_cadc(const ax_device *d, const ax_result *r, int ticket, unsigned hemi,
                               uint8_t *codes);
/* n conversions, one after another: codes [i * NeuronsPerHemi + column]. */
AX_API int ax_chip_cadc_many(ax_device *d, const ax_cadc_req *reqs, size_t n, uint8_t *codes);

/* Correlation sensors (docs/chip.md section 8): clear them all (CORR_RESET 1),
 * or only those of rows first_row .. first_row+nrows-1 of hemisphere hemi
 * (model 3; the columns' last post-synaptic spike times are kept); read the
 * causal and/or anti-causal sensors (either may be NULL) of such rows
 * through the CADC, [k * NeuronsPerHemi + column]. */
AX_API int ax_chip_prog_corr_reset(ax_device *d, ax_program *p);
AX_API int ax_chip_corr_reset(ax_device *d);
AX_API int ax_chip_prog_corr_reset_rows(ax_device *d, ax_program *p, unsigned hemi,
                                        unsigned first_row, unsigned nrows);
AX_API int ax_chip_corr_reset_rows(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows);
AX_API int ax_chip_corr_read_many(ax_device *d, unsigned hemi, unsigned first_row, unsigned nrows,
                                  uint8_t *causal, uint8_t *anticausal);

/* MADC sweep: each neuron of the list in turn is sampled `samples` times,
 * every `period` cycles; codes [i * samples + k] (10-bit). The call starts a
 * new trial (TIMER_RESET) and its ticket is that trial's number in the run;
 * it sets RECORD to the MADC alone and leaves it off, the MADC off (and
 * MADC_PERIOD = period), and p at
 * experiment time 16 + n * (samples * period + 8) of the trial. Samples of
 * neuron i are those taken from 8 cycles after it was selected on (the
 * selection reaches the chip 2 cycles after the write). */
AX_API int ax_chip_prog_madc_sweep(ax_device *d, ax_program *p, const uint16_t *neurons, size_t n,
                                   uint16_t period, unsigned samples);
AX_API int ax_chip_decode_madc_sweep(const ax_result *r, int ticket, size_t n, uint16_t period,
                                     unsigned samples, uint16_t *codes);
AX_API int ax_chip_madc_sweep(ax_device *d, const uint16_t *neurons, size_t n, uint16_t period,
                              unsigned samples, uint16_t *codes);

#ifdef __cplusplus
}
#endif
#endif
