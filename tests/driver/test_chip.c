/* The chip API over the simulated board (small chip, noise off): parameters,
 * rows, drivers read back exactly; bad arguments write nothing; a neuron
 * driven by injected events through a synapse row spikes with its label. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "axon/chip.h"

#define URI "sim:?size=small&fpn=0&noise=0"

static void test_readback(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    uint32_t ver;
    unsigned n, rows;
    assert_int_equal(ax_chip_info(d, &ver, &n, &rows), AX_OK);
    assert_int_equal(ver, 3);
    assert_int_equal(n, 32);
    assert_int_equal(rows, 32);
    uint16_t codes[64], back[64];
    for (unsigned i = 0; i < 64; i++)
        codes[i] = (uint16_t)(400 + 7 * i);
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_THRESHOLD, 0, codes, 64), AX_OK);
    assert_int_equal(ax_chip_get_param(d, AX_PARAM_THRESHOLD, 0, back, 64), AX_OK);
    assert_memory_equal(codes, back, sizeof codes);
    /* Out of range: one bad code, nothing written. */
    codes[5] = 1023;
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_THRESHOLD, 0, codes, 64), AX_E_RANGE);
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_THRESHOLD, 60, codes, 5), AX_E_RANGE);
    assert_int_equal(ax_chip_get_param(d, AX_PARAM_THRESHOLD, 0, back, 64), AX_OK);
    assert_int_equal(back[0], 400);
    assert_int_equal(back[6], 442);
    uint8_t w[32], l[32], w2[32], l2[32];
    for (unsigned c = 0; c < 32; c++)
        w[c] = (uint8_t)(c * 2 % 64), l[c] = (uint8_t)(63 - c);
    assert_int_equal(ax_chip_set_row(d, 1, 31, w, l), AX_OK);
    assert_int_equal(ax_chip_get_row(d, 1, 31, w2, l2), AX_OK);
    assert_memory_equal(w, w2, 32);
    assert_memory_equal(l, l2, 32);
    assert_int_equal(ax_chip_set_row(d, 1, 32, w, l), AX_E_RANGE);
    w[3] = 64;
    assert_int_equal(ax_chip_set_row(d, 0, 0, w, l), AX_E_RANGE);
    ax_driver_cfg drv[16];
    for (unsigned i = 0; i < 16; i++)
        drv[i] = (ax_driver_cfg){(uint16_t)(i * 50), AX_SIGN_EXC, AX_SIGN_INH};
    assert_int_equal(ax_chip_set_drivers(d, 0, 0, drv, 16), AX_OK);
    assert_int_equal(ax_chip_set_drivers(d, 0, 10, drv, 7), AX_E_RANGE);
    ax_close(d);
}

static void test_spike(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    uint16_t gain = 1022; /* 63 * 1022 / 512: about 125 mV per event */
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, &gain, 1), AX_OK);
    assert_int_equal(ax_chip_wait_capmem(d), AX_OK);
    ax_neuron_cfg cfg = {.label = 0x8000 | 5, .record = true};
    assert_int_equal(ax_chip_set_neurons(d, 0, &cfg, 1), AX_OK);
    uint8_t w[32] = {63}, l[32] = {1};
    assert_int_equal(ax_chip_set_row(d, 0, 0, w, l), AX_OK);
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_OFF};
    assert_int_equal(ax_chip_set_drivers(d, 0, 0, &drv, 1), AX_OK);
    assert_int_equal(ax_chip_clear_counts(d), AX_OK);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_record(p, AX_RECORD_SPIKES);
    ax_program_timer_reset(p);
    for (unsigned i = 0; i < 10; i++) {
        ax_program_wait_until(p, 100 + 8 * i);
        ax_program_inject(p, 1u | 1u << 13); /* address 1, driver 0, hemisphere 0 */
    }
    ax_program_wait_until(p, 2000);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_true(r.nspikes >= 1);
    assert_int_equal(r.spikes[0].label, 0x8000 | 5);
    assert_true(r.spikes[0].time > 100 && r.spikes[0].time < 400);
    assert_int_equal(r.nlate, 0);
    uint8_t cnt[2];
    assert_int_equal(ax_chip_spike_counts(d, 0, cnt, 2), AX_OK);
    assert_int_equal(cnt[0], r.nspikes);
    assert_int_equal(cnt[1], 0);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

/* MADC samples of the reference source during a short recording. */
static size_t madc_samples(ax_device *d, uint16_t *out, size_t cap)
{
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_record(p, AX_RECORD_MADC);
    ax_program_timer_reset(p);
    ax_program_wait_until(p, 1000);
    ax_program_record(p, 0);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    size_t n = r.nsamples < cap ? r.nsamples : cap;
    for (size_t i = 0; i < n; i++)
        out[i] = r.samples[i].value;
    ax_result_free(&r);
    ax_program_free(p);
    return n;
}

/* The reference source with fixed-pattern noise off: every CADC channel reads
 * mV / 4 and the MADC reads mV (docs/chip.md section 7), at two levels. */
static void test_reference(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    static const uint16_t level[2] = {400, 600};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(ax_chip_set_reference(d, level[k]), AX_OK);
        uint8_t codes[32];
        assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_REFERENCE, 0, codes), AX_OK);
        for (int i = 0; i < 32; i++)
            assert_int_equal(codes[i], level[k] / 4);
        assert_int_equal(ax_chip_madc_reference(d, true, 50), AX_OK);
        uint16_t s[64];
        size_t n = madc_samples(d, s, 64);
        assert_true(n >= 15); /* 1000 cycles at one sample per 50 */
        for (size_t i = 0; i < n; i++)
            assert_int_equal(s[i], level[k]);
    }
    assert_int_equal(ax_chip_set_reference(d, 1023), AX_E_RANGE);
    assert_int_equal(ax_chip_madc_reference(d, true, 0), AX_E_RANGE);
    ax_close(d);
}

/* A CapMem write in the same program right after CHIP_RESET lands while the
 * chip initialises its CapMem; it must wait for that, not be overwritten.
 * Threshold code 150 lies below the leak (300): the neuron fires tonically. */
static void test_write_after_reset(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    const unsigned last = 2u * ax_device_ident(d)->neurons_per_hemi - 1u;
    const uint32_t thr_last = AX_CHIP_CAPMEM(AX_PARAM_THRESHOLD, last);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_write(p, AX_REG_CHIP_RESET, 1);
    ax_program_write(p, thr_last, 150);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    uint16_t code = 0;
    assert_int_equal(ax_chip_get_param(d, AX_PARAM_THRESHOLD, last, &code, 1), AX_OK);
    assert_int_equal(code, 150);
    assert_int_equal(ax_chip_wait_capmem(d), AX_OK);
    assert_int_equal(ax_chip_clear_counts(d), AX_OK);
    ax_program_clear(p);
    ax_program_timer_reset(p);
    ax_program_wait_until(p, 2000);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    uint8_t cnt[2];
    assert_int_equal(ax_chip_spike_counts(d, last - 1, cnt, 2), AX_OK);
    assert_int_equal(cnt[0], 0); /* default threshold: silent */
    assert_true(cnt[1] > 10);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readback), cmocka_unit_test(test_spike),
        cmocka_unit_test(test_reference), cmocka_unit_test(test_write_after_reset)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
