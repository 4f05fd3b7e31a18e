/* A scripted host for the link tests (see link_testlib.h). */
#include "link_testlib.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

lt_host *lt_open_opts(const axsim_options *o)
{
    lt_host *h = calloc(1, sizeof *h);
    assert_non_null(h);
    h->log = malloc(LT_LOG_BYTES);
    assert_non_null(h->log);
    assert_int_equal(axsim_create(o, &h->b), AX_OK);
    ax_frame_parser_init(&h->parser);
    ax_record_decoder_init(&h->dec);
    h->auto_ack = true;
    return h;
}

lt_host *lt_open(axsim_size size, axsim_variant variant)
{
    axsim_options o;
    axsim_options_default(&o);
    o.size = size;
    o.variant = variant;
    o.die_seed = 7;
    o.run_seed = 9;
    return lt_open_opts(&o);
}

lt_host *lt_open_hello(axsim_variant variant)
{
    lt_host *h = lt_open(AXSIM_SMALL, variant);
    ax_ident id;
    lt_hello(h, &id);
    return h;
}

void lt_close(lt_host *h)
{
    if (!h)
        return;
    axsim_destroy(h->b);
    free(h->log);
    free(h);
}

void lt_send_raw(lt_host *h, const void *bytes, size_t n)
{
    const uint8_t *p = bytes;
    while (n > 0) {
        int k = axsim_write(h->b, p, n);
        assert_true(k >= 0);
        if (k == 0) {
            assert_int_equal(axsim_step(h->b, 64), AX_OK); /* bridge buffer full: let it drain */
            continue;
        }
        p += k;
        n -= (size_t)k;
    }
}

void lt_send_frame(lt_host *h, uint8_t type, uint16_t seq, uint16_t ack, const uint32_t *payload,
                   size_t len)
{
    static ax_frame f;
    static uint8_t buf[AX_FRAME_MAX_BYTES];
    memset(&f, 0, sizeof f);
    f.type = type;
    f.seq = seq;
    f.ack = ack;
    f.len = (uint16_t)len;
    if (len)
        memcpy(f.payload, payload, 4 * len);
    int n = ax_frame_encode(&f, buf, sizeof buf);
    assert_true(n > 0);
    lt_send_raw(h, buf, (size_t)n);
}

uint16_t lt_cmd(lt_host *h, const uint32_t *payload, size_t len)
{
    uint16_t seq = h->cmd_seq++;
    lt_send_frame(h, AX_FT_CMD, seq, h->auto_ack ? h->data_expect : 0, payload, len);
    return seq;
}

int lt_recv(lt_host *h, ax_frame *f, uint64_t max_cycles)
{
    uint64_t waited = 0;
    for (;;) {
        uint8_t buf[256];
        /* Feed what is readable, one byte chunk at a time, until a frame completes. */
        while (axsim_readable(h->b) > 0) {
            size_t want = axsim_readable(h->b) < sizeof buf ? axsim_readable(h->b) : sizeof buf;
            /* Never take more than one frame's worth past the parser's need:
             * feed byte by byte so unparsed bytes stay in the board's buffer. */
            (void)want;
            int n = axsim_read(h->b, buf, 1);
            assert_int_equal(n, 1);
            assert_true(h->log_len < LT_LOG_BYTES);
            h->log[h->log_len++] = buf[0];
            size_t used = 0;
            if (ax_frame_parser_feed(&h->parser, buf, 1, &used, f) == 1)
                return 1;
        }
        if (waited >= max_cycles)
            return 0;
        int64_t s = axsim_step_until_readable(h->b, max_cycles - waited);
        assert_true(s >= 0);
        waited += (uint64_t)s;
        if (s == 0 && axsim_readable(h->b) == 0)
            return 0;
    }
}

void lt_accept_data(lt_host *h, const ax_frame *f)
{
    if (f->type != AX_FT_DATA || f->seq != h->data_expect)
        return;
    h->data_expect++;
    h->data_frames++;
    size_t i = 0;
    while (i < f->len) {
        assert_true(h->nrecs < LT_MAX_RECORDS);
        int n = ax_record_decode(&h->dec, f->payload + i, f->len - i, &h->recs[h->nrecs]);
        assert_true(n > 0);
        h->rec_words[h->nrecs] = f->payload[i];
        if (h->recs[h->nrecs].type == AX_REC_READ) {
            /* keep the data: point into a private copy */
            static uint32_t store[1 << 16];
            static size_t used;
            if (used + h->recs[h->nrecs].count > sizeof store / 4)
                used = 0;
            memcpy(store + used, h->recs[h->nrecs].data, 4u * h->recs[h->nrecs].count);
            h->recs[h->nrecs].data = store + used;
            used += h->recs[h->nrecs].count;
        }
        h->nrecs++;
        i += (size_t)n;
    }
}

int lt_recv_ctrl(lt_host *h, ax_frame *f, uint64_t max_cycles)
{
    uint64_t start = axsim_cycles(h->b);
    for (;;) {
        uint64_t spent = axsim_cycles(h->b) - start;
        if (spent >= max_cycles)
            return 0;
        if (!lt_recv(h, f, max_cycles - spent))
            return 0;
        if (f->type != AX_FT_DATA)
            return 1;
        lt_accept_data(h, f);
    }
}

void lt_run(lt_host *h, uint64_t cycles)
{
    static ax_frame f;
    uint64_t end = axsim_cycles(h->b) + cycles;
    while (axsim_cycles(h->b) < end) {
        if (lt_recv(h, &f, end - axsim_cycles(h->b)))
            lt_accept_data(h, &f);
    }
}

void lt_hello(lt_host *h, ax_ident *id)
{
    static ax_frame f;
    lt_send_frame(h, AX_FT_HELLO, 0, 0, NULL, 0);
    assert_int_equal(lt_recv_ctrl(h, &f, 100000), 1);
    assert_int_equal(f.type, AX_FT_IDENT);
    assert_int_equal(f.len, AX_IDENT_WORDS);
    assert_int_equal(ax_ident_decode(f.payload, f.len, id), AX_OK);
    h->cmd_seq = 0;
    h->data_expect = 0;
    ax_record_decoder_init(&h->dec);
}

unsigned lt_cmd_acked(lt_host *h, const uint32_t *payload, size_t len)
{
    static ax_frame f;
    uint16_t seq = lt_cmd(h, payload, len);
    assert_int_equal(lt_recv_ctrl(h, &f, 200000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.ack, (uint16_t)(seq + 1));
    assert_int_equal(f.len, 1);
    return f.payload[0] & 0xFFFFu;
}

size_t lt_begin_recording(uint32_t *p, size_t cap)
{
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, cap, &pos, AX_RECORD_SPIKES), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, cap, &pos), AX_OK);
    return pos;
}

void lt_run_program(lt_host *h, uint32_t *p, size_t cap, size_t pos, uint64_t cycles)
{
    assert_int_equal(ax_ins_end(p, cap, &pos), AX_OK);
    lt_cmd_acked(h, p, pos);
    lt_run(h, cycles);
}

int lt_find(const lt_host *h, uint8_t type, size_t from)
{
    for (size_t i = from; i < h->nrecs; i++)
        if (h->recs[i].type == type)
            return (int)i;
    return -1;
}

size_t lt_count(const lt_host *h, uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < h->nrecs; i++)
        n += h->recs[i].type == type;
    return n;
}

uint32_t lt_read_reg(lt_host *h, uint32_t addr)
{
    uint32_t p[4];
    size_t pos = 0;
    static uint16_t ticket = 0x4000;
    uint16_t t = ticket++;
    assert_int_equal(ax_ins_read(p, 4, &pos, addr, t), AX_OK);
    assert_int_equal(ax_ins_end(p, 4, &pos), AX_OK);
    size_t before = h->nrecs;
    lt_cmd_acked(h, p, pos);
    lt_run(h, 2000);
    for (size_t i = before; i < h->nrecs; i++) {
        if (h->recs[i].type == AX_REC_READ && h->recs[i].ticket == t) {
            assert_int_equal(h->recs[i].status, 0);
            assert_int_equal(h->recs[i].count, 1);
            return h->recs[i].data[0];
        }
    }
    fail_msg("no READ record for ticket %u", t);
    return 0;
}

/* One run of `script`: a malloc'ed copy of the bytes the board sent (the
 * board is closed before the next run opens its own). */
static uint8_t *script_log(void (*script)(lt_host *h), axsim_variant variant, size_t *len)
{
    lt_host *h = lt_open_hello(variant);
    script(h);
    uint8_t *out = malloc(h->log_len);
    assert_non_null(out);
    memcpy(out, h->log, h->log_len);
    *len = h->log_len;
    lt_close(h);
    return out;
}

size_t lt_assert_reproducible(void (*script)(lt_host *h), axsim_variant variant)
{
    size_t na, nb;
    uint8_t *a = script_log(script, variant, &na);
    uint8_t *b = script_log(script, variant, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    return na;
}
