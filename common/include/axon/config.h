/* axon configuration files: the project's one `key = value` format.
 *
 * Format (an INI/TOML subset), one item per line:
 *   # comment                      (anywhere after a value too, outside strings)
 *   [section]                      (keys before the first section are in section "")
 *   key = 42                       integer (decimal, optional sign)
 *   key = -1.5e-3                  float (any strtod number; inf/nan are rejected)
 *   key = true | false             boolean
 *   key = "text"                   string (escapes \" \\ \n \t)
 *   key = [0.3, 0.0]               list of integers/floats/booleans/strings, on one line
 * Keys and section names are [A-Za-z0-9_.-]+. A key may appear once per section,
 * a section once per file.
 *
 * Reading is schema-driven: the caller asks for each key it knows with a typed
 * getter, then calls ax_config_check_unknown(), which fails on the first key
 * nobody asked for. Every error is one line "file:line: message" available from
 * ax_config_error(). Getters return 0, AX_E_NOTFOUND when the key is absent (the
 * output is left untouched, so preset defaults survive), or AX_E_FORMAT /
 * AX_E_RANGE for a value of the wrong type or out of range. */
#ifndef AXON_CONFIG_H
#define AXON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ax_config ax_config;

/* The largest config file read (1 MiB): a path naming an endless source is
 * refused with AX_E_RANGE instead of filling memory. */
#define AX_CONFIG_MAX_BYTES (1u << 20)

/* Parse a file or a string (`name` is used in messages). On failure *out is
 * NULL and ax_error_detail() holds the "file:line: message" text. */
AX_API int ax_config_load_file(ax_config **out, const char *path);
AX_API int ax_config_load_string(ax_config **out, const char *text, const char *name);
AX_API void ax_config_free(ax_config *cfg);

/* The last error message of a getter or of ax_config_check_unknown() (the
 * same text they also leave in ax_error_detail()). */
AX_API const char *ax_config_error(const ax_config *cfg);
/* The name given at load time (the path for files). */
AX_API const char *ax_config_name(const ax_config *cfg);

/* True if section.key is present (marks it as known). */
AX_API bool ax_config_has(ax_config *cfg, const char *section, const char *key);

AX_API int ax_config_get_int(ax_config *cfg, const char *section, const char *key, long long min,
                             long long max, long long *out);
/* Integers are accepted where a float is asked for. */
AX_API int ax_config_get_double(ax_config *cfg, const char *section, const char *key, double min,
                                double max, double *out);
AX_API int ax_config_get_bool(ax_config *cfg, const char *section, const char *key, bool *out);
/* *out points into the config (valid until ax_config_free). */
AX_API int ax_config_get_string(ax_config *cfg, const char *section, const char *key,
                                const char **out);
/* One of `choices` (NULL-terminated); *out is its index. */
AX_API int ax_config_get_choice(ax_config *cfg, const char *section, const char *key,
                                const char *const *choices, int *out);
/* A list of numbers with min_n..max_n entries, each within [min, max]; a single
 * scalar counts as a list of one. *n receives the count. */
AX_API int ax_config_get_double_list(ax_config *cfg, const char *section, const char *key,
                                     double min, double max, size_t min_n, size_t max_n,
                                     double *out, size_t *n);
AX_API int ax_config_get_int_list(ax_config *cfg, const char *section, const char *key,
                                  long long min, long long max, size_t min_n, size_t max_n,
                                  long long *out, size_t *n);

/* Fails (AX_E_FORMAT) on the first key or section no getter asked for. */
AX_API int ax_config_check_unknown(ax_config *cfg);

/* FNV-1a 64-bit hash of the file's bytes: identifies a config in provenance records. */
AX_API unsigned long long ax_config_hash(const ax_config *cfg);

#ifdef __cplusplus
}
#endif
#endif
