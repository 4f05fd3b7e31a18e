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
    unsigned gen = ax_detail_gen();
    if (!uri)
        uri = AX_DEFAULT_URI;
    if (ax_uri_parse(uri, &u) < 0)
        return ax_detail_gen() != gen
                   ? ax_fail_wrap(AX_E_INVAL, gen, uri)
                   : ax_fail(AX_E_INVAL, "'%s' is not a device URI (scheme:path?key=value&...)",
                             uri);
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

int ax_stream_resync(ax_stream *s)
{
    static const uint8_t pad[AX_FRAME_MAX_BYTES];
    uint8_t junk[4096];
    int r = s->tr->ops->write(s->tr, pad, sizeof pad);
    for (int i = 0; r > 0 || (r == 0 && i == 0); i++) /* until quiet for 200 us */
        r = i < 256 ? s->tr->ops->read(s->tr, junk, sizeof junk, 200) : 0;
    if (r >= 0 && s->tr->ops->reset)
        r = s->tr->ops->reset(s->tr);
    return r < 0 ? r : AX_OK;
}

uint64_t ax_stream_now_us(ax_stream *s)
{
    return ax_transport_now_us(s->tr);
}
