/* Link part, recorder: spike records with deltas and TIME records, TRIAL,
 * first-spike-only, OVERFLOW when the buffers fill (nothing lost silently),
 * MADC records, and bit-identical output for the same input. Runs on
 * axsim_loopback: every INJECT(label L) comes back one cycle later as a spike
 * of neuron L[8:0] at the injection's time with fraction L[3:0]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "link_testlib.h"

#define CHIP_MADC   0x01FF00u
#define CHIP_DROP   0x01FF01u /* loopback chip: one spk_drop pulse */
#define CHIP_EVDROP 0x01FF02u /* loopback chip: one ev_drop pulse */

/* Spikes come back with label, time and fraction; a long gap costs a TIME. */
static void test_spike_records(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = lt_begin_recording(p, 32);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 10), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 0x0105), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 300), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 0x0002), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 5000), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 0xBEEF), AX_OK);
    assert_int_equal(ax_ins_barrier(p, 32, &pos), AX_OK);
    lt_run_program(h, p, 32, pos, 8000);
    int t = lt_find(h, AX_REC_TRIAL, 0);
    assert_true(t >= 0);
    int s = lt_find(h, AX_REC_SPIKE, (size_t)t);
    assert_true(s > t);
    assert_int_equal(h->recs[s].label, 0x0105);
    assert_int_equal(h->recs[s].time, 10);
    assert_int_equal(h->recs[s].frac, 5);
    assert_int_equal(h->recs[s + 1].type, AX_REC_SPIKE); /* delta 290 fits */
    assert_int_equal(h->recs[s + 1].label, 2);
    assert_int_equal(h->recs[s + 1].time, 300);
    assert_int_equal(h->recs[s + 2].type, AX_REC_TIME); /* delta 4700 does not */
    assert_int_equal(h->recs[s + 3].type, AX_REC_SPIKE);
    assert_int_equal(h->recs[s + 3].label, 0xBEEF);
    assert_int_equal(h->recs[s + 3].time, 5000);
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 3);
    int e = lt_find(h, AX_REC_END, 0);
    assert_true(e > s + 3);
    lt_close(h);
}

/* First-spike-only: one spike per neuron per trial. */
static void test_first_spike_only(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[64];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, 64, &pos, AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY), AX_OK);
    for (unsigned trial = 0; trial < 2; trial++) {
        assert_int_equal(ax_ins_timer_reset(p, 64, &pos), AX_OK);
        for (unsigned k = 0; k < 3; k++) {
            assert_int_equal(ax_ins_wait_until(p, 64, &pos, 10 + 10 * k), AX_OK);
            assert_int_equal(ax_ins_inject(p, 64, &pos, 3), AX_OK);     /* neuron 3 */
            assert_int_equal(ax_ins_inject(p, 64, &pos, 0x204), AX_OK); /* neuron 4 */
        }
        assert_int_equal(ax_ins_barrier(p, 64, &pos), AX_OK);
    }
    lt_run_program(h, p, 64, pos, 3000);
    assert_int_equal(lt_count(h, AX_REC_TRIAL), 2);
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 4);
    int t0 = lt_find(h, AX_REC_TRIAL, 0);
    int t1 = lt_find(h, AX_REC_TRIAL, (size_t)t0 + 1);
    for (int t = 0; t < 2; t++) {
        int base = t ? t1 : t0;
        int a = lt_find(h, AX_REC_SPIKE, (size_t)base);
        assert_int_equal(h->recs[a].label, 3);
        assert_int_equal(h->recs[a].time, 10);
        assert_int_equal(h->recs[a + 1].type, AX_REC_SPIKE);
        assert_int_equal(h->recs[a + 1].label, 0x204);
        assert_int_equal(h->recs[a + 1].time, 11);
    }
    lt_close(h);
}

/* Spikes recorded while first-spike-only is off do not count as a neuron's
 * first: switched on mid-trial, the next spike is kept, the one after not. */
static void test_first_spike_switched_on(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = lt_begin_recording(p, 32);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 5), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 5), AX_OK);
    assert_int_equal(ax_ins_record(p, 32, &pos, AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY), AX_OK);
    for (unsigned k = 0; k < 3; k++)
        assert_int_equal(ax_ins_inject(p, 32, &pos, 5), AX_OK);
    assert_int_equal(ax_ins_barrier(p, 32, &pos), AX_OK);
    lt_run_program(h, p, 32, pos, 3000);
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 3);
    int s = lt_find(h, AX_REC_SPIKE, 0);
    assert_int_equal(h->recs[s].time, 0);
    assert_int_equal(h->recs[s + 1].time, 1);
    assert_int_equal(h->recs[s + 2].time, 3); /* the first after RECORD (at 2) */
    lt_close(h);
}

/* Protocol 1.1: the chip's losses reach the stream whatever the RECORD
 * switches: an event a delay-line slot dropped as OVERFLOW source 0 (EVENTS),
 * a spike the spike queue lost as source 3 (CHIP), each before the TRIAL
 * record of the next trial, with the experiment time of the loss. */
static void test_chip_losses_in_their_trial(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    static uint32_t p[64];
    size_t pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 64, &pos), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 64, &pos, 100), AX_OK);
    assert_int_equal(ax_ins_write(p, 64, &pos, CHIP_EVDROP, 1), AX_OK);
    assert_int_equal(ax_ins_write(p, 64, &pos, CHIP_EVDROP, 1), AX_OK);
    assert_int_equal(ax_ins_write(p, 64, &pos, CHIP_DROP, 1), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 64, &pos, 200), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 64, &pos), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 64, &pos, 50), AX_OK);
    assert_int_equal(ax_ins_write(p, 64, &pos, CHIP_EVDROP, 1), AX_OK);
    lt_run_program(h, p, 64, pos, 3000);
    uint64_t lost[2][4] = {{0}};
    uint64_t first[2][4] = {{0}};
    int trial = -1;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].type == AX_REC_TRIAL)
            trial++;
        if (h->recs[i].type != AX_REC_OVERFLOW)
            continue;
        assert_true(trial >= 0 && trial < 2);
        unsigned s = h->recs[i].source & 3u;
        if (lost[trial][s] == 0)
            first[trial][s] = h->recs[i].time;
        lost[trial][s] += h->recs[i].lost;
    }
    assert_int_equal(lost[0][AX_OVF_EVENTS], 2);
    assert_int_equal(lost[0][AX_OVF_CHIP], 1);
    assert_int_equal(lost[1][AX_OVF_EVENTS], 1);
    assert_int_equal(lost[1][AX_OVF_CHIP], 0);
    assert_int_equal(lost[0][AX_OVF_SPIKES] + lost[1][AX_OVF_SPIKES], 0);
    assert_true(first[0][AX_OVF_EVENTS] > 100 && first[0][AX_OVF_EVENTS] < 120);
    assert_true(first[1][AX_OVF_EVENTS] > 50 && first[1][AX_OVF_EVENTS] < 70);
    lt_close(h);
}

/* With nothing acknowledged, the replay buffer (8 frames) and the record FIFO
 * fill; the spikes that do not fit are counted by an OVERFLOW record, and
 * every injected spike is either recorded or counted. */
static void test_overflow_marker(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    h->auto_ack = false;
    enum { FRAMES = 24, PER = 255 };
    static uint32_t p[256];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, 256, &pos, AX_RECORD_SPIKES), AX_OK);
    lt_cmd_acked(h, p, pos);
    static ax_frame f;
    for (unsigned fr = 0; fr < FRAMES; fr++) {
        pos = 0;
        for (unsigned k = 0; k < PER; k++)
            assert_int_equal(ax_ins_inject(p, 256, &pos, (uint16_t)(fr * PER + k)), AX_OK);
        uint16_t seq = lt_cmd(h, p, pos);
        /* wait for its ACK; hold back the DATA frames (not acknowledged) */
        for (;;) {
            assert_int_equal(lt_recv(h, &f, 100000), 1);
            if (f.type == AX_FT_ACK && f.ack == (uint16_t)(seq + 1))
                break;
        }
    }
    pos = 0;
    assert_int_equal(ax_ins_write(p, 256, &pos, CHIP_DROP, 1), AX_OK); /* the chip lost one */
    assert_int_equal(ax_ins_barrier(p, 256, &pos), AX_OK);
    assert_int_equal(ax_ins_end(p, 256, &pos), AX_OK);
    lt_cmd(h, p, pos);
    lt_run(h, 20000);
    /* Now take everything: REPLAY from 0 resends the 8 held frames, and
     * acknowledging them lets the rest out. */
    h->auto_ack = true;
    lt_send_frame(h, AX_FT_REPLAY, 0, 0, NULL, 0);
    for (int round = 0; round < 200 && lt_count(h, AX_REC_END) == 0; round++) {
        lt_run(h, 2000);
        lt_send_frame(h, AX_FT_ACK, 0, h->data_expect, NULL, 0);
    }
    assert_int_equal(lt_count(h, AX_REC_END), 1);
    size_t spikes = lt_count(h, AX_REC_SPIKE);
    uint64_t lost = 0, chip_lost = 0;
    int first_ovf = -1;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].type != AX_REC_OVERFLOW)
            continue;
        if (first_ovf < 0)
            first_ovf = (int)i;
        if (h->recs[i].source == AX_OVF_SPIKES)
            lost += h->recs[i].lost;
        if (h->recs[i].source == AX_OVF_CHIP)
            chip_lost += h->recs[i].lost;
    }
    assert_true(first_ovf >= 0);
    assert_true(lost > 0);
    assert_int_equal(spikes + lost, (size_t)FRAMES * PER);
    assert_int_equal(chip_lost, 1);
    /* Recorded spikes are in injection order with no duplicates. */
    int prev = -1;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].type != AX_REC_SPIKE)
            continue;
        assert_true((int)h->recs[i].label > prev);
        prev = h->recs[i].label;
    }
    lt_close(h);
}

/* MADC samples (the stand-in's sample is time[9:0]) with their times. */
static void test_madc_records(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 32, &pos, CHIP_MADC, 100), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 32, &pos), AX_OK);
    assert_int_equal(ax_ins_record(p, 32, &pos, AX_RECORD_MADC), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 2000), AX_OK);
    assert_int_equal(ax_ins_record(p, 32, &pos, 0), AX_OK);
    lt_run_program(h, p, 32, pos, 4000);
    size_t n = lt_count(h, AX_REC_MADC);
    assert_true(n >= 19 && n <= 20);
    uint64_t prev = 0;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].type != AX_REC_MADC)
            continue;
        assert_int_equal(h->recs[i].sample, h->recs[i].time & 0x3FFu);
        if (prev)
            assert_int_equal(h->recs[i].time - prev, 100);
        prev = h->recs[i].time;
    }
    lt_close(h);
}

/* An MADC sample every cycle and two spikes: each spike costs at most the
 * sample of its cycle (counted by OVERFLOW), and the samples go on after it
 * (the loss reports wait for a gap or the next TRIAL/END record; before,
 * the reports of the losses they caused stopped every sample after the
 * first spike). */
static void test_madc_every_cycle_with_spikes(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 32, &pos, CHIP_MADC, 1), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 32, &pos), AX_OK);
    assert_int_equal(ax_ins_record(p, 32, &pos, AX_RECORD_MADC | AX_RECORD_SPIKES), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 100), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 0x0011), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 300), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 0x0022), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 1000), AX_OK);
    assert_int_equal(ax_ins_record(p, 32, &pos, 0), AX_OK);
    assert_int_equal(ax_ins_write(p, 32, &pos, CHIP_MADC, 0), AX_OK);
    lt_run_program(h, p, 32, pos, 4000);
    int t = lt_find(h, AX_REC_TRIAL, 0);
    assert_true(t >= 0);
    size_t n = 0, after = 0;
    uint64_t lost = 0, prev = 0;
    for (size_t i = (size_t)t; i < h->nrecs; i++) {
        if (h->recs[i].type == AX_REC_OVERFLOW && h->recs[i].source == AX_OVF_MADC)
            lost += h->recs[i].lost;
        if (h->recs[i].type != AX_REC_MADC)
            continue;
        assert_true(n == 0 || h->recs[i].time > prev); /* in time order */
        assert_int_equal(h->recs[i].sample, h->recs[i].time & 0x3FFu);
        prev = h->recs[i].time;
        n++;
        after += h->recs[i].time > 310 && h->recs[i].time < 1000;
    }
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 2);
    assert_true(lost >= 1 && lost <= 4);
    assert_true(after >= 680);
    assert_true(n >= 990 && n + lost >= 998);
    lt_close(h);
}

/* Runs RECORD, TIMER_RESET, INJECT at 0, INJECT at `b`, END at 1000 and
 * returns how many DATA frames the first two spikes came in (1 or 2). */
static unsigned frames_for_two_spikes(uint64_t b)
{
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = lt_begin_recording(p, 32);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 1), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, b), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 2), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 1000), AX_OK);
    assert_int_equal(ax_ins_end(p, 32, &pos), AX_OK);
    lt_cmd_acked(h, p, pos);
    unsigned frame_of[2] = {0, 0};
    static ax_frame f;
    while (lt_count(h, AX_REC_END) == 0) {
        assert_int_equal(lt_recv(h, &f, 5000), 1);
        lt_accept_data(h, &f);
        for (unsigned k = 0; k < 2; k++) {
            int s = lt_find(h, AX_REC_SPIKE, 0);
            if (k == 1 && s >= 0)
                s = lt_find(h, AX_REC_SPIKE, (size_t)s + 1);
            if (s >= 0 && frame_of[k] == 0)
                frame_of[k] = h->data_frames;
        }
    }
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 2);
    /* The END record, 1000 cycles later, comes in a frame of its own. */
    assert_int_equal(h->data_frames, frame_of[1] + 1);
    lt_close(h);
    return frame_of[1] - frame_of[0] + 1;
}

/* A DATA frame is cut when records have waited 256 cycles: records written
 * 256 cycles apart (two spikes through the same path) share a frame; 257
 * cycles apart, the first has left in a frame of its own. */
static void test_frame_cut_after_256_cycles(void **state)
{
    (void)state;
    assert_int_equal(frames_for_two_spikes(100), 1);
    assert_int_equal(frames_for_two_spikes(256), 1);
    assert_int_equal(frames_for_two_spikes(257), 2);
}

/* The same options and byte stream give the same bytes back, bit for bit. */
static void run_script(lt_host *h)
{
    uint32_t p[128];
    size_t pos = lt_begin_recording(p, 128);
    for (unsigned k = 0; k < 20; k++) {
        assert_int_equal(ax_ins_wait_until(p, 128, &pos, 37 * k + 5), AX_OK);
        assert_int_equal(ax_ins_inject(p, 128, &pos, (uint16_t)(k * 977)), AX_OK);
    }
    assert_int_equal(ax_ins_read(p, 128, &pos, 0x08, 1), AX_OK); /* SYSTIME_LO */
    lt_run_program(h, p, 128, pos, 5000);
    assert_int_equal(lt_count(h, AX_REC_SPIKE), 20);
}

static void check_reproducible(axsim_variant v)
{
    assert_true(lt_assert_reproducible(run_script, v) > 200);
}

LT_TEST(test_reproducible_usb3, check_reproducible, AXSIM_USB3)
LT_TEST(test_reproducible_usb2, check_reproducible, AXSIM_USB2)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spike_records),
        cmocka_unit_test(test_first_spike_only),
        cmocka_unit_test(test_first_spike_switched_on),
        cmocka_unit_test(test_overflow_marker),
        cmocka_unit_test(test_chip_losses_in_their_trial),
        cmocka_unit_test(test_madc_records),
        cmocka_unit_test(test_madc_every_cycle_with_spikes),
        cmocka_unit_test(test_frame_cut_after_256_cycles),
        cmocka_unit_test(test_reproducible_usb3),
        cmocka_unit_test(test_reproducible_usb2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
