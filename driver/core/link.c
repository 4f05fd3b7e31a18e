/* The host side of the reliable link (docs/protocol.md section 2).
 *
 * CMD frames go out go-back-N with a window of AX_CMD_WINDOW; the copies stay
 * in l->win until the board's cumulative ack passes them. DATA frames are
 * accepted strictly in order; a gap or a silent board leads to a REPLAY. A
 * wait that sees no valid frame for timeout_us resends what is unacknowledged
 * and asks for lost DATA; after `retries` such timeouts in a row it fails.
 * Nothing is ever delivered out of order or twice, so a link that cannot
 * recover returns an error, never wrong data.
 */
#include <string.h>

#include "device.h"

#define RX_CHUNK 16384u

static uint64_t link_now(ax_link *l)
{
    return ax_transport_now_us(l->tr);
}

static int link_fail(ax_link *l, int status)
{
    if (!l->failed)
        l->failed = status;
    return status;
}

static int write_frame(ax_link *l, const ax_frame *f)
{
    uint8_t buf[AX_FRAME_MAX_BYTES];
    int n = ax_frame_encode(f, buf, sizeof buf);
    if (n < 0)
        return n;
    unsigned gen = ax_detail_gen();
    int r = l->tr->ops->write(l->tr, buf, (size_t)n);
    if (r < 0)
        return link_fail(l, ax_fail_wrap(r, gen, "writing to the board"));
    return AX_OK;
}

static int send_ctrl(ax_link *l, uint8_t type, uint16_t ack)
{
    ax_frame f;
    f.type = type;
    f.flags = 0;
    f.seq = 0;
    f.ack = ack;
    f.len = 0;
    return write_frame(l, &f);
}

static int send_ack(ax_link *l)
{
    l->data_acked = l->data_expect;
    return send_ctrl(l, AX_FT_ACK, l->data_expect);
}

static int send_replay(ax_link *l)
{
    l->replay_seq = l->data_expect;
    l->replay_time = link_now(l);
    l->data_acked = l->data_expect;
    l->st.replays++;
    return send_ctrl(l, AX_FT_REPLAY, l->data_expect);
}

/* A REPLAY unless one for the same seq went out less than half a timeout ago. */
static int maybe_replay(ax_link *l)
{
    if (l->replay_seq == l->data_expect && link_now(l) - l->replay_time < l->timeout_us / 2)
        return AX_OK;
    return send_replay(l);
}

static uint16_t in_flight(const ax_link *l)
{
    return (uint16_t)(l->cmd_next - l->cmd_base);
}

static uint32_t in_flight_words(const ax_link *l)
{
    uint32_t w = 0;
    for (uint16_t s = l->cmd_base; s != l->cmd_next; s++)
        w += l->win[s % AX_CMD_WINDOW].len;
    return w;
}

static int send_window_frame(ax_link *l, uint16_t seq, bool resend)
{
    ax_frame *f = &l->win[seq % AX_CMD_WINDOW];
    f->ack = l->data_expect;
    l->data_acked = l->data_expect;
    l->st.cmd_frames++;
    l->st.cmd_resent += resend;
    return write_frame(l, f);
}

/* Go-back-N: resends every unacknowledged frame from seq `from` on. */
static int go_back(ax_link *l, uint16_t from)
{
    l->gb_seq = from;
    l->gb_time = link_now(l);
    for (uint16_t s = from; s != l->cmd_next; s++) {
        int r = send_window_frame(l, s, true);
        if (r < 0)
            return r;
    }
    return AX_OK;
}

/* True when ack lies in [cmd_base, cmd_next]. */
static bool ack_in_window(const ax_link *l, uint16_t ack)
{
    return (uint16_t)(ack - l->cmd_base) <= in_flight(l);
}

/* The board has everything before ack: drop those copies. */
static void release(ax_link *l, uint16_t ack)
{
    if (!ack_in_window(l, ack))
        return; /* stale or from an earlier link session */
    while (l->cmd_base != ack) {
        uint16_t len = l->win[l->cmd_base % AX_CMD_WINDOW].len;
        l->board_free = l->board_free > len ? l->board_free - len : 0;
        l->cmd_base++;
    }
}

/* The board says its next DATA frame is next_data: ask for any we lack. */
static int check_data_seq(ax_link *l, uint16_t next_data)
{
    return ax_seq_before(l->data_expect, next_data) ? maybe_replay(l) : AX_OK;
}

static int on_data(ax_link *l, const ax_frame *f)
{
    release(l, f->ack);
    if (f->seq == l->data_expect) {
        l->idle_acks = 0;
        l->replay_nacks = 0;
        l->data_expect++;
        l->st.data_frames++;
        if (l->sink)
            l->sink(l->sink_ctx, f);
        return AX_OK;
    }
    if (ax_seq_before(f->seq, l->data_expect)) {
        l->st.data_dups++;
        return AX_OK;
    }
    l->st.data_gaps++;
    return maybe_replay(l);
}

static int on_ack(ax_link *l, const ax_frame *f)
{
    release(l, f->ack);
    if (f->len >= 1)
        l->board_free = f->payload[0] & 0xFFFFu;
    /* An empty playback buffer, nothing in flight and the board's PENDING bit
     * clear (no records or unacknowledged DATA frames left): the board is idle. */
    if (f->len >= 1 && l->board_free >= l->playback_words && !in_flight(l) &&
        !(f->payload[0] >> 16 & 1u))
        l->idle_acks++;
    else
        l->idle_acks = 0;
    if (l->busy && l->cmd_base != l->cmd_next &&
        l->board_free >= l->win[l->cmd_base % AX_CMD_WINDOW].len) {
        l->busy = false;
        int r = go_back(l, l->cmd_base);
        if (r < 0)
            return r;
    }
    return check_data_seq(l, f->seq);
}

static int on_nack(ax_link *l, const ax_frame *f)
{
    unsigned reason = f->len >= 1 ? f->payload[0] & 0xFFu : AX_NACK_CRC;
    l->st.nacks++;
    release(l, f->ack);
    if (reason == AX_NACK_REPLAY) {
        /* A stale REPLAY (delayed, duplicated) can draw this NACK too: only
         * a refusal that repeats while we still lack the frame is fatal. */
        if (++l->replay_nacks >= 3)
            return link_fail(l, ax_fail(AX_E_LINK,
                                        "the board no longer holds DATA frame %u for replay "
                                        "(records lost); reset the link",
                                        (unsigned)l->data_expect));
        return send_replay(l);
    }
    int r = check_data_seq(l, f->seq);
    if (r < 0 || !ack_in_window(l, f->ack) || f->ack == l->cmd_next)
        return r;
    if (reason == AX_NACK_BUSY) {
        l->busy = true;
        l->board_free = 0;
        return AX_OK;
    }
    if (l->busy || (l->gb_seq == f->ack && link_now(l) - l->gb_time < l->timeout_us / 2))
        return AX_OK; /* NACKs of frames we already resent */
    return go_back(l, f->ack);
}

static int handle_frame(ax_link *l, const ax_frame *f)
{
    if (l->in_hello) {
        if (f->type == AX_FT_IDENT) {
            l->got_ident = true;
            l->ident_frame = *f;
        }
        return AX_OK; /* everything else predates the HELLO */
    }
    switch (f->type) {
    case AX_FT_DATA:
        return on_data(l, f);
    case AX_FT_ACK:
        return on_ack(l, f);
    case AX_FT_NACK:
        return on_nack(l, f);
    default:
        return AX_OK; /* a late IDENT, or a type the board never sends */
    }
}

/* Feeds n received bytes to the parser and handles the frames. Returns the
 * number of valid frames, or a negative status. */
static int consume(ax_link *l, const uint8_t *buf, size_t n)
{
    int frames = 0;
    size_t off = 0;
    while (off < n) {
        size_t used = 0;
        int got = ax_frame_parser_feed(&l->parser, buf + off, n - off, &used, &l->rx);
        off += used;
        if (got != 1)
            break;
        frames++;
        int r = handle_frame(l, &l->rx);
        if (r < 0)
            return r;
    }
    return frames;
}

/* Reads until at least one whole frame has arrived, the bytes stop, or
 * timeout_us has passed, and handles the frames. Returns the number of
 * valid frames (0: timeout), or a negative status. */
static int pump(ax_link *l, uint32_t timeout_us)
{
    uint8_t buf[RX_CHUNK];
    uint64_t start = link_now(l);
    int frames = 0, n;
    do {
        uint64_t spent = link_now(l) - start;
        uint32_t left = spent >= timeout_us ? 0 : timeout_us - (uint32_t)spent;
        unsigned gen = ax_detail_gen();
        n = l->tr->ops->read(l->tr, buf, sizeof buf, left);
        if (n < 0)
            return link_fail(l, ax_fail_wrap(n, gen, "reading from the board"));
        int f = consume(l, buf, (size_t)n);
        if (f < 0)
            return f;
        frames += f;
    } while (frames == 0 && n > 0 && link_now(l) - start < timeout_us);
    l->st.bad_frames = l->parser.frames_bad_crc + l->parser.frames_bad_hdr;
    if (frames > 0)
        l->last_rx = link_now(l);
    if (!l->in_hello && l->data_acked != l->data_expect) {
        int r = send_ack(l);
        if (r < 0)
            return r;
    }
    return frames;
}

/* One step of every blocking wait: pump, and after a silent timeout resend
 * what is unacknowledged and ask for lost DATA; fail when the board has been
 * silent for `retries` timeouts. */
static int wait_step(ax_link *l, uint32_t timeout_us)
{
    if (l->failed)
        return l->failed;
    if (l->deadline_us && ax_transport_board_us(l->tr) > l->deadline_us &&
        link_now(l) > l->patience_until)
        return link_fail(l, ax_fail(AX_E_TIMEOUT, "the board did not finish the program in time "
                                                  "(stalled at an instruction?)"));
    int r = pump(l, timeout_us);
    if (r != 0)
        return r < 0 ? r : AX_OK;
    if (link_now(l) - l->last_rx >= (uint64_t)l->timeout_us * l->retries)
        return link_fail(l, ax_fail(AX_E_TIMEOUT, "the board did not answer for %u us (%s)",
                                    l->timeout_us * l->retries, "link timeout"));
    l->st.timeouts++;
    /* The board may be waiting for the rest of a truncated frame: a frame's
     * worth of zeros (no sync word) completes it, it fails its CRC, and the
     * board hunts on to what follows. */
    static const uint8_t pad[AX_FRAME_MAX_BYTES];
    unsigned gen = ax_detail_gen();
    if ((r = l->tr->ops->write(l->tr, pad, sizeof pad)) < 0)
        return link_fail(l, ax_fail_wrap(r, gen, "writing to the board"));
    if (in_flight(l) && !l->busy && (r = go_back(l, l->cmd_base)) < 0)
        return r;
    return send_replay(l);
}

void ax_link_init(ax_link *l, ax_transport *tr)
{
    memset(l, 0, sizeof *l);
    l->tr = tr;
    l->timeout_us = tr->timeout_us ? tr->timeout_us : 1000;
    l->retries = 20;
    ax_frame_parser_init(&l->parser);
}

int ax_link_hello(ax_link *l)
{
    if (l->tr->ops->reset) {
        int r = l->tr->ops->reset(l->tr);
        if (r < 0)
            return ax_fail(r, "flushing the transport: %s", ax_strerror(r));
    }
    ax_frame_parser_init(&l->parser);
    l->failed = 0;
    l->in_hello = true;
    l->got_ident = false;
    for (unsigned i = 0; i < l->retries && !l->got_ident; i++) {
        l->st.hellos++;
        int r = send_ctrl(l, AX_FT_HELLO, 0);
        uint64_t start = link_now(l);
        while (r >= 0 && !l->got_ident && link_now(l) - start < l->timeout_us)
            r = pump(l, l->timeout_us);
        if (r < 0) {
            l->in_hello = false;
            return r;
        }
    }
    l->in_hello = false;
    if (!l->got_ident)
        return link_fail(
            l, ax_fail(AX_E_TIMEOUT, "no IDENT from the board after %u HELLOs", l->retries));
    l->cmd_next = l->cmd_base = 0;
    l->data_expect = l->data_acked = 0;
    l->busy = false;
    l->replay_nacks = 0;
    l->gb_seq = l->replay_seq = 0xFFFFu;
    l->last_rx = link_now(l);
    return AX_OK;
}

int ax_link_send(ax_link *l, const uint32_t *payload, uint16_t len)
{
    if (len > AX_FRAME_MAX_PAYLOAD)
        return AX_E_INVAL;
    int r = l->failed ? l->failed : pump(l, 0);
    if (r < 0)
        return r;
    /* Wait for a window slot and room in the playback buffer. */
    while (in_flight(l) >= AX_CMD_WINDOW || l->busy || l->board_free < in_flight_words(l) + len) {
        bool room_only = in_flight(l) == 0 && !l->busy;
        r = wait_step(l, room_only ? l->timeout_us / 8 + 1 : l->timeout_us);
        if (r < 0)
            return r;
    }
    ax_frame *f = &l->win[l->cmd_next % AX_CMD_WINDOW];
    f->type = AX_FT_CMD;
    f->flags = 0;
    f->seq = l->cmd_next;
    f->len = len;
    memcpy(f->payload, payload, len * sizeof *payload);
    l->cmd_next++;
    r = send_window_frame(l, f->seq, false);
    return r < 0 ? r : f->seq;
}

int ax_link_wait(ax_link *l, const bool *done)
{
    l->idle_acks = 0;
    while (!*done) {
        int r = wait_step(l, l->timeout_us);
        if (r < 0)
            return r;
        if (l->idle_acks >= 3 && !*done)
            return link_fail(l, ax_fail(AX_E_PROTO, "the board went idle without the "
                                                    "program's END record"));
    }
    return l->failed;
}
