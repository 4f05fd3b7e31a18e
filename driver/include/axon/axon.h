/* libaxon: the user-space driver of the axon board (docs/driver.md).
 *
 * A device is opened by URI ("sim:", "socket:/tmp/axon.sock", "usb:",
 * "ftdi:0403:6014", see docs/driver.md); the library runs the reliable link
 * (docs/protocol.md section 2), identifies the board and refuses one of
 * another protocol major version. Every call returns AX_OK or a negative
 * ax_status; nothing here prints or exits. A device is used from one thread
 * at a time.
 */
#ifndef AXON_AXON_H
#define AXON_AXON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/codec.h"
#include "axon/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AX_DEFAULT_URI "sim:"

/* Board registers (docs/protocol.md section 6). */
enum ax_board_reg {
    AX_REG_PROTOCOL = 0x00,
    AX_REG_MODEL = 0x01,
    AX_REG_CHIP_ID = 0x02,
    AX_REG_DIE_SEED_LO = 0x03,
    AX_REG_DIE_SEED_HI = 0x04,
    AX_REG_RUN_SEED_LO = 0x05,
    AX_REG_RUN_SEED_HI = 0x06,
    AX_REG_GEOMETRY = 0x07,
    AX_REG_SYSTIME_LO = 0x08,
    AX_REG_SYSTIME_HI = 0x09,
    AX_REG_TIME_LO = 0x0A,
    AX_REG_TIME_HI = 0x0B,
    AX_REG_NOISE = 0x0C,
    AX_REG_SCRATCH = 0x0D,
    AX_REG_LINK_ERRORS = 0x0E,
    AX_REG_CHIP_RESET = 0x10,
};

typedef struct ax_device ax_device;

/* Opens the device uri names (NULL or "" means AX_DEFAULT_URI), resets its
 * link (HELLO) and reads its identification. Errors: AX_E_NODEV (unknown
 * scheme or no such device), AX_E_INVAL (bad URI option), AX_E_BUSY (the
 * board serves another client), AX_E_VERSION (another protocol major
 * version), AX_E_TIMEOUT / AX_E_LINK (no answer), AX_E_UNSUPPORTED (the
 * transport was not built in). ax_error_detail() then names the problem. */
AX_API int ax_open(const char *uri, ax_device **out);
AX_API void ax_close(ax_device *d);

/* The board's identification as read at open (or at the last ax_hello). */
AX_API const ax_ident *ax_device_ident(const ax_device *d);
/* The URI the device was opened with. */
AX_API const char *ax_device_uri(const ax_device *d);

/* Resets the link (HELLO): sequence numbers restart, buffers and a running
 * program on the board are dropped, the chip's state is kept. The way back
 * after AX_E_LINK. */
AX_API int ax_hello(ax_device *d);

/* Register access, each one small program on the board. A block access moves
 * n consecutive registers (any n; split into bursts). */
AX_API int ax_reg_read(ax_device *d, uint32_t addr, uint32_t *value);
AX_API int ax_reg_write(ax_device *d, uint32_t addr, uint32_t value);
AX_API int ax_reg_read_block(ax_device *d, uint32_t addr, uint32_t *values, size_t n);
AX_API int ax_reg_write_block(ax_device *d, uint32_t addr, const uint32_t *values, size_t n);

/* Writes CHIP_RESET: the chip returns to its power-on state. */
AX_API int ax_chip_reset(ax_device *d);

/* Link counters since open. */
typedef struct ax_link_stats {
    uint64_t cmd_frames;  /* CMD frames sent, resends included */
    uint64_t cmd_resent;  /* of those, resends */
    uint64_t data_frames; /* DATA frames accepted (in order, once) */
    uint64_t data_dups;   /* DATA frames dropped as duplicates */
    uint64_t data_gaps;   /* DATA frames dropped because one before was missing */
    uint64_t replays;     /* REPLAY frames sent */
    uint64_t nacks;       /* NACKs received */
    uint64_t timeouts;    /* silent waits past the timeout: each sends padding and a REPLAY
                             request, and resends unacknowledged CMD frames if any (a program
                             silent that long on a clean link counts too) */
    uint64_t bad_frames;  /* frames the parser dropped (CRC, header) */
    uint64_t hellos;      /* HELLOs sent */
} ax_link_stats;

AX_API void ax_link_get_stats(const ax_device *d, ax_link_stats *s);

/* Retry policy: a wait that sees no frame for timeout_us (device time: model
 * time on the simulated board) resends; after retries such rounds in a row
 * the operation fails with AX_E_TIMEOUT. 0 keeps the current value. */
AX_API void ax_link_set_timeout(ax_device *d, uint32_t timeout_us, unsigned retries);

/* Discovery: calls found once per device reachable now, with its URI and a
 * one-line description. Returns the number found or a negative status. */
AX_API int ax_list(void (*found)(void *ctx, const char *uri, const char *desc), void *ctx);

/* The URI forms the built-in transports accept, one per line. */
AX_API const char *ax_transport_help(void);

/* Experiment time units: 125 cycles per microsecond. */
#define AX_CYCLES_PER_US 125u

#ifdef __cplusplus
}
#endif
#endif
