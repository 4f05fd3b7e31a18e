/* Chip model 3 on the small board: spike-once neurons (NRN_CFG ONCE) spike
 * once and hold their reset potential until NEURON_RESET, the refractory
 * prescaler (NRN_CFG REFR_PRE) multiplies the refractory time by
 * 2^REFR_PRE, both bit for bit with the C reference; the spike queue loses
 * no spike of a spike-once neuron where ordinary neurons lose all but 64;
 * ROUTE_MAX reads the worst routing delay (1 cycle on an idle chip) and
 * clears on a write of 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chip_testlib.h"

#define DIE     0x5EEDull
#define TRACE   1200
#define NEURONS 64u /* small chip: 2 x 32 */

/* A tonically firing neuron (leak above threshold). */
static void hot_neuron(ct_chip *c, unsigned n, axsim_ref_params *p)
{
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 800;
    codes[AXSIM_REF_THRESH] = 500;
    ct_set_codes(c, n, codes);
    ct_params(c, n, codes, p);
}

/* Traces neuron n across a NEURON_RESET of all neurons while it sits at its
 * reset potential (held, or refractory), and checks it against the reference
 * with configuration p from the reset on. Returns the reference's spikes. */
static unsigned trace_from_reset(ct_chip *c, unsigned n, const axsim_ref_params *p)
{
    static int32_t tr[TRACE];
    ct_reset_all_later(c);
    ct_trace(c, &n, 1, TRACE, tr);
    assert_int_equal(tr[0], (int32_t)p->vres); /* held before the reset */
    int d = -1;
    for (int i = 0; i < TRACE; i++)
        if (tr[i] != (int32_t)p->vres) {
            d = i;
            break;
        }
    assert_true(d > 0);
    axsim_ref_neuron s = {p->vres, 0, 0, 0};
    unsigned spikes = 0;
    for (int i = d; i < TRACE; i++) {
        spikes += (unsigned)axsim_ref_neuron_step(&s, p, 0, 0, 0, 0, 1, NULL);
        assert_int_equal(tr[i], (int32_t)s.v);
    }
    return spikes;
}

/* A spike-once neuron driven above threshold spikes exactly once after each
 * NEURON_RESET and then holds its reset potential, as the reference does. */
static void test_spike_once(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    const unsigned n = 7;
    axsim_ref_params p;
    hot_neuron(&c, n, &p);
    /* label: driver 3 of hemisphere 1, whose rows are off (routed, no effect) */
    const uint32_t cfg = CT_LABEL(3, 0, 0, 1) | AX_CHIP_NRN_CFG_ONCE_MASK;
    ct_write(&c, AX_CHIP_NRN_CFG(n), cfg);
    assert_int_equal(ct_read(&c, AX_CHIP_NRN_CFG(n)), cfg);
    lt_run(c.h, 1000); /* it has spiked once and holds */
    ct_write(&c, AX_CHIP_SPIKE_CNT(n), 0);
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    p.once = 1;
    assert_int_equal(trace_from_reset(&c, n, &p), 1);
    assert_int_equal(ct_vm(&c, n), (int32_t)p.vres);
    lt_run(c.h, 5000);
    assert_int_equal(ct_vm(&c, n), (int32_t)p.vres);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT(n)), 1);
    /* the routing delay of a lone spike: on the bus the cycle after its crossing */
    assert_int_equal(ct_read(&c, AX_CHIP_ROUTE_MAX), 1);
    /* another NEURON_RESET: one more spike */
    ct_reset_all(&c);
    lt_run(c.h, 2000);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT(n)), 2);
    /* ONCE off: it fires tonically again only after a NEURON_RESET releases it */
    ct_write(&c, AX_CHIP_NRN_CFG(n), 0);
    lt_run(c.h, 2000);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT(n)), 2);
    ct_reset_all(&c);
    lt_run(c.h, 2000);
    assert_true(ct_read(&c, AX_CHIP_SPIKE_CNT(n)) > 10);
    ct_close(&c);
}

/* REFR_PRE = k: the refractory counter starts at tref << k. Bit for bit with
 * the reference, and the neuron sits at its reset potential 2^k times as long. */
static void test_refractory_prescaler(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    const unsigned n = 32 + 11; /* a bottom neuron */
    axsim_ref_params p;
    hot_neuron(&c, n, &p);
    for (uint32_t k = 0; k < 8; k += 3) {
        /* hold it (spike once), then release it with the prescaler set */
        ct_write(&c, AX_CHIP_NRN_CFG(n), AX_CHIP_NRN_CFG_ONCE_MASK);
        ct_reset_all(&c);
        lt_run(c.h, 1000);
        ct_write(&c, AX_CHIP_NRN_CFG(n), k << AX_CHIP_NRN_CFG_REFR_PRE_SHIFT);
        assert_int_equal(ct_read(&c, AX_CHIP_NRN_CFG(n)), k << AX_CHIP_NRN_CFG_REFR_PRE_SHIFT);
        p.refr_pre = k;
        unsigned spikes = trace_from_reset(&c, n, &p);
        if (k < 6)
            assert_true(spikes >= 2);
        else
            assert_int_equal(spikes, 1); /* 6: tref * 64 cycles, longer than the trace */
    }
    ct_close(&c);
}

/* Every neuron spikes right after each of two NEURON_RESETs while the link's
 * injections hold the queue: ordinary neurons lose 63 of 128 spikes
 * (test_spike_queue_64 in test_chip_regs), spike-once neurons none; the
 * routing delay of the last one is read from ROUTE_MAX. */
static void test_queue_lossless_once(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    static uint32_t p[256];
    uint32_t data[NEURONS];
    size_t pos = 0;
    static const struct {
        unsigned param, code;
    } set[] = {{AXSIM_REF_LEAK, 300}, {AXSIM_REF_THRESH, 400}, {AXSIM_REF_RESET, 450}};
    for (size_t k = 0; k < 3; k++) {
        for (unsigned n = 0; n < NEURONS; n++)
            data[n] = set[k].code;
        pos = 0;
        assert_int_equal(ax_ins_write_burst(p, 256, &pos,
                                            AX_CHIP_CAPMEM_BASE + 0x400u * set[k].param, data,
                                            NEURONS),
                         AX_OK);
        ct_program(&c, p, pos);
    }
    pos = 0;
    for (unsigned n = 0; n < NEURONS; n++) /* recorded, spike once, label n: driver 0 (off) */
        data[n] = AX_CHIP_NRN_CFG_RECORD_MASK | AX_CHIP_NRN_CFG_ONCE_MASK | 1u << 13 | n;
    assert_int_equal(ax_ins_write_burst(p, 256, &pos, AX_CHIP_NRN_CFG_BASE, data, NEURONS), AX_OK);
    assert_int_equal(ax_ins_record(p, 256, &pos, AX_RECORD_SPIKES), AX_OK);
    ct_program(&c, p, pos);
    lt_run(c.h, 500); /* at rest below threshold until a NEURON_RESET */
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    ct_write(&c, AX_CHIP_CNT_RESET, 1);
    pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 256, &pos, true, 0, 0), AX_OK);
    for (unsigned k = 0; k < 5; k++)
        assert_int_equal(ax_ins_inject(p, 256, &pos, 0), AX_OK);
    assert_int_equal(ax_ins_neuron_reset(p, 256, &pos, true, 0, 0), AX_OK);
    for (unsigned k = 0; k < 20; k++)
        assert_int_equal(ax_ins_inject(p, 256, &pos, 0), AX_OK);
    size_t before = c.h->nrecs;
    ct_program(&c, p, pos);
    lt_run(c.h, 1000);
    pos = 0;
    assert_int_equal(ax_ins_read(p, 256, &pos, AX_CHIP_DROPS, 1), AX_OK);
    assert_int_equal(ax_ins_read(p, 256, &pos, AX_CHIP_ROUTE_MAX, 2), AX_OK);
    assert_int_equal(ax_ins_read_burst(p, 256, &pos, AX_CHIP_SPIKE_CNT_BASE, NEURONS, 3), AX_OK);
    size_t at = c.h->nrecs;
    ct_program(&c, p, pos);
    lt_run(c.h, 3000);
    int r = lt_find(c.h, AX_REC_READ, at);
    assert_true(r >= 0);
    assert_int_equal(c.h->recs[r].data[0], 0); /* nothing dropped */
    size_t spikes = 0, lost[4] = {0, 0, 0, 0};
    for (size_t i = before; i < (size_t)r; i++) {
        if (c.h->recs[i].type == AX_REC_SPIKE)
            spikes++;
        if (c.h->recs[i].type == AX_REC_OVERFLOW)
            lost[c.h->recs[i].source & 3u] += c.h->recs[i].lost;
    }
    assert_int_equal(lost[AX_OVF_CHIP], 0);
    assert_int_equal(spikes + lost[AX_OVF_SPIKES], 2 * NEURONS);
    r = lt_find(c.h, AX_REC_READ, (size_t)r + 1);
    assert_true(r >= 0);
    /* the queue held for 25 cycles by the injections, then 128 spikes drained
     * one a cycle: the last waited at least 128 cycles */
    uint32_t route = c.h->recs[r].data[0];
    assert_true(route >= 2 * NEURONS && route < 2 * NEURONS + 40);
    r = lt_find(c.h, AX_REC_READ, (size_t)r + 1);
    assert_true(r >= 0);
    for (unsigned n = 0; n < NEURONS; n++)
        assert_int_equal(c.h->recs[r].data[n], 2);
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    assert_int_equal(ct_read(&c, AX_CHIP_ROUTE_MAX), 0);
    ct_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spike_once),
        cmocka_unit_test(test_refractory_prescaler),
        cmocka_unit_test(test_queue_lossless_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
