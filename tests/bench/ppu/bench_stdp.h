/* The STDP sweep of bench-ppu: one STDP update of a whole hemisphere's
 * synapse array with and without the row unit. */
#ifndef BENCH_STDP_H
#define BENCH_STDP_H

#include <stdint.h>

#include "axon/axon.h"

/* Runs ppu_dir/stdp.elf (row unit) and ppu_dir/stdp_scalar.elf (a synapse
 * at a time through the chip window) on PPU 0 of d, each one update of rows
 * 0 .. RowsPerHemi-1 (every column) from the correlation sensors, and
 * returns each update's cycles (the programs' OUTBOX: the core's cycle
 * counter around the update, sensor resets not included). 0 or a negative
 * status (the driver's detail set). */
int bench_stdp_sweep(ax_device *d, const char *ppu_dir, uint32_t *cycles_rowunit,
                     uint32_t *cycles_scalar);

#endif
