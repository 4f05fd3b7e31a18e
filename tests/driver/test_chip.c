/* The chip API over the simulated board (small chip, noise off): parameters,
 * rows, drivers read back exactly; bad arguments write nothing; a neuron
 * driven by injected events through a synapse row spikes with its label. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
    assert_int_equal(ver, 4);
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

/* ---- batched access: the same values as register by register, in one run -- */

/* CMD frames sent so far: one per ax_run of a short program. */
static uint64_t frames(const ax_device *d)
{
    ax_link_stats st;
    ax_link_get_stats(d, &st);
    return st.cmd_frames;
}

/* Lets the chip run (the simulated board steps only inside runs). */
static void run_for(ax_device *d, uint64_t cycles)
{
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_timer_reset(p);
    ax_program_wait_until(p, cycles);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    ax_result_free(&r);
    ax_program_free(p);
}

/* All 9 x 64 CapMem cells of the small chip, neuron-major (no two cells
 * adjacent: one burst each) and a parameter-major block: written and read in
 * one run each, equal to the per-register reads. */
static void test_batched_params(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    enum { N = AX_PARAM_COUNT * 64 };
    static ax_capmem_cell cells[N];
    static uint16_t codes[N], back[N];
    for (unsigned i = 0; i < N; i++) {
        cells[i] = (ax_capmem_cell){(uint16_t)(i % AX_PARAM_COUNT), (uint16_t)(i / AX_PARAM_COUNT)};
        codes[i] = (uint16_t)((i * 37 + 11) % 1023);
    }
    uint64_t f0 = frames(d);
    assert_int_equal(ax_chip_set_params_many(d, cells, codes, N), AX_OK);
    uint64_t f1 = frames(d);
    assert_int_equal(ax_chip_get_params_many(d, cells, back, N), AX_OK);
    uint64_t f2 = frames(d);
    assert_memory_equal(codes, back, sizeof codes);
    for (unsigned i = 0; i < N; i++) { /* the per-register path */
        uint16_t c;
        assert_int_equal(ax_chip_get_param(d, cells[i].param, cells[i].neuron, &c, 1), AX_OK);
        assert_int_equal(c, codes[i]);
    }
    uint64_t f3 = frames(d);
    printf("# %u CapMem cells: write %llu frames, read %llu frames batched, %llu one by one\n", N,
           (unsigned long long)(f1 - f0), (unsigned long long)(f2 - f1),
           (unsigned long long)(f3 - f2));
    assert_int_equal(f3 - f2, N);
    /* 576 single writes are 1728 words, 576 single reads 1152: a few frames */
    assert_true(f1 - f0 <= 8);
    assert_true(f2 - f1 <= 6);
    /* parameter-major: 9 runs of 64 consecutive cells, one burst each */
    for (unsigned i = 0; i < N; i++)
        cells[i] = (ax_capmem_cell){(uint16_t)(i / 64), (uint16_t)(i % 64)};
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    int t = ax_chip_prog_get_params(d, p, cells, N);
    assert_true(t >= 0);
    f0 = frames(d);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(frames(d) - f0, 1);
    assert_int_equal(r.ntickets, 9); /* one READ_BURST per parameter */
    assert_int_equal(ax_chip_decode_params(&r, t, cells, N, back), AX_OK);
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(back[i], codes[(i % 64) * AX_PARAM_COUNT + i / 64]);
    /* decoding with other cells than the call's is refused */
    assert_int_equal(ax_chip_decode_params(&r, t, cells + 1, N - 1, back), AX_E_INVAL);
    /* a bad cell appends nothing */
    ax_program_clear(p);
    cells[100].neuron = 64;
    assert_int_equal(ax_chip_prog_get_params(d, p, cells, N), AX_E_RANGE);
    assert_int_equal(ax_chip_prog_set_params(d, p, cells, codes, N), AX_E_RANGE);
    assert_int_equal(ax_program_words(p), 0);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

/* A whole hemisphere's synapse matrix in one run each way. */
static void test_batched_matrix(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    static uint8_t w[32 * 32], l[32 * 32], w2[32 * 32], l2[32 * 32];
    for (unsigned i = 0; i < 32 * 32; i++)
        w[i] = (uint8_t)(i * 7 % 64), l[i] = (uint8_t)(i * 13 % 64);
    uint64_t f0 = frames(d);
    assert_int_equal(ax_chip_set_matrix(d, 1, 0, 32, w, l), AX_OK);
    uint64_t f1 = frames(d);
    assert_int_equal(ax_chip_get_matrix(d, 1, 0, 32, w2, l2), AX_OK);
    uint64_t f2 = frames(d);
    assert_memory_equal(w, w2, sizeof w);
    assert_memory_equal(l, l2, sizeof l);
    for (unsigned k = 0; k < 32; k++) {
        uint8_t rw[32], rl[32];
        assert_int_equal(ax_chip_get_row(d, 1, k, rw, rl), AX_OK);
        assert_memory_equal(rw, w + 32 * k, 32);
        assert_memory_equal(rl, l + 32 * k, 32);
    }
    uint64_t f3 = frames(d);
    printf("# 32 synapse rows: write %llu frames, read %llu batched, %llu row by row\n",
           (unsigned long long)(f1 - f0), (unsigned long long)(f2 - f1),
           (unsigned long long)(f3 - f2));
    assert_true(f1 - f0 <= 4 && f2 - f1 <= 2 && f3 - f2 == 32);
    /* rows 30..33 do not exist: nothing written */
    w[0] = 1;
    assert_int_equal(ax_chip_set_matrix(d, 1, 30, 4, w, l), AX_E_RANGE);
    assert_int_equal(ax_chip_get_matrix(d, 1, 0, 1, w2, NULL), AX_OK);
    assert_int_equal(w2[0], 0);
    ax_close(d);
}

/* CADC conversions (membranes of both hemispheres, the reference) and MADC
 * sweeps over a neuron list: the batched codes equal the single calls'. */
static void test_batched_adc(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    uint16_t leak[64];
    for (unsigned i = 0; i < 64; i++)
        leak[i] = (uint16_t)(150 + 5 * i); /* 150..465 mV: below the threshold (500) */
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_LEAK, 0, leak, 64), AX_OK);
    run_for(d, 3000);
    assert_int_equal(ax_chip_set_reference(d, 700), AX_OK);
    const ax_cadc_req q[3] = {
        {0, AX_CADC_MEMBRANE, 0}, {1, AX_CADC_MEMBRANE, 0}, {0, AX_CADC_REFERENCE, 0}};
    uint8_t many[3 * 32], one[32];
    uint64_t f0 = frames(d);
    assert_int_equal(ax_chip_cadc_many(d, q, 3, many), AX_OK);
    assert_int_equal(frames(d) - f0, 1);
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(ax_chip_cadc(d, q[k].hemi, q[k].source, q[k].row, one), AX_OK);
        assert_memory_equal(one, many + 32 * k, 32);
    }
    for (unsigned c = 0; c < 32; c++) { /* at rest near the leak; 4 mV per LSB */
        assert_true(abs(many[c] - leak[c] / 4) <= 1);
        assert_true(abs(many[32 + c] - leak[32 + c] / 4) <= 1);
        assert_int_equal(many[64 + c], 700 / 4);
    }
    /* the MADC over 6 neurons, 8 samples each at period 4, in one run */
    static const uint16_t nrn[6] = {5, 40, 0, 63, 17, 32};
    uint16_t sw[6 * 8];
    f0 = frames(d);
    assert_int_equal(ax_chip_madc_sweep(d, nrn, 6, 4, 8, sw), AX_OK);
    assert_int_equal(frames(d) - f0, 1);
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(ax_chip_madc(d, true, nrn[i], 4), AX_OK);
        uint16_t s[64];
        size_t n = madc_samples(d, s, 64);
        assert_true(n >= 8);
        for (unsigned k = 0; k < 8; k++) {
            assert_int_equal(sw[i * 8 + k], s[0]); /* a resting membrane: one code */
            assert_true(abs((int)sw[i * 8 + k] - leak[nrn[i]]) <= 1);
        }
    }
    assert_int_equal(ax_chip_madc(d, false, 0, 8), AX_OK);
    ax_close(d);
}

/* Correlation sensors of all rows of a hemisphere, both kinds, in one run;
 * a pre-post pairing shows in row 0's causal sensor of column 0 only. */
static void test_batched_corr(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(URI, &d), AX_OK);
    uint16_t gain = 1022;
    assert_int_equal(ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, &gain, 1), AX_OK);
    assert_int_equal(ax_chip_wait_capmem(d), AX_OK);
    uint8_t w[32] = {63}, l[32] = {1};
    assert_int_equal(ax_chip_set_row(d, 0, 0, w, l), AX_OK);
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_OFF};
    assert_int_equal(ax_chip_set_drivers(d, 0, 0, &drv, 1), AX_OK);
    assert_int_equal(ax_reg_write(d, AX_CHIP_CORR_AMP_C, 1000), AX_OK); /* 62.5 sensor units */
    assert_int_equal(ax_reg_write(d, AX_CHIP_CTRL, AX_CHIP_CTRL_CORR_EN_MASK), AX_OK);
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_timer_reset(p);
    for (unsigned i = 0; i < 10; i++) { /* as in test_spike: the neuron fires */
        ax_program_wait_until(p, 100 + 8 * i);
        ax_program_inject(p, 1u | 1u << 13);
    }
    ax_program_wait_until(p, 1000);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    static uint8_t c[32 * 32], a[32 * 32];
    uint64_t f0 = frames(d);
    assert_int_equal(ax_chip_corr_read_many(d, 0, 0, 32, c, a), AX_OK);
    uint64_t f1 = frames(d);
    printf("# 64 sensor rows (32 causal, 32 anti-causal): %llu frames batched\n",
           (unsigned long long)(f1 - f0));
    assert_true(f1 - f0 <= 2); /* one run: 64 x (CADC_CMD + READ) is 256 words and END */
    uint8_t one[32];
    for (unsigned k = 0; k < 32; k++) {
        assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_CAUSAL, k, one), AX_OK);
        assert_memory_equal(one, c + 32 * k, 32);
        assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_ANTICAUSAL, k, one), AX_OK);
        assert_memory_equal(one, a + 32 * k, 32);
    }
    assert_true(c[0] > 0);
    for (unsigned i = 1; i < 32 * 32; i++)
        assert_int_equal(c[i], 0);
    /* rows 1..31 cleared: row 0 keeps its sensor; then row 0 */
    assert_int_equal(ax_chip_corr_reset_rows(d, 0, 1, 31), AX_OK);
    assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_CAUSAL, 0, one), AX_OK);
    assert_int_equal(one[0], c[0]);
    assert_int_equal(ax_chip_corr_reset_rows(d, 0, 1, 32), AX_E_RANGE);
    assert_int_equal(ax_chip_corr_reset_rows(d, 0, 0, 1), AX_OK);
    assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_CAUSAL, 0, one), AX_OK);
    assert_int_equal(one[0], 0);
    /* pair again; CORR_RESET (all) and a conversion in one program */
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(ax_chip_cadc(d, 0, AX_CADC_CAUSAL, 0, one), AX_OK);
    assert_true(one[0] > 0);
    ax_program_clear(p);
    assert_int_equal(ax_chip_prog_corr_reset(d, p), AX_OK);
    int t = ax_chip_prog_cadc(d, p, 0, AX_CADC_CAUSAL, 0);
    assert_true(t >= 0);
    assert_int_equal(ax_run(d, p, &r), AX_OK);
    assert_int_equal(ax_chip_decode_cadc(d, &r, t, 0, one), AX_OK);
    assert_int_equal(one[0], 0);
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readback),       cmocka_unit_test(test_spike),
        cmocka_unit_test(test_reference),      cmocka_unit_test(test_write_after_reset),
        cmocka_unit_test(test_batched_params), cmocka_unit_test(test_batched_matrix),
        cmocka_unit_test(test_batched_adc),    cmocka_unit_test(test_batched_corr)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
