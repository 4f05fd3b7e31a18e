/* Chip part on the small board (axsim + codec): the neuron arithmetic equals
 * the C reference bit for bit (noise off, fixed-pattern noise on and modelled),
 * synaptic events move the membrane as documented (excitatory row up,
 * inhibitory row down), labels select synapses, axonal delays shift arrival
 * by exactly d cycles, a joined column sums both arrays into its top neuron
 * and silences the bottom one, on-chip routing drives a neuron in the other
 * hemisphere, and the CADC and MADC read what the membrane holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chip_testlib.h"

#define DIE   0x5EEDull
#define TRACE 800

/* First index >= from where trace[i*k+j] != v, or -1. */
static int departure(const int32_t *tr, unsigned k, unsigned j, unsigned n, int32_t v)
{
    for (unsigned i = 0; i < n; i++)
        if (tr[i * k + j] != v)
            return (int)i;
    return -1;
}

static void setup_neuron(ct_chip *c, unsigned n, unsigned codes[AXSIM_REF_NPARAMS],
                         axsim_ref_params *p)
{
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 400;
    codes[AXSIM_REF_RESET] = 300;
    codes[AXSIM_REF_THRESH] = 700;
    codes[AXSIM_REF_TAU_M] = 300;
    ct_set_codes(c, n, codes);
    ct_params(c, n, codes, p);
}

/* After NEURON_RESET the membrane follows the reference from the reset
 * potential, cycle for cycle, to the same fixed point. */
static void test_membrane_matches_ref(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    axsim_ref_params p;
    const unsigned n = 3;
    setup_neuron(&c, n, codes, &p);
    ct_reset_all_later(&c);
    static int32_t tr[TRACE];
    ct_trace(&c, &n, 1, TRACE, tr);
    assert_int_not_equal(tr[0], (int32_t)p.vres); /* the trace starts before the reset */
    int j = -1;
    for (int i = 0; i < TRACE; i++)
        if (tr[i] == (int32_t)p.vres) {
            j = i;
            break;
        }
    assert_true(j >= 0);
    axsim_ref_neuron s = {p.vres, 0, 0, 0};
    for (int i = j; i < TRACE; i++) {
        assert_int_equal(tr[i], (int32_t)s.v);
        axsim_ref_neuron_step(&s, &p, 0, 0, 0, 0, 1, NULL);
    }
    assert_true(tr[TRACE - 1] > (int32_t)p.vres); /* it relaxes towards the leak */
    lt_run(c.h, 4000);
    assert_int_equal(ct_vm(&c, n), (int32_t)ct_ref_rest(&p, 20000));
    ct_close(&c);
}

/* One event of weight w on an excitatory row: the membrane follows the
 * reference PSP (amplitude w * synapse step * gain); on the inhibitory row of
 * the same driver it goes down. A label mismatch does nothing. */
static void test_psp_and_labels(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    axsim_ref_params p;
    const unsigned n = 5, drv = 2, w = 40;
    setup_neuron(&c, n, codes, &p);
    ct_set_driver(&c, 0, drv, 0, 1, 2); /* row 4 exc, row 5 inh */
    ct_set_synapse(&c, 0, 2 * drv, n, w, 7);
    ct_set_synapse(&c, 0, 2 * drv + 1, n, w, 9);
    const int32_t rest = (int32_t)ct_ref_rest(&p, 20000);
    static int32_t tr[TRACE];
    for (int sign = 0; sign < 3; sign++) {
        /* from the reset potential to the fixed point (the floor roundings make
         * the fixed point depend on the side it is approached from) */
        ct_reset_all(&c);
        lt_run(c.h, 4000);
        assert_int_equal(ct_vm(&c, n), rest);
        unsigned addr = sign == 0 ? 7 : (sign == 1 ? 9 : 8);
        uint32_t ins[2];
        size_t pos = 0;
        assert_int_equal(ax_ins_inject(ins, 2, &pos, CT_LABEL(drv, addr, 1, 0)), AX_OK);
        ct_program_later(&c, ins, pos);
        ct_trace(&c, &n, 1, TRACE, tr);
        assert_int_equal(tr[0], rest);
        int j = departure(tr, 1, 0, TRACE, rest);
        if (sign == 2) {
            assert_int_equal(j, -1); /* no synapse with label 8 */
            continue;
        }
        assert_true(j >= 0);
        uint32_t amp = axsim_ref_syn_amp(c.o.die_seed, c.fpn, 0, 2 * drv + (unsigned)sign, n, w);
        axsim_ref_neuron s = {(uint32_t)rest, 0, 0, 0};
        axsim_ref_neuron_step(&s, &p, sign == 0 ? amp : 0, sign == 1 ? amp : 0, 0, 0, 1, NULL);
        int32_t peak = rest;
        for (int i = j; i < TRACE; i++) {
            assert_int_equal(tr[i], (int32_t)s.v);
            peak = sign == 0 ? (tr[i] > peak ? tr[i] : peak) : (tr[i] < peak ? tr[i] : peak);
            axsim_ref_neuron_step(&s, &p, 0, 0, 0, 0, 1, NULL);
        }
        if (sign == 0)
            assert_true(peak > rest + (1 << 14)); /* more than 1 mV up */
        else
            assert_true(peak < rest - (1 << 14));
        lt_run(c.h, 4000); /* back near rest */
        assert_true(abs(ct_vm(&c, n) - rest) < (1 << 12));
    }
    ct_close(&c);
}

/* Joined column (NRN_CFG[17] of top neuron n): an event on the bottom array
 * and one on the top array of column n both reach neuron n (its PSP follows
 * the reference with the sum of the two amplitudes and neuron n's gain); the
 * bottom neuron of the column gets no input and never spikes, and spikes
 * again once the column is split. */
static void test_joined_column(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    axsim_ref_params p, pb;
    const unsigned n = 5, nb = 32 + 5, drv = 2, w0 = 30, w1 = 20;
    const unsigned nn[2] = {n, nb};
    setup_neuron(&c, n, codes, &p);
    setup_neuron(&c, nb, codes, &pb);
    ct_set_driver(&c, 0, drv, 0, 1, 0); /* row 4 of both arrays excitatory */
    ct_set_driver(&c, 1, drv, 0, 1, 0);
    ct_set_synapse(&c, 0, 2 * drv, n, w0, 7);
    ct_set_synapse(&c, 1, 2 * drv, n, w1, 7);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + n, 1u << 17);
    ct_reset_all(&c);
    lt_run(c.h, 4000);
    const int32_t rest = ct_vm(&c, n), rest_b = ct_vm(&c, nb);
    assert_int_equal(rest, (int32_t)ct_ref_rest(&p, 20000));
    assert_int_equal(rest_b, (int32_t)ct_ref_rest(&pb, 20000));
    uint32_t ins[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_inject(ins, 2, &pos, CT_LABEL(drv, 7, 1, 1)), AX_OK);
    ct_program_later(&c, ins, pos);
    static int32_t tr[2 * TRACE];
    ct_trace(&c, nn, 2, TRACE, tr);
    assert_int_equal(tr[0], rest);
    assert_int_equal(departure(tr, 2, 1, TRACE, rest_b), -1); /* the bottom neuron: nothing */
    int j = departure(tr, 2, 0, TRACE, rest);
    assert_true(j >= 0);
    uint32_t amp = axsim_ref_syn_amp(c.o.die_seed, c.fpn, 0, 2 * drv, n, w0) +
                   axsim_ref_syn_amp(c.o.die_seed, c.fpn, 1, 2 * drv, n, w1);
    axsim_ref_neuron s = {(uint32_t)rest, 0, 0, 0};
    axsim_ref_neuron_step(&s, &p, amp, 0, 0, 0, 1, NULL);
    for (int i = j; i < TRACE; i++) {
        assert_int_equal(tr[2 * i], (int32_t)s.v);
        axsim_ref_neuron_step(&s, &p, 0, 0, 0, 0, 1, NULL);
    }
    /* a bottom neuron whose leak is above its threshold stays silent while joined */
    unsigned hot[AXSIM_REF_NPARAMS];
    ct_default_codes(hot);
    hot[AXSIM_REF_LEAK] = 800;
    hot[AXSIM_REF_THRESH] = 500;
    ct_set_codes(&c, nb, hot);
    ct_write(&c, AX_CHIP_SPIKE_CNT_BASE + nb, 0);
    lt_run(c.h, 3000);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + nb), 0);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + n, 0);
    lt_run(c.h, 3000);
    assert_true(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + nb) > 3);
    ct_close(&c);
}

/* Two drivers, injected back to back: delaying the second by d cycles moves
 * its arrival by exactly d. */
static void test_axonal_delay(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    axsim_ref_params p;
    const unsigned nn[2] = {5, 6};
    setup_neuron(&c, 5, codes, &p);
    setup_neuron(&c, 6, codes, &p);
    ct_set_synapse(&c, 0, 4, 5, 50, 7); /* driver 2 -> neuron 5 */
    ct_set_synapse(&c, 0, 6, 6, 50, 7); /* driver 3 -> neuron 6 */
    int diff[2];
    const unsigned d = 37;
    static int32_t tr[2 * TRACE];
    for (int run = 0; run < 2; run++) {
        ct_set_driver(&c, 0, 2, 0, 1, 0);
        ct_set_driver(&c, 0, 3, run ? d : 0, 1, 0);
        ct_reset_all(&c);
        lt_run(c.h, 4000);
        int32_t r5 = ct_vm(&c, 5), r6 = ct_vm(&c, 6);
        uint32_t ins[4];
        size_t pos = 0;
        assert_int_equal(ax_ins_inject(ins, 4, &pos, CT_LABEL(2, 7, 1, 0)), AX_OK);
        assert_int_equal(ax_ins_inject(ins, 4, &pos, CT_LABEL(3, 7, 1, 0)), AX_OK);
        ct_program_later(&c, ins, pos);
        ct_trace(&c, nn, 2, TRACE, tr);
        assert_int_equal(tr[0], r5);
        assert_int_equal(tr[1], r6);
        int a = departure(tr, 2, 0, TRACE, r5), b = departure(tr, 2, 1, TRACE, r6);
        assert_true(a >= 0 && b >= 0);
        diff[run] = b - a;
    }
    assert_int_equal(diff[1] - diff[0], (int)d);
    ct_close(&c);
}

/* A spiking neuron of hemisphere 0 drives, through its label and a driver of
 * hemisphere 1, a neuron of hemisphere 1; its spikes are recorded with its
 * label and counted. */
static void test_onchip_routing(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    axsim_ref_params p;
    const unsigned src = 5, dst = 32 + 9;
    setup_neuron(&c, dst, codes, &p);
    ct_set_driver(&c, 1, 1, 0, 1, 0);
    ct_set_synapse(&c, 1, 2, 9, 63, 3);
    ct_reset_all(&c);
    lt_run(c.h, 4000);
    const int32_t rest = ct_vm(&c, dst);
    assert_int_equal(rest, (int32_t)ct_ref_rest(&p, 20000));
    uint16_t label = CT_LABEL(1, 3, 0, 1);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + src, label | 1u << 16);
    uint32_t ins[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(ins, 2, &pos, 1), AX_OK);
    ct_program(&c, ins, pos);
    ct_write(&c, AX_CHIP_SPIKE_CNT_BASE + src, 0);
    unsigned hot[AXSIM_REF_NPARAMS];
    ct_default_codes(hot);
    hot[AXSIM_REF_LEAK] = 800; /* leak above threshold: fires regularly */
    hot[AXSIM_REF_THRESH] = 500;
    ct_set_codes(&c, src, hot);
    lt_run(c.h, 3000);
    unsigned cnt = ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + src);
    assert_true(cnt > 3);
    size_t spikes = 0;
    for (size_t i = 0; i < c.h->nrecs; i++)
        if (c.h->recs[i].type == AX_REC_SPIKE) {
            assert_int_equal(c.h->recs[i].label, label);
            spikes++;
        }
    assert_true(spikes >= 3);
    /* the target integrates the input: it sits well above its rest now */
    int32_t v = ct_vm(&c, dst);
    static int32_t tr[TRACE];
    ct_trace(&c, &dst, 1, TRACE, tr);
    int32_t hi = v;
    for (int i = 0; i < TRACE; i++)
        hi = tr[i] > hi ? tr[i] : hi;
    assert_true(hi > rest + (2 << 14));
    ct_close(&c);
}

/* The CADC converts all columns of a hemisphere at once, the MADC streams one
 * neuron: both give the reference conversion of the membrane (with their
 * offsets and gains), and the reference source reads as documented. */
static void test_adcs(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    ct_reset_all(&c);
    lt_run(c.h, 4000);
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    ct_write(&c, AX_CHIP_CADC_CMD, 0); /* hemisphere 0, membranes */
    for (unsigned w = 0; w < 8; w++) {
        uint32_t word = ct_read(&c, AX_CHIP_CADC_RES_BASE + w);
        for (unsigned k = 0; k < 4; k++) {
            unsigned col = 4 * w + k;
            axsim_ref_params p;
            ct_params(&c, col, codes, &p);
            uint32_t v = (uint32_t)ct_vm(&c, col);
            assert_int_equal(v, ct_ref_rest(&p, 20000));
            assert_int_equal((word >> (8 * k)) & 0xFF, axsim_ref_cadc(c.o.die_seed, c.fpn, col, v));
        }
    }
    ct_write(&c, AX_CHIP_CADC_REF, 400);
    ct_write(&c, AX_CHIP_CADC_CMD, 1u | 3u << 4); /* hemisphere 1, reference */
    for (unsigned w = 0; w < 8; w++) {
        uint32_t word = ct_read(&c, AX_CHIP_CADC_RES_BASE + 0x100 + w);
        for (unsigned k = 0; k < 4; k++)
            assert_int_equal((word >> (8 * k)) & 0xFF,
                             axsim_ref_cadc(c.o.die_seed, c.fpn, 256 + 4 * w + k, 400u << 14));
    }
    /* MADC on neuron 40 every 16 cycles */
    const unsigned n = 40;
    ct_write(&c, AX_CHIP_MADC_PERIOD, 16);
    ct_write(&c, AX_CHIP_MADC_CTRL, 1u | n << 4);
    uint32_t ins[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(ins, 2, &pos, 4), AX_OK);
    ct_program(&c, ins, pos);
    size_t before = c.h->nrecs;
    lt_run(c.h, 2000);
    unsigned expect = axsim_ref_madc(c.o.die_seed, c.fpn, (uint32_t)ct_vm(&c, n));
    size_t got = 0;
    for (size_t i = before; i < c.h->nrecs; i++)
        if (c.h->recs[i].type == AX_REC_MADC) {
            assert_int_equal(c.h->recs[i].sample, expect);
            got++;
        }
    assert_true(got >= 50);
    ct_close(&c);
}

/* Correlation sensors: an input event makes the neuron spike k cycles after
 * it arrived; the synapse's causal sensor then holds K(k) (reference kernel),
 * read through the CADC; the anti-causal one stays 0; CORR_RESET clears. */
static void test_correlation(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 400;
    codes[AXSIM_REF_RESET] = 300;
    codes[AXSIM_REF_GAIN_E] = 1000;
    const unsigned n = 5, drv = 2, w = 63;
    /* threshold 15 mV above this neuron's rest (calibrated with the reference) */
    axsim_ref_params p;
    ct_params(&c, n, codes, &p);
    uint32_t goal = ct_ref_rest(&p, 20000) + (15u << 14);
    for (unsigned code = 0; code <= AXSIM_REF_CODE_MAX; code++)
        if (axsim_ref_param_eff(c.o.die_seed, c.fpn, AXSIM_REF_THRESH, n, code) >= goal) {
            codes[AXSIM_REF_THRESH] = code;
            break;
        }
    ct_set_codes(&c, n, codes);
    ct_params(&c, n, codes, &p);
    ct_set_driver(&c, 0, drv, 0, 1, 0);
    ct_set_synapse(&c, 0, 2 * drv, n, w, 7);
    ct_write(&c, AX_CHIP_CORR_TAU_C, 100);  /* causal tau 100 cycles */
    ct_write(&c, AX_CHIP_CORR_AMP_C, 1000); /* causal amplitude 62.5 */
    ct_write(&c, AX_CHIP_CTRL, 1);
    ct_reset_all(&c);
    lt_run(c.h, 4000);
    /* reference: cycles from arrival to the spike */
    axsim_ref_neuron s = {ct_ref_rest(&p, 20000), 0, 0, 0};
    uint32_t amp = axsim_ref_syn_amp(c.o.die_seed, c.fpn, 0, 2 * drv, n, w);
    unsigned k = 0;
    while (k < 1000 && !axsim_ref_neuron_step(&s, &p, k == 0 ? amp : 0, 0, 0, 0, 1, NULL))
        k++;
    assert_true(k < 200);
    uint32_t ins[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_inject(ins, 2, &pos, CT_LABEL(drv, 7, 1, 0)), AX_OK);
    ct_program(&c, ins, pos);
    lt_run(c.h, 1000);
    assert_true(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + n) >= 1);
    /* the sensor's own gain at the pairing, its offset at the read (model 3) */
    const uint64_t die = c.o.die_seed;
    const unsigned row = 2 * drv;
    uint32_t acc =
        axsim_ref_corr_gain(die, c.fpn, 0, 0, row, n, axsim_ref_corr_kernel(k, 100, 1000));
    const unsigned zero_c =
        axsim_ref_cadc(die, c.fpn, n, axsim_ref_corr_read(die, c.fpn, 0, 0, row, n, 0) << 10);
    const unsigned zero_a =
        axsim_ref_cadc(die, c.fpn, n, axsim_ref_corr_read(die, c.fpn, 1, 0, row, n, 0) << 10);
    ct_write(&c, AX_CHIP_CADC_CMD, 1u << 4 | row << 16); /* causal, row 4, hemisphere 0 */
    uint32_t word = ct_read(&c, AX_CHIP_CADC_RES_BASE + n / 4);
    assert_int_equal(
        (word >> (8 * (n % 4))) & 0xFF,
        axsim_ref_cadc(die, c.fpn, n, axsim_ref_corr_read(die, c.fpn, 0, 0, row, n, acc) << 10));
    assert_true(((word >> (8 * (n % 4))) & 0xFF) > zero_c + 4);
    ct_write(&c, AX_CHIP_CADC_CMD, 2u << 4 | row << 16); /* anti-causal */
    word = ct_read(&c, AX_CHIP_CADC_RES_BASE + n / 4);
    assert_int_equal((word >> (8 * (n % 4))) & 0xFF, zero_a);
    ct_write(&c, AX_CHIP_CORR_RESET, 1);
    ct_write(&c, AX_CHIP_CADC_CMD, 1u << 4 | row << 16);
    word = ct_read(&c, AX_CHIP_CADC_RES_BASE + n / 4);
    assert_int_equal((word >> (8 * (n % 4))) & 0xFF, zero_c);
    ct_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_membrane_matches_ref), cmocka_unit_test(test_psp_and_labels),
        cmocka_unit_test(test_joined_column),        cmocka_unit_test(test_axonal_delay),
        cmocka_unit_test(test_onchip_routing),       cmocka_unit_test(test_adcs),
        cmocka_unit_test(test_correlation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
