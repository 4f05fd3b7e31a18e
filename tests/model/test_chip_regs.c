/* Chip part on the small board (axsim + codec): the numbers of docs/chip.md
 * that are not about the neuron arithmetic. Power-on values (also after
 * CHIP_RESET), the register map's validation at receipt and the small chip's
 * run-time geometry errors, the CapMem settle time, the 64-spike queue, the
 * 4 events a delay-wheel slot takes, the regular and Poisson background
 * sources, the saturating spike counters and the MADC period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chip_testlib.h"

#define DIE 0x5EEDull

/* BG word k of source g: CTRL, LABEL, PERIOD, SEED */
#define BG(g, k)   (AX_CHIP_BG_CTRL(g) + (k))
#define CHIP_RESET 0x10u
#define NEURONS    64u /* small chip: 2 x 32 */
#define WHERE_BUS  0xFFFFFFFFu

/* Sends one program (END appended), runs it out, and returns the index of the
 * first record of `type` it produced (asserts there is one). */
static int run_for(ct_chip *c, const uint32_t *ins, size_t n, uint8_t type)
{
    size_t before = c->h->nrecs;
    ct_program(c, ins, n);
    lt_run(c->h, 3000);
    int i = lt_find(c->h, type, before);
    assert_true(i >= 0);
    return i;
}

/* READ of addr: its status (0 ok, else an ERROR code) and *value. */
static unsigned read_status(ct_chip *c, uint32_t addr, uint32_t *value)
{
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_read(p, 2, &pos, addr, 0x5A), AX_OK);
    int i = run_for(c, p, pos, AX_REC_READ);
    assert_int_equal(c->h->recs[i].ticket, 0x5A);
    assert_int_equal(c->h->recs[i].count, 1);
    if (value)
        *value = c->h->recs[i].data[0];
    return c->h->recs[i].status;
}

/* A one-instruction frame rejected at receipt: its ERROR record's code,
 * offset (0 for the instruction word, 1 for the data word) and word. */
static void expect_reject(ct_chip *c, bool write, uint32_t addr, uint32_t data, unsigned code)
{
    uint32_t p[2];
    size_t pos = 0;
    if (write)
        assert_int_equal(ax_ins_write(p, 2, &pos, addr, data), AX_OK);
    else
        assert_int_equal(ax_ins_read(p, 2, &pos, addr, 1), AX_OK);
    size_t before = c->h->nrecs;
    lt_cmd_acked(c->h, p, pos);
    lt_run(c->h, 1000);
    int i = lt_find(c->h, AX_REC_ERROR, before);
    if (i < 0)
        fail_msg("%s 0x%06x = 0x%x: not rejected", write ? "WRITE" : "READ", (unsigned)addr,
                 (unsigned)data);
    if (c->h->recs[i].code != code)
        fail_msg("%s 0x%06x = 0x%x: code %u, expected %u", write ? "WRITE" : "READ", (unsigned)addr,
                 (unsigned)data, c->h->recs[i].code, code);
    bool on_data = write && code == AX_ERR_VALUE;
    assert_int_equal(c->h->recs[i].offset, on_data ? 1 : 0);
    assert_int_equal(c->h->recs[i].word, on_data ? data : p[0]);
}

/* A WRITE that passes receipt and fails on the chip's bus: ERROR ADDRESS with
 * seq 0, offset 0xFFFFFFFF and the address. */
static void expect_bus_error(ct_chip *c, uint32_t addr, uint32_t data)
{
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 2, &pos, addr, data), AX_OK);
    int i = run_for(c, p, pos, AX_REC_ERROR);
    assert_int_equal(c->h->recs[i].code, AX_ERR_ADDRESS);
    assert_int_equal(c->h->recs[i].seq, 0);
    assert_int_equal(c->h->recs[i].offset, WHERE_BUS);
    assert_int_equal(c->h->recs[i].word, addr);
}

/* The power-on values of docs/chip.md section 1. */
static void check_power_on(ct_chip *c)
{
    assert_int_equal(ct_read(c, AX_CHIP_INFO), 32u | 32u << 16);
    assert_int_equal(ct_read(c, AX_CHIP_VERSION), 4);
    assert_int_equal(ct_read(c, AX_CHIP_CTRL), 0);
    assert_int_equal(ct_read(c, AX_CHIP_STATUS), 2); /* settled, event paths idle */
    assert_int_equal(ct_read(c, AX_CHIP_DROPS), 0);
    assert_int_equal(ct_read(c, AX_CHIP_MADC_CTRL), 0);
    assert_int_equal(ct_read(c, AX_CHIP_MADC_PERIOD), 8);
    assert_int_equal(ct_read(c, AX_CHIP_ROUTE_MAX), 0);
    static const uint32_t glb[5] = {500, 100, 100, 64, 64}; /* CADC_REF, CORR_TAU/AMP */
    for (unsigned g = 0; g < 5; g++)
        assert_int_equal(ct_read(c, AX_CHIP_CADC_REF + g), glb[g]);
    static const uint32_t bg[4] = {0, 0, 1000, 1}; /* CTRL, LABEL, PERIOD, SEED */
    for (unsigned g = 0; g < 4; g++)
        for (unsigned k = 0; k < 4; k++)
            assert_int_equal(ct_read(c, BG(g, k)), bg[k]);
    for (unsigned n = 0; n < NEURONS; n += 21) {
        assert_int_equal(ct_read(c, AX_CHIP_NRN_CFG_BASE + n), 0);
        assert_int_equal(ct_read(c, AX_CHIP_SPIKE_CNT_BASE + n), 0);
        for (unsigned p = 0; p < AXSIM_REF_NPARAMS; p++)
            assert_int_equal(ct_read(c, AX_CHIP_CAPMEM_BASE + 0x400u * p + n),
                             axsim_ref_default_code((axsim_ref_param)p));
    }
    static const unsigned dflt[AXSIM_REF_NPARAMS] = {300, 280, 500, 208, 416, 416, 256, 256, 20};
    for (unsigned p = 0; p < AXSIM_REF_NPARAMS; p++)
        assert_int_equal(axsim_ref_default_code((axsim_ref_param)p), dflt[p]);
    for (unsigned h = 0; h < 2; h++) {
        assert_int_equal(ct_read(c, AX_CHIP_DRIVER_BASE + 0x100u * h + 15), 0);
        assert_int_equal(ct_read(c, AX_CHIP_SYN_BASE + 0x10000u * h + 0x100u * 31 + 15), 0);
    }
}

/* Power-on values, and CHIP_RESET returns every register to them. */
static void test_power_on_and_chip_reset(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    check_power_on(&c);
    ct_write(&c, AX_CHIP_CTRL, 1);
    ct_write(&c, AX_CHIP_MADC_PERIOD, 100);
    ct_write(&c, AX_CHIP_CADC_REF, 7);
    ct_write(&c, AX_CHIP_CORR_TAU_C, 9);
    ct_write(&c, BG(2, 2), 5);
    ct_write(&c, BG(2, 3), 77);
    ct_write(&c, BG(2, 1), 0x1234);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + 21, 0x1ABCD);
    ct_write(&c, AX_CHIP_CAPMEM_BASE + 42, 900);
    ct_set_driver(&c, 1, 15, 5, 1, 2);
    ct_set_synapse(&c, 1, 31, 30, 63, 9);
    assert_int_equal(ct_read(&c, AX_CHIP_NRN_CFG_BASE + 21), 0x1ABCD);
    assert_int_equal(ct_read(&c, AX_CHIP_DRIVER_BASE + 0x100 + 15), 5u | 1u << 16 | 2u << 18);
    assert_int_equal(ct_read(&c, AX_CHIP_SYN_BASE + 0x10000 + 0x100u * 31 + 15), 63u | 9u << 6);
    assert_int_equal(ct_read(&c, BG(2, 3)), 77);
    ct_write(&c, CHIP_RESET, 1);
    check_power_on(&c);
    ct_close(&c);
}

/* docs/chip.md's map at receipt: wrong access ADDRESS, bad values VALUE. */
static void test_validation(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    static const struct {
        bool write;
        uint32_t addr, data;
        unsigned code;
    } bad[] = {
        {true, AX_CHIP_INFO, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_VERSION, 1, AX_ERR_ADDRESS},
        {true, AX_CHIP_STATUS, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_DROPS, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_CNT_RESET, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_CORR_RESET, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_CADC_CMD, 0, AX_ERR_ADDRESS},
        {false, 0x010007, 0, AX_ERR_ADDRESS},
        {false, 0x010025, 0, AX_ERR_ADDRESS},
        {false, 0x010050, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_CTRL, 2, AX_ERR_VALUE},
        {true, AX_CHIP_CNT_RESET, 0, AX_ERR_VALUE},
        {true, AX_CHIP_CORR_RESET, 2, AX_ERR_VALUE},
        {true, AX_CHIP_CORR_RESET, 1u | 4u, AX_ERR_VALUE},                  /* HEMI without ROWS */
        {true, AX_CHIP_CORR_RESET, 3u | 5u << 16 | 4u << 24, AX_ERR_VALUE}, /* LAST < ROW */
        {true, AX_CHIP_CORR_RESET, 3u | 1u << 8, AX_ERR_VALUE},
        {true, AX_CHIP_MADC_CTRL, 1u << 13, AX_ERR_VALUE},
        {true, AX_CHIP_MADC_CTRL, 4, AX_ERR_VALUE},
        {true, AX_CHIP_MADC_CTRL, 8, AX_ERR_VALUE},
        {true, AX_CHIP_MADC_PERIOD, 0, AX_ERR_VALUE},
        {true, AX_CHIP_MADC_PERIOD, 65536, AX_ERR_VALUE},
        {true, AX_CHIP_CADC_CMD, 1u << 6, AX_ERR_VALUE},
        {true, AX_CHIP_CADC_CMD, 1u << 24, AX_ERR_VALUE},
        {true, AX_CHIP_CADC_REF, 1023, AX_ERR_VALUE},
        {true, AX_CHIP_CORR_TAU_C, 1023, AX_ERR_VALUE},
        {true, BG(0, 0), 4, AX_ERR_VALUE},
        {true, BG(1, 1), 0x10000, AX_ERR_VALUE},
        {true, BG(3, 3), 0, AX_ERR_VALUE},
        {true, AX_CHIP_NRN_CFG_BASE + 3, 1u << 22, AX_ERR_VALUE}, /* past REFR_PRE (model 3) */
        {true, AX_CHIP_ROUTE_MAX, 1, AX_ERR_VALUE},               /* only 0 clears it */
        {true, AX_CHIP_NRN_CFG_BASE + 512, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_SPIKE_CNT_BASE + 3, 1, AX_ERR_VALUE},
        {true, AX_CHIP_DRIVER_BASE + 3, 1023, AX_ERR_VALUE},
        {true, AX_CHIP_DRIVER_BASE + 3, 3u << 16, AX_ERR_VALUE},
        {true, AX_CHIP_DRIVER_BASE + 3, 3u << 18, AX_ERR_VALUE},
        {true, AX_CHIP_DRIVER_BASE + 3, 1u << 20, AX_ERR_VALUE},
        {true, AX_CHIP_DRIVER_BASE + 128, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_DRIVER_BASE + 0x200, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_CADC_RES_BASE, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_CADC_RES_BASE + 64, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_CAPMEM_BASE + 3, 1023, AX_ERR_VALUE},
        {false, AX_CHIP_CAPMEM_BASE + 9 * 0x400u, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_CAPMEM_BASE + 512, 0, AX_ERR_ADDRESS},
        {true, AX_CHIP_SYN_BASE + 3, 1u << 12, AX_ERR_VALUE},
        {true, AX_CHIP_SYN_BASE + 3, 1u << 28, AX_ERR_VALUE},
        {false, AX_CHIP_SYN_BASE + 128, 0, AX_ERR_ADDRESS},
        {false, AX_CHIP_SYN_BASE + 0x20000, 0, AX_ERR_ADDRESS},
        {false, 0x015000, 0, AX_ERR_ADDRESS},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        expect_reject(&c, bad[k].write, bad[k].addr, bad[k].data, bad[k].code);
    /* The largest values that are accepted. */
    ct_write(&c, AX_CHIP_MADC_PERIOD, 65535);
    ct_write(&c, AX_CHIP_DRIVER_BASE + 3, 1022u | 2u << 16 | 1u << 18);
    ct_write(&c, AX_CHIP_CAPMEM_BASE + 3, 1022);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + 3, 0x3FFFFF);
    assert_int_equal(ct_read(&c, AX_CHIP_MADC_PERIOD), 65535);
    assert_int_equal(ct_read(&c, AX_CHIP_DRIVER_BASE + 3), 1022u | 2u << 16 | 1u << 18);
    assert_int_equal(ct_read(&c, AX_CHIP_CAPMEM_BASE + 3), 1022);
    assert_int_equal(ct_read(&c, AX_CHIP_NRN_CFG_BASE + 3), 0x3FFFFF);
    ct_close(&c);
}

/* The small chip: an address or a named neuron or row past its geometry
 * passes receipt and fails on the bus (READ status 3, ERROR ADDRESS). */
static void test_small_geometry(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    static const uint32_t outside[] = {
        AX_CHIP_NRN_CFG_BASE + 64,
        AX_CHIP_SPIKE_CNT_BASE + 64,
        AX_CHIP_CAPMEM_BASE + 64,
        AX_CHIP_DRIVER_BASE + 16,
        AX_CHIP_DRIVER_BASE + 0x100 + 16,
        AX_CHIP_CADC_RES_BASE + 8,
        AX_CHIP_SYN_BASE + 16,
        AX_CHIP_SYN_BASE + 0x100u * 32,
        AX_CHIP_SYN_BASE + 0x10000 + 0x100u * 32,
        AX_CHIP_CAPMEM_BASE + 0x2063,
        AX_CHIP_CADC_RES_BASE + 0x100 + 8,
    };
    for (size_t k = 0; k < sizeof outside / sizeof outside[0]; k++)
        assert_int_equal(read_status(&c, outside[k], NULL), AX_ERR_ADDRESS);
    uint32_t v;
    assert_int_equal(read_status(&c, AX_CHIP_NRN_CFG_BASE + 63, &v), 0);
    expect_bus_error(&c, AX_CHIP_NRN_CFG_BASE + 64, 1);
    /* MADC on neuron 64, a sensor row 32: not on this chip; nothing changes. */
    ct_write(&c, AX_CHIP_MADC_CTRL, 5u << 4);
    expect_bus_error(&c, AX_CHIP_MADC_CTRL, 1u | 64u << 4);
    assert_int_equal(ct_read(&c, AX_CHIP_MADC_CTRL), 5u << 4);
    expect_bus_error(&c, AX_CHIP_CADC_CMD, 1u << 4 | 32u << 16);
    expect_bus_error(&c, AX_CHIP_CADC_CMD, 1u | 2u << 4 | 200u << 16);
    expect_bus_error(&c, AX_CHIP_CORR_RESET, 3u | 4u | 30u << 16 | 32u << 24); /* rows 30..32 */
    ct_write(&c, AX_CHIP_CORR_RESET, 3u | 4u | 30u << 16 | 31u << 24);
    /* The row field is ignored for the membranes and the reference. */
    ct_write(&c, AX_CHIP_CADC_CMD, 32u << 16);
    ct_write(&c, AX_CHIP_CADC_CMD, 1u | 3u << 4 | 255u << 16);
    assert_int_equal(read_status(&c, AX_CHIP_CADC_RES_BASE + 0x100, &v), 0);
    assert_int_equal(v & 0xFF, axsim_ref_cadc(c.o.die_seed, c.fpn, 256, 500u << 14));
    ct_close(&c);
}

/* STATUS[0] is 1 from a CapMem write until 2 * NeuronsPerHemi (64) cycles
 * after it; the new value reaches the neuron within that time. */
static unsigned status_after_write(ct_chip *c, uint64_t t)
{
    uint32_t p[16];
    size_t pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 16, &pos), AX_OK);
    assert_int_equal(
        ax_ins_write(p, 16, &pos, AX_CHIP_CAPMEM_BASE + 0x400u * AXSIM_REF_T_REF + 9, 30),
        AX_OK); /* at experiment time 0 */
    assert_int_equal(ax_ins_wait_until(p, 16, &pos, t), AX_OK);
    assert_int_equal(ax_ins_read(p, 16, &pos, AX_CHIP_STATUS, 3), AX_OK);
    int i = run_for(c, p, pos, AX_REC_READ);
    assert_int_equal(c->h->recs[i].time, t);
    return c->h->recs[i].data[0] & 1u;
}

static void test_capmem_settle(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    assert_int_equal(ct_read(&c, AX_CHIP_STATUS) & 1u, 0);
    assert_int_equal(status_after_write(&c, 5), 1);
    assert_int_equal(status_after_write(&c, 63), 1);
    assert_int_equal(status_after_write(&c, 64), 0);
    /* A threshold below the rest potential takes effect within the settle
     * time: the neuron fires in the cycle after the new value reaches it. */
    const unsigned n = 12;
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, 8, &pos, AX_RECORD_SPIKES), AX_OK);
    ct_program(&c, p, pos);
    ct_write(&c, AX_CHIP_NRN_CFG_BASE + n, 1u << 16 | 77u);
    pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 8, &pos), AX_OK);
    assert_int_equal(
        ax_ins_write(p, 8, &pos, AX_CHIP_CAPMEM_BASE + 0x400u * AXSIM_REF_THRESH + n, 100),
        AX_OK); /* at experiment time 0 */
    size_t before = c.h->nrecs;
    ct_program(&c, p, pos);
    lt_run(c.h, 1000);
    int s = lt_find(c.h, AX_REC_SPIKE, before);
    assert_true(s >= 0);
    assert_int_equal(c.h->recs[s].label, 77);
    assert_true(c.h->recs[s].time > 2);
    assert_true(c.h->recs[s].time <= 2 * 32 + 3);
    ct_close(&c);
}

/* All 64 neurons of the small chip fire in one cycle twice, 6 cycles apart,
 * while INJECTs hold the spike queue (injected events go first): the queue
 * keeps 64, drained one in the NEURON_RESET cycle between, so the second
 * wave loses 63, counted in DROPS[31:16] and by an OVERFLOW record. */
static void test_spike_queue_64(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    static uint32_t p[256];
    uint32_t data[NEURONS];
    size_t pos = 0;
    /* rest (leak 300) below threshold 400, reset 450 above it, 1000 cycles
     * refractory: a NEURON_RESET makes each neuron spike once, the next cycle */
    static const struct {
        unsigned param, code;
    } set[] = {{AXSIM_REF_LEAK, 300},
               {AXSIM_REF_THRESH, 400},
               {AXSIM_REF_RESET, 450},
               {AXSIM_REF_T_REF, 1000}};
    for (size_t k = 0; k < 4; k++) {
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
    for (unsigned n = 0; n < NEURONS; n++)
        /* recorded, label n on driver 0 (bus 0) of hemisphere 0, whose rows are
         * off: the injections (label 0, bus 0) hold the route side (model 3) */
        data[n] = 1u << 16 | 1u << 13 | n;
    assert_int_equal(ax_ins_write_burst(p, 256, &pos, AX_CHIP_NRN_CFG_BASE, data, NEURONS), AX_OK);
    assert_int_equal(ax_ins_record(p, 256, &pos, AX_RECORD_SPIKES), AX_OK);
    ct_program(&c, p, pos);
    lt_run(c.h, 500);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE), 0);
    pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 256, &pos, true, 0, 0), AX_OK);
    for (unsigned k = 0; k < 5; k++)
        assert_int_equal(ax_ins_inject(p, 256, &pos, 0), AX_OK);
    assert_int_equal(ax_ins_neuron_reset(p, 256, &pos, true, 0, 0), AX_OK);
    for (unsigned k = 0; k < 20; k++)
        assert_int_equal(ax_ins_inject(p, 256, &pos, 0), AX_OK);
    size_t before = c.h->nrecs;
    ct_program(&c, p, pos);
    lt_run(c.h, 300);
    /* read before the 1000-cycle refractory time ends; the records before
     * the READ record are those of the two waves */
    pos = 0;
    assert_int_equal(ax_ins_read(p, 256, &pos, AX_CHIP_DROPS, 1), AX_OK);
    assert_int_equal(ax_ins_read_burst(p, 256, &pos, AX_CHIP_SPIKE_CNT_BASE, NEURONS, 2), AX_OK);
    int r = run_for(&c, p, pos, AX_REC_READ);
    assert_int_equal(c.h->recs[r].data[0], 63u << 16);
    /* The chip's 63 losses reach the link as OVERFLOW (chip); the 65 routed
     * spikes are recorded or, where those OVERFLOW records held up the
     * link's 32-spike staging queue, counted as OVERFLOW (spikes). */
    size_t spikes = 0, lost[4] = {0, 0, 0, 0};
    for (size_t i = before; i < (size_t)r; i++) {
        if (c.h->recs[i].type == AX_REC_SPIKE)
            spikes++;
        if (c.h->recs[i].type == AX_REC_OVERFLOW)
            lost[c.h->recs[i].source & 3u] += c.h->recs[i].lost;
    }
    assert_int_equal(lost[AX_OVF_CHIP], 63);
    assert_int_equal(lost[AX_OVF_MADC], 0);
    assert_int_equal(spikes + lost[AX_OVF_SPIKES], 65);
    assert_true(spikes >= 32);
    r = lt_find(c.h, AX_REC_READ, (size_t)r + 1);
    assert_true(r >= 0);
    assert_int_equal(c.h->recs[r].count, NEURONS);
    for (unsigned n = 0; n < NEURONS; n++)
        assert_int_equal(c.h->recs[r].data[n], 2);
    ct_close(&c);
}

/* Events of drivers 0..5 with delays 5..0, injected in consecutive cycles,
 * all arrive in the same cycle: a wheel slot takes 4 events a hemisphere,
 * the other two are dropped and counted in DROPS[15:0]. */
static unsigned wheel_drops(ct_chip *c, unsigned events)
{
    uint32_t p[16];
    size_t pos = 0;
    for (unsigned d = 0; d < events; d++)
        assert_int_equal(ax_ins_inject(p, 16, &pos, CT_LABEL(d, 1, 1, 0)), AX_OK);
    ct_program(c, p, pos);
    lt_run(c->h, 200);
    return ct_read(c, AX_CHIP_DROPS);
}

static void test_wheel_slot_4_events(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    for (unsigned d = 0; d < 6; d++)
        ct_set_driver(&c, 0, d, 5 - d, 1, 0);
    assert_int_equal(wheel_drops(&c, 4), 0);
    assert_int_equal(wheel_drops(&c, 6), 2);
    /* with a delay of its own the sixth arrives a cycle later: one dropped */
    ct_set_driver(&c, 0, 5, 1, 1, 0);
    assert_int_equal(wheel_drops(&c, 6), 3);
    ct_close(&c);
}

/* Neuron 7 spikes once, a few cycles after each event of label (driver 1,
 * address 3, hemisphere 0) reaches it, and is recorded. */
static void setup_detector(ct_chip *c)
{
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_RESET] = 300;   /* = leak */
    codes[AXSIM_REF_THRESH] = 310;  /* 10 mV above rest */
    codes[AXSIM_REF_TAU_SE] = 1022; /* 21 cycles */
    codes[AXSIM_REF_GAIN_E] = 1022;
    codes[AXSIM_REF_T_REF] = 150;
    ct_set_codes(c, 7, codes);
    ct_set_driver(c, 0, 1, 0, 1, 0);
    ct_set_synapse(c, 0, 2, 7, 63, 3);
    ct_write(c, AX_CHIP_NRN_CFG_BASE + 7, 1u << 16);
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, 2, &pos, AX_RECORD_SPIKES), AX_OK);
    ct_program(c, p, pos);
}

/* Spike times of the records from index `from` on. */
static size_t spike_times(const ct_chip *c, size_t from, uint64_t *t, size_t cap)
{
    size_t n = 0;
    for (size_t i = from; i < c->h->nrecs && n < cap; i++)
        if (c->h->recs[i].type == AX_REC_SPIKE)
            t[n++] = c->h->recs[i].time;
    return n;
}

static void test_background_sources(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    setup_detector(&c);
    const uint16_t label = CT_LABEL(1, 3, 1, 0);
    /* Regular: one event every PERIOD cycles. */
    ct_write(&c, BG(1, 1), label);
    ct_write(&c, BG(1, 2), 400);
    size_t before = c.h->nrecs;
    ct_write(&c, BG(1, 0), 1);
    lt_run(c.h, 400 * 10 + 100);
    ct_write(&c, BG(1, 0), 0);
    static uint64_t t[512];
    size_t n = spike_times(&c, before, t, 512);
    assert_true(n >= 10 && n <= 11);
    for (size_t k = 1; k < n; k++)
        assert_int_equal(t[k] - t[k - 1], 400);
    /* Poisson: xorshift32 from SEED, advanced every cycle, an event when the
     * new state is below PERIOD (probability PERIOD / 2^32 a cycle). The
     * spikes follow the events this predicts, interval for interval (seed
     * 2484: 20 events in the first 20400 cycles, at least 258 cycles apart,
     * so each gives one spike). */
    const uint32_t seed = 2484, period = 0xFFFFFFFFu / 1000;
    static uint64_t ev[64];
    size_t m = 0;
    uint32_t x = seed;
    for (uint64_t cyc = 0; cyc < 20400 && m < 64; cyc++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if (x < period)
            ev[m++] = cyc;
    }
    assert_int_equal(m, 20);
    ct_write(&c, BG(0, 1), label);
    ct_write(&c, BG(0, 2), period);
    ct_write(&c, BG(0, 3), seed);
    before = c.h->nrecs;
    ct_write(&c, BG(0, 0), 3);
    lt_run(c.h, 20000);
    ct_write(&c, BG(0, 0), 0);
    lt_run(c.h, 500);
    n = spike_times(&c, before, t, 512);
    assert_int_equal(n, m);
    for (size_t k = 1; k < m; k++)
        assert_int_equal(t[k] - t[k - 1], ev[k] - ev[k - 1]);
    ct_close(&c);
}

/* Spike counters saturate at 255; CNT_RESET clears all, a write of 0 one. */
static void test_spike_counters(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 0.0, 0.0);
    unsigned hot[AXSIM_REF_NPARAMS], cold[AXSIM_REF_NPARAMS];
    ct_default_codes(hot);
    ct_default_codes(cold);
    hot[AXSIM_REF_LEAK] = 800; /* far above threshold, reset near it, no refractory */
    hot[AXSIM_REF_RESET] = 490;
    hot[AXSIM_REF_T_REF] = 0;
    ct_set_codes(&c, 4, hot);
    ct_set_codes(&c, 40, hot);
    lt_run(c.h, 3000);
    ct_set_codes(&c, 4, cold);
    ct_set_codes(&c, 40, cold);
    lt_run(c.h, 500);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 4), 255);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 40), 255);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 5), 0);
    ct_write(&c, AX_CHIP_SPIKE_CNT_BASE + 40, 0);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 4), 255);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 40), 0);
    ct_write(&c, AX_CHIP_SPIKE_CNT_BASE + 40, 0);
    ct_write(&c, AX_CHIP_CNT_RESET, 1);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + 4), 0);
    ct_close(&c);
}

/* MADC samples come every MADC_PERIOD cycles, stamped with the time taken;
 * with MADC_CTRL[1] they convert the reference source (fixed-pattern noise
 * on here, so the MADC's own offset and gain show). */
static void test_madc_period(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    ct_write(&c, AX_CHIP_MADC_PERIOD, 37);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(p, 8, &pos, AX_RECORD_MADC), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 8, &pos), AX_OK);
    assert_int_equal(ax_ins_write(p, 8, &pos, AX_CHIP_MADC_CTRL, 1u | 33u << 4), AX_OK); /* at 0 */
    size_t before = c.h->nrecs;
    ct_program(&c, p, pos);
    lt_run(c.h, 37 * 20);
    ct_write(&c, AX_CHIP_MADC_CTRL, 0);
    uint64_t prev = 0;
    size_t got = 0;
    for (size_t i = before; i < c.h->nrecs; i++) {
        if (c.h->recs[i].type != AX_REC_MADC)
            continue;
        if (got == 0)
            assert_int_equal(c.h->recs[i].time, 2); /* enabled from the cycle after the bus write */
        else
            assert_int_equal(c.h->recs[i].time - prev, 37);
        prev = c.h->recs[i].time;
        got++;
    }
    assert_true(got >= 18);
    /* MADC_CTRL[1]: the reference source, two levels, the reference conversion */
    static const unsigned level[2] = {200, 700};
    for (unsigned k = 0; k < 2; k++) {
        ct_write(&c, AX_CHIP_CADC_REF, level[k]);
        before = c.h->nrecs;
        ct_write(&c, AX_CHIP_MADC_CTRL, 1u | 2u | 33u << 4);
        assert_int_equal(ct_read(&c, AX_CHIP_MADC_CTRL), 3u | 33u << 4);
        lt_run(c.h, 400);
        ct_write(&c, AX_CHIP_MADC_CTRL, 0);
        assert_int_equal(ct_read(&c, AX_CHIP_MADC_CTRL), 0);
        got = 0;
        for (size_t i = before; i < c.h->nrecs; i++)
            if (c.h->recs[i].type == AX_REC_MADC) {
                assert_int_equal(c.h->recs[i].sample,
                                 axsim_ref_madc(c.o.die_seed, c.fpn, level[k] << 14));
                got++;
            }
        assert_true(got >= 8);
    }
    ct_close(&c);
}

/* CADC code of sensor (hemisphere 0, row, col) after one pairing dt cycles
 * apart with the window tau and amplitude amp (amp 0: no pairing), with the
 * sensor's fixed pattern: gain at the pairing, offset at the read. */
static unsigned sensor_code(const ct_chip *c, int acausal, unsigned row, unsigned col, uint32_t dt,
                            unsigned tau, unsigned amp)
{
    uint32_t k = amp ? axsim_ref_corr_kernel(dt, tau, amp) : 0;
    uint32_t acc = axsim_ref_corr_gain(c->o.die_seed, c->fpn, acausal, 0, row, col, k);
    uint32_t x = axsim_ref_corr_read(c->o.die_seed, c->fpn, acausal, 0, row, col, acc);
    return axsim_ref_cadc(c->o.die_seed, c->fpn, col, x << 10);
}

/* Anti-causal pairing: neuron n spikes in the cycle after a NEURON_RESET
 * (reset potential above threshold); an INJECT in that cycle reaches the
 * synapse (driver delay 2) 3 cycles after the spike, so its anti-causal
 * sensor holds K(3, CORR_TAU_A, CORR_AMP_A) (read through the CADC; with tau
 * 10 cycles K(2) and K(4) convert to other codes) and the causal one nothing
 * (1000 cycles refractory: no later spike). */
static void test_anticausal_sensor(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    const unsigned n = 6, drv = 3, delay = 2;
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 200;
    codes[AXSIM_REF_THRESH] = 300;
    codes[AXSIM_REF_RESET] = 600;
    codes[AXSIM_REF_T_REF] = 1000;
    ct_set_codes(&c, n, codes);
    ct_set_driver(&c, 0, drv, delay, 0, 1); /* the odd row, excitatory */
    ct_set_synapse(&c, 0, 2 * drv + 1, n, 10, 5);
    ct_write(&c, AX_CHIP_CORR_TAU_A, 10);   /* anti-causal tau 10 cycles */
    ct_write(&c, AX_CHIP_CORR_AMP_A, 1000); /* anti-causal amplitude 62.5 */
    ct_write(&c, AX_CHIP_CTRL, 1);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 8, &pos, false, 0, 1u << n), AX_OK);
    assert_int_equal(ax_ins_inject(p, 8, &pos, CT_LABEL(drv, 5, 1, 0)), AX_OK);
    ct_program(&c, p, pos);
    lt_run(c.h, 500);
    assert_int_equal(ct_read(&c, AX_CHIP_SPIKE_CNT_BASE + n), 1);
    assert_int_equal(axsim_ref_corr_kernel(1 + delay, 10, 1000), 771);
    for (unsigned dt = 2; dt <= 4; dt += 2)
        assert_int_not_equal(sensor_code(&c, 1, 2 * drv + 1, n, 1 + delay, 10, 1000),
                             sensor_code(&c, 1, 2 * drv + 1, n, dt, 10, 1000));
    ct_write(&c, AX_CHIP_CADC_CMD, 2u << 4 | (2 * drv + 1) << 16); /* anti-causal, hemisphere 0 */
    uint32_t word = ct_read(&c, AX_CHIP_CADC_RES_BASE + n / 4);
    assert_int_equal((word >> (8 * (n % 4))) & 0xFF,
                     sensor_code(&c, 1, 2 * drv + 1, n, 1 + delay, 10, 1000));
    ct_write(&c, AX_CHIP_CADC_CMD, 1u << 4 | (2 * drv + 1) << 16); /* causal */
    word = ct_read(&c, AX_CHIP_CADC_RES_BASE + n / 4);
    assert_int_equal((word >> (8 * (n % 4))) & 0xFF, sensor_code(&c, 0, 2 * drv + 1, n, 0, 0, 0));
    ct_close(&c);
}

/* Reads the CADC codes of one sensor row (hemisphere 0). */
static void read_sensor_row(ct_chip *c, int acausal, unsigned row, unsigned *codes)
{
    ct_write(c, AX_CHIP_CADC_CMD, (acausal ? 2u : 1u) << 4 | row << 16);
    for (unsigned col = 0; col < 32; col++)
        codes[col] = (ct_read(c, AX_CHIP_CADC_RES_BASE + col / 4) >> (8 * (col % 4))) & 0xFF;
}

/* All 32 hemisphere-0 neurons spike in the cycle after a NEURON_RESET (reset
 * potential above threshold, long refractory time); an event injected then
 * reaches rows 2d and 2d+1 (both excitatory, every column's synapse has its
 * label) after delay 40: every sensor of both rows holds the anti-causal
 * K(41) with its own gain. Leaves the chip open. */
#define CORR_DRV   3u
#define CORR_DELAY 40u
#define CORR_TAU   400u /* K(41) = 56.5 sensor units: 14 CADC LSB above a cleared sensor */
static void pair_all_columns(ct_chip *c, uint64_t die, double fpn)
{
    ct_open(c, die, 1, fpn, 0.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    codes[AXSIM_REF_LEAK] = 200;
    codes[AXSIM_REF_THRESH] = 300;
    codes[AXSIM_REF_RESET] = 600;
    codes[AXSIM_REF_T_REF] = 1000;
    const uint32_t syn = 10u | 5u << AX_CHIP_SYN_LABEL0_SHIFT; /* weight 10, label 5 */
    for (unsigned n = 0; n < 32; n++)
        ct_set_codes(c, n, codes);
    for (unsigned r = 0; r < 2; r++) /* both synapses of each word (ct_set_synapse sets one) */
        for (unsigned w = 0; w < 16; w++)
            ct_write(c, AX_CHIP_SYN(0, 2 * CORR_DRV + r, w), syn | syn << 16);
    ct_set_driver(c, 0, CORR_DRV, CORR_DELAY, 1, 1);
    ct_write(c, AX_CHIP_CORR_TAU_A, CORR_TAU);
    ct_write(c, AX_CHIP_CORR_AMP_A, 1000);
    ct_write(c, AX_CHIP_CTRL, 1);
    ct_write(c, AX_CHIP_CNT_RESET, 1);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 8, &pos, false, 0, 0xFFFFFFFFu), AX_OK);
    assert_int_equal(ax_ins_inject(p, 8, &pos, CT_LABEL(CORR_DRV, 5, 1, 0)), AX_OK);
    ct_program(c, p, pos);
    lt_run(c->h, 500);
    for (unsigned n = 0; n < 32; n++) /* (each sensor's value below pins its spike time) */
        assert_true(ct_read(c, AX_CHIP_SPIKE_CNT_BASE + n) >= 1);
}

/* Model 3: each sensor has its own amplitude gain and read-out offset from
 * the die seed (the reference bit for bit); two dice read the same pairing
 * differently; with fpn 0 every sensor reads the reference kernel exactly. */
static void test_sensor_fixed_pattern(void **state)
{
    (void)state;
    static const uint64_t dice[2] = {DIE, 0xD1CE2ull};
    unsigned got[2][2][32];
    ct_chip c;
    for (int k = 0; k < 2; k++) {
        pair_all_columns(&c, dice[k], 1.0);
        for (unsigned r = 0; r < 2; r++) {
            read_sensor_row(&c, 1, 2 * CORR_DRV + r, got[k][r]);
            for (unsigned col = 0; col < 32; col++)
                assert_int_equal(got[k][r][col], sensor_code(&c, 1, 2 * CORR_DRV + r, col,
                                                             1 + CORR_DELAY, CORR_TAU, 1000));
        }
        ct_close(&c);
    }
    unsigned differ = 0, spread = 0;
    for (unsigned r = 0; r < 2; r++)
        for (unsigned col = 0; col < 32; col++) {
            differ += got[0][r][col] != got[1][r][col];
            spread += got[0][r][col] != got[0][0][0];
        }
    assert_true(differ >= 32); /* of 64 sensors */
    assert_true(spread >= 32);
    /* fpn 0: the kernel itself, the same code on every sensor */
    const uint32_t kern = axsim_ref_corr_kernel(1 + CORR_DELAY, CORR_TAU, 1000);
    assert_int_equal(axsim_ref_corr_gain(DIE, 0, 1, 0, 7, 5, kern), kern);
    assert_int_equal(axsim_ref_corr_read(DIE, 0, 1, 0, 7, 5, kern), kern);
    pair_all_columns(&c, DIE, 0.0);
    unsigned row[32];
    for (unsigned r = 0; r < 2; r++) {
        read_sensor_row(&c, 1, 2 * CORR_DRV + r, row);
        for (unsigned col = 0; col < 32; col++)
            assert_int_equal(row[col], kern >> 6); /* CADC: 4 mV (64 Q4) per LSB */
    }
    ct_close(&c);
}

/* CORR_RESET with ROWS clears the sensors of rows ROW..LAST of one hemisphere
 * and nothing else; CORR_RESET 1 clears all. */
static void test_sensor_row_reset(void **state)
{
    (void)state;
    ct_chip c;
    pair_all_columns(&c, DIE, 1.0);
    const unsigned r0 = 2 * CORR_DRV, r1 = r0 + 1;
    unsigned before[2][32], row[32];
    read_sensor_row(&c, 1, r0, before[0]);
    read_sensor_row(&c, 1, r1, before[1]);
    /* hemisphere 1, the same rows: hemisphere 0 keeps its sensors */
    ct_write(&c, AX_CHIP_CORR_RESET, 3u | 4u | r0 << 16 | r1 << 24);
    read_sensor_row(&c, 1, r0, row);
    assert_memory_equal(row, before[0], sizeof row);
    read_sensor_row(&c, 1, r1, row);
    assert_memory_equal(row, before[1], sizeof row);
    /* row r1 of hemisphere 0 alone */
    ct_write(&c, AX_CHIP_CORR_RESET, 3u | r1 << 16 | r1 << 24);
    read_sensor_row(&c, 1, r0, row);
    assert_memory_equal(row, before[0], sizeof row);
    read_sensor_row(&c, 1, r1, row);
    for (unsigned col = 0; col < 32; col++) {
        assert_int_equal(row[col], sensor_code(&c, 1, r1, col, 0, 0, 0)); /* offset only */
        assert_true(row[col] < before[1][col]);
    }
    ct_write(&c, AX_CHIP_CORR_RESET, 1);
    read_sensor_row(&c, 1, r0, row);
    for (unsigned col = 0; col < 32; col++)
        assert_int_equal(row[col], sensor_code(&c, 1, r0, col, 0, 0, 0));
    ct_close(&c);
}

/* The chip acknowledges a register access 2 cycles after the request: after
 * a chip WRITE at experiment time 0 the next instruction runs at 3, after a
 * board register WRITE at 1. While the CapMem initialises after CHIP_RESET
 * (2 * NeuronsPerHemi cycles) the access waits. */
static uint64_t next_after_write(ct_chip *c, uint32_t addr, bool chip_reset)
{
    uint32_t p[16];
    size_t pos = 0;
    if (chip_reset)
        assert_int_equal(ax_ins_write(p, 16, &pos, CHIP_RESET, 1), AX_OK);
    assert_int_equal(ax_ins_timer_reset(p, 16, &pos), AX_OK);
    assert_int_equal(ax_ins_write(p, 16, &pos, addr, 400), AX_OK);
    assert_int_equal(ax_ins_read(p, 16, &pos, 0x0A, 9), AX_OK); /* TIME_LO */
    int i = run_for(c, p, pos, AX_REC_READ);
    assert_int_equal(c->h->recs[i].ticket, 9);
    return c->h->recs[i].time;
}

static void test_register_latency(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, DIE, 1, 1.0, 0.0);
    assert_int_equal(next_after_write(&c, 0x0D, false), 1); /* board SCRATCH */
    assert_int_equal(next_after_write(&c, AX_CHIP_CADC_REF, false), 3);
    /* CHIP_RESET holds the chip in reset 4 cycles (the TIMER_RESET after it
     * waits for them) and the CapMem initialises for the 64 cycles after
     * the release, the TIMER_RESET's cycle first: the WRITE at experiment
     * time 0 reaches the chip after the 63 that are left, then 3 cycles. */
    assert_int_equal(next_after_write(&c, AX_CHIP_CADC_REF, true), 63 + 3);
    assert_int_equal(ct_read(&c, AX_CHIP_CADC_REF), 400);
    ct_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on_and_chip_reset),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_small_geometry),
        cmocka_unit_test(test_capmem_settle),
        cmocka_unit_test(test_spike_queue_64),
        cmocka_unit_test(test_wheel_slot_4_events),
        cmocka_unit_test(test_background_sources),
        cmocka_unit_test(test_spike_counters),
        cmocka_unit_test(test_madc_period),
        cmocka_unit_test(test_anticausal_sensor),
        cmocka_unit_test(test_sensor_fixed_pattern),
        cmocka_unit_test(test_sensor_row_reset),
        cmocka_unit_test(test_register_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
