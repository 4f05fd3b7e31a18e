/* axon TTFS eval files: a small network with given weights, delays and input
 * samples, whose spike times and exact gradients other implementations can be
 * compared with number by number (`axon ttfs eval`). Format (docs/training.md):
 * whitespace-separated tokens, '#' starts a comment, "inf" is no spike.
 *   ttfs-eval 1
 *   tau_ratio 1|2   threshold X   delay none|synaptic|axonal|dendritic (before sizes)
 *   sizes N0 N1 ... NL      neurons per layer, inputs first, given once
 *   weights L v...          layer L = 1..: N_L rows of N_{L-1} values
 *   delays L v...           delay values in tau_s: synaptic N_L x N_{L-1}, axonal N_{L-1},
 *                           dendritic N_L
 *   sample t...             N0 input spike times
 *   grad g...               optional, after a sample: dJ/dT of the outputs (default all 1)
 * Times are in units of tau_s. */
#ifndef AXON_TTFS_EVAL_H
#define AXON_TTFS_EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "axon/ttfs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits, so that a typo cannot ask for gigabytes: samples per file, neurons
 * per layer, and weights of the whole network (128 MiB of doubles; the
 * gradients need as much again). */
#define AX_TTFS_EVAL_MAX_SAMPLES 1024
#define AX_TTFS_EVAL_MAX_NEURONS 100000
#define AX_TTFS_EVAL_MAX_WEIGHTS (1L << 24)

/* A network and its samples as read from an eval file. */
struct ax_ttfs_eval {
    int n_layers;                      /* weight layers */
    int sizes[AX_TTFS_MAX_LAYERS + 1]; /* neurons per layer, inputs first */
    int tau_ratio;                     /* 1 or 2 */
    double threshold;
    enum ax_ttfs_delay delay;
    double *w[AX_TTFS_MAX_LAYERS]; /* (N_l, N_{l-1}) of layer l = 1..n_layers at [l - 1] */
    double *d[AX_TTFS_MAX_LAYERS]; /* delay values, NULL without delays */
    int n_samples;
    double *x[AX_TTFS_EVAL_MAX_SAMPLES]; /* (N0) input spike times */
    double *g[AX_TTFS_EVAL_MAX_SAMPLES]; /* (N_L) dJ/dT of the outputs; NULL: all 1 */
};

/* Reads an eval file from f without seeking (pipes work); name is used in
 * messages. Errors are negative ax_status codes with "name:line: field:
 * message" in ax_error_detail(); ev is then empty. */
int ax_ttfs_eval_read(struct ax_ttfs_eval *ev, FILE *f, const char *name);
/* Opens path ("-": standard input, called "<stdin>" in messages) and reads it. */
int ax_ttfs_eval_load(struct ax_ttfs_eval *ev, const char *path);
void ax_ttfs_eval_free(struct ax_ttfs_eval *ev);

/* The results for one sample, with J = sum_k grad_k T_k over the output layer. */
struct ax_ttfs_eval_out {
    double *times[AX_TTFS_MAX_LAYERS]; /* (N_l) spike times of layer l = 1.. at [l - 1] */
    double *dw[AX_TTFS_MAX_LAYERS];    /* (N_l, N_{l-1}) dJ/dw */
    double *dd[AX_TTFS_MAX_LAYERS];    /* dJ/d(delay value); NULL without delays */
    size_t n_delays[AX_TTFS_MAX_LAYERS];
    double *dt_in; /* (N0) dJ/dt of the inputs */
    /* private: the network as a layer stack over the buffers above */
    struct ax_ttfs_stack stack;
    double *mem;
    ax_ttfs_work *work;
};

/* Buffers and workspace for ev's network; 0 or AX_E_NOMEM ("out of memory"
 * in ax_error_detail()). */
int ax_ttfs_eval_out_create(struct ax_ttfs_eval_out *out, const struct ax_ttfs_eval *ev);
void ax_ttfs_eval_out_free(struct ax_ttfs_eval_out *out);
/* Spike times and gradients of sample s (0-based), computed with the same
 * layer-stack forward and backward pass the trainer uses. */
void ax_ttfs_eval_sample(struct ax_ttfs_eval_out *out, const struct ax_ttfs_eval *ev, int s);

#ifdef __cplusplus
}
#endif
#endif
