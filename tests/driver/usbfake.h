/* usbfake: a fake USB bridge in a umockdev testbed, wired to the simulated
 * board, so that libaxon's usb: and ftdi: transports run through the real
 * libusb and libftdi code (tests only; docs/driver.md).
 *
 * usbfake_start() creates a UMockdevTestbed with one USB device (an FT2232H,
 * 0403:6010, an FT232H, 0403:6014, or an FT601-class bridge, 0403:601f) and
 * answers the usbdevfs
 * ioctls libusb issues on its device node: control requests (descriptors,
 * the FTDI vendor requests), bulk OUT URBs (pushed into an axsim board) and
 * bulk IN URBs (filled from it; the FTDI fake puts 2 modem-status bytes at the
 * start of every 512-byte packet). The board is stepped from the ioctl
 * handler: while an IN URB waits, every reap advances the model by a few
 * microseconds of chip time until bytes are readable, then on until the board
 * goes quiet. Faults on demand: unplug, a stalled board, a noisy wire, stalled
 * FT601 read requests; a second file's interface claim is refused (EBUSY).
 *
 * The process must run with libumockdev-preload.so (umockdev-wrapper); child
 * processes started afterwards reach the same fake device.
 */
#ifndef AX_TESTS_USBFAKE_H
#define AX_TESTS_USBFAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "axsim.h"

typedef enum usbfake_kind {
    USBFAKE_FT2232H = 0, /* 0403:6010, USB 2.0 high speed, 245 sync FIFO on interface A */
    USBFAKE_FT601 = 1,   /* 0403:601f, USB 3, read requests on EP 0x01, data EP 0x02/0x82 */
    USBFAKE_FT232H = 2   /* 0403:6014, USB 2.0 high speed, one interface (ftdi:'s default) */
} usbfake_kind;

typedef struct usbfake usbfake;

typedef struct usbfake_stats {
    uint64_t out_bytes;      /* bulk OUT payload handed to the board */
    uint64_t in_bytes;       /* bulk IN payload taken from the board */
    uint64_t in_urbs;        /* bulk IN URBs completed */
    uint64_t status_only;    /* FTDI: IN URBs completed with modem status only (latency timer) */
    uint64_t ctrl;           /* control transfers answered */
    uint64_t purges;         /* FTDI: SIO_RESET purge requests */
    uint64_t read_requests;  /* FT601: read requests on EP 0x01 */
    uint64_t bad_requests;   /* FT601: malformed read requests; FTDI: unknown vendor requests */
    uint64_t wrong_mode;     /* FTDI: OUT bytes sent while not in BITMODE_SYNCFF (dropped) */
    uint64_t cancelled;      /* URBs discarded by the host */
    uint64_t unknown_ioctls; /* usbdevfs ioctls the fake does not implement */
    uint64_t submits, reaps; /* SUBMITURB and REAPURB(NDELAY) ioctls */
    uint64_t handler_us;     /* wall time spent in the ioctl handler (board steps included) */
    unsigned in_flight;      /* URBs submitted and not yet reaped (by any client) */
    uint64_t dropped;        /* OUT bytes dropped while frozen */
    uint64_t flips;          /* bits flipped by usbfake_corrupt */
    uint64_t busy;           /* claims refused: the interface belonged to another file */
    unsigned bitmode;        /* FTDI: last SET_BITMODE mode (0 reset, 0x40 sync FIFO) */
    unsigned latency_ms;     /* FTDI: latency timer */
    unsigned claimed;        /* interfaces claimed now (bit mask) */
    bool unplugged;
} usbfake_stats;

/* Starts a testbed with one fake bridge of the given kind and serial number
 * in front of a new simulated board created with opt. Returns AX_OK or a
 * negative ax_status (AX_E_UNSUPPORTED when not running under the umockdev
 * preload). */
int usbfake_start(usbfake_kind kind, const axsim_options *opt, const char *serial, usbfake **out);

/* Unplugs the device when the host has sent more than this many bulk OUT
 * bytes in total (0: now): URBs in flight complete with -ENODEV, every later
 * ioctl fails with ENODEV, and the device leaves the testbed. */
void usbfake_unplug_after(usbfake *f, uint64_t out_bytes);

/* Unplugs the device at the first bulk IN reap after the host has received
 * at least this many bytes (the host waiting for data when it goes). */
void usbfake_unplug_after_in(usbfake *f, uint64_t in_bytes);

/* A stalled board behind a live bridge: while frozen, the board is not
 * stepped, bulk OUT bytes are dropped (counted in `dropped`) and nothing comes
 * in (the FTDI still answers reads with status bytes after its latency
 * timer; the FT601's IN transfers stay pending). */
void usbfake_freeze(usbfake *f, bool frozen);

/* A noisy wire: from now on each bulk data byte, OUT to the board or IN from
 * it (not the FTDI's status bytes), has one random bit flipped with
 * probability p (seeded; 0 turns it off). Counted in `flips`. */
void usbfake_corrupt(usbfake *f, uint64_t seed, double p);

/* FT601: the bridge answers read requests on EP 0x01 with a STALL (-EPIPE)
 * while on. */
void usbfake_stall_requests(usbfake *f, bool on);

void usbfake_get_stats(usbfake *f, usbfake_stats *s);

/* The simulated board's cycle count (for tests; the board is stepped only by
 * the handler). */
uint64_t usbfake_board_cycles(usbfake *f);

/* Removes the device and the testbed, destroys the board. */
void usbfake_stop(usbfake *f);

#endif
