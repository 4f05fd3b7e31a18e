/* Correlation-sensor baselines for plasticity programs: a program clears
 * the sensors of its rows and keeps what they read right after, per synapse
 * (the CADC's offset differs per column, so a per-row baseline is not
 * enough), to subtract from later readings. */
#ifndef AX_PPU_SENSORS_H
#define AX_PPU_SENSORS_H

#include "ppu/chip.h"
#include "ppu/rowunit.h"

/* Clears the sensors of rows first..last of hemisphere h and stores the
 * causal and anti-causal readings of every selected segment (bit s of segs)
 * in base_c[k], base_a[k], k counting the segments row after row. */
static inline void ppu_sensor_baselines(unsigned h, unsigned first, unsigned last, uint32_t segs,
                                        uint8_t (*base_c)[RU_LANES], uint8_t (*base_a)[RU_LANES])
{
    chip_corr_reset_rows(h, first, last);
    unsigned k = 0;
    for (unsigned row = first; row <= last; row++)
        for (unsigned s = 0; s < RU_SEGMENTS; s++)
            if (segs >> s & 1u) {
                ru_vld(v0, ru_seg(row, s, RU_CAUSAL));
                ru_vstm(v0, base_c[k]);
                ru_vld(v0, ru_seg(row, s, RU_ACAUSAL));
                ru_vstm(v0, base_a[k]);
                k++;
            }
}

#endif
