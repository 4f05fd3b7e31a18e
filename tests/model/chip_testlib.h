/* Helpers for the chip tests: register access, neuron reset, membrane traces
 * through axsim.h + the codec (on top of link_testlib). The chip's register
 * map is axon/chip_regs.h (AX_CHIP_*, generated from rtl-model/regs/chip_regs.def). */
#ifndef CHIP_TESTLIB_H
#define CHIP_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include "axon/chip_regs.h"
#include "axsim_ref.h"
#include "link_testlib.h"

#define CT_LABEL(drv, addr, h0, h1)                                                                \
    ((uint16_t)(((addr)&63u) | (((drv)&127u) << 6) | ((h0) ? 1u << 13 : 0) | ((h1) ? 1u << 14 : 0)))

typedef struct ct_chip {
    lt_host *h;
    axsim_options o;
    unsigned n;   /* neurons per hemisphere */
    unsigned fpn; /* fpn scale as the chip sees it (0..255) */
    unsigned tmp; /* temporal scale */
} ct_chip;

/* Small chip with these seeds and scales, HELLO done, CapMem settled. */
void ct_open(ct_chip *c, uint64_t die, uint64_t run, double fpn, double tmp);
void ct_close(ct_chip *c);
void ct_write(ct_chip *c, uint32_t addr, uint32_t data);
uint32_t ct_read(ct_chip *c, uint32_t addr);
/* Writes the CapMem codes of neuron n and waits for them to settle. */
void ct_set_codes(ct_chip *c, unsigned n, const unsigned codes[AXSIM_REF_NPARAMS]);
/* Synapse (hemi,row,col) = weight/label (keeps the other synapse of the pair at 0). */
void ct_set_synapse(ct_chip *c, unsigned hemi, unsigned row, unsigned col, unsigned w,
                    unsigned label);
/* Driver: delay, sign of its even and odd row (0 off, 1 exc, 2 inh). */
void ct_set_driver(ct_chip *c, unsigned hemi, unsigned drv, unsigned delay, unsigned s0,
                   unsigned s1);
/* Sends a program (END appended) and waits for its ACK. */
void ct_program(ct_chip *c, const uint32_t *ins, size_t n);
/* The same, but the instructions run CT_LATER cycles after TIMER_RESET, so a
 * trace started when the ACK arrives sees them happen. */
#define CT_LATER 300u
void ct_program_later(ct_chip *c, const uint32_t *ins, size_t n);
void ct_reset_all(ct_chip *c);
void ct_reset_all_later(ct_chip *c);
int32_t ct_vm(ct_chip *c, unsigned neuron);
/* Steps one cycle at a time, recording the membranes of k neurons. */
void ct_trace(ct_chip *c, const unsigned *neurons, unsigned k, unsigned cycles, int32_t *out);
/* The params the chip's neuron n has for codes (fixed-pattern noise included). */
void ct_params(const ct_chip *c, unsigned n, const unsigned codes[AXSIM_REF_NPARAMS],
               axsim_ref_params *p);
/* Reference fixed point: from the reset potential, no input, no noise. */
uint32_t ct_ref_rest(const axsim_ref_params *p, unsigned steps);
void ct_default_codes(unsigned codes[AXSIM_REF_NPARAMS]);

#endif
