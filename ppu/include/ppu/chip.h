/* The chip's registers from the processor: word address A at byte address
 * 0xC000_0000 + 4*A (docs/ppu.md section 1), the map generated from
 * rtl-model/regs/chip_regs.def (axon/chip_regs.h, docs/chip.md). Each
 * access takes the chip's register bus (the host's accesses go first), so a
 * whole synapse row is faster through the row unit (ppu/rowunit.h). */
#ifndef AX_PPU_CHIP_H
#define AX_PPU_CHIP_H

#include <stdint.h>

#include "axon/chip_regs.h"

#define PPU_CHIP_REG(a) (*(volatile uint32_t *)(0xC0000000u + 4u * (uint32_t)(a)))

static inline uint32_t chip_read(uint32_t addr)
{
    return PPU_CHIP_REG(addr);
}
static inline void chip_write(uint32_t addr, uint32_t value)
{
    PPU_CHIP_REG(addr) = value;
}

/* Geometry: neurons (= columns) and synapse rows per hemisphere. */
static inline unsigned chip_neurons_per_hemi(void)
{
    return (chip_read(AX_CHIP_INFO) & AX_CHIP_INFO_NEURONS_MASK) >> AX_CHIP_INFO_NEURONS_SHIFT;
}
static inline unsigned chip_rows_per_hemi(void)
{
    return (chip_read(AX_CHIP_INFO) & AX_CHIP_INFO_ROWS_MASK) >> AX_CHIP_INFO_ROWS_SHIFT;
}

/* Neuron configuration word (NRN_CFG fields) of neuron n (0 .. 2*NeuronsPerHemi-1). */
static inline uint32_t chip_neuron_cfg(unsigned n)
{
    return chip_read(AX_CHIP_NRN_CFG(n));
}
static inline void chip_set_neuron_cfg(unsigned n, uint32_t cfg)
{
    chip_write(AX_CHIP_NRN_CFG(n), cfg);
}

/* CapMem code (0..AX_CHIP_CODE_MAX) of parameter p (AX_CHIP_PARAM_*) of neuron n. */
static inline unsigned chip_capmem(unsigned p, unsigned n)
{
    return chip_read(AX_CHIP_CAPMEM(p, n)) & AX_CHIP_CAPMEM_CODE_MASK;
}
static inline void chip_set_capmem(unsigned p, unsigned n, unsigned code)
{
    chip_write(AX_CHIP_CAPMEM(p, n), code);
}

/* Spike counter of neuron n (saturates at 255); clear one or all. */
static inline unsigned chip_spike_count(unsigned n)
{
    return chip_read(AX_CHIP_SPIKE_CNT(n)) & AX_CHIP_SPIKE_CNT_COUNT_MASK;
}
static inline void chip_clear_count(unsigned n)
{
    chip_write(AX_CHIP_SPIKE_CNT(n), 0);
}
static inline void chip_clear_counts(void)
{
    chip_write(AX_CHIP_CNT_RESET, 1);
}

/* One CADC conversion of hemisphere h: source AX_CHIP_CADC_SRC_*, row for
 * the correlation sources. Its codes are readable from the next access. */
static inline void chip_cadc_convert(unsigned h, unsigned src, unsigned row)
{
    chip_write(AX_CHIP_CADC_CMD, h << AX_CHIP_CADC_CMD_HEMI_SHIFT |
                                     src << AX_CHIP_CADC_CMD_SRC_SHIFT |
                                     row << AX_CHIP_CADC_CMD_ROW_SHIFT);
}
/* Code (0..255) of column col of hemisphere h's last conversion. */
static inline unsigned chip_cadc_code(unsigned h, unsigned col)
{
    return chip_read(AX_CHIP_CADC_RES(h, col / 4u)) >> (8u * (col % 4u)) & 0xFFu;
}

/* A SYN word: synapses (h, r, 2w) in its low half, (h, r, 2w+1) in its high. */
static inline uint32_t chip_syn_pair(unsigned h, unsigned r, unsigned w)
{
    return chip_read(AX_CHIP_SYN(h, r, w));
}
static inline void chip_set_syn_pair(unsigned h, unsigned r, unsigned w, uint32_t pair)
{
    chip_write(AX_CHIP_SYN(h, r, w), pair);
}
#define CHIP_SYN_HALF_SHIFT (AX_CHIP_SYN_WEIGHT1_SHIFT - AX_CHIP_SYN_WEIGHT0_SHIFT)
/* Weight (0..63) of synapse col of a SYN word's pair (col's low bit picks the half). */
static inline unsigned chip_pair_weight(uint32_t pair, unsigned col)
{
    return pair >> (col % 2u * CHIP_SYN_HALF_SHIFT) & AX_CHIP_SYN_WEIGHT0_MASK;
}
static inline uint32_t chip_pair_set_weight(uint32_t pair, unsigned col, unsigned w)
{
    unsigned sh = col % 2u * CHIP_SYN_HALF_SHIFT;
    return (pair & ~(AX_CHIP_SYN_WEIGHT0_MASK << sh)) | (w & AX_CHIP_SYN_WEIGHT0_MASK) << sh;
}

/* Synapse driver d of hemisphere h (rows 2d, 2d+1): DRIVER fields. */
static inline uint32_t chip_driver(unsigned h, unsigned d)
{
    return chip_read(AX_CHIP_DRIVER(h, d));
}
static inline void chip_set_driver(unsigned h, unsigned d, uint32_t cfg)
{
    chip_write(AX_CHIP_DRIVER(h, d), cfg);
}

/* Clears the correlation sensors of rows first..last of hemisphere h. */
static inline void chip_corr_reset_rows(unsigned h, unsigned first, unsigned last)
{
    chip_write(AX_CHIP_CORR_RESET, AX_CHIP_CORR_RESET_GO_MASK | AX_CHIP_CORR_RESET_ROWS_MASK |
                                       h << AX_CHIP_CORR_RESET_HEMI_SHIFT |
                                       first << AX_CHIP_CORR_RESET_ROW_SHIFT |
                                       last << AX_CHIP_CORR_RESET_LAST_SHIFT);
}
static inline void chip_corr_reset_all(void)
{
    chip_write(AX_CHIP_CORR_RESET, AX_CHIP_CORR_RESET_GO_MASK);
}

#endif
