/* Device URIs: "scheme:path?key=value&key=value" (docs/driver.md). */
#ifndef AX_CORE_URI_H
#define AX_CORE_URI_H

#include <stdbool.h>
#include <stdint.h>

#define AX_URI_MAX_OPTS 16

typedef struct ax_uri {
    char scheme[16];
    char path[256];
    unsigned nopts;
    struct {
        char key[32];
        char value[96];
    } opt[AX_URI_MAX_OPTS];
} ax_uri;

/* Parses s into u. AX_E_INVAL when there is no "scheme:", a part is too long,
 * or an option is repeated or has an empty value (those two set the detail). */
int ax_uri_parse(const char *s, ax_uri *u);
/* The value of key, or NULL. */
const char *ax_uri_get(const ax_uri *u, const char *key);
/* Typed getters: AX_OK and *v set (unchanged when the key is absent), or
 * AX_E_INVAL when the value does not parse or lies outside [lo, hi]. Integers
 * are decimal or 0x hex (a leading 0 is not octal). */
int ax_uri_get_u64(const ax_uri *u, const char *key, uint64_t lo, uint64_t hi, uint64_t *v);
int ax_uri_get_double(const ax_uri *u, const char *key, double lo, double hi, double *v);
/* AX_E_INVAL if an option is not in the NULL-terminated list allowed. */
int ax_uri_check_keys(const ax_uri *u, const char *const *allowed);

#endif
