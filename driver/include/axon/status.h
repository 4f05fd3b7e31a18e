/* axon status codes: every library call returns 0 or a negative ax_status. */
#ifndef AXON_STATUS_H
#define AXON_STATUS_H

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
const char *ax_strerror(int status);

#ifdef __cplusplus
}
#endif
#endif
