/* axon TTFS: the chip's constraints in software (docs/training.md,
 * "Chip constraints"). A network that is to run on the chip is trained and
 * evaluated with what the chip can hold and what it adds:
 *   - weights: a 6-bit magnitude code 0..max_code times the step (the
 *     calibrated psp: the trainer's normalised weight of one weight step),
 *     the sign given by the row (excitatory or inhibitory); a source may use
 *     rows_per_sign rows of each sign, so |w| <= rows * max_code * step;
 *   - axonal delays: whole cycles 0..delay_max_cycles at
 *     delay_cycles_per_tau cycles per tau_s; input and hidden spikes arrive
 *     on whole cycles, recorded spike times have 1/16 cycle;
 *   - the die: a per-neuron relative threshold error and a per-synapse
 *     relative weight error drawn once from die_seed; temporal noise as
 *     Gaussian jitter on every spike time, drawn per trial.
 * Quantisation-aware training keeps the float weights and delays: the
 * forward and backward passes use the quantised values, their gradients go
 * to the float parameters unchanged (straight-through estimator). The
 * backward pass never sees the die's errors or the jitter (as on the chip,
 * where the host knows only the weights it wrote and the times it measured). */
#ifndef AXON_TTFS_CONSTRAIN_H
#define AXON_TTFS_CONSTRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/config.h"
#include "axon/ttfs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Spike times are recorded with this many steps per cycle. */
#define AX_TTFS_TIME_STEPS_PER_CYCLE 16

/* The [constraints] section of a training config; all zero (the default)
 * means none: the exact float math. */
struct ax_ttfs_constraints {
    double weight_step;          /* normalised weight of one step; 0: float weights */
    int weight_max_code;         /* largest magnitude code of one row (63) */
    int rows_per_sign;           /* rows of each sign a source may use (1, 2) */
    double delay_cycles_per_tau; /* cycles per tau_s; 0: float delays and times */
    int delay_max_cycles;        /* largest delay (1022) */
    double threshold_mismatch;   /* relative sd of a neuron's threshold distance */
    double weight_mismatch;      /* relative sd of a synapse's strength */
    double time_jitter;          /* sd of every spike time, tau_s */
    uint64_t die_seed;           /* draws the mismatch */
};

/* Sets the defaults (no constraints; max code 63, 1 row, 1022 cycles). */
void ax_ttfs_constraints_default(struct ax_ttfs_constraints *c);
/* Reads the [constraints] section of f (missing keys keep their values);
 * errors "file:line: constraints.key: ..." as every config key. */
int ax_ttfs_constraints_read(ax_config *f, struct ax_ttfs_constraints *c);
/* Whether any constraint is on. */
bool ax_ttfs_constraints_active(const struct ax_ttfs_constraints *c);
/* Whether the forward pass differs from the exact math beyond the quantised
 * parameters (time grid, mismatch, jitter): it then runs the constrained
 * forward backend. */
bool ax_ttfs_constraints_need_forward(const struct ax_ttfs_constraints *c);

/* The largest weight magnitude the chip holds: rows * max_code * step. */
double ax_ttfs_weight_max(const struct ax_ttfs_constraints *c);
/* sign(w) * min(round(|w| / step), rows * max_code) * step; w itself when
 * weight_step is 0. */
double ax_ttfs_quantise_weight(const struct ax_ttfs_constraints *c, double w);
/* The signed total code of w (sum over its rows) and the codes of each of
 * the rows_per_sign rows of that sign (the total spread evenly, the first
 * rows one higher), each 0..max_code. rows: (rows_per_sign), may be NULL. */
int ax_ttfs_weight_code(const struct ax_ttfs_constraints *c, double w, int *rows);
/* round(d * cycles) / cycles clipped to [0, delay_max_cycles] cycles; d
 * itself when delay_cycles_per_tau is 0. */
double ax_ttfs_quantise_delay(const struct ax_ttfs_constraints *c, double d);
/* t rounded to whole cycles (an event's arrival); INFINITY stays. */
double ax_ttfs_quantise_arrival(const struct ax_ttfs_constraints *c, double t);
/* t rounded to 1/16 cycle (a recorded spike time); INFINITY stays. */
double ax_ttfs_quantise_record(const struct ax_ttfs_constraints *c, double t);

/* The forward backend of a constrained network (ctx: struct ax_ttfs_net):
 * per layer, arrivals on whole cycles, the die's effective weights (the
 * stack's weights times the die factors), the exact math, jitter, then the
 * recorded times on the 1/16-cycle grid; single-threaded. */
int ax_ttfs_constrained_forward(void *ctx, const struct ax_ttfs_stack *s, int B);

#ifdef __cplusplus
}
#endif
#endif
