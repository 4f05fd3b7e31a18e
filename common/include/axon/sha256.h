/* SHA-256 (FIPS 180-4): checks data set files against their published sums
 * and protects checkpoints and calibration files. */
#ifndef AXON_SHA256_H
#define AXON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SHA-256 of a buffer into out (32 bytes) and as 64 hex characters + NUL. */
AX_API void ax_sha256(const void *data, size_t n, uint8_t out[32]);
AX_API void ax_sha256_hex(const void *data, size_t n, char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
