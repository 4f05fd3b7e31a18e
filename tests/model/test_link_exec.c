/* Link part, playback executor: validation at receipt (a frame runs whole
 * or not at all), WAIT_UNTIL timing and LATE, bursts on the chip's register
 * bus, run-time bus errors, CHIP_RESET. Runs on axsim_loopback (the link
 * with a stand-in chip whose registers are 256 scratch words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "link_testlib.h"

#define REG_TIME_LO    0x0Au
#define REG_SCRATCH    0x0Du
#define REG_CHIP_RESET 0x10u
#define CHIP_SCRATCH   0x010010u
#define CHIP_FAIL      0x01FFEEu
#define CHIP_MADC      0x01FF00u
#define LATE_EXPECTED  58u

/* Sends a CMD that must be rejected: ACKed (consumed), one ERROR record with
 * code, seq, offset and word; and nothing of it ran (SCRATCH unchanged). */
static void expect_rejected(lt_host *h, const uint32_t *p, size_t n, unsigned code, uint32_t offset,
                            uint32_t word)
{
    uint32_t scratch = lt_read_reg(h, REG_SCRATCH);
    size_t before = h->nrecs;
    uint16_t seq = h->cmd_seq;
    lt_cmd_acked(h, p, n);
    lt_run(h, 2000);
    int i = lt_find(h, AX_REC_ERROR, before);
    assert_true(i >= 0);
    if (h->recs[i].code != code || h->recs[i].offset != offset || h->recs[i].word != word)
        fail_msg("ERROR record: code %u offset %u word 0x%08x; expected %u %u 0x%08x",
                 h->recs[i].code, (unsigned)h->recs[i].offset, (unsigned)h->recs[i].word, code,
                 (unsigned)offset, (unsigned)word);
    assert_int_equal(h->recs[i].code, code);
    assert_int_equal(h->recs[i].seq, seq);
    assert_int_equal(h->recs[i].offset, offset);
    assert_int_equal(h->recs[i].word, word);
    assert_int_equal(lt_find(h, AX_REC_ERROR, (size_t)i + 1), -1);
    assert_int_equal(lt_find(h, AX_REC_END, before), -1);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), scratch);
}

/* An unknown instruction: ERROR OPCODE, and the WRITE before it did not run. */
static void test_unknown_opcode(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 8, &pos, REG_SCRATCH, 1), AX_OK);
    p[pos++] = 0xFF000000u;
    assert_int_equal(ax_ins_write(p, 8, &pos, REG_SCRATCH, 2), AX_OK);
    assert_int_equal(ax_ins_end(p, 8, &pos), AX_OK);
    expect_rejected(h, p, pos, AX_ERR_OPCODE, 2, 0xFF000000u);
    lt_close(h);
}

/* Addresses and values out of range, operands past the frame, PPU checks. */
static void test_rejects(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[16];
    size_t pos;
#define PROG(...)                                                                                  \
    do {                                                                                           \
        pos = 0;                                                                                   \
        assert_int_equal(ax_ins_write(p, 16, &pos, REG_SCRATCH, 0x55), AX_OK);                     \
        __VA_ARGS__;                                                                               \
    } while (0)
    PROG(assert_int_equal(ax_ins_read(p, 16, &pos, 0x0F, 1), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x0400000Fu);
    PROG(assert_int_equal(ax_ins_write(p, 16, &pos, 0x00, 1), AX_OK)); /* PROTOCOL is ro */
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x03000000u);
    PROG(assert_int_equal(ax_ins_write(p, 16, &pos, REG_CHIP_RESET, 2), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_VALUE, 3, 2);
    PROG(assert_int_equal(ax_ins_write(p, 16, &pos, 0x900000, 1), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x03900000u);
    PROG(assert_int_equal(ax_ins_write(p, 16, &pos, CHIP_MADC, 0x10000), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_VALUE, 3, 0x10000);
    PROG(assert_int_equal(ax_ins_read(p, 16, &pos, 0x810020, 1), AX_OK)); /* PPU register gap */
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x04810020u);
    PROG(assert_int_equal(ax_ins_read(p, 16, &pos, 0x810180, 1), AX_OK)); /* the link's own */
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x04810180u);
    PROG(assert_int_equal(ax_ins_write(p, 16, &pos, 0x810100, 1), AX_OK)); /* STATUS is ro */
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x03810100u);
    PROG(p[pos++] = 0x0B000003u; p[pos++] = 0); /* PPU command 3 */
    expect_rejected(h, p, pos, AX_ERR_OPERAND, 2, 0x0B000003u);
    PROG(assert_int_equal(ax_ins_ppu(p, 16, &pos, AX_PPU_START, 1, 0x4000), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_VALUE, 3, 0x4000u); /* start past the SRAM */
    PROG(assert_int_equal(ax_ins_ppu(p, 16, &pos, AX_PPU_START, 0, 2), AX_OK));
    expect_rejected(h, p, pos, AX_ERR_VALUE, 3, 2u); /* start not 4-aligned */
    PROG(assert_int_equal(ax_ins_read_burst(p, 16, &pos, 0x0C, 4, 5),
                          AX_OK)); /* 0x0C-0x0E ok, 0x0F not */
    expect_rejected(h, p, pos, AX_ERR_ADDRESS, 2, 0x0A00000Cu);
    PROG(p[pos++] = 0x09000000u | REG_SCRATCH; p[pos++] = 0); /* WRITE_BURST n = 0 */
    expect_rejected(h, p, pos, AX_ERR_OPERAND, 3, 0);
    PROG(p[pos++] = 0x0A010000u; p[pos++] = 253u << 16); /* READ_BURST n = 253 > 252 */
    expect_rejected(h, p, pos, AX_ERR_OPERAND, 3, 253u << 16);
    PROG(p[pos++] = 0x09000000u | REG_SCRATCH; p[pos++] = 3;
         p[pos++] = 1); /* runs past the frame */
    expect_rejected(h, p, pos, AX_ERR_OPERAND, 2, 0x0900000Du);
    PROG(p[pos++] = 0x03000000u | REG_SCRATCH); /* WRITE without its data word */
    expect_rejected(h, p, pos, AX_ERR_OPERAND, 2, 0x0300000Du);
    PROG(assert_int_equal(ax_ins_neuron_reset(p, 16, &pos, false, 2, 1), AX_OK)); /* 64 neurons */
    expect_rejected(h, p, pos, AX_ERR_VALUE, 2, 0x07000002u);
#undef PROG
    /* A valid frame still runs. */
    pos = 0;
    assert_int_equal(ax_ins_write(p, 16, &pos, REG_SCRATCH, 0x66), AX_OK);
    lt_cmd_acked(h, p, pos);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0x66);
    lt_close(h);
}

/* WAIT_UNTIL: the next instruction runs at the requested time; a past time is
 * flagged LATE with its lateness. */
static void test_wait_until_and_late(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[16];
    size_t pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 16, &pos), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 16, &pos, 100), AX_OK);
    assert_int_equal(ax_ins_read(p, 16, &pos, REG_TIME_LO, 1), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 16, &pos, 50), AX_OK);
    lt_run_program(h, p, 16, pos, 3000);
    assert_int_equal(lt_count(h, AX_REC_TRIAL), 1);
    int r = lt_find(h, AX_REC_READ, 0);
    assert_true(r >= 0);
    assert_int_equal(h->recs[r].time, 100);    /* READ issued at experiment time 100 */
    assert_int_equal(h->recs[r].data[0], 101); /* the register is read a cycle later */
    int l = lt_find(h, AX_REC_LATE, 0);
    assert_true(l > r);
    assert_int_equal(h->recs[l].time, 50);
    /* The instruction after the late WAIT_UNTIL (END) ran `lateness` cycles
     * after 50: READ at 100, its register read at 101, WAIT_UNTIL reached at
     * 102 and held until the READ record left the staging slot (5 words). */
    int e = lt_find(h, AX_REC_END, 0);
    assert_true(e > l);
    /* END itself waited 3 more cycles for the LATE record to leave the slot. */
    assert_int_equal(h->recs[e].time, 50 + h->recs[l].lateness + 3);
    assert_int_equal(h->recs[l].lateness, LATE_EXPECTED);
    assert_int_equal(lt_count(h, AX_REC_LATE), 1);
    lt_close(h);
}

/* The lateness of LATE is the number of cycles the next instruction runs past
 * the requested time: WAIT_UNTIL(t) reached in the cycle at t (right after
 * another WAIT_UNTIL(t)) is 1 late and the next instruction runs at t + 1;
 * reached right after an instruction that ran at t, it is 2 late (t + 2).
 * The stand-in chip turns an INJECT into a spike at the injection's time. */
static void test_lateness_counts(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    size_t pos = lt_begin_recording(p, 32);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 20), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 1), AX_OK); /* at 20 */
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 40), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 40), AX_OK); /* reached at 40 */
    assert_int_equal(ax_ins_inject(p, 32, &pos, 2), AX_OK);      /* at 41 */
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 60), AX_OK);
    assert_int_equal(ax_ins_inject(p, 32, &pos, 3), AX_OK);      /* at 60 */
    assert_int_equal(ax_ins_wait_until(p, 32, &pos, 60), AX_OK); /* reached at 61 */
    assert_int_equal(ax_ins_inject(p, 32, &pos, 4), AX_OK);      /* at 62 */
    assert_int_equal(ax_ins_barrier(p, 32, &pos), AX_OK);
    lt_run_program(h, p, 32, pos, 3000);
    assert_int_equal(lt_count(h, AX_REC_LATE), 2);
    int l = lt_find(h, AX_REC_LATE, 0);
    assert_int_equal(h->recs[l].time, 40);
    assert_int_equal(h->recs[l].lateness, 1);
    l = lt_find(h, AX_REC_LATE, (size_t)l + 1);
    assert_int_equal(h->recs[l].time, 60);
    assert_int_equal(h->recs[l].lateness, 2);
    static const uint64_t when[4] = {20, 41, 60, 62};
    int s = -1;
    for (unsigned k = 0; k < 4; k++) {
        s = lt_find(h, AX_REC_SPIKE, (size_t)(s + 1));
        assert_true(s >= 0);
        assert_int_equal(h->recs[s].label, k + 1);
        assert_int_equal(h->recs[s].time, when[k]);
    }
    lt_close(h);
}

/* Bursts on the chip's register bus; a failing access is reported. */
static void test_bursts_and_bus_errors(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[32];
    const uint32_t data[5] = {11, 22, 33, 44, 55};
    size_t pos = 0;
    assert_int_equal(ax_ins_write_burst(p, 32, &pos, CHIP_SCRATCH, data, 5), AX_OK);
    assert_int_equal(ax_ins_read_burst(p, 32, &pos, CHIP_SCRATCH - 1, 7, 3), AX_OK);
    assert_int_equal(ax_ins_read(p, 32, &pos, CHIP_FAIL, 4), AX_OK);
    assert_int_equal(ax_ins_write(p, 32, &pos, CHIP_FAIL, 9), AX_OK);
    lt_run_program(h, p, 32, pos, 3000);
    int r = lt_find(h, AX_REC_READ, 0);
    assert_true(r >= 0);
    assert_int_equal(h->recs[r].ticket, 3);
    assert_int_equal(h->recs[r].status, 0);
    assert_int_equal(h->recs[r].count, 7);
    assert_int_equal(h->recs[r].data[0], 0);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(h->recs[r].data[1 + i], data[i]);
    assert_int_equal(h->recs[r].data[6], 0);
    r = lt_find(h, AX_REC_READ, (size_t)r + 1);
    assert_true(r >= 0);
    assert_int_equal(h->recs[r].ticket, 4);
    assert_int_equal(h->recs[r].status, AX_ERR_ADDRESS);
    int e = lt_find(h, AX_REC_ERROR, 0);
    assert_true(e > r);
    assert_int_equal(h->recs[e].code, AX_ERR_ADDRESS);
    assert_int_equal(h->recs[e].offset, 0xFFFFFFFFu);
    assert_int_equal(h->recs[e].word, CHIP_FAIL);
    assert_true(lt_find(h, AX_REC_END, 0) > e);
    lt_close(h);
}

/* CHIP_RESET returns the chip to power-on (the stand-in chip's words are
 * memory, not reset; the link keeps running and its registers stay). */
static void test_chip_reset(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 8, &pos, REG_SCRATCH, 0x77), AX_OK);
    assert_int_equal(ax_ins_write(p, 8, &pos, REG_CHIP_RESET, 1), AX_OK);
    lt_cmd_acked(h, p, pos);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0x77);
    assert_int_equal(lt_read_reg(h, CHIP_SCRATCH + 3), 0);
    lt_close(h);
}

/* The debug backdoor reads the chip's dbg_membrane array (here the stand-in's
 * scratch words), signed, with a range check. */
static void test_debug_backdoor(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 4, &pos, 0x010005, (uint32_t)-1234), AX_OK);
    lt_cmd_acked(h, p, pos);
    lt_run(h, 100);
    int32_t v = 0;
    assert_int_equal(axsim_debug_membrane(h->b, 5, &v), AX_OK);
    assert_int_equal(v, -1234);
    assert_int_equal(axsim_debug_membrane(h->b, 256, &v), AX_E_RANGE);
    assert_int_equal(axsim_debug_membrane(h->b, 0, NULL), AX_E_INVAL);
    lt_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_opcode),      cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_wait_until_and_late), cmocka_unit_test(test_bursts_and_bus_errors),
        cmocka_unit_test(test_chip_reset),          cmocka_unit_test(test_debug_backdoor),
        cmocka_unit_test(test_lateness_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
