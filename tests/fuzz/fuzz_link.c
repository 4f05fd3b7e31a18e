/* Fuzz target: libaxon's receive path. A device whose transport returns the
 * fuzz input as the board's bytes (in chunks) runs a program with reads; the
 * link must end with success or an error (never hang, never crash), and a
 * successful run must have every ticket filled. Device time advances 1 ms
 * a read so timeouts expire at once. */
#include <stdlib.h>
#include <string.h>

#include "axon/program.h"
#include "device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct script {
    const uint8_t *data;
    size_t size, off;
    uint64_t now;
} script;

static script *S(ax_transport *t)
{
    return ax_transport_priv(t);
}

static int s_open(ax_transport *t, const ax_uri *u)
{
    (void)t, (void)u;
    return AX_E_UNSUPPORTED;
}
static void s_close(ax_transport *t)
{
    (void)t;
}
static int s_write(ax_transport *t, const uint8_t *d, size_t n)
{
    (void)t, (void)d, (void)n;
    return AX_OK;
}
static int s_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    script *s = S(t);
    s->now += timeout_us ? 1000 : 1;
    if (s->off == s->size)
        return 0;
    size_t n = (size_t)s->data[s->off] % 97 + 1;
    if (n > s->size - s->off)
        n = s->size - s->off;
    if (n > cap)
        n = cap;
    memcpy(buf, s->data + s->off, n);
    s->off += n;
    return (int)n;
}
static uint64_t s_now(ax_transport *t)
{
    return S(t)->now;
}

static const ax_transport_ops script_ops = {
    .scheme = "script",
    .help = "fuzz",
    .priv_size = sizeof(script),
    .timeout_us = 100,
    .open = s_open,
    .close = s_close,
    .write = s_write,
    .read = s_read,
    .now_us = s_now,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ax_transport *t = ax_transport_alloc(&script_ops);
    ax_device *d = calloc(1, sizeof *d);
    ax_program *p = NULL;
    if (!t || !d || ax_program_new(&p) < 0)
        abort();
    *S(t) = (script){data, size, 0, 0};
    ax_link_init(&d->link, t);
    d->link.sink = ax_device_sink;
    d->link.sink_ctx = d;
    d->link.retries = 4;
    d->link.board_free = d->link.playback_words = AX_PLAYBACK_WORDS;
    ax_program_read(p, AX_REG_SCRATCH, 1);
    ax_program_read(p, AX_REG_PROTOCOL, 8);
    ax_program_wait_until(p, 100);
    ax_result r;
    ax_result_init(&r);
    if (ax_run(d, p, &r) == AX_OK)
        for (size_t i = 0; i < r.ntickets; i++)
            if (!r.tickets[i].filled)
                abort();
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
    return 0;
}
