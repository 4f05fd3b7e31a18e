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

#ifdef __cplusplus
}
#endif
#endif
