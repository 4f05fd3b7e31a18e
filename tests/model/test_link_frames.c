/* Link part, frame level: IDENT, board registers, CRC, duplicates, order,
 * replay, sync hunting, BUSY. Runs on the link with the stand-in chip
 * (axsim_loopback), small size, both bridge variants where it matters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "link_testlib.h"

#define REG_PROTOCOL    0x00u
#define REG_DIE_SEED_LO 0x03u
#define REG_SCRATCH     0x0Du
#define REG_LINK_ERRORS 0x0Eu

static void check_ident(axsim_variant v)
{
    lt_host *h = lt_open(AXSIM_SMALL, v);
    ax_ident id;
    memset(&id, 0, sizeof id);
    lt_hello(h, &id);
    assert_int_equal(id.protocol_version, 0x00010002u);
    assert_int_equal(id.model_version, 4);
    assert_int_equal(id.die_seed, 7);
    assert_int_equal(id.chip_id, 7);
    assert_int_equal(id.variant, v == AXSIM_USB3 ? 0 : 1);
    assert_int_equal(id.port_bytes, v == AXSIM_USB3 ? 4 : 1);
    assert_int_equal(id.neurons_per_hemi, 32);
    assert_int_equal(id.rows_per_hemi, 32);
    assert_int_equal(id.playback_words, 8192);
    assert_int_equal(id.replay_frames, 8);
    assert_int_equal(id.max_payload, 256);
    assert_int_equal(id.capabilities, 1); /* the PPU (protocol 1.2) */
    /* HELLO is idempotent: a second one gives the same IDENT. */
    ax_ident id2;
    memset(&id2, 0, sizeof id2);
    lt_hello(h, &id2);
    assert_memory_equal(&id, &id2, sizeof id);
    lt_close(h);
}

LT_TEST(test_hello_ident_usb3, check_ident, AXSIM_USB3)
LT_TEST(test_hello_ident_usb2, check_ident, AXSIM_USB2)

/* WRITE/READ of board registers: the minimal end-to-end path. */
static void test_board_registers(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 32, &pos, REG_SCRATCH, 0xDEADBEEFu), AX_OK);
    assert_int_equal(ax_ins_read(p, 32, &pos, REG_SCRATCH, 11), AX_OK);
    assert_int_equal(ax_ins_read_burst(p, 32, &pos, REG_PROTOCOL, 7, 12), AX_OK);
    assert_int_equal(ax_ins_end(p, 32, &pos), AX_OK);
    unsigned free_words = lt_cmd_acked(h, p, pos);
    assert_true(free_words <= 8192 && free_words >= 8192 - pos);
    lt_run(h, 3000);
    int i = lt_find(h, AX_REC_READ, 0);
    assert_true(i >= 0);
    assert_int_equal(h->recs[i].ticket, 11);
    assert_int_equal(h->recs[i].count, 1);
    assert_int_equal(h->recs[i].data[0], 0xDEADBEEFu);
    i = lt_find(h, AX_REC_READ, (size_t)i + 1);
    assert_true(i >= 0);
    assert_int_equal(h->recs[i].ticket, 12);
    assert_int_equal(h->recs[i].count, 7);
    assert_int_equal(h->recs[i].data[0], 0x00010002u); /* PROTOCOL 1.2 */
    assert_int_equal(h->recs[i].data[1], 4);           /* MODEL */
    assert_int_equal(h->recs[i].data[2], 7);           /* CHIP_ID */
    assert_int_equal(h->recs[i].data[3], 7);           /* DIE_SEED_LO */
    assert_int_equal(h->recs[i].data[4], 0);           /* DIE_SEED_HI */
    assert_int_equal(h->recs[i].data[5], 9);           /* RUN_SEED_LO */
    assert_int_equal(h->recs[i].data[6], 0);           /* RUN_SEED_HI */
    assert_true(lt_find(h, AX_REC_END, 0) > i);
    /* One DATA frame: cut at the first READ record, then the rest. */
    assert_true(h->data_frames >= 1);
    lt_close(h);
}

/* A frame with a flipped bit is NACKed (CRC) and does not run. */
static void test_crc_corrupt_not_run(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    static ax_frame f;
    memset(&f, 0, sizeof f);
    f.type = AX_FT_CMD;
    f.seq = 0;
    size_t pos = 0;
    assert_int_equal(ax_ins_write(f.payload, 256, &pos, REG_SCRATCH, 0x1234u), AX_OK);
    f.len = (uint16_t)pos;
    uint8_t buf[64];
    int n = ax_frame_encode(&f, buf, sizeof buf);
    assert_true(n > 0);
    buf[16] ^= 0x04; /* a bit of the WRITE's data word */
    lt_send_raw(h, buf, (size_t)n);
    assert_int_equal(lt_recv_ctrl(h, &f, 10000), 1);
    assert_int_equal(f.type, AX_FT_NACK);
    assert_int_equal(f.payload[0] & 0xFFu, AX_NACK_CRC);
    assert_int_equal(f.payload[0] >> 8, 0); /* seq not known: 0 */
    assert_int_equal(f.ack, 0);             /* still expects seq 0 */
    assert_int_equal(f.seq, 0);             /* next DATA seq */
    /* Nothing ran: SCRATCH is still 0; one frame counted as NACKed. */
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0);
    assert_int_equal(lt_read_reg(h, REG_LINK_ERRORS), 1);
    lt_close(h);
}

/* A resent CMD (same seq) is ACKed again but runs once. */
static void test_duplicate_runs_once(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_read(p, 8, &pos, REG_SCRATCH, 77), AX_OK);
    assert_int_equal(ax_ins_end(p, 8, &pos), AX_OK);
    static ax_frame f;
    lt_send_frame(h, AX_FT_CMD, 0, 0, p, pos);
    assert_int_equal(lt_recv_ctrl(h, &f, 10000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.ack, 1);
    lt_send_frame(h, AX_FT_CMD, 0, 0, p, pos); /* the duplicate */
    assert_int_equal(lt_recv_ctrl(h, &f, 10000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.ack, 1);
    h->cmd_seq = 1;
    lt_run(h, 3000);
    size_t reads = 0;
    for (size_t i = 0; i < h->nrecs; i++)
        reads += h->recs[i].type == AX_REC_READ && h->recs[i].ticket == 77;
    assert_int_equal(reads, 1);
    assert_int_equal(lt_count(h, AX_REC_END), 1);
    /* LINK_ERRORS: [31:16] duplicates dropped = 1, [15:0] NACKs = 0 */
    assert_int_equal(lt_read_reg(h, REG_LINK_ERRORS), 0x00010000u);
    lt_close(h);
}

/* A CMD ahead of the expected seq is NACKed (ORDER) with ack = expect. */
static void test_order_nack(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 4, &pos, REG_SCRATCH, 5), AX_OK);
    static ax_frame f;
    lt_send_frame(h, AX_FT_CMD, 3, 0, p, pos);
    assert_int_equal(lt_recv_ctrl(h, &f, 10000), 1);
    assert_int_equal(f.type, AX_FT_NACK);
    assert_int_equal(f.payload[0] & 0xFFu, AX_NACK_ORDER);
    assert_int_equal(f.payload[0] >> 16, 3);
    assert_int_equal(f.ack, 0);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0); /* it did not run */
    lt_close(h);
}

/* A bad header (a type the board does not accept) is NACKed (HEADER). */
static void test_header_nack(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB2);
    static ax_frame f;
    lt_send_frame(h, AX_FT_DATA, 0, 0, NULL, 0);
    assert_int_equal(lt_recv_ctrl(h, &f, 100000), 1);
    assert_int_equal(f.type, AX_FT_NACK);
    assert_int_equal(f.payload[0] & 0xFFu, AX_NACK_HEADER);
    assert_int_equal(f.payload[0] >> 8, 0); /* seq not known: 0 */
    assert_int_equal(f.len, 1);
    /* LINK_ERRORS [15:0] counts it */
    assert_int_equal(lt_read_reg(h, REG_LINK_ERRORS), 1);
    lt_close(h);
}

/* Lost board-to-host frames are replayed on request, bit-identical. */
static void test_replay_bit_identical(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    h->auto_ack = false; /* acknowledge nothing yet */
    static ax_frame got[3], again[3], f;
    uint32_t p[16];
    size_t pos = 0;
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(ax_ins_write(p, 16, &pos, REG_SCRATCH, 100 + k), AX_OK);
        assert_int_equal(ax_ins_read(p, 16, &pos, REG_SCRATCH, (uint16_t)k), AX_OK);
    }
    lt_cmd(h, p, pos);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    /* Three READ records, each ends a frame: DATA seq 0, 1, 2. */
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(lt_recv(h, &got[k], 20000), 1);
        assert_int_equal(got[k].type, AX_FT_DATA);
        assert_int_equal(got[k].seq, k);
        assert_int_equal(got[k].ack, 1);
    }
    /* Frames 0 and 1 were "lost": ask from 1, then from 0. */
    lt_send_frame(h, AX_FT_REPLAY, 0, 1, NULL, 0);
    for (unsigned k = 1; k < 3; k++) {
        assert_int_equal(lt_recv(h, &again[k], 20000), 1);
        assert_memory_equal(&again[k], &got[k], offsetof(ax_frame, payload) + 4u * got[k].len);
    }
    /* REPLAY from 1 acknowledged frame 0: it is gone now. */
    lt_send_frame(h, AX_FT_REPLAY, 0, 0, NULL, 0);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_NACK);
    assert_int_equal(f.payload[0] & 0xFFu, AX_NACK_REPLAY);
    assert_int_equal(f.payload[0] >> 16, 0); /* the requested seq */
    assert_int_equal(f.seq, 3);              /* next DATA seq */
    assert_int_equal(f.ack, 1);              /* next CMD seq */
    /* REPLAY with nothing to resend: an ACK whose seq is the next DATA seq. */
    lt_send_frame(h, AX_FT_REPLAY, 0, 3, NULL, 0);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.seq, 3);
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(got[k].payload[0] >> 24 & 0x3F, 0x02); /* READ */
        assert_int_equal(got[k].payload[4], 100 + k);
    }
    lt_close(h);
}

/* USB2: byte-misaligned garbage before and between frames is skipped. */
static void check_garbage(axsim_variant v)
{
    lt_host *h = lt_open(AXSIM_SMALL, v);
    /* 7 and 3 bytes of junk: frames start at odd byte offsets (on USB3 the
     * junk's last bytes cross in a short word, with byte enables). */
    static const uint8_t junk[] = {0x13, 'A', 'X', 'O', 0x00, 'A', 'X'};
    lt_send_raw(h, junk, sizeof junk);
    ax_ident id;
    lt_hello(h, &id);
    assert_int_equal(id.neurons_per_hemi, 32);
    lt_send_raw(h, junk, 3);
    uint32_t p[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 4, &pos, REG_SCRATCH, 0xCAFEu), AX_OK);
    lt_cmd_acked(h, p, pos);
    lt_send_raw(h, junk, 1);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0xCAFEu);
    assert_int_equal(lt_read_reg(h, REG_LINK_ERRORS), 0); /* garbage is not a bad frame */
    lt_close(h);
}

LT_TEST(test_garbage_usb2, check_garbage, AXSIM_USB2)
LT_TEST(test_garbage_usb3, check_garbage, AXSIM_USB3)

/* A CMD that does not fit the playback buffer is NACKed (BUSY), nothing kept. */
static void test_busy(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[256];
    size_t pos = 0;
    assert_int_equal(ax_ins_wait_until(p, 256, &pos, AX_TIME_MASK), AX_OK); /* blocks forever */
    while (pos < 256)
        assert_int_equal(ax_ins_nop(p, 256, &pos), AX_OK);
    unsigned free_words = 0;
    for (unsigned k = 0; k < 32; k++)
        free_words = lt_cmd_acked(h, p, 256);
    assert_int_equal(free_words, 0);
    static ax_frame f;
    uint16_t seq = lt_cmd(h, p, 1);
    assert_int_equal(lt_recv_ctrl(h, &f, 10000), 1);
    assert_int_equal(f.type, AX_FT_NACK);
    assert_int_equal(f.payload[0] & 0xFFu, AX_NACK_BUSY);
    assert_int_equal(f.payload[0] >> 16, seq);
    assert_int_equal(f.ack, seq);
    lt_close(h);
}

/* Go-back-N with a window of 8: frames 0..7 sent back to back, frame 2
 * corrupted. 0 and 1 run, 2 is NACKed (CRC), 3..7 are NACKed (ORDER); the
 * host resends 2..7 and every frame runs exactly once, in order. */
static void test_window_go_back_n(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    static ax_frame f;
    static uint8_t bytes[8][64];
    int len[8];
    for (unsigned k = 0; k < 8; k++) {
        memset(&f, 0, sizeof f);
        f.type = AX_FT_CMD;
        f.seq = (uint16_t)k;
        size_t pos = 0;
        assert_int_equal(ax_ins_write(f.payload, 256, &pos, REG_SCRATCH, (k + 1) * 10), AX_OK);
        assert_int_equal(ax_ins_read(f.payload, 256, &pos, REG_SCRATCH, (uint16_t)k), AX_OK);
        f.len = (uint16_t)pos;
        len[k] = ax_frame_encode(&f, bytes[k], sizeof bytes[k]);
        assert_true(len[k] > 0);
    }
    for (unsigned k = 0; k < 8; k++) {
        if (k == 2)
            bytes[2][20] ^= 0x80; /* corrupted on the way */
        lt_send_raw(h, bytes[k], (size_t)len[k]);
        if (k == 2)
            bytes[2][20] ^= 0x80;
    }
    unsigned crc_nacks = 0, order_nacks = 0;
    uint16_t acked = 0;
    for (;;) {
        if (!lt_recv_ctrl(h, &f, 20000))
            break;
        if (f.type == AX_FT_ACK)
            acked = f.ack;
        if (f.type == AX_FT_NACK) {
            unsigned reason = f.payload[0] & 0xFFu;
            assert_int_equal(f.ack, 2);
            if (reason == AX_NACK_CRC)
                crc_nacks++;
            else if (reason == AX_NACK_ORDER)
                order_nacks++;
            else
                fail_msg("unexpected NACK reason %u", reason);
        }
    }
    assert_int_equal(acked, 2);
    assert_int_equal(crc_nacks, 1);
    assert_int_equal(order_nacks, 5);
    for (unsigned k = 2; k < 8; k++)
        lt_send_raw(h, bytes[k], (size_t)len[k]);
    for (;;) {
        if (!lt_recv_ctrl(h, &f, 20000))
            break;
        assert_int_equal(f.type, AX_FT_ACK);
        acked = f.ack;
    }
    assert_int_equal(acked, 8);
    h->cmd_seq = 8;
    lt_run(h, 2000);
    size_t seen = 0;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].type != AX_REC_READ)
            continue;
        assert_int_equal(h->recs[i].ticket, seen);
        assert_int_equal(h->recs[i].data[0], (seen + 1) * 10);
        seen++;
    }
    assert_int_equal(seen, 8);
    assert_int_equal(lt_read_reg(h, REG_LINK_ERRORS), 1); /* the CRC NACK only */
    lt_close(h);
}

/* Sequence numbers wrap at 2^16 on both directions without a hiccup. */
static void test_seq_wrap(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_read(p, 4, &pos, REG_SCRATCH, 0), AX_OK);
    for (unsigned k = 0; k < 65540; k++)
        lt_cmd_acked(h, p, pos); /* each READ record ends a DATA frame */
    lt_run(h, 2000);
    assert_int_equal(h->data_frames, 65540);
    assert_int_equal(h->data_expect, (uint16_t)65540);
    assert_int_equal(lt_count(h, AX_REC_READ), 65540);
    lt_close(h);
}

/* The host acknowledges frames while one of them is being resent: the board
 * stops resending there and goes on with new frames (it must not fall back
 * to resending what is acknowledged). The loopback build asserts that the
 * next frame to send stays inside the unacknowledged window. */
static void test_ack_during_replay(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    h->auto_ack = false;
    static ax_frame f, got[3];
    uint32_t p[16];
    size_t pos = 0;
    for (unsigned k = 0; k < 3; k++) /* three ~200-word READ records: three long frames */
        assert_int_equal(ax_ins_read_burst(p, 16, &pos, 0x010000, 200, (uint16_t)k), AX_OK);
    lt_cmd(h, p, pos);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(lt_recv(h, &got[k], 20000), 1);
        assert_int_equal(got[k].seq, k);
        assert_int_equal(got[k].len, 204);
    }
    lt_send_frame(h, AX_FT_REPLAY, 0, 0, NULL, 0); /* resend from 0 ... */
    assert_int_equal(axsim_step(h->b, 40), AX_OK);
    lt_send_frame(h, AX_FT_ACK, 0, 3, NULL, 0); /* ... but all three arrived after all */
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_memory_equal(&f, &got[0], offsetof(ax_frame, payload) + 4u * got[0].len);
    pos = 0;
    assert_int_equal(ax_ins_read(p, 16, &pos, REG_SCRATCH, 9), AX_OK);
    h->data_expect = 3;
    h->auto_ack = true;
    lt_cmd(h, p, pos);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.seq, 3); /* next DATA seq */
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_DATA);
    assert_int_equal(f.seq, 3);
    assert_int_equal(f.payload[0] & 0xFFFFu, 9); /* the new READ's ticket */
    lt_close(h);
}

/* ACK [16] (PENDING): set while the board still has instructions, records
 * or unacknowledged DATA frames for the host; clear once the host has all. */
static void test_ack_pending(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    h->auto_ack = false;
    static ax_frame f;
    uint32_t p[64];
    size_t pos = 0;
    for (unsigned k = 0; k < 12; k++) /* 12 READ records: more than 8 frames */
        assert_int_equal(ax_ins_read(p, 64, &pos, REG_SCRATCH, (uint16_t)k), AX_OK);
    assert_int_equal(ax_ins_end(p, 64, &pos), AX_OK);
    lt_cmd(h, p, pos);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.payload[0] >> 16, 1); /* the program has not run yet */
    for (unsigned k = 0; k < 8; k++) {
        assert_int_equal(lt_recv(h, &f, 20000), 1);
        assert_int_equal(f.type, AX_FT_DATA);
        assert_int_equal(f.seq, k);
    }
    assert_int_equal(lt_recv(h, &f, 5000), 0); /* 8 frames unacknowledged: the board waits */
    /* The playback buffer is empty, but records wait: PENDING. */
    lt_send_frame(h, AX_FT_REPLAY, 0, 8, NULL, 0);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.seq, 8);
    assert_int_equal(f.payload[0], 1u << 16 | 8192u);
    for (unsigned k = 8; k < 13; k++) { /* 4 READs and the END */
        assert_int_equal(lt_recv(h, &f, 20000), 1);
        assert_int_equal(f.type, AX_FT_DATA);
        assert_int_equal(f.seq, k);
    }
    lt_send_frame(h, AX_FT_REPLAY, 0, 13, NULL, 0);
    assert_int_equal(lt_recv(h, &f, 20000), 1);
    assert_int_equal(f.type, AX_FT_ACK);
    assert_int_equal(f.seq, 13);
    assert_int_equal(f.payload[0], 8192u); /* idle: nothing more to come */
    lt_close(h);
}

/* HELLO resets the link: the running program is aborted, the RECORD switches
 * turn off, both sequence spaces restart at 0; the registers keep their
 * values (the stand-in chip turns INJECT(L) into a spike labelled L). */
static void test_hello_resets_link(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[16];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 16, &pos, REG_SCRATCH, 0x55), AX_OK);
    assert_int_equal(ax_ins_record(p, 16, &pos, AX_RECORD_SPIKES), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 16, &pos), AX_OK);
    assert_int_equal(ax_ins_inject(p, 16, &pos, 0x11), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 16, &pos, 20000), AX_OK);
    assert_int_equal(ax_ins_write(p, 16, &pos, REG_SCRATCH, 0x99), AX_OK);
    lt_run_program(h, p, 16, pos, 2000);
    assert_int_equal(h->data_frames, 1); /* the spike, after 256 cycles */
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 1);
    ax_ident id;
    lt_hello(h, &id); /* while the program waits for 20000 */
    lt_run(h, 25000);
    assert_int_equal(h->data_frames, 1);                 /* nothing more came */
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0x55); /* CMD seq 0 again; no 0x99 */
    assert_int_equal(h->data_frames, 3); /* READ and END frames: DATA seq 0, 1 again */
    pos = 0;
    assert_int_equal(ax_ins_inject(p, 16, &pos, 0x22), AX_OK);
    lt_run_program(h, p, 16, pos, 2000);
    assert_int_equal(lt_count(h, AX_REC_END), 2);   /* this one and the READ program's */
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 1); /* RECORD is off: no new spike */
    lt_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_ident_usb3),
        cmocka_unit_test(test_hello_ident_usb2),
        cmocka_unit_test(test_board_registers),
        cmocka_unit_test(test_crc_corrupt_not_run),
        cmocka_unit_test(test_duplicate_runs_once),
        cmocka_unit_test(test_order_nack),
        cmocka_unit_test(test_header_nack),
        cmocka_unit_test(test_replay_bit_identical),
        cmocka_unit_test(test_garbage_usb2),
        cmocka_unit_test(test_garbage_usb3),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_window_go_back_n),
        cmocka_unit_test(test_seq_wrap),
        cmocka_unit_test(test_ack_during_replay),
        cmocka_unit_test(test_ack_pending),
        cmocka_unit_test(test_hello_resets_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
