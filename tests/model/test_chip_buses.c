/* Chip model 3 on the small board: 4 event buses per hemisphere (driver d on
 * bus d % 4). Spikes of one cycle on drivers of different buses are routed in
 * the same cycle and reach a neuron together (bit for bit with the reference
 * of their summed amplitudes); spikes on the drivers of one bus go one a
 * cycle (ROUTE_MAX counts it); an injected event takes only its own bus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chip_testlib.h"

#define DIE   0x5EEDull
#define TRACE 600

/* Neurons 0..7 (hemisphere 0): rest 300 below threshold 400, reset 450 above
 * it, spike once: a NEURON_RESET of block 0, mask m makes the selected ones
 * spike in the next cycle, all in the same cycle. Neuron i's label: driver
 * drv[i], address 1, hemisphere 1. */
static void spikers(ct_chip *c, const unsigned drv[8])
{
    for (unsigned n = 0; n < 8; n++) {
        ct_write(c, AX_CHIP_CAPMEM(AX_CHIP_PARAM_LEAK, n), 300);
        ct_write(c, AX_CHIP_CAPMEM(AX_CHIP_PARAM_THRESHOLD, n), 400);
        ct_write(c, AX_CHIP_CAPMEM(AX_CHIP_PARAM_RESET, n), 450);
        ct_write(c, AX_CHIP_NRN_CFG(n), CT_LABEL(drv[n], 1, 0, 1) | AX_CHIP_NRN_CFG_ONCE_MASK);
    }
    lt_run(c->h, 200); /* settled */
}

static uint32_t route_max_after_reset(ct_chip *c, uint32_t mask)
{
    uint32_t ins[4];
    size_t pos = 0;
    ct_write(c, AX_CHIP_ROUTE_MAX, 0);
    assert_int_equal(ax_ins_neuron_reset(ins, 4, &pos, false, 0, mask), AX_OK);
    ct_program(c, ins, pos);
    lt_run(c->h, 300);
    return ct_read(c, AX_CHIP_ROUTE_MAX);
}

/* Target neuron n: leak 400 mV well below threshold 700, tau_m code 300; its
 * reference parameters in *p. */
static void quiet_target(ct_chip *c, unsigned n, axsim_ref_params *p)
{
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 400;
    codes[AXSIM_REF_RESET] = 300;
    codes[AXSIM_REF_THRESH] = 700;
    codes[AXSIM_REF_TAU_M] = 300;
    ct_set_codes(c, n, codes);
    ct_params(c, n, codes, p);
}

/* Traces neuron n from rest: it leaves rest once, and from then on follows
 * the reference PSP of one arrival of amplitude amp, bit for bit. */
static void assert_reference_psp(ct_chip *c, unsigned n, int32_t rest, const axsim_ref_params *p,
                                 uint32_t amp)
{
    static int32_t tr[TRACE];
    ct_trace(c, &n, 1, TRACE, tr);
    assert_int_equal(tr[0], rest);
    int j = -1;
    for (int i = 0; i < TRACE && j < 0; i++)
        if (tr[i] != rest)
            j = i;
    assert_true(j > 0);
    axsim_ref_neuron s = {(uint32_t)rest, 0, 0, 0};
    axsim_ref_neuron_step(&s, p, amp, 0, 0, 0, 1, NULL);
    for (int i = j; i < TRACE; i++) {
        assert_int_equal(tr[i], (int32_t)s.v);
        axsim_ref_neuron_step(&s, p, 0, 0, 0, 0, 1, NULL);
    }
}

/* Four spikes of one cycle on drivers 0..3 (buses 0..3) arrive in the same
 * cycle: the target follows the reference PSP of their summed amplitudes.
 * Eight spikes, two a bus: the last is routed 2 cycles after its crossing;
 * eight on drivers of bus 0: 8 cycles. */
static void test_parallel_buses(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    static const unsigned drv[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    spikers(&c, drv);
    /* target: neuron 32 + 5, synapses of weight 20, label 1 on the even rows
     * of drivers 0..3 of hemisphere 1 (excitatory) */
    const unsigned col = 5, n = 32 + col, w = 20;
    axsim_ref_params p;
    quiet_target(&c, n, &p);
    uint32_t amp = 0;
    for (unsigned d = 0; d < 4; d++) {
        ct_set_driver(&c, 1, d, 0, 1, 0);
        ct_set_synapse(&c, 1, 2 * d, col, w, 1);
        amp += axsim_ref_syn_amp(c.o.die_seed, c.fpn, 1, 2 * d, col, w);
    }
    lt_run(c.h, 6000); /* the target rests */
    const int32_t rest = ct_vm(&c, n);
    uint32_t ins[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_neuron_reset(ins, 4, &pos, false, 0, 0x0F), AX_OK);
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    ct_program_later(&c, ins, pos);
    assert_reference_psp(&c, n, rest, &p, amp);
    assert_int_equal(ct_read(&c, AX_CHIP_ROUTE_MAX), 1);
    /* eight at once, two a bus */
    assert_int_equal(route_max_after_reset(&c, 0xFF), 2);
    /* eight at once, all on bus 0 (drivers 0, 4, 8, 12) */
    static const unsigned one_bus[8] = {0, 4, 8, 12, 0, 4, 8, 12};
    spikers(&c, one_bus);
    assert_int_equal(route_max_after_reset(&c, 0xFF), 8);
    assert_int_equal(ct_read(&c, AX_CHIP_DROPS), 0);
    ct_close(&c);
}

/* Injected events hold only their own bus: four spikes on buses 0..3 while
 * the link injects on bus 0 for 10 cycles: the spikes on buses 1..3 go at
 * once, the one on bus 0 after the injections (and it holds nothing behind
 * it but later spikes: the queue routes in spike order). */
static void test_injection_takes_its_bus(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    static const unsigned drv[8] = {1, 2, 3, 0, 5, 6, 7, 4};
    spikers(&c, drv);
    uint32_t ins[32];
    size_t pos = 0;
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    assert_int_equal(ax_ins_neuron_reset(ins, 32, &pos, false, 0, 0x07), AX_OK);
    for (unsigned k = 0; k < 10; k++) /* driver 8: bus 0, hemisphere 0 */
        assert_int_equal(ax_ins_inject(ins, 32, &pos, CT_LABEL(8, 2, 1, 0)), AX_OK);
    ct_program(&c, ins, pos);
    lt_run(c.h, 300);
    /* neurons 0..2 on buses 1..3: routed at once */
    assert_int_equal(ct_read(&c, AX_CHIP_ROUTE_MAX), 1);
    pos = 0;
    ct_write(&c, AX_CHIP_ROUTE_MAX, 0);
    assert_int_equal(ax_ins_neuron_reset(ins, 32, &pos, false, 0, 0x08), AX_OK);
    for (unsigned k = 0; k < 10; k++)
        assert_int_equal(ax_ins_inject(ins, 32, &pos, CT_LABEL(8, 2, 1, 0)), AX_OK);
    ct_program(&c, ins, pos);
    lt_run(c.h, 300);
    /* neuron 3 on bus 0 waits for the 9 injections after its crossing */
    uint32_t r = ct_read(&c, AX_CHIP_ROUTE_MAX);
    assert_true(r >= 9 && r <= 11);
    ct_close(&c);
}

/* INJECT_GROUP (protocol 1.1, four events from 1.2): three, then four events
 * from the host on drivers 0..3 (buses 0..3) in one cycle reach the target
 * together (the reference PSP of their summed amplitudes); a group with two
 * events on one bus is rejected with VALUE (also when the fourth label, in
 * the third word, repeats a bus), a group of 4 cut off by the frame's end
 * with OPERAND. */
static void group_reaches_target(unsigned ngroup)
{
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    const unsigned col = 9, n = 32 + col, w = 25;
    axsim_ref_params p;
    quiet_target(&c, n, &p);
    uint32_t amp = 0;
    uint16_t lbl[4];
    for (unsigned d = 0; d < ngroup; d++) {
        ct_set_driver(&c, 1, d, 0, 1, 0);
        ct_set_synapse(&c, 1, 2 * d, col, w, 2);
        amp += axsim_ref_syn_amp(c.o.die_seed, c.fpn, 1, 2 * d, col, w);
        lbl[d] = CT_LABEL(d, 2, 0, 1);
    }
    lt_run(c.h, 6000);
    const int32_t rest = ct_vm(&c, n);
    uint32_t ins[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_inject_group(ins, 8, &pos, lbl, ngroup), AX_OK);
    assert_int_equal(pos, ngroup == 4 ? 3 : 2);
    ct_program_later(&c, ins, pos);
    assert_reference_psp(&c, n, rest, &p, amp);
    ct_close(&c);
}

static void test_inject_group(void **state)
{
    (void)state;
    group_reaches_target(3);
    group_reaches_target(4);
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    uint32_t ins[8];
    size_t pos = 0;
    /* the codec refuses a bus twice; the board too */
    uint16_t same[2] = {CT_LABEL(0, 2, 0, 1), CT_LABEL(4, 2, 0, 1)};
    pos = 0;
    assert_int_equal(ax_ins_inject_group(ins, 8, &pos, same, 2), AX_E_INVAL);
    const uint32_t g4 = 0x0D000000u | 3u << 16 | CT_LABEL(0, 2, 0, 1);
    const uint32_t bc = CT_LABEL(1, 2, 0, 1) | (uint32_t)CT_LABEL(2, 2, 0, 1) << 16;
    static const struct {
        uint32_t w0, w1, w2;
        size_t len; /* words sent */
        unsigned code;
    } bad[] = {
        {0x0D000000u | 1u << 16 | CT_LABEL(0, 2, 0, 1), CT_LABEL(4, 2, 0, 1), 0x0C000000u, 3,
         AX_ERR_VALUE},
        {0x0D000000u | 2u << 16 | CT_LABEL(0, 2, 0, 1),
         CT_LABEL(1, 2, 0, 1) | (uint32_t)CT_LABEL(5, 2, 0, 1) << 16, 0x0C000000u, 3, AX_ERR_VALUE},
        {g4, bc, CT_LABEL(6, 2, 0, 1), 3, AX_ERR_VALUE}, /* D on bus 2, as C */
        {g4, bc, 0, 2, AX_ERR_OPERAND},                  /* the third word is missing */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint32_t raw[3] = {bad[k].w0, bad[k].w1, bad[k].w2};
        size_t before = c.h->nrecs;
        lt_cmd_acked(c.h, raw, bad[k].len);
        lt_run(c.h, 1000);
        int e = lt_find(c.h, AX_REC_ERROR, before);
        assert_true(e >= 0);
        assert_int_equal(c.h->recs[e].code, bad[k].code);
    }
    ct_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_buses),
        cmocka_unit_test(test_injection_takes_its_bus),
        cmocka_unit_test(test_inject_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
