/* Provenance: what every metrics file, checkpoint and calibration result
 * records about where it came from, written as one JSON object. */
#ifndef AXON_PROVENANCE_H
#define AXON_PROVENANCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The project's git revision at build time ("-dirty" if there were
 * uncommitted changes, "unknown" outside a checkout). */
AX_API const char *ax_git_revision(void);
/* The checkout the program was built from (configs and ../shared/data are
 * found beside it). */
AX_API const char *ax_source_dir(void);

/* Fields that are unknown are written as JSON null: NULL strings, has_*
 * false, negative versions. */
struct ax_provenance {
    const char *format;   /* of the file, e.g. "axon-ttfs-metrics" */
    int version;          /* of that format */
    const char *config;   /* config name or path */
    bool has_config_hash; /* config_hash: FNV-1a of the config's bytes */
    uint64_t config_hash; /* written as 16 hex digits */
    bool has_seed;        /* the run's seed */
    uint64_t seed;
    const char *backend; /* "software" or the device URI */
    bool has_die_seed;   /* the chip's die seed */
    uint64_t die_seed;
    const char *calibration_id; /* of the calibration applied */
    int model_version;          /* of the chip (model) */
    int protocol_major, protocol_minor;
};

/* Everything unknown; format and version set. */
AX_API void ax_provenance_init(struct ax_provenance *p, const char *format, int version);
/* Writes "provenance":{...} (no enclosing braces) with the fields above, the
 * git revision, and then extra_json (members without braces, e.g.
 * "\"time_unit\":\"tau_s\""; NULL for none). Returns 0 or AX_E_IO. */
AX_API int ax_provenance_write_json(FILE *f, const struct ax_provenance *p, const char *extra_json);
/* A JSON string literal with escapes; NULL writes null. */
AX_API void ax_json_write_string(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif
#endif
