/* Raw byte streams (axon/stream.h): a transport opened by URI, without the link. */
#include <stdlib.h>
#include <string.h>

#include "axon/stream.h"
#include "device.h"

struct ax_stream {
    ax_transport *tr;
};

int ax_stream_open(const char *uri, ax_stream **out)
{
    *out = NULL;
    ax_uri u;
    if (ax_uri_parse(uri ? uri : AX_DEFAULT_URI, &u) < 0)
        return ax_fail(AX_E_INVAL, "'%s' is not a device URI (scheme:path?key=value&...)", uri);
    if (!strcmp(u.scheme, "socket"))
        return ax_fail(AX_E_INVAL, "'%s': a stream needs a board, not a socket to a board server",
                       uri);
    ax_stream *s = malloc(sizeof *s);
    if (!s)
        return ax_fail(AX_E_NOMEM, "out of memory");
    int r = ax_transport_open(&u, &s->tr);
    if (r < 0) {
        free(s);
        return r;
    }
    *out = s;
    return AX_OK;
}

void ax_stream_close(ax_stream *s)
{
    if (!s)
        return;
    ax_transport_close(s->tr);
    free(s);
}

int ax_stream_write(ax_stream *s, const void *data, size_t len)
{
    return s->tr->ops->write(s->tr, data, len);
}

int ax_stream_read(ax_stream *s, void *buf, size_t cap, uint32_t timeout_us)
{
    return s->tr->ops->read(s->tr, buf, cap, timeout_us);
}

uint64_t ax_stream_now_us(ax_stream *s)
{
    return ax_transport_now_us(s->tr);
}
