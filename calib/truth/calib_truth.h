/* The truth behind a calibration on the simulated board: every neuron's
 * effective parameters at its calibrated codes, from the die seed and the
 * documented fixed-pattern noise (axsim_ref). Kept out of libaxon_calib,
 * which must work on silicon: only the CLI and the tests link this. */
#ifndef AXON_CALIB_TRUTH_H
#define AXON_CALIB_TRUTH_H

#include "axon/calib.h"

/* values[n * AX_PARAM_COUNT + p] in the units of the targets (mV, us, the
 * normalised weight of one step for the strengths: the gain times the mean
 * synapse step of the neuron's whole column). The fixed-pattern scale is read
 * from the board's NOISE register. */
int ax_calib_truth(ax_device *d, const struct ax_calib_result *r, const struct ax_calib_targets *t,
                   double *values);
/* Mean and standard deviation over the neurons r did not flag. */
void ax_calib_truth_stat(const struct ax_calib_result *r, const double *values, unsigned p,
                         double *mean, double *sd);

#endif
