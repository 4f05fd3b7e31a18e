/* The chip backend of the time-to-first-spike trainer (libaxon_ttfs_chip):
 * runs a network's forward pass on a board and hands the measured spike times
 * to the trainer's exact backward pass. On the trainer, the calibration and
 * libaxon; the trainer itself knows nothing of chips (docs/architecture.md).
 *
 * Time: the trainer works in units of the synaptic time constant tau_s; the
 * chip counts cycles (8 ns), and its spike times carry 4 fraction bits. */
#ifndef AXON_TTFS_CHIP_H
#define AXON_TTFS_CHIP_H

#include <stdint.h>

#include "axon/calib.h"
#include "axon/ttfs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The operating point's time scale: tau_s in chip cycles. */
struct ax_ttfs_chip_units {
    double tau_s_cycles;
};

/* A time in tau_s as chip cycles, rounded to the nearest cycle; AX_E_RANGE
 * below 0 or past 2^56 cycles (the playback's time range), AX_E_INVAL when
 * tau_s_cycles is not positive. */
int ax_ttfs_chip_to_cycles(const struct ax_ttfs_chip_units *u, double t, uint64_t *cycles);
/* A recorded spike time (cycles with 4 fraction bits) in tau_s. */
double ax_ttfs_chip_from_cycles_q4(const struct ax_ttfs_chip_units *u, uint64_t cycles_q4);

#ifdef __cplusplus
}
#endif
#endif
