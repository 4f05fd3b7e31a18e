/* axon TTFS: exact time-to-first-spike forward pass and gradients.
 *
 * Model (normalised units: tau_s = 1, E_l = 0, C_m = 1, threshold theta):
 * current-based LIF neurons with exponential synapses, only the first spike
 * counts. tau_m / tau_s is 1 or 2, where the spike time has a closed form
 * (Goeltz et al. 2021, "Fast and deep"; Goeltz et al. 2024, "DelGrad").
 * Times are in units of tau_s; INFINITY means "no spike".
 * docs/training.md derives every formula used here.
 *
 * Size legend (used in the shape comments):
 *   B      samples in a batch
 *   n_in   inputs of a layer (the previous layer's neurons, plus one bias input
 *          when the network has a bias spike; the bias is the last input)
 *   n_out  neurons of the layer
 * Weights are (n_out, n_in): row j holds the incoming weights of neuron j.
 * Delays: synaptic (n_out, n_in), axonal (n_in), dendritic (n_out).
 */
#ifndef AXON_TTFS_H
#define AXON_TTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/provenance.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AX_TTFS_MAX_LAYERS 8

enum ax_ttfs_delay {
    AX_TTFS_DELAY_NONE = 0,
    AX_TTFS_DELAY_SYNAPTIC,  /* one delay per synapse (n_out, n_in) */
    AX_TTFS_DELAY_AXONAL,    /* one per presynaptic neuron (n_in) */
    AX_TTFS_DELAY_DENDRITIC, /* one per postsynaptic neuron (n_out) */
};

struct ax_ttfs_layer_spec {
    int n_in, n_out;
    int tau_ratio;    /* tau_m / tau_s: 1 or 2 */
    double threshold; /* theta (1 in the normalised model) */
    enum ax_ttfs_delay delay;
    /* Backward only: a (sample, neuron) whose incoming weight gradient has an
     * entry above max_dw in magnitude contributes no weight gradient (it is
     * close to a tangent crossing, where dT/dw diverges). 0: off. */
    double max_dw;
};

/* Number of delay values a layer has (0 for AX_TTFS_DELAY_NONE). */
size_t ax_ttfs_delay_count(const struct ax_ttfs_layer_spec *spec);

/* Principal branch W0 of the Lambert W function for x in [-1/e, inf). */
double ax_lambertw0(double x);

/* ---------------------------------------------------------------------------
 * One neuron (reference kernels: no sorting assumptions, no caches) */

/* First spike time of one neuron, inputs in any order (t may hold INFINITY).
 * Scans inputs in time order and solves the closed form only in the interval
 * where the threshold is first reached. t, w: (n). */
double ax_ttfs_neuron_spike(int tau_ratio, double threshold, const double *t, const double *w,
                            int n);

/* Naive reference for tests: solves the closed form for every prefix of the
 * inputs in time order and keeps the first solution inside its interval. */
double ax_ttfs_neuron_spike_naive(int tau_ratio, double threshold, const double *t, const double *w,
                                  int n);

/* Exact dT/dw_i and dT/dt_i (n each) for a neuron that spiked at T; inputs
 * with t_i >= T are not causal and get 0. Returns 0, or AX_E_RANGE when T is
 * not finite or dV/dt at T is not positive (no upward crossing: no gradient). */
int ax_ttfs_neuron_grad(int tau_ratio, double threshold, double T, const double *t, const double *w,
                        int n, double *dT_dw, double *dT_dt);

/* ---------------------------------------------------------------------------
 * Layers. The workspace holds per-call scratch so the inner loops never allocate. */

typedef struct ax_ttfs_work ax_ttfs_work;
ax_ttfs_work *ax_ttfs_work_create(int max_n_in, int max_n_out);
void ax_ttfs_work_free(ax_ttfs_work *work);

/* Spike times of a layer for a batch (the exact software forward pass).
 * t_out: (B, n_out)   t_in: (B, n_in)   w: (n_out, n_in)   d: delays or NULL */
void ax_ttfs_layer_forward(double *t_out, const double *t_in, const double *w, const double *d,
                           const struct ax_ttfs_layer_spec *spec, int B, ax_ttfs_work *work);

/* Exact gradients of a layer, given its inputs and output spike times (computed
 * or measured). Accumulates (+=) into dw (n_out, n_in), dd (delays, may be NULL
 * when there are none) and dt_in (B, n_in, may be NULL). dt_out: (B, n_out)
 * holds dL/dT of each output; silent outputs pass no gradient. */
void ax_ttfs_layer_backward(double *dw, double *dd, double *dt_in, const double *dt_out,
                            const double *t_in, const double *t_out, const double *w,
                            const double *d, const struct ax_ttfs_layer_spec *spec, int B,
                            ax_ttfs_work *work);

/* ---------------------------------------------------------------------------
 * Layer stacks: a feed-forward network as its forward and backward passes see
 * it. Layer l's spike times, followed by the bias input when `bias` is set (the
 * last column, at bias_time), are layer l + 1's inputs. Every pointer is a view
 * owned by the caller; activations are (B, n) row-major. The row functions work
 * on rows [r0, r1) of a batch, so threads can share one batch. The trainer's
 * network and `axon ttfs eval` both run these, so there is one forward and one
 * backward path for networks. */
struct ax_ttfs_stack {
    int n_layers;
    struct ax_ttfs_layer_spec spec[AX_TTFS_MAX_LAYERS];
    bool bias;
    double bias_time;
    const double *w[AX_TTFS_MAX_LAYERS]; /* (n_out, n_in) */
    const double *d[AX_TTFS_MAX_LAYERS]; /* delay values, NULL without delays */
    double *t_in[AX_TTFS_MAX_LAYERS];    /* (B, n_in): [0] is the input, the rest derived */
    double *t_out[AX_TTFS_MAX_LAYERS];   /* (B, n_out) */
    double *dt_in[AX_TTFS_MAX_LAYERS];   /* (B, n_in) dL/dt; [0] may be NULL: not wanted */
    double *dt_out[AX_TTFS_MAX_LAYERS];  /* (B, n_out) dL/dT; the last layer's is the loss's */
};

/* A workspace large enough for every layer of s. */
ax_ttfs_work *ax_ttfs_work_create_stack(const struct ax_ttfs_stack *s);

/* Rows [r0, r1) of t_in[l] (l >= 1): t_out[l - 1] and the bias column. */
void ax_ttfs_stack_fill_inputs(const struct ax_ttfs_stack *s, int l, int r0, int r1);

/* The exact forward pass of rows [r0, r1): from t_in[0] fills t_out of every
 * layer and t_in of the layers after the first. */
void ax_ttfs_stack_forward(const struct ax_ttfs_stack *s, int r0, int r1, ax_ttfs_work *work);

/* The exact backward pass of rows [r0, r1) on the times in t_in and t_out
 * (computed or measured), from dt_out[n_layers - 1]. Accumulates (+=) into
 * dw[l] (n_out, n_in) and dd[l] (delay values; NULL when the layer has none);
 * overwrites dt_in of every layer (dt_in[0] only when not NULL) and dt_out of
 * the layers before the last. */
void ax_ttfs_stack_backward(const struct ax_ttfs_stack *s, double *const dw[], double *const dd[],
                            int r0, int r1, ax_ttfs_work *work);

/* ---------------------------------------------------------------------------
 * Forward backends: who produces the network's spike times. The software
 * backend is the exact math above; a chip runs the whole network in one go and
 * measures them. The backward pass always runs on the host
 * (ax_ttfs_stack_backward) on the times the backend returned. */
struct ax_ttfs_backend {
    const char *name; /* recorded in the metrics' provenance */
    /* Spike times of every layer for a batch of B samples. Reads s->t_in[0]
     * (B, n_in of layer 0, the bias column included), the weights s->w and the
     * delay values s->d; writes s->t_out[l] (B, n_out) of every layer. It may
     * use s->t_in[l] (l > 0) as scratch: the caller refills them from the
     * returned t_out. Returns 0 or a negative ax_status. Required. */
    int (*forward)(void *ctx, const struct ax_ttfs_stack *s, int B);
    void *ctx;
    /* Where the times come from, for the metrics' provenance: die seed,
     * calibration id, model and protocol versions (format, config and seed
     * are the run's). NULL: none (the software backend). */
    const struct ax_provenance *provenance;
    /* The weights the backend represents: w_max[l] > 0 keeps layer l's
     * weights from the previous layer in [-w_max, w_max] after every step
     * (and bump), w_max_bias[l] those of its bias input (0: w_max[l]); 0 for
     * a layer: no limit. The host then trains what the chip runs (a chip
     * clips codes at 63 per row). */
    double w_max[AX_TTFS_MAX_LAYERS], w_max_bias[AX_TTFS_MAX_LAYERS];
    /* true: forward also writes s->t_in[l] (l > 0), the times each layer's
     * inputs arrived (a chip's routing delays them), and the backward pass
     * uses those; false: they are derived from t_out. */
    bool fills_inputs;
    /* What identifies the network's placement on the chip (a hash of every
     * neuron and driver it uses; 0: none), kept in checkpoints: a run resumes
     * only onto the same mapping. */
    uint64_t mapping_id;
};

/* ---------------------------------------------------------------------------
 * Losses on output spike times t (B, n_classes), labels (B). Return the mean
 * loss over samples whose label neuron spiked (NAN if none did) and write
 * dL/dt (B, n_classes) of the mean; silent neurons get 0. */

struct ax_ttfs_loss_fastdeep {
    double xi, alpha, beta; /* 0.2, 0.005, 1 in the reference */
};
double ax_ttfs_loss_fastdeep(double *dt, const double *t, const int *labels, int B, int n_classes,
                             const struct ax_ttfs_loss_fastdeep *p);

/* DelGrad's shift-invariant MSE: 1/2 sum_{i != c} (t_i - t_c - dt)^2. */
double ax_ttfs_loss_shift_mse(double *dt_grad, const double *t, const int *labels, int B,
                              int n_classes, double dt);

/* Its one-sided (squared hinge) form: 1/2 sum_{i != c} max(0, t_c + dt - t_i)^2.
 * A wrong neuron that spikes dt or more after the label neuron (or not at all)
 * costs nothing, so the loss stops pulling late wrong neurons earlier. */
double ax_ttfs_loss_shift_hinge(double *dt_grad, const double *t, const int *labels, int B,
                                int n_classes, double dt);

/* Index of the earliest spike in a row of n times, -1 if all are silent. */
int ax_ttfs_first_spike(const double *t, int n);

#ifdef __cplusplus
}
#endif
#endif
