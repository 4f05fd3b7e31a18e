/* axon calibration (libaxon_calib): turns targets (threshold, time constants,
 * input strength, ...) into per-neuron CapMem codes. Built on libaxon and
 * axon_common; knows nothing of training. See docs/calibration.md.
 *
 * Units at this interface: potentials in mV, times in microseconds of chip
 * time, input gains and codes as plain numbers. */
#ifndef AXON_CALIB_H
#define AXON_CALIB_H

#include <stdbool.h>
#include <stddef.h>
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

/* Targets, one per CapMem parameter (index enum ax_param): leak_mv, reset_mv,
 * threshold_mv, tau_m_us, tau_se_us, tau_si_us, psp_e, psp_i (the trainer's
 * normalised weight of one weight step: J / (tau_ratio * (threshold - leak)),
 * J the current jump of one step in mV, tau_ratio = tau_m / tau_se),
 * refractory_us. */
#define AX_CALIB_NAME_MAX 64
struct ax_calib_targets {
    char name[AX_CALIB_NAME_MAX];
    double value[AX_PARAM_COUNT];
    uint8_t sha256[32]; /* of the canonical text of the values: the cache key */
};
/* The parameter's key in target files and JSON ("leak_mv", ...). */
const char *ax_calib_param_key(unsigned p);
/* Reads a target file ([targets] section, every key required, unknown keys
 * rejected); errors "file:line: message" in ax_error_detail(). Checks the
 * range (ax_calib_targets_check). */
int ax_calib_targets_load(const char *path, struct ax_calib_targets *t);
/* Fills sha256 from the values (call after setting value[] by hand). */
void ax_calib_targets_hash(struct ax_calib_targets *t);
/* AX_E_RANGE with "leak_mv = 2000 is outside what every neuron reaches
 * (40 .. 940)" when a target is outside the range every die reaches. */
int ax_calib_targets_check(const struct ax_calib_targets *t);
/* The range of parameter p every neuron of every die reaches (docs/chip.md). */
void ax_calib_param_range(unsigned p, const struct ax_calib_targets *t, double *lo, double *hi);

/* Per-parameter statistics over the neurons that were not flagged. */
struct ax_calib_stat {
    double target, mean_before, std_before, mean_after, std_after;
};

/* A calibration: the codes for every neuron, keyed by the chip and targets. */
struct ax_calib_result {
    uint64_t die_seed;
    uint32_t chip_id, model_version;
    unsigned neurons;
    uint8_t targets_sha256[32];
    char id[17];      /* calibration id: 16 hex digits of the file's hash (set by
                         ax_calib_save and ax_calib_load; "" before) */
    uint16_t *codes;  /* neurons * AX_PARAM_COUNT: codes[n * AX_PARAM_COUNT + p] */
    uint32_t *flags;  /* per neuron: bit p set when parameter p missed its target */
    double *before;   /* measured values at the nominal codes (n * 9; NaN unknown) */
    double *after;    /* measured values at the calibrated codes */
    unsigned flagged; /* neurons with any flag */
    struct ax_calib_stat stat[AX_PARAM_COUNT];
    double seconds;  /* wall time of the calibration */
    uint64_t cycles; /* chip cycles its programs ran */
};
void ax_calib_result_free(struct ax_calib_result *r);
/* The reason neuron n was flagged ("" when it was not), static text. */
const char *ax_calib_flag_reason(const struct ax_calib_result *r, unsigned n);

/* progress(ctx, done, total) after each step; may be NULL. */
typedef void (*ax_calib_progress_fn)(void *ctx, double done, double total);

/* Runs the calibration on the open device (ADCs first, then the parameters
 * in the order of docs/calibration.md) and leaves the calibrated codes
 * applied. r is filled (free with ax_calib_result_free). */
int ax_calib_run(ax_device *d, const struct ax_calib_targets *t, ax_calib_progress_fn progress,
                 void *ctx, struct ax_calib_result *r);

/* Writes all codes of r to the chip in one program and waits for the
 * CapMem. AX_E_STATE when r belongs to another die, chip, model or size. */
int ax_calib_apply(ax_device *d, const struct ax_calib_result *r);

/* The results file (docs/calibration.md, "Formats"): magic "AXCALIB",
 * version, the key (die seed, chip id, model version, neurons, targets'
 * SHA-256), codes, flags, before/after values, statistics, and a SHA-256 of
 * all of it; the calibration id is the first 16 hex digits of that sum.
 * ax_calib_save writes through ax_outfile (never half a file) and sets r->id.
 * ax_calib_load checks everything: AX_E_TRUNC (short), AX_E_FORMAT (not a
 * calibration file, bad size or code), AX_E_VERSION, AX_E_CRC (damaged). */
#define AX_CALIB_FILE_VERSION 1
int ax_calib_save(const char *path, struct ax_calib_result *r);
int ax_calib_load(const char *path, struct ax_calib_result *r);
/* AX_OK when r belongs to this board (die, chip, model, size) and, when t is
 * not NULL, to these targets; else AX_E_STATE saying what differs. */
int ax_calib_matches(ax_device *d, const struct ax_calib_targets *t,
                     const struct ax_calib_result *r);

/* The cache folder: $AXON_CALIB_DIR, else $XDG_CACHE_HOME/axon/calib, else
 * ~/.cache/axon/calib; and the file in it for a board and targets. */
int ax_calib_cache_dir(char *buf, size_t n);
int ax_calib_cache_path(const ax_ident *id, const struct ax_calib_targets *t, char *buf, size_t n);

/* Saves r as the cache file of this board and targets (folders made). */
int ax_calib_cache_save(ax_device *d, const struct ax_calib_targets *t, struct ax_calib_result *r);

enum ax_calib_source {
    AX_CALIB_CACHED,     /* a valid matching cache file was applied */
    AX_CALIB_MEASURED,   /* no cache file: calibrated and saved */
    AX_CALIB_RECOMPUTED, /* the cache file was stale, foreign or damaged: recalibrated */
};
/* A valid cache file for this board and targets is applied; otherwise the
 * board is calibrated (ax_calib_run) and the result saved to the cache. */
int ax_calib_get(ax_device *d, const struct ax_calib_targets *t, ax_calib_progress_fn progress,
                 void *ctx, struct ax_calib_result *r, enum ax_calib_source *source);

#ifdef __cplusplus
}
#endif
#endif
