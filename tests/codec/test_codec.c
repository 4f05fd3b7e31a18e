/* Frame codec: CRC vectors, frame round trips, resynchronisation, instruction
 * and record encodings exactly as docs/protocol.md specifies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "axon/codec.h"

static void test_crc_vectors(void **state)
{
    (void)state;
    assert_int_equal(ax_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(ax_crc32(0, "", 0), 0u);
    uint8_t buf[1000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 131u + 7u);
    for (size_t n = 0; n < sizeof buf; n += 37) {
        assert_int_equal(ax_crc32(0, buf, n), (uint32_t)crc32(0, buf, (uInt)n));
        /* Continuation gives the same as one call. */
        assert_int_equal(ax_crc32(ax_crc32(0, buf, n / 3), buf + n / 3, n - n / 3),
                         (uint32_t)crc32(0, buf, (uInt)n));
    }
}

static ax_frame make_frame(uint8_t type, uint16_t seq, uint16_t ack, uint16_t len)
{
    ax_frame f = {.type = type, .seq = seq, .ack = ack, .len = len};
    for (uint16_t i = 0; i < len; i++)
        f.payload[i] = 0x01020304u * (i + 1u);
    return f;
}

static void test_frame_layout(void **state)
{
    (void)state;
    ax_frame f = make_frame(AX_FT_CMD, 0x1234, 0xBEEF, 2);
    uint8_t out[64];
    assert_int_equal(ax_frame_encode(&f, out, sizeof out), 24);
    const uint8_t head[12] = {'A', 'X', 'O', 'N', 0x01, 0, 2, 0, 0x34, 0x12, 0xEF, 0xBE};
    assert_memory_equal(out, head, 12);
    assert_int_equal(out[12], 0x04); /* payload little-endian */
    uint32_t crc = (uint32_t)crc32(0, out, 20);
    assert_int_equal(out[20] | out[21] << 8 | out[22] << 16 | (uint32_t)out[23] << 24, crc);
    assert_int_equal(ax_frame_encode(&f, out, 23), AX_E_RANGE);
    f.len = 257;
    assert_int_equal(ax_frame_encode(&f, out, sizeof out), AX_E_INVAL);
    f.len = 0;
    f.type = 9;
    assert_int_equal(ax_frame_encode(&f, out, sizeof out), AX_E_INVAL);
}

static void test_frame_roundtrip_and_errors(void **state)
{
    (void)state;
    static uint8_t buf[AX_FRAME_MAX_BYTES];
    ax_frame f = make_frame(AX_FT_DATA, 65535, 7, AX_FRAME_MAX_PAYLOAD), g;
    int n = ax_frame_encode(&f, buf, sizeof buf);
    assert_int_equal(n, 1040);
    assert_int_equal(ax_frame_decode(buf, (size_t)n, &g), n);
    assert_int_equal(g.type, AX_FT_DATA);
    assert_int_equal(g.seq, 65535);
    assert_int_equal(g.ack, 7);
    assert_int_equal(g.len, 256);
    assert_memory_equal(g.payload, f.payload, 256 * 4);
    assert_int_equal(ax_frame_decode(buf, (size_t)n - 1, &g), 0); /* needs more */
    assert_int_equal(ax_frame_decode(buf, 3, &g), 0);
    buf[100] ^= 0x10;
    assert_int_equal(ax_frame_decode(buf, (size_t)n, &g), AX_E_CRC);
    buf[0] = 'B';
    assert_int_equal(ax_frame_decode(buf, (size_t)n, &g), AX_E_PROTO);
}

/* Feeds a stream in chunks of the given size and collects the frames. */
static int parse_all(const uint8_t *s, size_t n, size_t chunk, ax_frame *out, int max,
                     ax_frame_parser *p)
{
    int got = 0;
    size_t off = 0;
    ax_frame_parser_init(p);
    while (off < n) {
        size_t len = n - off < chunk ? n - off : chunk, pos = 0;
        while (pos < len) {
            size_t used = 0;
            int r = ax_frame_parser_feed(p, s + off + pos, len - pos, &used, &out[got]);
            pos += used;
            if (r == 1 && got < max)
                got++;
        }
        off += len;
    }
    return got;
}

static void test_parser_resync(void **state)
{
    (void)state;
    static uint8_t s[8192];
    static ax_frame got[16];
    size_t n = 0;
    /* garbage (with a false 'A'), a good frame, a truncated frame, a corrupted
     * frame, a false sync with a bad header, then two good frames. */
    const char junk[] = "xyAXzz";
    memcpy(s, junk, 5);
    n = 5;
    ax_frame f1 = make_frame(AX_FT_ACK, 1, 2, 1), f2 = make_frame(AX_FT_DATA, 3, 4, 40);
    ax_frame f3 = make_frame(AX_FT_IDENT, 0, 0, 10);
    n += (size_t)ax_frame_encode(&f1, s + n, sizeof s - n);
    int t = ax_frame_encode(&f2, s + n, sizeof s - n);
    n += (size_t)t / 2; /* truncated mid-frame */
    size_t bad = n;
    n += (size_t)ax_frame_encode(&f2, s + n, sizeof s - n);
    s[bad + 30] ^= 1;                         /* corrupted */
    memcpy(s + n, "AXON\x55\x00\x00\x00", 8); /* sync, unknown type */
    n += 8;
    n += (size_t)ax_frame_encode(&f2, s + n, sizeof s - n);
    n += (size_t)ax_frame_encode(&f3, s + n, sizeof s - n);
    size_t chunks[] = {1, 3, 7, 64, 1040, sizeof s};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        ax_frame_parser p;
        int k = parse_all(s, n, chunks[c], got, 16, &p);
        assert_int_equal(k, 3);
        assert_int_equal(got[0].type, AX_FT_ACK);
        assert_int_equal(got[0].payload[0], f1.payload[0]);
        assert_int_equal(got[1].type, AX_FT_DATA);
        assert_int_equal(got[1].len, 40);
        assert_memory_equal(got[1].payload, f2.payload, 160);
        assert_int_equal(got[2].type, AX_FT_IDENT);
        assert_true(p.frames_bad_crc >= 1);
        assert_true(p.bytes_skipped > 5);
    }
}

static void test_instructions(void **state)
{
    (void)state;
    uint32_t b[600];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(b, 600, &pos, 0x010203, 0xCAFEBABE), AX_OK);
    assert_int_equal(ax_ins_wait_until(b, 600, &pos, 0x00ABCDEF12345678ull), AX_OK);
    assert_int_equal(ax_ins_read(b, 600, &pos, 0x000D, 77), AX_OK);
    assert_int_equal(ax_ins_inject(b, 600, &pos, 0xBEEF), AX_OK);
    assert_int_equal(ax_ins_neuron_reset(b, 600, &pos, false, 3, 0x80000001u), AX_OK);
    assert_int_equal(ax_ins_neuron_reset(b, 600, &pos, true, 0, 0xFFFF), AX_OK);
    assert_int_equal(ax_ins_record(b, 600, &pos, AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY), AX_OK);
    assert_int_equal(ax_ins_read_burst(b, 600, &pos, 0x100000, 252, 9), AX_OK);
    const uint32_t expect[] = {0x03010203u, 0xCAFEBABEu, 0x01ABCDEFu, 0x12345678u,      0x0400000Du,
                               77u,         0x0500BEEFu, 0x07000003u, 0x80000001u,      0x07800000u,
                               0u,          0x08000003u, 0x0A100000u, (252u << 16) | 9u};
    assert_int_equal(pos, sizeof expect / 4);
    assert_memory_equal(b, expect, sizeof expect);
    uint32_t data[254] = {0};
    size_t p2 = 0;
    assert_int_equal(ax_ins_write_burst(b, 600, &p2, 0x20, data, 254), AX_OK);
    assert_int_equal(p2, 256);
    assert_int_equal(ax_ins_words(b[0], b[1]), 256);
    assert_int_equal(ax_ins_write_burst(b, 600, &p2, 0x20, data, 255), AX_E_INVAL);
    assert_int_equal(ax_ins_write(b, 600, &p2, 0x1000000, 0), AX_E_INVAL);
    size_t full = 599;
    assert_int_equal(ax_ins_write(b, 600, &full, 1, 0), AX_E_RANGE);
    assert_int_equal(full, 599);
    assert_int_equal(ax_ins_words(0x0C000000u, 0), 1);
    assert_int_equal(ax_ins_words(0x0D000000u, 0), 2); /* INJECT_GROUP (protocol 1.1) */
    assert_int_equal(ax_ins_words(0x0D020000u, 0), 2);
    assert_int_equal(ax_ins_words(0x0D030000u, 0), 3); /* 4 labels (protocol 1.2) */
    assert_int_equal(ax_ins_words(0x0E000000u, 0), AX_E_FORMAT);
    /* INJECT_GROUP: labels on distinct buses ([7:6]), 1..4 of them */
    const uint16_t grp[3] = {0x2005, 0x4047, 0x20C9};
    size_t p3 = 0;
    assert_int_equal(ax_ins_inject_group(b, 600, &p3, grp, 3), AX_OK);
    assert_int_equal(p3, 2);
    assert_int_equal(b[0], 0x0D022005u);
    assert_int_equal(b[1], 0x20C94047u);
    assert_int_equal(ax_ins_inject_group(b, 600, &p3, grp, 1), AX_OK);
    assert_int_equal(b[2], 0x0D002005u);
    const uint16_t same[2] = {0x2005, 0x2105}; /* drivers 0 and 4: bus 0 twice */
    assert_int_equal(ax_ins_inject_group(b, 600, &p3, same, 2), AX_E_INVAL);
    assert_int_equal(ax_ins_inject_group(b, 600, &p3, grp, 0), AX_E_INVAL);
    const uint16_t four[5] = {0x2005, 0x4047, 0x20C9, 0x608A, 0x2141}; /* buses 0 1 3 2, then 1 */
    size_t p4 = 0;
    assert_int_equal(ax_ins_inject_group(b, 600, &p4, four, 4), AX_OK);
    assert_int_equal(p4, 3);
    assert_int_equal(b[0], 0x0D032005u);
    assert_int_equal(b[1], 0x20C94047u);
    assert_int_equal(b[2], 0x608Au);
    assert_int_equal(ax_ins_inject_group(b, 600, &p4, four + 1, 4), AX_E_INVAL); /* bus 1 twice */
    assert_int_equal(ax_ins_inject_group(b, 600, &p4, four, 5), AX_E_INVAL);
    assert_int_equal(p4, 3);
}

static void test_records(void **state)
{
    (void)state;
    uint32_t b[64];
    size_t pos = 0;
    uint64_t ref = 0;
    assert_int_equal(ax_rec_spike(b, 64, &pos, &ref, 0x1234, 100, 5), AX_OK);
    assert_int_equal(pos, 1);                                                  /* delta fits */
    assert_int_equal(ax_rec_spike(b, 64, &pos, &ref, 0x0001, 99, 15), AX_OK);  /* -1 */
    assert_int_equal(ax_rec_spike(b, 64, &pos, &ref, 0xFFFF, 5000, 0), AX_OK); /* TIME first */
    assert_int_equal(pos, 5);
    b[pos++] = 0x40000000u | (1023u << 16) | 0xFFF6u; /* MADC 1023, delta -10 */
    b[pos++] = 0x80000000u | (0x07u << 24);           /* TRIAL */
    b[pos++] = 0x00000000u | (7u << 14) | (3u << 4);  /* spike at 3 */
    /* READ of two words, ticket 42 */
    const uint32_t rd[] = {0x82000000u | 42u, 2, 1234, 0, 0xAA, 0xBB};
    memcpy(b + pos, rd, sizeof rd);
    pos += 6;
    const uint32_t late[] = {0x84000000u | 17u, 300, 0};
    memcpy(b + pos, late, sizeof late);
    pos += 3;
    const uint32_t ovf[] = {0x85000000u | (1u << 22) | 12u, 50, 0};
    memcpy(b + pos, ovf, sizeof ovf);
    pos += 3;
    const uint32_t err[] = {0x86000000u | (9u << 8) | AX_ERR_OPCODE, 4, 0xEE000000u};
    memcpy(b + pos, err, sizeof err);
    pos += 3;

    ax_record_decoder d;
    ax_record_decoder_init(&d);
    ax_record r;
    size_t i = 0;
    struct {
        int type, words;
        uint64_t time;
    } want[] = {{AX_REC_SPIKE, 1, 100},   {AX_REC_SPIKE, 1, 99},  {AX_REC_TIME, 2, 5000},
                {AX_REC_SPIKE, 1, 5000},  {AX_REC_MADC, 1, 4990}, {AX_REC_TRIAL, 1, 0},
                {AX_REC_SPIKE, 1, 3},     {AX_REC_READ, 6, 1234}, {AX_REC_LATE, 3, 300},
                {AX_REC_OVERFLOW, 3, 50}, {AX_REC_ERROR, 3, 0}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        int n = ax_record_decode(&d, b + i, pos - i, &r);
        assert_int_equal(n, want[k].words);
        assert_int_equal(r.type, want[k].type);
        assert_int_equal(r.time, want[k].time);
        if (k == 0) {
            assert_int_equal(r.label, 0x1234);
            assert_int_equal(r.frac, 5);
        }
        if (k == 3)
            assert_int_equal(r.label, 0xFFFF);
        if (k == 4)
            assert_int_equal(r.sample, 1023);
        if (k == 7) {
            assert_int_equal(r.ticket, 42);
            assert_int_equal(r.count, 2);
            assert_int_equal(r.data[1], 0xBB);
        }
        if (k == 8)
            assert_int_equal(r.lateness, 17);
        if (k == 9) {
            assert_int_equal(r.source, AX_OVF_SPIKES);
            assert_int_equal(r.lost, 12);
        }
        if (k == 10) {
            assert_int_equal(r.code, AX_ERR_OPCODE);
            assert_int_equal(r.seq, 9);
            assert_int_equal(r.offset, 4);
        }
        i += (size_t)n;
    }
    assert_int_equal(i, pos);
    /* Truncated READ, reserved tag, unknown subtype, time before zero. */
    assert_int_equal(ax_record_decode(&d, rd, 5, &r), AX_E_TRUNC);
    const uint32_t tag3 = 0xC0000000u, sub = 0x9F000000u, neg = (5u << 14) | (0x3F0u << 4);
    assert_int_equal(ax_record_decode(&d, &tag3, 1, &r), AX_E_FORMAT);
    assert_int_equal(ax_record_decode(&d, &sub, 1, &r), AX_E_FORMAT);
    ax_record_decoder_init(&d);
    assert_int_equal(ax_record_decode(&d, &neg, 1, &r), AX_E_FORMAT);
}

static void test_ident(void **state)
{
    (void)state;
    const uint32_t p[AX_IDENT_WORDS] = {
        0x00010002u,      4, 0xC0FFEE, 0x89ABCDEFu, 0x01234567u, 0x0401, (256u << 16) | 256u, 8192,
        (256u << 16) | 8, 0};
    ax_ident id;
    assert_int_equal(ax_ident_decode(p, AX_IDENT_WORDS, &id), AX_OK);
    assert_int_equal(id.protocol_version, AX_PROTOCOL_VERSION);
    assert_int_equal(id.die_seed, 0x0123456789ABCDEFull);
    assert_int_equal(id.variant, 1);
    assert_int_equal(id.port_bytes, 4);
    assert_int_equal(id.neurons_per_hemi, 256);
    assert_int_equal(id.replay_frames, 8);
    assert_int_equal(ax_ident_decode(p, AX_IDENT_WORDS - 1, &id), AX_E_TRUNC);
}

static void test_seq_compare(void **state)
{
    (void)state;
    assert_true(ax_seq_before(65535, 0));
    assert_true(ax_seq_before(1, 2));
    assert_false(ax_seq_before(2, 2));
    assert_false(ax_seq_before(2, 1));
    assert_false(ax_seq_before(0, 0x8000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_vectors),
        cmocka_unit_test(test_frame_layout),
        cmocka_unit_test(test_frame_roundtrip_and_errors),
        cmocka_unit_test(test_parser_resync),
        cmocka_unit_test(test_instructions),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_ident),
        cmocka_unit_test(test_seq_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
