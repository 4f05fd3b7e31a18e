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
#include "axon/net.h"
#include "axon/ttfs.h"
#include "axon/ttfs_train.h"

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

/* ---------------------------------------------------------------------------
 * The mapper: a ttfs network of two weight layers (inputs -> hidden ->
 * outputs, with the bias spike) as a libaxon_net description, in one of two
 * layouts (docs/training.md, "Chip in the loop"). The split layout:
 *   inputs: a source; each input gets `duplicates` consecutive drivers of
 *     hemisphere 0 (its weight split over them);
 *   the bias: one source into both layers (one event, both hemispheres),
 *     on drivers free in both;
 *   hidden layer: neurons of hemisphere 0, spike-once, recorded; neuron j's
 *     label is a driver of its own in hemisphere 1;
 *   output layer: neurons of hemisphere 1, spike-once, recorded;
 *   axonal delays: each source's drivers' delay registers (a driver carries
 *     one source, so every delay is its own; the bias's per hemisphere).
 * Weights: code = round(w / (threshold x psp)), psp the calibration
 * targets' normalised weight of one step (psp_e for w > 0, psp_i below);
 * codes past 63 x duplicates are clipped and counted, never dropped. */
/* The joined layout, for networks whose inputs and hidden neurons do not
 * get drivers of their own (MNIST 256-246-10): hidden and output neurons
 * are joined columns of hemisphere 0 (each reads the row pairs of both
 * hemispheres); the inputs take the drivers of both hemispheres (one each
 * when there are more than a hemisphere has, else `duplicates`); each hidden
 * neuron and the bias into the outputs share an input's driver under
 * address 1, listened to by the output columns only. A bias into the hidden
 * layer needs a row pair of its own, so the joined layout usually goes with
 * data.bias_layers = [2]. */
enum ax_ttfs_chip_layout {
    AX_TTFS_CHIP_LAYOUT_AUTO,   /* split when it fits, else joined */
    AX_TTFS_CHIP_LAYOUT_SPLIT,  /* hidden in hemisphere 0, outputs in 1 */
    AX_TTFS_CHIP_LAYOUT_JOINED, /* both joined; drivers shared by address */
};
const char *ax_ttfs_chip_layout_name(enum ax_ttfs_chip_layout l);

struct ax_ttfs_chip_map {
    ax_net *net;
    int pop_in, pop_hidden, pop_bias, pop_out; /* pop_bias -1 without a bias */
    int proj[2];                               /* input -> hidden, hidden -> output */
    int proj_bias[2];                          /* bias -> hidden, bias -> output */
    int n_in, n_hidden, n_out;                 /* n_in counts the bias input */
    int duplicates, bias_duplicates; /* drivers of each input, of the bias into the outputs */
    enum ax_ttfs_chip_layout layout; /* the one placed (never AUTO) */
    bool bias_in[2];                 /* the bias reaches layer l (its codes_bias[l] are used) */
    double scale_e, scale_i;         /* weight per code step: threshold x psp */
    int *codes[2];                   /* (n_out, n_in) of each layer, scratch */
    int *codes_bias[2];              /* (n_out) of each layer */
    /* Axonal delays (spec delay AX_TTFS_DELAY_AXONAL): tau_s in cycles (set
     * before ax_ttfs_chip_map_delays; ax_ttfs_chip_map_config sets it) and
     * the delay registers of the last map_delays, per layer one per input
     * (n_in of the layer, the bias last): cycles. NULL without delays. */
    bool delays;
    double tau_s_cycles;
    uint16_t *delay_cycles[2];
};
/* Clipping of the last ax_ttfs_chip_map_weights, per layer. */
struct ax_ttfs_chip_clip {
    unsigned clipped[2]; /* weights past the range, set to its end */
    unsigned zero[2];    /* non-zero weights that rounded to code 0 */
    double max_abs[2];   /* the largest |w| asked for */
    double range[2];     /* the largest |w| the codes reach */
};
/* Builds and places the description of spec (2 layers, the bias last in
 * each layer's inputs when bias != 0) on a chip of that geometry. bias: bit
 * l, the bias spike reaches layer l (a layer without it keeps its bias
 * column, whose weights must stay 0: data.bias_layers). AX_E_RANGE with the
 * reason when it does not fit (nothing is written). */
int ax_ttfs_chip_map_create(struct ax_ttfs_chip_map *m, const struct ax_ttfs_layer_spec *spec,
                            int n_layers, unsigned bias, double psp_e, double psp_i, int duplicates,
                            enum ax_ttfs_chip_layout layout, unsigned neurons_per_hemi,
                            unsigned rows_per_hemi);
void ax_ttfs_chip_map_free(struct ax_ttfs_chip_map *m);
/* The same for a config's network with the psp of targets t. */
int ax_ttfs_chip_map_config(struct ax_ttfs_chip_map *m, const struct ax_ttfs_config *cfg,
                            const struct ax_calib_targets *t, unsigned neurons_per_hemi,
                            unsigned rows_per_hemi);
/* What identifies the placement (every unit's neuron and drivers): a hash,
 * kept in checkpoints (ax_ttfs_backend.mapping_id). */
uint64_t ax_ttfs_chip_map_id(const struct ax_ttfs_chip_map *m);
/* The trainer's axonal delay values d[l] (tau_s, one per input of layer l,
 * the bias last) as the drivers' delay registers: cycles = round(d x
 * tau_s_cycles). Layer 0's go to the inputs' drivers and the bias's drivers
 * of hemisphere 0; layer 1's to each hidden neuron's label driver and the
 * bias's drivers of hemisphere 1. AX_E_RANGE naming the input when a delay
 * is outside 0 .. AX_DELAY_MAX cycles (nothing changes). */
int ax_ttfs_chip_map_delays(struct ax_ttfs_chip_map *m, const double *const d[2]);
/* Quantises the trainer's weights w[l] (n_out, n_in) into the net's codes. */
int ax_ttfs_chip_map_weights(struct ax_ttfs_chip_map *m, const double *const w[2],
                             struct ax_ttfs_chip_clip *clip);

/* ---------------------------------------------------------------------------
 * The chip backend: a board, its calibration and the mapped network. */
struct ax_ttfs_chip_stats {
    uint64_t batches, trials, repeated; /* repeated: trials run again after a loss */
    uint64_t moved;                     /* input events injected a cycle late */
    uint64_t write_words;               /* program words of weight writes */
    double chip_seconds;                /* wall time in ax_net_run */
    struct ax_ttfs_chip_clip clip;      /* of the last forward pass */
};
/* A hidden spike on its way to the output rows: its update cycle
 * (experiment time), neuron and event bus. */
struct ax_ttfs_chip_hop {
    uint64_t cycle;
    unsigned unit, bus;
};

struct ax_ttfs_chip {
    ax_device *dev;
    struct ax_calib_targets targets;
    struct ax_calib_result calib;
    enum ax_calib_source calib_source;
    struct ax_ttfs_chip_map map;
    struct ax_ttfs_chip_units units;
    uint64_t trial_cycles;
    double *tin, *tbias;           /* input times, cycles (B, n_in), (B, 1) */
    bool arrivals;                 /* the output layer's inputs are the hidden spikes' arrivals */
    struct ax_ttfs_chip_hop *hops; /* scratch of the arrival model */
    uint8_t *inj_buses;            /* per cycle of a trial: the buses injections took */
    uint64_t inj_cycles;
    int max_batch;
    struct ax_net_result res;
    struct ax_ttfs_chip_stats stats;
    struct ax_provenance prov;
    char name[AX_TTFS_PATH_MAX + 64]; /* "chip:" + the URI */
    struct ax_ttfs_backend backend;
};
/* The calibration targets a [chip] section implies: its targets file, else
 * leak = reset 300 mV, threshold chip.distance_mv above, tau_m = tau_ratio x
 * tau_s, tau_s for both synapses, psp chip.psp (default 0.03 / tau_ratio),
 * refractory 5 us. */
int ax_ttfs_chip_targets(const struct ax_ttfs_config *cfg, struct ax_calib_targets *t);
/* Opens the board of cfg's [chip] section (device, die), calibrates it or
 * applies the cached calibration, maps cfg's network and checks the fit
 * before anything of the network is written. progress: the calibration's. */
int ax_ttfs_chip_open(struct ax_ttfs_chip *c, const struct ax_ttfs_config *cfg, int max_batch,
                      ax_calib_progress_fn progress, void *ctx);
void ax_ttfs_chip_close(struct ax_ttfs_chip *c);
/* The backend's forward hook (ctx: the struct ax_ttfs_chip): writes the
 * changed weight codes and runs the batch as one program; a trial with a
 * loss (ax_result_lost) runs again once, then the call fails (AX_E_OVERFLOW). */
int ax_ttfs_chip_forward(void *ctx, const struct ax_ttfs_stack *s, int B);

#ifdef __cplusplus
}
#endif
#endif
