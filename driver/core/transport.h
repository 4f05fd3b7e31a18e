/* Transports: the one contract between libaxon's core and a way of moving
 * bytes to a board (the simulated board in-process, a socket to axon-board,
 * libusb for the USB3 bridge, libftdi for the USB2 bridge, the fault
 * injector that wraps any of them).
 *
 * A transport moves bytes and nothing else: it knows no frames, no
 * sequence numbers and no retries. The core (link.c) owns timeouts, retries
 * and every blocking wait; a transport only offers "write these bytes" and
 * "read what has arrived, waiting at most this long".
 *
 * Each transport is one file of static functions and one `static const`
 * ax_transport_ops table with designated initialisers. Its private state
 * lives in the same allocation as the ax_transport, behind
 * ax_transport_priv(); no core structure names a transport's fields.
 */
#ifndef AX_CORE_TRANSPORT_H
#define AX_CORE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "axon/axon.h"
#include "axon/stream.h"
#include "uri.h"

typedef struct ax_transport ax_transport;

typedef struct ax_transport_ops {
    const char *scheme;  /* URI scheme without the colon, e.g. "sim" */
    const char *help;    /* one line: the URI form and its options */
    size_t priv_size;    /* bytes of private state ax_transport_priv() returns */
    uint32_t timeout_us; /* the core's resend timeout for this transport (device time) */

    /* Connects to the device the URI names. priv is zeroed. Returns AX_OK,
     * AX_E_NODEV (no such device), AX_E_BUSY (in use by another client),
     * AX_E_INVAL (bad option), AX_E_UNSUPPORTED (not built in) or AX_E_IO.
     * On failure it has released everything it took; close is not called.
     * Required. */
    int (*open)(ax_transport *t, const ax_uri *uri);

    /* Releases everything open took: cancels transfers in flight, joins
     * threads, closes handles. Never fails, never blocks for long.
     * Required. */
    void (*close)(ax_transport *t);

    /* Hands len bytes to the device. Either all of them are accepted
     * (returns AX_OK) or the transport failed (negative status: AX_E_IO,
     * AX_E_DISCONNECTED, AX_E_TIMEOUT if the device took nothing for a long
     * time). Bytes may still be in flight when it returns. Required. */
    int (*write)(ax_transport *t, const uint8_t *data, size_t len);

    /* Copies up to cap bytes that have arrived from the device into buf.
     * Waits at most timeout_us for the first byte; the time is counted in
     * the device's clock: wall time for hardware and sockets, model time for
     * the in-process simulated board (which is stepped, never slept on).
     * Returns the number of bytes (0 on timeout) or a negative status
     * (AX_E_IO, AX_E_DISCONNECTED). Required. */
    int (*read)(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us);

    /* Drops bytes buffered in either direction inside the transport and the
     * bridge (a flush before HELLO). Optional: NULL means nothing to flush. */
    int (*reset)(ax_transport *t);

    /* Device time in microseconds, for the core's deadlines: model time for
     * the simulated board, a monotonic wall clock otherwise. Optional: NULL
     * means the core uses CLOCK_MONOTONIC. */
    uint64_t (*now_us)(ax_transport *t);

    /* The board's own clock in microseconds, for the run deadline: the time
     * the board has lived through. It differs from now_us when a simulated
     * board is reached through a transport whose waits are wall time
     * (socket: to axon-board serving sim:, which stamps the model time on
     * what it relays). Optional: NULL means now_us. */
    uint64_t (*board_us)(ax_transport *t);

    /* Discovery: calls found(ctx, uri, description) once per device this
     * transport can reach right now. Optional: NULL lists nothing. */
    void (*list)(void (*found)(void *ctx, const char *uri, const char *desc), void *ctx);
} ax_transport_ops;

struct ax_transport {
    const ax_transport_ops *ops;
    uint32_t timeout_us; /* resend timeout; ops->timeout_us unless a wrapper sets it */
    /* private area of ops->priv_size bytes follows, max-aligned */
};

/* Allocates a transport with its zeroed private area. */
ax_transport *ax_transport_alloc(const ax_transport_ops *ops);
void ax_transport_free(ax_transport *t);
void *ax_transport_priv(ax_transport *t);

/* Looks up the scheme, allocates and opens. Returns AX_E_NODEV with an
 * unknown scheme. */
int ax_transport_open(const ax_uri *uri, ax_transport **out);
/* Closes and frees (NULL is fine). */
void ax_transport_close(ax_transport *t);
/* Monotonic time in the transport's clock (microseconds). */
uint64_t ax_transport_now_us(ax_transport *t);
/* The board's clock (microseconds): board_us, else now_us. */
uint64_t ax_transport_board_us(ax_transport *t);

/* The built-in transports (NULL entries are compiled out). */
extern const ax_transport_ops ax_tr_sim_ops;
extern const ax_transport_ops ax_tr_socket_ops;
extern const ax_transport_ops ax_tr_usb_ops;
extern const ax_transport_ops ax_tr_ftdi_ops;

/* Table of the transports compiled in, NULL terminated. */
extern const ax_transport_ops *const ax_transports[];

/* ---- fault injection (tr_fault.c) ---------------------------------------- */
/* Wraps inner (taking ownership) in a transport that corrupts the byte
 * stream in both directions, frame by frame, from a seeded generator. */
typedef struct ax_fault_config {
    uint64_t seed;
    double p_flip;             /* per frame: flip one to three random bits */
    double p_drop;             /* per frame: drop it */
    double p_dup;              /* per frame: deliver it twice */
    double p_trunc;            /* per frame: cut it short */
    double p_reorder;          /* per frame: swap with the next frame */
    uint64_t disconnect_after; /* frames; 0 never */
} ax_fault_config;

typedef struct ax_fault_counts {
    uint64_t frames, flips, drops, dups, truncs, reorders, disconnects;
} ax_fault_counts;

int ax_fault_wrap(ax_transport *inner, const ax_fault_config *cfg, ax_transport **out);
void ax_fault_get_counts(ax_transport *t, ax_fault_counts *c);
uint64_t ax_fault_total(const ax_fault_counts *c);

#endif
