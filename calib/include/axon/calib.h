/* axon calibration (libaxon_calib): turns targets (threshold, time constants,
 * input strength, ...) into per-neuron CapMem codes. Built on libaxon and
 * axon_common; knows nothing of training. See docs/calibration.md.
 *
 * Units at this interface: potentials in mV, times in microseconds of chip
 * time, input gains and codes as plain numbers. */
#ifndef AXON_CALIB_H
#define AXON_CALIB_H

#include <stdint.h>

#include "axon/chip.h"
#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The nominal CapMem code of parameter p (enum ax_param) for a target value,
 * before fixed-pattern noise (docs/chip.md section 2): potentials code = mV;
 * time constants tau = 65536 / (32 + 3 code) cycles, the code whose tau is
 * nearest; gains code = gain; refractory time code = cycles. AX_E_RANGE when
 * no code 0..AX_CAPMEM_MAX reaches the value within half a step,
 * AX_E_INVAL for an unknown parameter or a non-finite value. These are the
 * "before" codes of a calibration. */
AX_API int ax_calib_nominal_code(unsigned p, double value, uint16_t *code);
/* The nominal value of parameter p at a code (the inverse of the above). */
AX_API double ax_calib_nominal_value(unsigned p, uint16_t code);

#ifdef __cplusplus
}
#endif
#endif
