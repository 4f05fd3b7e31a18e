/* axon status codes: every library call returns 0 or a negative ax_status. */
#ifndef AXON_STATUS_H
#define AXON_STATUS_H

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ax_status {
    AX_OK = 0,
    AX_E_INVAL = -1,        /* invalid argument */
    AX_E_NOMEM = -2,        /* out of memory */
    AX_E_IO = -3,           /* input/output error (transport, file) */
    AX_E_TIMEOUT = -4,      /* operation timed out */
    AX_E_NODEV = -5,        /* no such device */
    AX_E_BUSY = -6,         /* resource busy (second client, full buffer) */
    AX_E_CRC = -7,          /* checksum mismatch */
    AX_E_PROTO = -8,        /* protocol violation by the peer */
    AX_E_VERSION = -9,      /* incompatible protocol, model or file version */
    AX_E_RANGE = -10,       /* value out of range */
    AX_E_OVERFLOW = -11,    /* a buffer overflowed, data was lost */
    AX_E_UNSUPPORTED = -12, /* operation not supported by this device or build */
    AX_E_TRUNC = -13,       /* input truncated */
    AX_E_FORMAT = -14,      /* malformed input (file, config, frame) */
    AX_E_NOTFOUND = -15,    /* file, key or entry not found */
    AX_E_LINK = -16,        /* the reliable link could not recover */
    AX_E_STATE = -17,       /* call not valid in the current state */
    AX_E_REMOTE = -18,      /* the board reported an error */
    AX_E_DISCONNECTED = -19 /* the device went away */
} ax_status;

/* A short, static, English text for a status code (never NULL). */
AX_API const char *ax_strerror(int status);

/* Error detail: every axon library reports an error as a negative ax_status
 * and, in this thread, a one-line text naming the problem ("file:line: ...",
 * "the board did not answer for 20000 us", ...). The text of the last error
 * this thread got from any axon library ("" when there is none). */
AX_API const char *ax_error_detail(void);
/* Clears this thread's error detail (an operation that starts afresh). */
AX_API void ax_error_clear(void);

/* For libraries built on axon: sets this thread's error detail (printf
 * format; fmt may print the current ax_error_detail()) and returns status. */
AX_API int ax_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Counts ax_fail calls in this thread: take it before a call, compare after
 * to tell whether the callee set a detail of its own. */
AX_API unsigned ax_detail_gen(void);
/* After a call that failed with status: "what: <the callee's detail>" when
 * the callee set one since gen, else "what: <ax_strerror(status)>". Returns
 * status. */
AX_API int ax_fail_wrap(int status, unsigned gen, const char *what);

#ifdef __cplusplus
}
#endif
#endif
