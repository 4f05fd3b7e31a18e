/* Little-endian byte buffers for binary files (calibration results,
 * checkpoints, exported networks): a growing write buffer whose first
 * allocation failure is remembered, a reader that checks the length before
 * every field, and a whole-file read with a size limit. */
#ifndef AXON_BYTES_H
#define AXON_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-initialise; `failed` is set by the first allocation that fails, after
 * which every put is a no-op (one check at the end suffices). */
struct ax_wbuf {
    uint8_t *p;
    size_t n, cap;
    bool failed;
};
AX_API void ax_wbuf_put(struct ax_wbuf *b, const void *src, size_t n);
AX_API void ax_wbuf_u16(struct ax_wbuf *b, uint16_t v);
AX_API void ax_wbuf_u32(struct ax_wbuf *b, uint32_t v);
AX_API void ax_wbuf_u64(struct ax_wbuf *b, uint64_t v);
AX_API void ax_wbuf_f64s(struct ax_wbuf *b, const double *v, size_t n);
AX_API void ax_wbuf_free(struct ax_wbuf *b);

/* Reading p[off..n): every get returns AX_E_TRUNC (and leaves off and the
 * destination alone) when fewer bytes remain than it needs. */
struct ax_rbuf {
    const uint8_t *p;
    size_t n, off;
};
AX_API int ax_rbuf_get(struct ax_rbuf *r, void *dst, size_t n);
AX_API int ax_rbuf_u16(struct ax_rbuf *r, uint16_t *v);
AX_API int ax_rbuf_u32(struct ax_rbuf *r, uint32_t *v);
AX_API int ax_rbuf_u64(struct ax_rbuf *r, uint64_t *v);
AX_API int ax_rbuf_f64s(struct ax_rbuf *r, double *v, size_t n);

/* Reads the whole file at path into *data (free it), at most max bytes:
 * AX_E_RANGE past max, so a path naming an endless source (/dev/zero, a
 * pipe) cannot fill memory; AX_E_NOTFOUND, AX_E_IO, AX_E_NOMEM. Sets no
 * error detail: the caller names the file and what it should have been. */
AX_API int ax_read_file(const char *path, size_t max, uint8_t **data, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
