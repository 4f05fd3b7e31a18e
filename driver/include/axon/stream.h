/* Raw byte streams to a board: the transport without the reliable link, for
 * programs that relay the board's bytes (axon-board serves a board to a
 * socket with it). A stream moves bytes and nothing else; ax_open() is what
 * experiments use. */
#ifndef AXON_STREAM_H
#define AXON_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ax_stream ax_stream;

/* Opens the transport the URI names (any scheme but socket:). Errors as for
 * ax_open(), with ax_error_detail() naming the problem. */
AX_API int ax_stream_open(const char *uri, ax_stream **out);
/* Closes the transport (NULL is fine). */
AX_API void ax_stream_close(ax_stream *s);
/* Hands all len bytes to the board, or fails (AX_E_IO, AX_E_DISCONNECTED). */
AX_API int ax_stream_write(ax_stream *s, const void *data, size_t len);
/* Copies up to cap bytes that have arrived into buf, waiting at most
 * timeout_us of device time (model time for the simulated board, which this
 * call steps) for the first. Returns the count (0 on timeout) or a status. */
AX_API int ax_stream_read(ax_stream *s, void *buf, size_t cap, uint32_t timeout_us);
/* Brings the board's receiver back to hunting for a sync word, whatever a
 * previous user left half-sent (a frame's worth of zeros completes any
 * partial frame, which then fails its CRC), and discards what the board sends
 * meanwhile. For a relay, before it hands the board to a new client. */
AX_API int ax_stream_resync(ax_stream *s);
/* The device's time in microseconds (model time for the simulated board). */
AX_API uint64_t ax_stream_now_us(ax_stream *s);

/* axon-board's default Unix socket path (the socket: transport's default). */
AX_API const char *ax_socket_default_path(void);

/* Longest token axon-board and the socket: transport accept. */
#define AX_TOKEN_MAX 256
/* Reads the token in path (one line of printable characters, no spaces) into
 * buf (cap bytes, at least AX_TOKEN_MAX + 2 for the longest). The file must be
 * a regular file of the calling user that no one else can read or write:
 * AX_E_INVAL otherwise, AX_E_NOTFOUND, AX_E_FORMAT. */
AX_API int ax_socket_token_read(const char *path, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
