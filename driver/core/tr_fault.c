/* The fault-injecting transport: wraps another transport and, frame by frame
 * and in both directions, flips bits, drops, duplicates, truncates and
 * reorders frames, or disconnects, from a seeded generator (deterministic on
 * the simulated board). Used by the link's tests and by bench-link.
 *
 * HELLO and IDENT are barriers: nothing is reordered across them. The
 * protocol has no link-session number, so a frame of an earlier session
 * delivered after the new session's IDENT could not be told apart; a real
 * bridge never reorders, so only this injector has to respect that.
 */
#include <stdlib.h>
#include <string.h>

#include "device.h"

#define Q_CAP (64u * 1024u)

typedef struct fault_frame {
    size_t n;
    uint8_t b[AX_FRAME_MAX_BYTES];
} fault_frame;

typedef struct fault_dir {
    fault_frame held; /* a frame waiting to be swapped with the next one */
    bool has_held;
} fault_dir;

typedef struct fault_priv {
    ax_transport *inner;
    ax_fault_config cfg;
    ax_fault_counts counts;
    uint64_t rng;
    bool disconnected;
    fault_dir tx, rx;
    uint8_t in[Q_CAP]; /* raw bytes from the inner transport, not yet a whole frame */
    size_t in_n;
    uint8_t out[Q_CAP]; /* bytes ready for the host */
    size_t out_n, out_off;
    uint8_t scratch[16384];
} fault_priv;

static fault_priv *fp(ax_transport *t)
{
    return ax_transport_priv(t);
}

static uint64_t rnd(fault_priv *p)
{
    p->rng ^= p->rng << 13; /* xorshift64 */
    p->rng ^= p->rng >> 7;
    p->rng ^= p->rng << 17;
    return p->rng;
}

static double rnd01(fault_priv *p)
{
    return (double)(rnd(p) >> 11) * 0x1.0p-53;
}

typedef int (*emit_fn)(ax_transport *t, const uint8_t *b, size_t n);

static bool is_barrier(const fault_frame *f)
{
    return f->n >= 8 && (f->b[4] == AX_FT_HELLO || f->b[4] == AX_FT_IDENT);
}

static void corrupt(fault_priv *p, fault_frame *f)
{
    unsigned bits = 1 + (unsigned)(rnd(p) % 3);
    for (unsigned i = 0; i < bits; i++) {
        uint64_t bit = rnd(p) % (f->n * 8);
        f->b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

/* Passes one frame through the fault model to emit. */
static int apply(ax_transport *t, fault_dir *d, fault_frame *f, emit_fn emit)
{
    fault_priv *p = fp(t);
    const ax_fault_config *c = &p->cfg;
    if (++p->counts.frames == c->disconnect_after) {
        p->disconnected = true;
        p->counts.disconnects++;
        return AX_E_DISCONNECTED;
    }
    double u = rnd01(p), a = c->p_drop;
    int r = AX_OK;
    if (u < a) {
        p->counts.drops++;
        return AX_OK;
    }
    bool dup = false, hold = false;
    if (u < (a += c->p_flip)) {
        corrupt(p, f);
        p->counts.flips++;
    } else if (u < (a += c->p_trunc)) {
        f->n = 1 + (size_t)(rnd(p) % (f->n - 1));
        p->counts.truncs++;
    } else if (u < (a += c->p_dup)) {
        dup = true;
        p->counts.dups++;
    } else if (u < a + c->p_reorder && !is_barrier(f) && !d->has_held) {
        hold = true;
        p->counts.reorders++;
    }
    if (hold) {
        d->held = *f;
        d->has_held = true;
        return AX_OK;
    }
    if (d->has_held && is_barrier(f)) { /* never swap across a barrier */
        d->has_held = false;
        r = emit(t, d->held.b, d->held.n);
    }
    if (r == AX_OK)
        r = emit(t, f->b, f->n);
    if (r == AX_OK && dup)
        r = emit(t, f->b, f->n);
    if (r == AX_OK && d->has_held) {
        d->has_held = false;
        r = emit(t, d->held.b, d->held.n);
    }
    return r;
}

static int emit_tx(ax_transport *t, const uint8_t *b, size_t n)
{
    ax_transport *in = fp(t)->inner;
    return in->ops->write(in, b, n);
}

static int emit_rx(ax_transport *t, const uint8_t *b, size_t n)
{
    fault_priv *p = fp(t);
    if (p->out_n + n > Q_CAP)
        return AX_E_OVERFLOW;
    memcpy(p->out + p->out_n, b, n);
    p->out_n += n;
    return AX_OK;
}

/* Frames in a clean stream: the length is in the header; bytes that do not
 * start a frame are passed through one at a time. Returns the size of the
 * unit at in[0], or 0 when it is not complete yet. */
static size_t unit_size(const uint8_t *b, size_t n)
{
    if (n < 8)
        return 0;
    static const uint8_t sync[4] = {'A', 'X', 'O', 'N'};
    if (memcmp(b, sync, 4))
        return 1;
    size_t len = (size_t)b[6] | (size_t)b[7] << 8;
    size_t total = len <= AX_FRAME_MAX_PAYLOAD ? ax_frame_bytes(len) : 8;
    return n >= total ? total : 0;
}

static int split_rx(ax_transport *t)
{
    fault_priv *p = fp(t);
    size_t off = 0, u;
    int r = AX_OK;
    fault_frame f;
    while (r == AX_OK && (u = unit_size(p->in + off, p->in_n - off)) > 0) {
        f.n = u;
        memcpy(f.b, p->in + off, u);
        off += u;
        r = u == 1 ? emit_rx(t, f.b, 1) : apply(t, &p->rx, &f, emit_rx);
    }
    memmove(p->in, p->in + off, p->in_n - off);
    p->in_n -= off;
    return r;
}

static int fault_open(ax_transport *t, const ax_uri *uri)
{
    (void)t;
    (void)uri;
    return ax_fail(AX_E_UNSUPPORTED, "the fault injector is created by ax_fault_wrap()");
}

static void fault_close(ax_transport *t)
{
    ax_transport_close(fp(t)->inner);
}

static int fault_write(ax_transport *t, const uint8_t *data, size_t len)
{
    fault_priv *p = fp(t);
    if (p->disconnected)
        return AX_E_DISCONNECTED;
    if (len > AX_FRAME_MAX_BYTES)
        return emit_tx(t, data, len);
    fault_frame f;
    f.n = len;
    memcpy(f.b, data, len);
    return apply(t, &p->tx, &f, emit_tx);
}

static int fault_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    fault_priv *p = fp(t);
    ax_transport *in = p->inner;
    uint64_t start = ax_transport_now_us(in);
    while (p->out_n == p->out_off) {
        if (p->disconnected)
            return AX_E_DISCONNECTED;
        p->out_n = p->out_off = 0;
        uint64_t spent = ax_transport_now_us(in) - start;
        size_t room = sizeof p->scratch < Q_CAP - p->in_n ? sizeof p->scratch : Q_CAP - p->in_n;
        int n = in->ops->read(in, p->scratch, room,
                              spent >= timeout_us ? 0 : timeout_us - (uint32_t)spent);
        if (n < 0)
            return n;
        memcpy(p->in + p->in_n, p->scratch, (size_t)n);
        p->in_n += (size_t)n;
        int r = split_rx(t);
        if (r < 0)
            return r;
        if (n == 0 && ax_transport_now_us(in) - start >= timeout_us)
            break;
    }
    size_t k = p->out_n - p->out_off < cap ? p->out_n - p->out_off : cap;
    memcpy(buf, p->out + p->out_off, k);
    p->out_off += k;
    return (int)k;
}

static int fault_reset(ax_transport *t)
{
    fault_priv *p = fp(t);
    p->in_n = p->out_n = p->out_off = 0;
    p->tx.has_held = p->rx.has_held = false;
    ax_transport *in = p->inner;
    return in->ops->reset ? in->ops->reset(in) : AX_OK;
}

static uint64_t fault_now(ax_transport *t)
{
    return ax_transport_now_us(fp(t)->inner);
}

static uint64_t fault_board(ax_transport *t)
{
    return ax_transport_board_us(fp(t)->inner);
}

static const ax_transport_ops fault_ops = {
    .scheme = "fault",
    .help = "fault injector around another transport (tests only)",
    .priv_size = sizeof(fault_priv),
    .open = fault_open,
    .close = fault_close,
    .write = fault_write,
    .read = fault_read,
    .reset = fault_reset,
    .now_us = fault_now,
    .board_us = fault_board,
};

int ax_fault_wrap(ax_transport *inner, const ax_fault_config *cfg, ax_transport **out)
{
    ax_transport *t = ax_transport_alloc(&fault_ops);
    if (!t) {
        ax_transport_close(inner);
        return AX_E_NOMEM;
    }
    fault_priv *p = fp(t);
    p->inner = inner;
    p->cfg = *cfg;
    p->rng = cfg->seed * 0x9E3779B97F4A7C15u + 1u;
    t->timeout_us = inner->timeout_us;
    *out = t;
    return AX_OK;
}

void ax_fault_get_counts(ax_transport *t, ax_fault_counts *c)
{
    *c = fp(t)->counts;
}

uint64_t ax_fault_total(const ax_fault_counts *c)
{
    return c->flips + c->drops + c->dups + c->truncs + c->reorders + c->disconnects;
}
