/* The monotonic wall clock, for timeouts, rates and progress (never for
 * model time: the simulated board counts its own cycles). */
#ifndef AXON_CLOCK_H
#define AXON_CLOCK_H

#include <stdint.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Microseconds since an arbitrary start (CLOCK_MONOTONIC). */
AX_API uint64_t ax_mono_us(void);
/* Seconds since an arbitrary start, with nanosecond resolution. */
AX_API double ax_mono_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
