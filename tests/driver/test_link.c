/* libaxon over the fake board: identification, register access, playback
 * programs (times, tickets, late flags, trials, streaming past the playback
 * buffer), board errors, bad URIs, version mismatch, disconnect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "axon/program.h"
#include "device.h"
#include "fakeboard.h"

static ax_device *open_fake(const fakeboard_opts *o, ax_transport **board)
{
    ax_transport *t;
    assert_int_equal(fakeboard_open(o, &t), AX_OK);
    if (board)
        *board = t;
    ax_device *d = NULL;
    assert_int_equal(ax_device_open_transport(t, "fake:", &d), AX_OK);
    return d;
}

static void test_ident(void **state)
{
    (void)state;
    ax_device *d = open_fake(NULL, NULL);
    const ax_ident *id = ax_device_ident(d);
    assert_int_equal(id->protocol_version, AX_PROTOCOL_VERSION);
    assert_int_equal(id->model_version, 42);
    assert_int_equal(id->chip_id, 0xA0001);
    assert_int_equal(id->die_seed, 7);
    assert_int_equal(id->playback_words, 8192);
    assert_string_equal(ax_device_uri(d), "fake:");
    ax_close(d);
}

static void test_version_mismatch(void **state)
{
    (void)state;
    fakeboard_opts o = {.protocol_version = 2u << 16};
    ax_transport *t;
    assert_int_equal(fakeboard_open(&o, &t), AX_OK);
    ax_device *d = NULL;
    assert_int_equal(ax_device_open_transport(t, "fake:", &d), AX_E_VERSION);
    assert_null(d);
    assert_non_null(strstr(ax_error_detail(), "protocol 2.0"));
}

static void test_registers(void **state)
{
    (void)state;
    ax_transport *board;
    ax_device *d = open_fake(NULL, &board);
    uint32_t v = 0;
    assert_int_equal(ax_reg_write(d, AX_REG_SCRATCH, 0xDEADBEEF), AX_OK);
    assert_int_equal(ax_reg_read(d, AX_REG_SCRATCH, &v), AX_OK);
    assert_int_equal(v, 0xDEADBEEF);
    assert_int_equal(fakeboard_peek(board, AX_REG_SCRATCH), 0xDEADBEEF);
    assert_int_equal(ax_reg_read(d, AX_REG_CHIP_ID, &v), AX_OK);
    assert_int_equal(v, 0xA0001);
    /* A block longer than a burst and than a frame. */
    enum { N = 1000 };
    uint32_t w[N], r[N];
    for (unsigned i = 0; i < N; i++)
        w[i] = i * 2654435761u;
    assert_int_equal(ax_reg_write_block(d, 0x010100, w, N), AX_OK);
    memset(r, 0, sizeof r);
    assert_int_equal(ax_reg_read_block(d, 0x010100, r, N), AX_OK);
    assert_memory_equal(w, r, sizeof w);
    assert_int_equal(fakeboard_peek(board, 0x010100 + 999), w[999]);
    ax_close(d);
}

static void test_board_error(void **state)
{
    (void)state;
    ax_transport *board;
    ax_device *d = open_fake(NULL, &board);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    /* One frame: the SCRATCH write must not run because CHIP_ID is read-only. */
    assert_int_equal(ax_program_write(p, AX_REG_SCRATCH, 5), AX_OK);
    assert_int_equal(ax_program_write(p, AX_REG_CHIP_ID, 1), AX_OK);
    assert_int_equal(ax_run(d, p, &r), AX_E_REMOTE);
    assert_int_equal(r.error_code, AX_ERR_ADDRESS);
    assert_int_equal(r.error_offset, 2);
    assert_int_equal(fakeboard_peek(board, AX_REG_SCRATCH), 0);
    /* The link is fine afterwards. */
    uint32_t v = 1;
    assert_int_equal(ax_reg_read(d, AX_REG_SCRATCH, &v), AX_OK);
    assert_int_equal(v, 0);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

static void test_program(void **state)
{
    (void)state;
    ax_device *d = open_fake(NULL, NULL);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    assert_int_equal(ax_program_record(p, AX_RECORD_SPIKES), AX_OK);
    for (unsigned trial = 0; trial < 3; trial++) {
        assert_int_equal(ax_program_timer_reset(p), AX_OK);
        for (unsigned k = 0; k < 5; k++) {
            assert_int_equal(ax_program_wait_until(p, 1000 + 700 * k), AX_OK);
            assert_int_equal(ax_program_inject(p, (uint16_t)(0x100 * trial + k)), AX_OK);
        }
        assert_int_equal(ax_program_read(p, AX_REG_TIME_LO, 1), (int)trial);
    }
    assert_int_equal(ax_program_wait_until(p, 10), AX_OK); /* already past: LATE */
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(r.trials, 3);
    assert_int_equal(r.nspikes, 15);
    for (unsigned i = 0; i < 15; i++) {
        assert_int_equal(r.spikes[i].label, 0x100 * (i / 5) + i % 5);
        assert_int_equal(r.spikes[i].time, 1000 + 700 * (i % 5));
        assert_int_equal(r.spikes[i].trial, i / 5 + 1);
    }
    assert_int_equal(r.ntickets, 3);
    for (unsigned t = 0; t < 3; t++) {
        assert_true(r.tickets[t].filled);
        assert_int_equal(r.tickets[t].status, 0);
        /* One instruction a cycle: the read runs one cycle after the last inject. */
        assert_int_equal(r.tickets[t].data[0], 1000 + 700 * 4 + 1);
        assert_int_equal(r.tickets[t].time, 3801);
    }
    assert_int_equal(r.nlate, 1);
    assert_int_equal(r.first_late, 10);
    assert_int_equal(r.max_lateness, 3802 - 10);
    assert_false(r.overflow);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

/* INJECT_GROUP through the driver: groups of 1..4 events (4: a third word)
 * come back from the loopback in one cycle each, in label order, and the
 * instruction after a group runs one cycle later; a group that repeats a bus
 * is refused before anything is appended (the model's own check of a group
 * that reaches it: tests/model/test_chip_buses.c). */
static void test_inject_group(void **state)
{
    (void)state;
    ax_device *d = open_fake(NULL, NULL);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    assert_int_equal(ax_program_record(p, AX_RECORD_SPIKES), AX_OK);
    assert_int_equal(ax_program_timer_reset(p), AX_OK);
    const uint16_t lbl[4] = {0x2005, 0x4047, 0x20C9, 0x608A}; /* buses 0, 1, 3, 2 */
    for (unsigned n = 1; n <= 4; n++) {
        assert_int_equal(ax_program_wait_until(p, 100 * n), AX_OK);
        assert_int_equal(ax_program_inject_group(p, lbl, n), AX_OK);
    }
    assert_int_equal(ax_program_read(p, AX_REG_TIME_LO, 1), 0);
    size_t words = ax_program_words(p);
    const uint16_t same[2] = {0x2005, 0x2105}; /* drivers 0 and 4: bus 0 twice */
    assert_int_equal(ax_program_inject_group(p, same, 2), AX_E_INVAL);
    assert_int_equal(ax_program_words(p), words);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(r.nspikes, 1 + 2 + 3 + 4);
    for (unsigned n = 1, i = 0; n <= 4; n++)
        for (unsigned k = 0; k < n; k++, i++) {
            assert_int_equal(r.spikes[i].label, lbl[k]);
            assert_int_equal(r.spikes[i].time, 100 * n);
        }
    assert_int_equal(r.tickets[0].data[0], 401);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

/* A program of ~5x the playback buffer streams as room frees up. */
static void test_streaming(void **state)
{
    (void)state;
    fakeboard_opts o = {.playback_words = 1024};
    ax_transport *board;
    ax_device *d = open_fake(&o, &board);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    for (uint32_t i = 0; i < 2500; i++)
        assert_int_equal(ax_program_write(p, 0x010000 + (i % 4096), i), AX_OK);
    assert_int_equal(ax_program_read(p, 0x010000 + 2499, 1), 0);
    assert_true(ax_program_words(p) > 4 * 1024);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(r.tickets[0].data[0], 2499);
    fakeboard_stats st;
    fakeboard_get_stats(board, &st);
    assert_int_equal(st.executed, 2500 + 1 + 1);
    assert_int_equal(st.dups, 0);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

static void test_bad_uris(void **state)
{
    (void)state;
    ax_device *d = NULL;
    assert_int_equal(ax_open("bogus:x", &d), AX_E_NODEV);
    assert_non_null(strstr(ax_error_detail(), "bogus"));
    assert_int_equal(ax_open("no-colon", &d), AX_E_NODEV);
    assert_int_equal(ax_open("socket:/nonexistent/axon.sock", &d), AX_E_NODEV);
    assert_non_null(strstr(ax_error_detail(), "/nonexistent/axon.sock"));
    assert_int_equal(ax_open("socket:/tmp/x?opt=1", &d), AX_E_INVAL);
    assert_null(d);
}

static void test_disconnect(void **state)
{
    (void)state;
    ax_transport *t, *f;
    assert_int_equal(fakeboard_open(NULL, &t), AX_OK);
    ax_fault_config c = {.seed = 1, .disconnect_after = 12};
    assert_int_equal(ax_fault_wrap(t, &c, &f), AX_OK);
    ax_device *d = NULL;
    assert_int_equal(ax_device_open_transport(f, "fault:", &d), AX_OK);
    int r = AX_OK;
    uint32_t v;
    for (int i = 0; i < 20 && r == AX_OK; i++)
        r = ax_reg_read(d, AX_REG_SCRATCH, &v);
    assert_int_equal(r, AX_E_DISCONNECTED);
    /* Sticky: the next call fails at once too. */
    assert_int_equal(ax_reg_read(d, AX_REG_SCRATCH, &v), AX_E_DISCONNECTED);
    ax_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ident),      cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_registers),  cmocka_unit_test(test_board_error),
        cmocka_unit_test(test_program),    cmocka_unit_test(test_inject_group),
        cmocka_unit_test(test_streaming),  cmocka_unit_test(test_bad_uris),
        cmocka_unit_test(test_disconnect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
