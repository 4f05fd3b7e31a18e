/* bench-link-rtl: how fast the link part simulates and what a spike costs on the
 * wire. Runs the link with the stand-in chip (axsim_loopback: every INJECT
 * comes back as a spike), small size, USB3 and USB2. One JSON object a line:
 *   idle:   cycles/s with nothing to do
 *   stream: cycles/s while spikes stream to the host at a given rate, and
 *           link_bytes_per_spike (all board-to-host bytes / spikes recorded)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/clock.h"
#include "axon/codec.h"
#include "axsim.h"

typedef struct host {
    axsim_board *b;
    ax_frame_parser p;
    ax_frame f;
    uint16_t seq, expect, acked; /* acked: the board's next expected CMD seq */
    unsigned free_words;         /* playback words free, from the last ACK */
    uint64_t bytes_in, spikes;
} host;

static int send(host *h, uint8_t type, const uint32_t *pl, size_t n)
{
    static ax_frame f;
    static uint8_t buf[AX_FRAME_MAX_BYTES];
    memset(&f, 0, sizeof f);
    f.type = type;
    f.seq = type == AX_FT_CMD ? h->seq++ : 0;
    f.ack = h->expect;
    f.len = (uint16_t)n;
    memcpy(f.payload, pl, 4 * n);
    int k = ax_frame_encode(&f, buf, sizeof buf);
    if (k < 0 || axsim_write(h->b, buf, (size_t)k) != k)
        return -1;
    return 0;
}

/* Reads what arrived. */
static void drain(host *h)
{
    uint8_t buf[4096];
    int n;
    while ((n = axsim_read(h->b, buf, sizeof buf)) > 0) {
        h->bytes_in += (uint64_t)n;
        size_t off = 0;
        while (off < (size_t)n) {
            size_t used = 0;
            int got = ax_frame_parser_feed(&h->p, buf + off, (size_t)n - off, &used, &h->f);
            off += used;
            if (got != 1)
                continue;
            if (h->f.type == AX_FT_ACK) {
                h->acked = h->f.ack;
                h->free_words = h->f.payload[0] & 0xFFFFu;
            }
            if (h->f.type == AX_FT_DATA && h->f.seq == h->expect) {
                h->expect++;
                for (unsigned i = 0; i < h->f.len; i++)
                    h->spikes += (h->f.payload[i] >> 30) == 0;
            }
        }
    }
}

static int run(axsim_variant v, unsigned period)
{
    axsim_options o;
    axsim_options_default(&o);
    o.size = AXSIM_SMALL;
    o.variant = v;
    host h;
    memset(&h, 0, sizeof h);
    if (axsim_create(&o, &h.b) < 0)
        return -1;
    ax_frame_parser_init(&h.p);
    h.free_words = AX_PLAYBACK_WORDS;
    const char *name = v == AXSIM_USB3 ? "usb3" : "usb2";

    uint64_t cycles = 2000000;
    double t0 = ax_mono_seconds();
    axsim_step(h.b, cycles);
    printf("{\"bench\":\"link-rtl\",\"case\":\"idle\",\"variant\":\"%s\",\"cycles_per_s\":%.0f}\n",
           name, (double)cycles / (ax_mono_seconds() - t0));

    uint32_t pl[256];
    size_t pos = 0;
    send(&h, AX_FT_HELLO, NULL, 0);
    ax_ins_record(pl, 256, &pos, AX_RECORD_SPIKES);
    ax_ins_timer_reset(pl, 256, &pos);
    send(&h, AX_FT_CMD, pl, pos);
    uint64_t t = 1000, start = axsim_cycles(h.b), end = start + 1000000;
    t0 = ax_mono_seconds();
    while (axsim_cycles(h.b) < end) {
        /* Keep the playback buffer fed, never past its room (no BUSY); an
         * empty CMD asks for a fresh ACK (free words) when the host waits. */
        unsigned sent = 0;
        while ((uint16_t)(h.seq - h.acked) < 8 && h.free_words >= 2560) {
            pos = 0;
            for (unsigned k = 0; k < 85; k++, t += period) {
                ax_ins_wait_until(pl, 256, &pos, t);
                ax_ins_inject(pl, 256, &pos, (uint16_t)(t & 0x3FFF));
            }
            if (send(&h, AX_FT_CMD, pl, pos) < 0)
                break;
            h.free_words -= (unsigned)pos;
            sent++;
        }
        if (!sent && h.seq == h.acked)
            send(&h, AX_FT_CMD, NULL, 0);
        axsim_step(h.b, 200);
        drain(&h);
        send(&h, AX_FT_ACK, NULL, 0);
    }
    double dt = ax_mono_seconds() - t0;
    uint64_t ran = axsim_cycles(h.b) - start;
    printf(
        "{\"bench\":\"link-rtl\",\"case\":\"stream\",\"variant\":\"%s\",\"spike_period_cycles\":%u,"
        "\"cycles_per_s\":%.0f,\"spikes\":%llu,\"link_bytes_per_spike\":%.3f}\n",
        name, period, (double)ran / dt, (unsigned long long)h.spikes,
        h.spikes ? (double)h.bytes_in / (double)h.spikes : 0.0);
    axsim_destroy(h.b);
    return 0;
}

int main(void)
{
    if (run(AXSIM_USB3, 8) < 0 || run(AXSIM_USB2, 64) < 0) {
        fprintf(stderr, "bench-link: cannot create the board\n");
        return 1;
    }
    return 0;
}
