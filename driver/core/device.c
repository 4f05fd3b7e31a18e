/* Devices: open by URI, identify, close. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

/* HELLO, then decode and check the IDENT. */
static int identify(ax_device *d)
{
    int r = ax_link_hello(&d->link);
    if (r < 0)
        return r;
    const ax_frame *f = &d->link.ident_frame;
    r = ax_ident_decode(f->payload, f->len, &d->ident);
    if (r < 0)
        return ax_fail(AX_E_PROTO, "the board's IDENT is malformed (%u words)", f->len);
    unsigned major = d->ident.protocol_version >> 16;
    if (major != AX_PROTOCOL_MAJOR)
        return ax_fail(AX_E_VERSION, "the board speaks protocol %u.%u, this libaxon %u.%u", major,
                       d->ident.protocol_version & 0xFFFFu, AX_PROTOCOL_MAJOR, AX_PROTOCOL_MINOR);
    ax_record_decoder_init(&d->rec);
    d->link.board_free = d->link.playback_words = d->ident.playback_words;
    return AX_OK;
}

int ax_device_open_transport(ax_transport *tr, const char *uri, ax_device **out)
{
    ax_device *d = calloc(1, sizeof *d);
    if (!d) {
        ax_transport_close(tr);
        return ax_fail(AX_E_NOMEM, "out of memory");
    }
    snprintf(d->uri, sizeof d->uri, "%s", uri);
    ax_link_init(&d->link, tr);
    d->link.sink = ax_device_sink;
    d->link.sink_ctx = d;
    int r = identify(d);
    if (r < 0) {
        ax_close(d);
        return r;
    }
    *out = d;
    return AX_OK;
}

int ax_open(const char *uri, ax_device **out)
{
    if (!out)
        return AX_E_INVAL;
    *out = NULL;
    ax_error_clear();
    if (!uri)
        uri = AX_DEFAULT_URI;
    if (!*uri)
        return ax_fail(AX_E_INVAL, "empty device URI (the simulated board is sim:)");
    ax_uri u;
    unsigned gen = ax_detail_gen();
    if (ax_uri_parse(uri, &u) < 0)
        return ax_detail_gen() != gen
                   ? ax_fail_wrap(AX_E_INVAL, gen, uri)
                   : ax_fail(AX_E_NODEV, "'%s' is not a device URI (scheme:path?key=value&...)",
                             uri);
    ax_transport *tr;
    int r = ax_transport_open(&u, &tr);
    if (r < 0)
        return r;
    return ax_device_open_transport(tr, uri, out);
}

void ax_close(ax_device *d)
{
    if (!d)
        return;
    ax_transport_close(d->link.tr);
    free(d);
}

const ax_ident *ax_device_ident(const ax_device *d)
{
    return &d->ident;
}

const char *ax_device_uri(const ax_device *d)
{
    return d->uri;
}

int ax_hello(ax_device *d)
{
    return identify(d);
}

void ax_link_get_stats(const ax_device *d, ax_link_stats *s)
{
    *s = d->link.st;
}

void ax_link_set_timeout(ax_device *d, uint32_t timeout_us, unsigned retries)
{
    if (timeout_us)
        d->link.timeout_us = timeout_us;
    if (retries)
        d->link.retries = retries;
}
