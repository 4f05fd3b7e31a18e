/* libaxon over the simulated board (sim:, small chip): identification from
 * the URI's options, registers, a playback program, and a clean link that
 * needs no resends at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "axon/chip.h"
#include "axon/program.h"
#include "device.h"

#define URI "sim:?size=small&die=9&run=3"

static void print_stats(const char *what, ax_device *d)
{
    ax_link_stats s;
    ax_link_get_stats(d, &s);
    printf("%s: cmd %llu resent %llu nacks %llu timeouts %llu replays %llu data %llu bad %llu "
           "dups %llu gaps %llu\n",
           what, (unsigned long long)s.cmd_frames, (unsigned long long)s.cmd_resent,
           (unsigned long long)s.nacks, (unsigned long long)s.timeouts,
           (unsigned long long)s.replays, (unsigned long long)s.data_frames,
           (unsigned long long)s.bad_frames, (unsigned long long)s.data_dups,
           (unsigned long long)s.data_gaps);
}

static void test_ident_and_regs(void **state)
{
    (void)state;
    ax_device *d = NULL;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    const ax_ident *id = ax_device_ident(d);
    assert_int_equal(id->protocol_version, AX_PROTOCOL_VERSION);
    assert_int_equal(id->die_seed, 9);
    assert_int_equal(id->neurons_per_hemi, 32);
    assert_int_equal(id->rows_per_hemi, 32);
    print_stats("open", d);
    uint32_t v = 0;
    assert_int_equal(ax_reg_write(d, AX_REG_SCRATCH, 0x600DF00D), AX_OK);
    print_stats("write", d);
    assert_int_equal(ax_reg_read(d, AX_REG_SCRATCH, &v), AX_OK);
    print_stats("read", d);
    assert_int_equal(v, 0x600DF00D);
    uint32_t regs[8];
    assert_int_equal(ax_reg_read_block(d, AX_REG_PROTOCOL, regs, 8), AX_OK);
    assert_int_equal(regs[0], AX_PROTOCOL_VERSION);
    assert_int_equal(regs[3], 9);
    assert_int_equal(regs[5], 3);
    ax_link_stats s;
    ax_link_get_stats(d, &s);
    assert_int_equal(s.cmd_resent, 0);
    assert_int_equal(s.nacks, 0);
    assert_int_equal(s.bad_frames, 0);
    ax_close(d);
}

typedef struct progress_log {
    uint64_t done[4096], total;
    size_t n;
} progress_log;

static void log_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_log *pl = ctx;
    if (pl->n < 4096)
        pl->done[pl->n++] = done;
    pl->total = total;
}

/* Three trials of 20000 cycles with MADC samples flowing: the progress runs
 * from early values up to exactly the program's 60000 cycles, never back. */
static void test_progress(void **state)
{
    (void)state;
    ax_device *d = NULL;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    assert_int_equal(ax_chip_madc(d, true, 0, 100), AX_OK);
    ax_program *p;
    assert_int_equal(ax_program_new(&p), AX_OK);
    assert_int_equal(ax_program_record(p, AX_RECORD_MADC), AX_OK);
    for (int t = 0; t < 3; t++) {
        assert_int_equal(ax_program_timer_reset(p), AX_OK);
        assert_int_equal(ax_program_wait_until(p, 20000), AX_OK);
    }
    assert_int_equal(ax_program_record(p, 0), AX_OK);
    static progress_log pl;
    ax_set_progress(d, log_progress, &pl);
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(r.trials, 3);
    assert_true(r.nsamples > 500);
    assert_int_equal(pl.total, 60000);
    assert_true(pl.n >= 3);
    assert_int_equal(pl.done[pl.n - 1], 60000);
    size_t mid = 0;
    for (size_t i = 0; i < pl.n; i++) {
        if (i)
            assert_true(pl.done[i] >= pl.done[i - 1]);
        mid += pl.done[i] > 20000 && pl.done[i] < 60000;
    }
    assert_true(mid > 0); /* the second and third trials are counted on */
    ax_set_progress(d, NULL, NULL);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

/* Nothing lost silently (protocol 1.1): events dropped at a full delay-line
 * slot and late WAIT_UNTILs reach ax_result per trial, also with nothing
 * recorded. Drivers 0..5
 * with delays 5..0 and events injected in consecutive cycles: all arrive in
 * the same cycle, a slot takes 4, so 2 are dropped in trial 1; 5 such events
 * drop 1 in trial 2. */
static void test_losses_per_trial(void **state)
{
    (void)state;
    ax_device *d = NULL;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    ax_program *p;
    assert_int_equal(ax_program_new(&p), AX_OK);
    for (uint32_t k = 0; k < 6; k++)
        assert_int_equal(ax_program_write(p, AX_CHIP_DRIVER(0, k), 5 - k), AX_OK);
    for (unsigned t = 0; t < 2; t++) {
        assert_int_equal(ax_program_timer_reset(p), AX_OK);
        assert_int_equal(ax_program_wait_until(p, 100), AX_OK);
        for (unsigned k = t; k < 6; k++) /* driver k, address 1, hemisphere 0 */
            assert_int_equal(ax_program_inject(p, (uint16_t)(1u | k << 6 | 1u << 13)), AX_OK);
        assert_int_equal(ax_program_wait_until(p, 1000), AX_OK);
    }
    assert_int_equal(ax_program_wait_until(p, 500), AX_OK); /* already past: LATE in trial 2 */
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(r.trials, 2);
    assert_true(r.overflow);
    assert_int_equal(r.lost_events, 3);
    assert_int_equal(r.lost_spikes + r.lost_madc + r.lost_chip, 0);
    assert_int_equal(ax_result_lost(&r, 1, AX_OVF_EVENTS), 2);
    assert_int_equal(ax_result_lost(&r, 2, AX_OVF_EVENTS), 1);
    assert_int_equal(ax_result_lost(&r, 2, AX_LOSS_LATE), 1);
    assert_int_equal(ax_result_lost(&r, 1, AX_LOSS_LATE), 0);
    assert_int_equal(ax_result_lost(&r, 2, -1), 2);
    assert_int_equal(ax_result_lost(&r, 0, -1), 0);
    assert_int_equal(r.nlate, 1);
    assert_true(r.nlosses >= 3);
    for (size_t i = 0; i < r.nlosses; i++)
        if (r.losses[i].source == AX_LOSS_LATE)
            assert_int_equal(r.losses[i].time, 500);
        else
            assert_true(r.losses[i].time > 100 && r.losses[i].time < 120);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ident_and_regs),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_losses_per_trial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
