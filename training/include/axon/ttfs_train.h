/* axon TTFS training: experiment configs, the network with its one parameter
 * buffer, Adam with StepLR, the training loop, checkpoints, metrics and plots.
 * All times are in units of tau_s. */
#ifndef AXON_TTFS_TRAIN_H
#define AXON_TTFS_TRAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "axon/ttfs.h"
#include "axon/ttfs_constrain.h"
#include "axon/ttfs_data.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AX_TTFS_MAX_THREADS 8
/* The most weights a trained network may have (64 Mi: 2 GiB of parameters,
 * gradients and Adam moments); a config asking for more is refused. */
#define AX_TTFS_MAX_WEIGHTS (1 << 26)

enum ax_ttfs_data_kind { AX_TTFS_DATA_YINYANG, AX_TTFS_DATA_MNIST, AX_TTFS_DATA_MNIST16 };
enum ax_ttfs_loss_kind { AX_TTFS_LOSS_FASTDEEP, AX_TTFS_LOSS_SHIFT_MSE, AX_TTFS_LOSS_SHIFT_HINGE };
enum ax_ttfs_delay_param { AX_TTFS_DELAY_SIGMOID, AX_TTFS_DELAY_CLIP };
/* How max_dw_norm caps weight gradients: CLIP scales each neuron's batch
 * gradient row to an L2 norm <= max_dw_norm; SKIP is the reference code's
 * rule: a (sample, neuron) with a gradient entry above max_dw_norm adds no
 * weight gradient (ax_ttfs_layer_spec.max_dw). */
enum ax_ttfs_dw_mode { AX_TTFS_DW_CLIP, AX_TTFS_DW_SKIP };
/* Which parameters a run ends with: those after the last epoch, or those after
 * the epoch with the best validation accuracy (model selection on the
 * validation split; the test split is never looked at). */
enum ax_ttfs_select { AX_TTFS_SELECT_LAST, AX_TTFS_SELECT_BEST_VAL };
/* What makes the output layer need a weight bump: any silent (sample, neuron)
 * pair, as in the reference code, or only a silent label neuron (a silent
 * wrong-class neuron is what the loss wants; docs/training.md). */
enum ax_ttfs_bump_outputs { AX_TTFS_BUMP_ANY, AX_TTFS_BUMP_LABEL };

/* The [chip] section. present: the config has one (a run then goes to a
 * board unless the front end asks for the software backend). */
#define AX_TTFS_PATH_MAX 256
struct ax_ttfs_chip_section {
    bool present;
    bool software;                  /* backend = "software": the section is ignored */
    double tau_s_us;                /* the model's time unit on the chip */
    double trial;                   /* trial length after time 0, tau_s */
    char targets[AX_TTFS_PATH_MAX]; /* calibration targets file ("" : derived) */
    char device[AX_TTFS_PATH_MAX];  /* board URI ("": $AXON_DEVICE, else sim:) */
    long long die;                  /* -1: the URI's; else sim: die seed */
    int max_duplicates;             /* drivers an input source may take (1..8) */
    bool clip_weights;              /* keep the host's weights in the chip's range */
    bool calibrate;                 /* false: nominal codes (a diagnostic for fpn=0 boards) */
    bool arrivals;      /* the output layer's inputs: the hidden spikes' modelled arrival times */
    double distance_mv; /* threshold - leak of the derived targets, mV */
    double psp;         /* the derived targets' psp_e = psp_i (0: 0.03 / tau_ratio) */
    int layout; /* the mapper's layout: 0 auto, 1 split, 2 joined (enum ax_ttfs_chip_layout) */
};

/* One experiment, as read from a training/configs/ *.cfg file (see docs/training.md). */
struct ax_ttfs_config {
    unsigned long long hash; /* of the config file's bytes */
    /* [data] */
    enum ax_ttfs_data_kind data;
    double t_early, t_late; /* input encoding window */
    bool bias;
    double bias_time;     /* the bias spike into every layer of bias_layers */
    unsigned bias_layers; /* bit l: weight layer l gets the bias (default all);
                             without it, its bias weight is held at 0 */
    double train_noise;   /* std of Gaussian noise on training input times (0: off) */
    int train_shift; /* images: random translation of training inputs by up to this many pixels */
    /* [network] */
    int n_layers;                      /* weight layers */
    int sizes[AX_TTFS_MAX_LAYERS + 1]; /* neurons per layer, inputs first, no bias */
    int tau_ratio;
    double threshold;
    enum ax_ttfs_delay delay;
    enum ax_ttfs_delay_param delay_param;
    double delay_scale; /* sigmoid: d = scale * sigmoid(p) */
    /* [init] */
    double weight_mean[AX_TTFS_MAX_LAYERS], weight_std[AX_TTFS_MAX_LAYERS];
    double delay_mean, delay_std; /* of the delay parameters */
    /* [loss] */
    enum ax_ttfs_loss_kind loss;
    struct ax_ttfs_loss_fastdeep fastdeep;
    double shift_dt; /* shift_mse, shift_hinge: the wanted lead of the label neuron */
    /* [train] */
    int epochs, batch_size;
    uint64_t seed;
    double lr_weights[AX_TTFS_MAX_LAYERS], lr_delays[AX_TTFS_MAX_LAYERS];
    int step_size;
    double gamma, adam_beta1, adam_beta2, adam_eps;
    double max_dw_norm; /* 0: off */
    enum ax_ttfs_dw_mode max_dw_mode;
    double missing_threshold[AX_TTFS_MAX_LAYERS];
    double weight_bump; /* 0: off */
    enum ax_ttfs_bump_outputs bump_outputs;
    enum ax_ttfs_select select; /* the parameters a run ends with */
    int threads;                /* threads over a batch (1: single-threaded, bit-identical) */
    /* [chip]: the operating point of a run on a board (docs/training.md,
     * "Chip in the loop"); the trainer only carries it to the chip backend. */
    struct ax_ttfs_chip_section chip;
    /* [constraints]: the chip's (axon/ttfs_constrain.h); all off by default */
    struct ax_ttfs_constraints constraints;
};

/* Reads a config file; unknown keys, wrong types and out-of-range values are
 * errors (negative ax_status) with "file:line: section.key: ..." in
 * ax_error_detail(). */
int ax_ttfs_config_load(struct ax_ttfs_config *cfg, const char *path);

/* xoshiro256**: the trainer's random numbers (init, shuffling). */
struct ax_rng {
    uint64_t s[4];
};
void ax_rng_seed(struct ax_rng *r, uint64_t seed);
uint64_t ax_rng_next(struct ax_rng *r);
double ax_rng_uniform(struct ax_rng *r); /* [0, 1) */
double ax_rng_normal(struct ax_rng *r);

/* ---------------------------------------------------------------------------
 * The network: all parameters in one buffer, gradients and Adam moments in
 * the same layout right after it (params | grads | m | v). */
struct ax_ttfs_net {
    int n_layers;
    struct ax_ttfs_layer_spec spec[AX_TTFS_MAX_LAYERS];
    bool bias;
    double bias_time;
    unsigned bias_layers; /* bit l: layer l's bias input is used, else its weights stay 0 */
    enum ax_ttfs_delay_param delay_param;
    double delay_scale;
    size_t n_params;
    double *mem;                      /* 4 * n_params */
    double *params, *grads, *m, *v;   /* views into mem */
    size_t w_off[AX_TTFS_MAX_LAYERS]; /* weights (n_out, n_in) */
    size_t d_off[AX_TTFS_MAX_LAYERS]; /* delay parameters */
    size_t d_count[AX_TTFS_MAX_LAYERS];
    double *delays[AX_TTFS_MAX_LAYERS]; /* delay values, then d(value)/d(param) */
    int max_batch;
    double *t_in[AX_TTFS_MAX_LAYERS];   /* (B, n_in) incl. the bias column */
    double *t_out[AX_TTFS_MAX_LAYERS];  /* (B, n_out) */
    double *dt_out[AX_TTFS_MAX_LAYERS]; /* (B, n_out) dL/dT */
    double *dt_in[AX_TTFS_MAX_LAYERS];  /* (B, n_in) */
    ax_ttfs_work *work;
    /* Produces every layer's spike times; default: ax_ttfs_software_forward
     * with this net as ctx (so a created net must not be copied). */
    struct ax_ttfs_backend backend;
    /* Threads over the batch: rows are split evenly; thread t > 0 has its own
     * workspace and gradient buffers, summed in thread order, so a run is
     * reproducible for a given thread count. The software forward pass and
     * the backward pass (whatever the backend) use them. */
    int n_threads;
    ax_ttfs_work *twork[AX_TTFS_MAX_THREADS];
    double *tgrads[AX_TTFS_MAX_THREADS];  /* (n_params) */
    double *tddelay[AX_TTFS_MAX_THREADS]; /* (sum of d_count) dL/d(delay value) */
    /* The chip's constraints (ax_ttfs_net_constrain; NULL pointers: none).
     * The forward and backward passes use wq and dq, the quantised copies of
     * the weights and delay values (refreshed by every forward pass); the
     * gradients go to params (straight-through). */
    struct ax_ttfs_constraints constraints;
    double *wq;              /* (n_params): quantised weights at w_off[l] */
    double *dq;              /* (sum of d_count): quantised delay values, layer after layer */
    double *die;             /* (n_params) or NULL: effective-weight factor of each synapse */
    double *weff;            /* (largest layer's weights) scratch of the constrained forward */
    struct ax_rng noise_rng; /* the jitter's trials */
};

int ax_ttfs_net_create(struct ax_ttfs_net *net, const struct ax_ttfs_config *cfg, int max_batch);
void ax_ttfs_net_free(struct ax_ttfs_net *net);
/* Splits the software forward pass and the backward pass over n threads
 * (1..AX_TTFS_MAX_THREADS). */
int ax_ttfs_net_set_threads(struct ax_ttfs_net *net, int n);
void ax_ttfs_net_init(struct ax_ttfs_net *net, const struct ax_ttfs_config *cfg,
                      struct ax_rng *rng);
/* Maps the delay parameters to delay values (call after every update). */
void ax_ttfs_net_map_delays(struct ax_ttfs_net *net);
/* x: (B, n_features) input spike times; the backend fills t_out of every
 * layer, then t_in of the later layers are derived from them. */
int ax_ttfs_net_forward(struct ax_ttfs_net *net, const double *x, int B);
/* The software backend's forward hook: the exact math (ax_ttfs_stack_forward)
 * on the net's threads and workspaces. ctx: the struct ax_ttfs_net; s may be
 * another view (e.g. a wrapper's) whose layers are no larger than the net's. */
int ax_ttfs_software_forward(void *ctx, const struct ax_ttfs_stack *s, int B);
/* Applies constraints c to a created net (before init): quantised
 * parameters, the die's factors drawn from c->die_seed, and the constrained
 * forward backend when c needs it. Nothing when no constraint is on. */
int ax_ttfs_net_constrain(struct ax_ttfs_net *net, const struct ax_ttfs_constraints *c);
/* Refreshes wq and dq from the parameters (ax_ttfs_net_forward calls it). */
void ax_ttfs_net_quantise(struct ax_ttfs_net *net);
/* Keeps every float weight within half a step of the largest chip weight, so
 * the straight-through gradient cannot push it where it has no effect. */
void ax_ttfs_net_clamp_weights(struct ax_ttfs_net *net);
/* Restarts the jitter's random numbers (per epoch and per evaluation, so
 * results do not depend on what ran before). */
void ax_ttfs_net_noise_seed(struct ax_ttfs_net *net, uint64_t seed);
void ax_ttfs_net_zero_grad(struct ax_ttfs_net *net);
/* Sets the bias column of every layer outside net->bias_layers to 0 in x
 * (params or grads: the same layout), so that layer has no bias. */
void ax_ttfs_net_bias_off(const struct ax_ttfs_net *net, double *x);
/* Back-propagates net->dt_out[last] (set by a loss) into net->grads. */
int ax_ttfs_net_backward(struct ax_ttfs_net *net, int B);
/* Output spike times of the last forward pass: (B, n_classes). */
const double *ax_ttfs_net_output(const struct ax_ttfs_net *net);

/* ---------------------------------------------------------------------------
 * Training */

struct ax_ttfs_epoch_stats {
    int epoch; /* 1-based, after the epoch */
    double loss, train_accuracy, val_accuracy, samples_per_s, seconds;
    int bumps; /* steps skipped for weight bumping */
    int bumps_by_layer[AX_TTFS_MAX_LAYERS];
};

typedef void (*ax_ttfs_progress_fn)(void *ctx, int done, int total);

struct ax_ttfs_trainer {
    struct ax_ttfs_config cfg;
    struct ax_ttfs_net net;
    const struct ax_ttfs_dataset *train, *val;
    struct ax_rng rng;
    int epoch;      /* epochs completed */
    uint64_t step;  /* Adam steps taken */
    double bump;    /* current weight bump value */
    int bump_layer; /* layer bumped last step, -1 if none */
    int *order;     /* (n_train) sample order of the epoch */
    double *xbatch; /* (batch, n_features) */
    double *xshift; /* (n_features) scratch of the shift augmentation */
    int *ybatch;    /* (batch) */
    double *dloss;  /* (batch, n_classes) */
    /* learning-curve history, one entry per completed epoch */
    double *hist_loss, *hist_train, *hist_val;
    /* the parameters after the epoch with the best validation accuracy
     * (hist_val[best_epoch - 1], the latest among equals); best_epoch 0: none yet */
    double *best_params; /* (n_params) */
    int best_epoch;
};

int ax_ttfs_trainer_create(struct ax_ttfs_trainer *tr, const struct ax_ttfs_config *cfg,
                           const struct ax_ttfs_dataset *train, const struct ax_ttfs_dataset *val);
void ax_ttfs_trainer_free(struct ax_ttfs_trainer *tr);
/* Replaces the forward backend (default: the exact software math). */
void ax_ttfs_trainer_set_backend(struct ax_ttfs_trainer *tr, const struct ax_ttfs_backend *b);
/* Starts from the parameters of an exported network (ax_ttfs_export_save;
 * `axon train --init-from`) instead of the config's initialisation: its
 * network (sizes, bias and its layers, tau_ratio, threshold, delays) must be
 * tr's; the optimiser starts afresh at epoch 0. AX_E_INVAL naming the first
 * difference otherwise (tr unchanged). */
int ax_ttfs_trainer_init_from(struct ax_ttfs_trainer *tr, const char *path);
int ax_ttfs_trainer_epoch(struct ax_ttfs_trainer *tr, struct ax_ttfs_epoch_stats *st,
                          ax_ttfs_progress_fn progress, void *progress_ctx);
/* Loads the parameters cfg.select asks for into the net and returns the
 * epoch they come from (the last epoch when nothing better was recorded). */
int ax_ttfs_trainer_select(struct ax_ttfs_trainer *tr);
/* Fraction of ds classified correctly (earliest output spike == label). */
int ax_ttfs_evaluate(struct ax_ttfs_net *net, const struct ax_ttfs_dataset *ds, int batch,
                     double *accuracy);
/* Class of each of n inputs x (n, n_features); -1 where no output spiked. */
int ax_ttfs_predict(struct ax_ttfs_net *net, const double *x, int n, int batch, int *classes);

/* Checkpoints: "AXTTFSCK", version, config hash, seed, state, parameters, Adam
 * moments, history; SHA-256 of everything before it at the end. Errors are
 * negative ax_status codes with "path: ..." in ax_error_detail() ("path: bad
 * checkpoint: reason" for a file that does not fit the trainer). */
/* Version 3 adds the board the forward pass ran on (die seed, calibration id,
 * model and protocol versions, mapping id); versions 2 and 3 load. Loading
 * refuses a checkpoint of another network (config hash, seed, sizes) and one
 * made on another die or mapping than the trainer's backend; one made with
 * another calibration of the same die loads. */
#define AX_TTFS_CHECKPOINT_VERSION 3
#define AX_TTFS_CALIB_ID_LEN       16
int ax_ttfs_checkpoint_save(const struct ax_ttfs_trainer *tr, const char *path);
int ax_ttfs_checkpoint_load(struct ax_ttfs_trainer *tr, const char *path);
/* A checkpoint's header, checked (checksum included) but not compared with
 * any trainer: a front end refuses a wrong one before it opens a board. */
struct ax_ttfs_checkpoint_info {
    uint32_t version, epoch;
    uint64_t config_hash, seed;
    int n_layers;
    int sizes[AX_TTFS_MAX_LAYERS + 1];
    bool on_chip; /* version 3, made with a chip backend: the fields below */
    uint64_t die_seed;
    char calibration_id[AX_TTFS_CALIB_ID_LEN + 1];
    int model_version, protocol_major, protocol_minor;
    uint64_t mapping_id;
};
int ax_ttfs_checkpoint_info(const char *path, struct ax_ttfs_checkpoint_info *info);

/* Exports: a trained network for evaluation on any board, "AXTTFSNT"
 * version 1 (docs/training.md): the config's text (network, time constants,
 * the [chip] operating point), seed, the epoch and test accuracy of the
 * parameters, the git revision, the board they were trained on (as in
 * checkpoints), the parameters (weights and delay parameters in the net's
 * layout); SHA-256 at the end, written atomically. */
#define AX_TTFS_EXPORT_VERSION 1
struct ax_ttfs_export {
    char *config_text;
    uint64_t seed;
    uint32_t epoch;
    double test_accuracy;
    char revision[64];
    struct ax_ttfs_checkpoint_info board; /* on_chip, die_seed, ... mapping_id */
    uint64_t n_params;
    double *params;
};
int ax_ttfs_export_save(const struct ax_ttfs_trainer *tr, const char *config_text, int epoch,
                        double test_accuracy, const char *revision, const char *path);
int ax_ttfs_export_load(struct ax_ttfs_export *e, const char *path);
void ax_ttfs_export_free(struct ax_ttfs_export *e);
/* A config from text (an export's); name is used in messages. */
int ax_ttfs_config_load_string(struct ax_ttfs_config *cfg, const char *text, const char *name);

/* ---------------------------------------------------------------------------
 * Provenance and metrics (JSON lines; times in tau_s) */
/* The data folder: cli_dir (--data) if given, else $AXON_DATA_DIR, else
 * ../shared/data beside the checkout; AX_E_NOTFOUND with where it looked in
 * ax_error_detail(). */
int ax_ttfs_find_data_dir(const char *cli_dir, char *out, size_t n);
/* backend: the forward pass's (NULL: the software backend). */
void ax_ttfs_metrics_provenance(FILE *f, const struct ax_ttfs_config *cfg, const char *config,
                                const struct ax_ttfs_backend *backend, int resumed_epoch);
void ax_ttfs_metrics_epoch(FILE *f, const struct ax_ttfs_epoch_stats *st);
/* The test result: test_accuracy of the selected parameters (from epoch
 * selected_epoch), test_accuracy_last of the last epoch's; seconds: wall time
 * of the epoch loop; cpu_seconds: CPU time of the process. */
struct ax_ttfs_final {
    int epochs, selected_epoch;
    double test_accuracy, test_accuracy_last, seconds, cpu_seconds;
};
void ax_ttfs_metrics_final(FILE *f, const struct ax_ttfs_final *r);

/* ---------------------------------------------------------------------------
 * Plots (PNG, axon/plot.h) */
/* Loss and accuracy curves over n epochs. */
int ax_ttfs_plot_curves(const char *path, const double *loss, const double *train_acc,
                        const double *val_acc, int n);
/* Yin-Yang decision map: the predicted class over the unit square, with the
 * samples of ds drawn on top. */
int ax_ttfs_plot_yinyang(const char *path, struct ax_ttfs_net *net,
                         const struct ax_ttfs_config *cfg, const struct ax_ttfs_dataset *ds);
/* The same from grid x grid points (1..240; the plot above: 240), each a
 * forward pass of the net's backend (a chip answers them). */
int ax_ttfs_plot_yinyang_grid(const char *path, struct ax_ttfs_net *net,
                              const struct ax_ttfs_config *cfg, const struct ax_ttfs_dataset *ds,
                              int grid);

#ifdef __cplusplus
}
#endif
#endif
