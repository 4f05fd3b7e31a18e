/* Link part on the real board models (library axsim): every (size, variant)
 * answers HELLO with its IDENT, board registers work end to end, garbage is
 * skipped, the output is bit-reproducible, and the chip's register bus
 * works through the link with the chip's own validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "axon/chip_regs.h"
#include "link_testlib.h"

#define CAPMEM_LEAK0 AX_CHIP_CAPMEM(AX_CHIP_PARAM_LEAK, 0) /* a CapMem cell of the real chip */

#define REG_GEOMETRY 0x07u
#define REG_NOISE    0x0Cu
#define REG_SCRATCH  0x0Du

static void check_board(axsim_size size, axsim_variant v)
{
    axsim_options o;
    axsim_options_default(&o);
    o.size = size;
    o.variant = v;
    o.die_seed = 0x123456789ABCDEF0ull;
    o.fpn_scale = 0.5;
    o.temporal_scale = 0.0;
    lt_host *h = lt_open_opts(&o);
    static const uint8_t junk[] = {'A', 'X', 0x4F, 0x17, 0x99};
    lt_send_raw(h, junk, v == AXSIM_USB2 ? 5 : 3);
    ax_ident id;
    lt_hello(h, &id);
    unsigned n = size == AXSIM_FULL ? 256 : 32;
    assert_int_equal(id.protocol_version, 0x00010002u);
    assert_int_equal(id.die_seed, o.die_seed);
    assert_int_equal(id.chip_id, 0x9ABCDEF0u ^ 0x12345678u);
    assert_int_equal(id.variant, v == AXSIM_USB3 ? 0 : 1);
    assert_int_equal(id.port_bytes, v == AXSIM_USB3 ? 4 : 1);
    assert_int_equal(id.neurons_per_hemi, n);
    assert_int_equal(id.rows_per_hemi, n);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 8, &pos, REG_SCRATCH, 0xA5A5F00Du), AX_OK);
    lt_cmd_acked(h, p, pos);
    assert_int_equal(lt_read_reg(h, REG_SCRATCH), 0xA5A5F00Du);
    assert_int_equal(lt_read_reg(h, REG_GEOMETRY), n << 16 | n);
    assert_int_equal(lt_read_reg(h, REG_NOISE), 64); /* fpn 0.5 -> 64, temporal 0 */
    lt_close(h);
}

LT_TEST(test_small_usb3, check_board, AXSIM_SMALL, AXSIM_USB3)
LT_TEST(test_small_usb2, check_board, AXSIM_SMALL, AXSIM_USB2)
LT_TEST(test_full_usb3, check_board, AXSIM_FULL, AXSIM_USB3)
LT_TEST(test_full_usb2, check_board, AXSIM_FULL, AXSIM_USB2)

static void test_bad_options(void **state)
{
    (void)state;
    axsim_options o;
    axsim_board *b = NULL;
    axsim_options_default(&o);
    o.fpn_scale = 2.0;
    assert_int_equal(axsim_create(&o, &b), AX_E_INVAL);
    axsim_options_default(&o);
    o.variant = (axsim_variant)7;
    assert_int_equal(axsim_create(&o, &b), AX_E_INVAL);
    assert_null(b);
    int32_t m;
    axsim_options_default(&o);
    o.size = AXSIM_SMALL;
    assert_int_equal(axsim_create(&o, &b), AX_OK);
    assert_int_equal(axsim_cycles(b), 0);
    assert_int_equal(axsim_step(b, 1000), AX_OK);
    assert_int_equal(axsim_cycles(b), 1000);
    assert_int_equal(axsim_step_until_readable(b, 500), 500); /* nothing to say unasked */
    int s = axsim_debug_membrane(b, 0, &m); /* AX_OK once the chip exposes dbg_membrane */
    assert_true(s == AX_OK || s == AX_E_UNSUPPORTED);
    assert_int_equal(axsim_get_options(b)->size, AXSIM_SMALL);
    axsim_destroy(b);
}

/* Same options and bytes: same output, bit for bit (SYSTIME included). */
static void script(lt_host *h)
{
    uint32_t p[16];
    size_t pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 16, &pos), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 16, &pos, 777), AX_OK);
    assert_int_equal(ax_ins_read_burst(p, 16, &pos, 0x08, 4, 1), AX_OK); /* SYSTIME, TIME */
    lt_run_program(h, p, 16, pos, 3000);
    int r = lt_find(h, AX_REC_READ, 0);
    assert_true(r >= 0);
    assert_int_equal(h->recs[r].time, 777);
    assert_int_equal(h->recs[r].data[2], 780); /* a burst reads one register a cycle from 778 */
}

static void test_reproducible(void **state)
{
    (void)state;
    lt_assert_reproducible(script, AXSIM_USB2);
}

/* The chip's register bus through the link, with the chip's own validation
 * (ax_chip_pkg): a CapMem code round-trips; a code above 1022 and a register
 * that does not exist are rejected at receipt, and nothing of those frames runs. */
static void test_chip_bus(void **state)
{
    (void)state;
    lt_host *h = lt_open_hello(AXSIM_USB3);
    uint32_t p[8];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 8, &pos, CAPMEM_LEAK0, 500), AX_OK);
    lt_cmd_acked(h, p, pos);
    assert_int_equal(lt_read_reg(h, CAPMEM_LEAK0), 500);
    pos = 0;
    assert_int_equal(ax_ins_write(p, 8, &pos, CAPMEM_LEAK0, 7), AX_OK);
    assert_int_equal(ax_ins_write(p, 8, &pos, CAPMEM_LEAK0, 1023), AX_OK);
    size_t before = h->nrecs;
    uint16_t seq = lt_cmd(h, p, pos);
    lt_run(h, 3000);
    int e = lt_find(h, AX_REC_ERROR, before);
    assert_true(e >= 0);
    assert_int_equal(h->recs[e].code, AX_ERR_VALUE);
    assert_int_equal(h->recs[e].seq, seq);
    assert_int_equal(h->recs[e].offset, 3);
    assert_int_equal(h->recs[e].word, 1023);
    assert_int_equal(lt_read_reg(h, CAPMEM_LEAK0), 500); /* the 7 did not run either */
    pos = 0;
    assert_int_equal(ax_ins_read(p, 8, &pos, 0x7F0000, 1), AX_OK);
    before = h->nrecs;
    lt_cmd(h, p, pos);
    lt_run(h, 3000);
    e = lt_find(h, AX_REC_ERROR, before);
    assert_true(e >= 0);
    assert_int_equal(h->recs[e].code, AX_ERR_ADDRESS);
    lt_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_usb3),  cmocka_unit_test(test_small_usb2),
        cmocka_unit_test(test_full_usb3),   cmocka_unit_test(test_full_usb2),
        cmocka_unit_test(test_bad_options), cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_chip_bus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
