/* Helpers for the chip tests (see chip_testlib.h). */
#include "chip_testlib.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void ct_open(ct_chip *c, uint64_t die, uint64_t run, double fpn, double tmp)
{
    memset(c, 0, sizeof *c);
    axsim_options_default(&c->o);
    c->o.size = AXSIM_SMALL;
    c->o.die_seed = die;
    c->o.run_seed = run;
    c->o.fpn_scale = fpn;
    c->o.temporal_scale = tmp;
    c->h = lt_open_opts(&c->o);
    c->n = 32;
    ax_ident id;
    lt_hello(c->h, &id);
    uint32_t noise = lt_read_reg(c->h, 0x0C);
    c->fpn = noise & 0xFF;
    c->tmp = (noise >> 8) & 0xFF;
    lt_run(c->h, 200);
    assert_int_equal(ct_read(c, AX_CHIP_STATUS) & AX_CHIP_STATUS_SETTLING_MASK,
                     0); /* CapMem settled */
}

void ct_close(ct_chip *c)
{
    lt_close(c->h);
    c->h = NULL;
}

void ct_program(ct_chip *c, const uint32_t *ins, size_t n)
{
    uint32_t p[256];
    assert_true(n + 1 <= 256);
    memcpy(p, ins, n * sizeof *p);
    size_t pos = n;
    assert_int_equal(ax_ins_end(p, 256, &pos), AX_OK);
    lt_cmd_acked(c->h, p, pos);
}

void ct_program_later(ct_chip *c, const uint32_t *ins, size_t n)
{
    uint32_t p[256];
    size_t pos = 0;
    assert_int_equal(ax_ins_timer_reset(p, 256, &pos), AX_OK);
    assert_int_equal(ax_ins_wait_until(p, 256, &pos, CT_LATER), AX_OK);
    assert_true(pos + n <= 255);
    memcpy(p + pos, ins, n * sizeof *p);
    ct_program(c, p, pos + n);
}

void ct_write(ct_chip *c, uint32_t addr, uint32_t data)
{
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_write(p, 2, &pos, addr, data), AX_OK);
    ct_program(c, p, pos);
    lt_run(c->h, 40);
}

uint32_t ct_read(ct_chip *c, uint32_t addr)
{
    return lt_read_reg(c->h, addr);
}

void ct_set_codes(ct_chip *c, unsigned n, const unsigned codes[AXSIM_REF_NPARAMS])
{
    uint32_t p[64];
    size_t pos = 0;
    for (unsigned k = 0; k < AXSIM_REF_NPARAMS; k++)
        assert_int_equal(ax_ins_write(p, 64, &pos, AX_CHIP_CAPMEM(k, n), codes[k]), AX_OK);
    ct_program(c, p, pos);
    lt_run(c->h, 4 * c->n + 200); /* settle time: 2 * NeuronsPerHemi cycles after the last write */
    assert_int_equal(ct_read(c, AX_CHIP_STATUS) & AX_CHIP_STATUS_SETTLING_MASK, 0);
}

void ct_set_synapse(ct_chip *c, unsigned hemi, unsigned row, unsigned col, unsigned w,
                    unsigned label)
{
    uint32_t v = (w << AX_CHIP_SYN_WEIGHT0_SHIFT & AX_CHIP_SYN_WEIGHT0_MASK) |
                 (label << AX_CHIP_SYN_LABEL0_SHIFT & AX_CHIP_SYN_LABEL0_MASK);
    unsigned pair = AX_CHIP_SYN_WEIGHT1_SHIFT - AX_CHIP_SYN_WEIGHT0_SHIFT;
    ct_write(c, AX_CHIP_SYN(hemi, row, col / 2), (col & 1) ? v << pair : v);
}

void ct_set_driver(ct_chip *c, unsigned hemi, unsigned drv, unsigned delay, unsigned s0,
                   unsigned s1)
{
    ct_write(c, AX_CHIP_DRIVER(hemi, drv),
             delay << AX_CHIP_DRIVER_DELAY_SHIFT | s0 << AX_CHIP_DRIVER_SIGN_EVEN_SHIFT |
                 s1 << AX_CHIP_DRIVER_SIGN_ODD_SHIFT);
}

void ct_reset_all(ct_chip *c)
{
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 2, &pos, true, 0, 0), AX_OK);
    ct_program(c, p, pos);
}

void ct_reset_all_later(ct_chip *c)
{
    uint32_t p[2];
    size_t pos = 0;
    assert_int_equal(ax_ins_neuron_reset(p, 2, &pos, true, 0, 0), AX_OK);
    ct_program_later(c, p, pos);
}

int32_t ct_vm(ct_chip *c, unsigned neuron)
{
    int32_t v = 0;
    assert_int_equal(axsim_debug_membrane(c->h->b, neuron, &v), AX_OK);
    return v;
}

void ct_trace(ct_chip *c, const unsigned *neurons, unsigned k, unsigned cycles, int32_t *out)
{
    for (unsigned t = 0; t < cycles; t++) {
        assert_int_equal(axsim_step(c->h->b, 1), AX_OK);
        for (unsigned j = 0; j < k; j++)
            out[t * k + j] = ct_vm(c, neurons[j]);
    }
}

void ct_params(const ct_chip *c, unsigned n, const unsigned codes[AXSIM_REF_NPARAMS],
               axsim_ref_params *p)
{
    axsim_ref_params_eff(c->o.die_seed, c->fpn, n, codes, p);
}

uint32_t ct_ref_rest(const axsim_ref_params *p, unsigned steps)
{
    axsim_ref_neuron s = {p->vres, 0, 0, 0};
    for (unsigned t = 0; t < steps; t++)
        axsim_ref_neuron_step(&s, p, 0, 0, 0, 0, 1, NULL);
    return s.v;
}

void ct_default_codes(unsigned codes[AXSIM_REF_NPARAMS])
{
    for (unsigned k = 0; k < AXSIM_REF_NPARAMS; k++)
        codes[k] = axsim_ref_default_code((axsim_ref_param)k);
}
