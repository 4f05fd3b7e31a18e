/* Fake board: see fakeboard.h. Written for tests, not for speed records. */
#include <stdlib.h>
#include <string.h>

#include "fakeboard.h"

#define OUT_CAP    (1u << 20)
#define READY_CAP  32u /* closed DATA payloads waiting for the replay buffer */
#define CHIP_BASE  0x010000u
#define CHIP_WORDS 0x10000u
#define AGE_CUT    256u

typedef struct payload {
    uint16_t len;
    uint32_t w[AX_FRAME_MAX_PAYLOAD];
} payload;

typedef struct fb {
    fakeboard_opts o;
    fakeboard_stats st;
    ax_frame_parser parser;
    ax_frame rx, tx;
    uint64_t cycles, time;
    uint16_t expect, data_seq, replay_base;
    ax_frame replay[AX_REPLAY_FRAMES];
    uint32_t *pb; /* playback ring */
    size_t pb_head, pb_n;
    bool waiting; /* WAIT_UNTIL in progress */
    uint32_t rec_flags;
    payload cur;
    uint64_t cur_since;
    payload ready[READY_CAP];
    size_t ready_head, ready_n;
    uint64_t rec_ref;
    uint64_t pending_spike_at;
    uint16_t pending_label;
    bool spike_pending;
    uint32_t regs[0x20];
    uint32_t *chip;
    uint32_t link_errors_crc, link_dups;
    uint8_t *out;
    size_t out_n, out_off;
} fb;

static fb *F(ax_transport *t)
{
    return ax_transport_priv(t);
}

/* ---- output -------------------------------------------------------------- */
static void emit(fb *b, const ax_frame *f)
{
    if (b->out_n + AX_FRAME_MAX_BYTES > OUT_CAP)
        return; /* a full bridge loses the frame: the host's timeouts recover */
    int n = ax_frame_encode(f, b->out + b->out_n, OUT_CAP - b->out_n);
    if (n > 0)
        b->out_n += (size_t)n;
}

static void send_ctrl(fb *b, uint8_t type, uint16_t seq, uint32_t word)
{
    b->tx.type = type;
    b->tx.flags = 0;
    b->tx.seq = seq;
    b->tx.ack = b->expect;
    b->tx.len = 1;
    b->tx.payload[0] = word;
    emit(b, &b->tx);
}

static uint16_t replay_used(const fb *b);

/* ACK word: free playback words, and PENDING while instructions, records or
 * unacknowledged DATA frames are left (docs/protocol.md section 1). */
static void send_ack(fb *b)
{
    bool pending = b->pb_n || b->cur.len || b->ready_n || replay_used(b);
    send_ctrl(b, AX_FT_ACK, b->data_seq,
              (uint32_t)(b->o.playback_words - b->pb_n) | (uint32_t)pending << 16);
}

static void send_nack(fb *b, unsigned reason, uint16_t seq)
{
    b->st.nacks++;
    send_ctrl(b, AX_FT_NACK, b->data_seq, reason | (uint32_t)seq << 16);
}

static uint16_t replay_used(const fb *b)
{
    return (uint16_t)(b->data_seq - b->replay_base);
}

/* Moves closed payloads into DATA frames while the replay buffer has room. */
static void pump_data(fb *b)
{
    while (b->ready_n > 0 && replay_used(b) < AX_REPLAY_FRAMES) {
        payload *p = &b->ready[b->ready_head];
        ax_frame *f = &b->replay[b->data_seq % AX_REPLAY_FRAMES];
        f->type = AX_FT_DATA;
        f->flags = 0;
        f->seq = b->data_seq++;
        f->ack = b->expect;
        f->len = p->len;
        memcpy(f->payload, p->w, p->len * 4u);
        emit(b, f);
        b->ready_head = (b->ready_head + 1) % READY_CAP;
        b->ready_n--;
    }
}

static void cut(fb *b)
{
    if (b->cur.len == 0 || b->ready_n == READY_CAP)
        return;
    b->ready[(b->ready_head + b->ready_n++) % READY_CAP] = b->cur;
    b->cur.len = 0;
    pump_data(b);
}

/* Appends a record of n words; cut says whether it closes the frame. */
static void record(fb *b, const uint32_t *w, size_t n, bool cut_after)
{
    if (b->cur.len + n > AX_FRAME_MAX_PAYLOAD)
        cut(b);
    if (b->cur.len + n > AX_FRAME_MAX_PAYLOAD)
        return; /* the record FIFO is full: lost (the tests never get here) */
    if (b->cur.len == 0)
        b->cur_since = b->cycles;
    memcpy(b->cur.w + b->cur.len, w, n * 4u);
    b->cur.len += (uint16_t)n;
    if (cut_after)
        cut(b);
}

static void rec_ext(fb *b, unsigned sub, uint32_t arg, const uint32_t *more, size_t n, bool c)
{
    uint32_t w[4 + AX_READ_BURST_MAX];
    w[0] = 2u << 30 | sub << 24 | (arg & 0xFFFFFFu);
    if (n)
        memcpy(w + 1, more, n * 4u);
    record(b, w, 1 + n, c);
}

/* ---- registers ------------------------------------------------------------ */
static bool reg_ok(uint32_t a, bool write)
{
    if (a >= CHIP_BASE && a < CHIP_BASE + CHIP_WORDS)
        return true;
    if (a > 0x10 || a == 0x0F)
        return false;
    return write ? (a == AX_REG_SCRATCH || a == AX_REG_CHIP_RESET) : a != AX_REG_CHIP_RESET;
}

static uint32_t reg_read(fb *b, uint32_t a)
{
    if (a >= CHIP_BASE)
        return b->chip[a - CHIP_BASE];
    switch (a) {
    case AX_REG_SYSTIME_LO:
        return (uint32_t)b->cycles;
    case AX_REG_TIME_LO:
        return (uint32_t)b->time;
    case AX_REG_LINK_ERRORS:
        return (b->link_errors_crc & 0xFFFFu) | b->link_dups << 16;
    default:
        return b->regs[a];
    }
}

static void reg_write(fb *b, uint32_t a, uint32_t v)
{
    if (a >= CHIP_BASE)
        b->chip[a - CHIP_BASE] = v;
    else if (a == AX_REG_CHIP_RESET && v == 1)
        memset(b->chip, 0, CHIP_WORDS * 4u);
    else
        b->regs[a] = v;
}

/* ---- playback ---------------------------------------------------------------- */
static uint32_t pb_at(const fb *b, size_t i)
{
    return b->pb[(b->pb_head + i) % b->o.playback_words];
}

static void pb_pop(fb *b, size_t n)
{
    b->pb_head = (b->pb_head + n) % b->o.playback_words;
    b->pb_n -= n;
}

static void rec_time3(fb *b, unsigned sub, uint32_t arg, uint64_t t, bool c)
{
    uint32_t more[2] = {(uint32_t)t, (uint32_t)(t >> 32) & 0xFFFFFFu};
    rec_ext(b, sub, arg, more, 2, c);
}

static void rec_read(fb *b, uint32_t addr, uint16_t ticket, size_t n)
{
    uint32_t more[3 + AX_READ_BURST_MAX];
    more[0] = (uint32_t)n;
    more[1] = (uint32_t)b->time;
    more[2] = (uint32_t)(b->time >> 32) & 0xFFFFFFu;
    for (size_t i = 0; i < n; i++)
        more[3 + i] = reg_read(b, addr + (uint32_t)i);
    rec_ext(b, AX_EXT_READ, ticket, more, 3 + n, true);
}

static void rec_spike(fb *b, uint16_t label)
{
    uint32_t w[4];
    size_t n = 0;
    if (ax_rec_spike(w, 4, &n, &b->rec_ref, label, b->time, 0) == AX_OK)
        record(b, w, n, false);
}

/* Runs a WAIT_UNTIL: returns true when it is done. */
static bool wait_until(fb *b, uint32_t w0, uint32_t w1)
{
    uint64_t target = (uint64_t)(w0 & 0xFFFFFFu) << 32 | w1;
    if (b->waiting) {
        b->waiting = b->time < target;
        return !b->waiting;
    }
    if (target < b->time) {
        uint64_t late = b->time - target;
        rec_time3(b, AX_EXT_LATE, late > 0xFFFFFFu ? 0xFFFFFFu : (uint32_t)late, target, false);
        return true;
    }
    b->waiting = target > b->time;
    return !b->waiting;
}

static void exec_one(fb *b)
{
    uint32_t w0 = pb_at(b, 0), w1 = b->pb_n > 1 ? pb_at(b, 1) : 0, arg = w0 & 0xFFFFFFu;
    int k = ax_ins_words(w0, w1);
    switch (w0 >> 24) {
    case AX_OP_WAIT_UNTIL:
        if (!wait_until(b, w0, w1))
            return;
        break;
    case AX_OP_TIMER_RESET:
        b->time = 0;
        b->rec_ref = 0;
        rec_ext(b, AX_EXT_TRIAL, 0, NULL, 0, false);
        break;
    case AX_OP_WRITE:
        reg_write(b, arg, w1);
        break;
    case AX_OP_READ:
        rec_read(b, arg, (uint16_t)w1, 1);
        break;
    case AX_OP_INJECT:
        if (b->rec_flags & AX_RECORD_SPIKES)
            rec_spike(b, (uint16_t)arg);
        break;
    case AX_OP_INJECT_GROUP: /* the loopback: each label comes back in the same cycle */
        if (b->rec_flags & AX_RECORD_SPIKES) {
            uint32_t n = 1 + (arg >> 16 & 3u), l[4] = {arg & 0xFFFFu, w1 & 0xFFFFu, w1 >> 16,
                                                       n > 3 ? pb_at(b, 2) & 0xFFFFu : 0};
            for (uint32_t i = 0; i < n; i++)
                rec_spike(b, (uint16_t)l[i]);
        }
        break;
    case AX_OP_RECORD:
        b->rec_flags = arg & 7u;
        break;
    case AX_OP_WRITE_BURST:
        for (uint32_t i = 0; i < (w1 & 0xFFFFu); i++)
            reg_write(b, arg + i, pb_at(b, 2 + i));
        break;
    case AX_OP_READ_BURST:
        rec_read(b, arg, (uint16_t)w1, w1 >> 16);
        break;
    case AX_OP_END:
        rec_time3(b, AX_EXT_END, 0, b->time, true);
        break;
    default: /* NOP, BARRIER, NEURON_RESET: nothing to do on a loopback chip */
        break;
    }
    b->st.executed++;
    pb_pop(b, (size_t)k);
}

/* Advances at most max cycles; returns the cycles advanced (>= 1). Idle
 * stretches are skipped in one go. */
static uint64_t advance(fb *b, uint64_t max)
{
    uint64_t n = 1;
    bool idle = b->pb_n == 0 || b->waiting || b->ready_n >= READY_CAP - 1;
    if (idle && b->cur.len == 0) {
        n = max;
        if (b->waiting) {
            uint32_t w0 = pb_at(b, 0), w1 = pb_at(b, 1);
            uint64_t target = (uint64_t)(w0 & 0xFFFFFFu) << 32 | w1;
            n = target - b->time < max ? target - b->time : max;
            if (n == 0)
                n = 1;
        }
    } else if (!b->waiting && b->pb_n > 0 && b->ready_n < READY_CAP - 1) {
        exec_one(b); /* the executor stalls while the record FIFO is full */
    }
    b->cycles += n;
    b->time = (b->time + n) & AX_TIME_MASK;
    if (b->waiting && b->pb_n > 0)
        exec_one(b);
    if (b->cur.len && b->cycles - b->cur_since >= AGE_CUT)
        cut(b);
    return n;
}

/* ---- link ------------------------------------------------------------------- */
/* INJECT_GROUP at w: its labels' event buses ([7:6]) differ; else *off is
 * moved to the word that repeats a bus. */
static bool group_buses_ok(const uint32_t *w, uint32_t *off)
{
    uint32_t n = 1 + (w[0] >> 16 & 3u), used = 1u << (w[0] >> 6 & 3u);
    uint32_t bus[3] = {w[1] >> 6 & 3u, w[1] >> 22 & 3u, n > 3 ? w[2] >> 6 & 3u : 0};
    for (uint32_t i = 1; i < n; i++) {
        if (used & 1u << bus[i - 1]) {
            *off += i < 3 ? 1 : 2;
            return false;
        }
        used |= 1u << bus[i - 1];
    }
    return true;
}

/* Checks a CMD payload (docs/protocol.md 3.2). Returns 0 or an error code
 * with *off the offending word offset. */
static unsigned validate(const ax_frame *f, uint32_t *off)
{
    for (uint32_t i = 0; i < f->len;) {
        uint32_t w0 = f->payload[i], w1 = i + 1 < f->len ? f->payload[i + 1] : 0;
        uint32_t op = w0 >> 24, arg = w0 & 0xFFFFFFu;
        int k = ax_ins_words(w0, w1);
        *off = i;
        if (k < 0)
            return AX_ERR_OPCODE;
        if ((uint32_t)k > f->len - i)
            return AX_ERR_OPERAND;
        uint32_t n = op == AX_OP_WRITE_BURST  ? (w1 & 0xFFFFu)
                     : op == AX_OP_READ_BURST ? w1 >> 16
                                              : 1;
        if (n == 0 || n > (op == AX_OP_WRITE_BURST ? AX_WRITE_BURST_MAX : AX_READ_BURST_MAX))
            return AX_ERR_OPERAND;
        bool wr = op == AX_OP_WRITE || op == AX_OP_WRITE_BURST;
        if (wr || op == AX_OP_READ || op == AX_OP_READ_BURST)
            for (uint32_t a = 0; a < n; a++)
                if (!reg_ok(arg + a, wr))
                    return AX_ERR_ADDRESS;
        if (op == AX_OP_PPU)
            return AX_ERR_UNSUPPORTED;
        if (op == AX_OP_INJECT_GROUP && !group_buses_ok(f->payload + i, off))
            return AX_ERR_VALUE;
        i += (uint32_t)k;
    }
    return 0;
}

static void release(fb *b, uint16_t ack)
{
    if ((uint16_t)(ack - b->replay_base) <= replay_used(b))
        b->replay_base = ack;
    pump_data(b);
}

static void store(fb *b, const ax_frame *f)
{
    size_t cap = b->o.playback_words;
    for (size_t i = 0; i < f->len; i++)
        b->pb[(b->pb_head + b->pb_n + i) % cap] = f->payload[i];
    b->pb_n += f->len;
}

static void on_cmd(fb *b, const ax_frame *f)
{
    if (f->seq != b->expect) {
        if (ax_seq_before(f->seq, b->expect)) {
            b->st.dups++;
            b->link_dups++;
            send_ack(b);
        } else {
            send_nack(b, AX_NACK_ORDER, f->seq);
        }
        return;
    }
    if (f->len > b->o.playback_words - b->pb_n) {
        send_nack(b, AX_NACK_BUSY, f->seq);
        return;
    }
    uint32_t off = 0;
    unsigned code = validate(f, &off);
    b->expect++;
    if (code) {
        uint32_t more[2] = {off, f->payload[off]};
        rec_ext(b, AX_EXT_ERROR, code | (uint32_t)f->seq << 8, more, 2, true);
    } else {
        store(b, f);
        b->st.frames_run++;
    }
    send_ack(b);
}

static void on_replay(fb *b, uint16_t ack)
{
    if (ack == b->data_seq) {
        send_ack(b);
    } else if ((uint16_t)(ack - b->replay_base) < replay_used(b)) {
        b->st.replays++;
        for (uint16_t s = ack; s != b->data_seq; s++)
            emit(b, &b->replay[s % AX_REPLAY_FRAMES]); /* bit-identical */
    } else if (ax_seq_before(ack, b->replay_base)) {
        send_nack(b, AX_NACK_REPLAY, ack);
    } else {
        send_ack(b);
    }
}

static void hello(fb *b)
{
    b->expect = b->data_seq = b->replay_base = 0;
    b->pb_n = b->pb_head = 0;
    b->waiting = false;
    b->ready_n = 0;
    b->cur.len = 0;
    b->rec_ref = 0;
    uint32_t id[AX_IDENT_WORDS] = {b->o.protocol_version,
                                   42,
                                   0xA0001,
                                   7,
                                   0,
                                   0 | 4u << 8,
                                   32u | 32u << 16,
                                   b->o.playback_words,
                                   AX_REPLAY_FRAMES | AX_FRAME_MAX_PAYLOAD << 16,
                                   0};
    b->tx.type = AX_FT_IDENT;
    b->tx.flags = 0;
    b->tx.seq = b->tx.ack = 0;
    b->tx.len = AX_IDENT_WORDS;
    memcpy(b->tx.payload, id, sizeof id);
    emit(b, &b->tx);
}

static void on_frame(fb *b, const ax_frame *f)
{
    if (f->type != AX_FT_HELLO)
        release(b, f->ack);
    switch (f->type) {
    case AX_FT_CMD:
        on_cmd(b, f);
        break;
    case AX_FT_REPLAY:
        on_replay(b, f->ack);
        break;
    case AX_FT_HELLO:
        hello(b);
        break;
    case AX_FT_ACK:
        break;
    default:
        send_nack(b, AX_NACK_HEADER, f->seq);
        break;
    }
}

/* ---- transport ---------------------------------------------------------------- */
static int fb_open(ax_transport *t, const ax_uri *uri)
{
    (void)t;
    (void)uri;
    return AX_E_UNSUPPORTED; /* made by fakeboard_open() */
}

static void fb_close(ax_transport *t)
{
    free(F(t)->pb);
    free(F(t)->chip);
    free(F(t)->out);
}

static int fb_write(ax_transport *t, const uint8_t *data, size_t len)
{
    fb *b = F(t);
    while (len > 0) {
        size_t used = 0;
        uint64_t crc0 = b->parser.frames_bad_crc, hdr0 = b->parser.frames_bad_hdr;
        int got = ax_frame_parser_feed(&b->parser, data, len, &used, &b->rx);
        for (; crc0 < b->parser.frames_bad_crc; crc0++) {
            b->link_errors_crc++;
            send_nack(b, AX_NACK_CRC, 0);
        }
        for (; hdr0 < b->parser.frames_bad_hdr; hdr0++) {
            b->link_errors_crc++;
            send_nack(b, AX_NACK_HEADER, 0);
        }
        data += used;
        len -= used;
        if (got != 1)
            break;
        on_frame(b, &b->rx);
    }
    return AX_OK;
}

static int fb_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    fb *b = F(t);
    uint64_t budget = (uint64_t)timeout_us * AX_CYCLES_PER_US;
    while (b->out_n == b->out_off && budget > 0)
        budget -= advance(b, budget);
    size_t k = b->out_n - b->out_off < cap ? b->out_n - b->out_off : cap;
    memcpy(buf, b->out + b->out_off, k);
    b->out_off += k;
    if (b->out_off == b->out_n)
        b->out_off = b->out_n = 0;
    return (int)k;
}

static int fb_reset(ax_transport *t)
{
    F(t)->out_n = F(t)->out_off = 0;
    return AX_OK;
}

static uint64_t fb_now(ax_transport *t)
{
    return F(t)->cycles / AX_CYCLES_PER_US;
}

static const ax_transport_ops fb_ops = {
    .scheme = "fake",
    .help = "fake board (tests only)",
    .priv_size = sizeof(fb),
    .timeout_us = 50,
    .open = fb_open,
    .close = fb_close,
    .write = fb_write,
    .read = fb_read,
    .reset = fb_reset,
    .now_us = fb_now,
};

int fakeboard_open(const fakeboard_opts *o, ax_transport **out)
{
    ax_transport *t = ax_transport_alloc(&fb_ops);
    if (!t)
        return AX_E_NOMEM;
    fb *b = F(t);
    if (o)
        b->o = *o;
    if (!b->o.protocol_version)
        b->o.protocol_version = AX_PROTOCOL_VERSION;
    if (!b->o.playback_words)
        b->o.playback_words = AX_PLAYBACK_WORDS;
    b->pb = calloc(b->o.playback_words, 4);
    b->chip = calloc(CHIP_WORDS, 4);
    b->out = malloc(OUT_CAP);
    if (!b->pb || !b->chip || !b->out) {
        fb_close(t);
        ax_transport_free(t);
        return AX_E_NOMEM;
    }
    ax_frame_parser_init(&b->parser);
    b->regs[AX_REG_PROTOCOL] = b->o.protocol_version;
    b->regs[AX_REG_MODEL] = 42;
    b->regs[AX_REG_CHIP_ID] = 0xA0001;
    b->regs[AX_REG_DIE_SEED_LO] = 7;
    *out = t;
    return AX_OK;
}

void fakeboard_get_stats(ax_transport *t, fakeboard_stats *s)
{
    *s = F(t)->st;
}

uint32_t fakeboard_peek(ax_transport *t, uint32_t addr)
{
    return reg_read(F(t), addr);
}
