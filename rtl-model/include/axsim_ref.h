/* axsim_ref: the C reference of the chip's documented arithmetic (docs/chip.md).
 *
 * Bit for bit what the RTL (rtl-model/rtl/ax_chip_pkg.sv) computes: the
 * fixed-pattern-noise hash and code-to-value mappings, the neuron update of
 * one cycle, the temporal noise generators, the ADC conversions and the
 * correlation kernel. Units: potentials and synaptic currents in Q14 mV
 * (value / 16384 = mV), conductances g in 1/65536 per cycle (tau = 65536/g
 * cycles), synapse amplitudes in Q8 weight units, times in cycles.
 */
#ifndef AXSIM_REF_H
#define AXSIM_REF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AXSIM_REF_VFRAC     14                         /* fraction bits of potentials */
#define AXSIM_REF_VMAX      (1023u << AXSIM_REF_VFRAC) /* upper rail; lower rail 0 */
#define AXSIM_REF_IMAX      (1023u << AXSIM_REF_VFRAC) /* synaptic current clamp */
#define AXSIM_REF_NOISE_AMP 2458u                      /* 0.15 mV a cycle at scale 128 */
#define AXSIM_REF_CODE_MAX  1022u                      /* largest CapMem code */

typedef enum axsim_ref_param {
    AXSIM_REF_LEAK = 0,   /* leak potential, code = mV */
    AXSIM_REF_RESET = 1,  /* reset potential, code = mV */
    AXSIM_REF_THRESH = 2, /* threshold, code = mV */
    AXSIM_REF_TAU_M = 3,  /* membrane: g = 32 + 3*code */
    AXSIM_REF_TAU_SE = 4, /* excitatory synaptic time constant, same map */
    AXSIM_REF_TAU_SI = 5, /* inhibitory synaptic time constant, same map */
    AXSIM_REF_GAIN_E = 6, /* excitatory input gain, code */
    AXSIM_REF_GAIN_I = 7, /* inhibitory input gain, code */
    AXSIM_REF_T_REF = 8,  /* refractory time, code = cycles */
    AXSIM_REF_NPARAMS = 9
} axsim_ref_param;

/* Effective per-neuron parameters (what the RTL's CapMem cells hold). */
typedef struct axsim_ref_params {
    uint32_t leak, vres, vth; /* Q14 mV */
    uint32_t gm, gse, gsi;    /* conductances, tau = 65536 / g cycles */
    uint32_t gaine, gaini;    /* input gains */
    uint32_t tref;            /* refractory time, units of 2^refr_pre cycles */
    /* neuron configuration (NRN_CFG), not CapMem: 0 from axsim_ref_params_eff */
    uint32_t once;     /* ONCE: spike at most once until NEURON_RESET */
    uint32_t refr_pre; /* REFR_PRE (0..7): refractory time = tref << refr_pre cycles */
} axsim_ref_params;

/* The refractory counter of a spike-once neuron after its spike: held (it
 * never counts down) until NEURON_RESET sets it to 0. */
#define AXSIM_REF_REFR_HELD 0xFFFFFFFFu

/* Neuron state (the RTL's state words). */
typedef struct axsim_ref_neuron {
    uint32_t v;    /* membrane, Q14 mV */
    uint32_t ie;   /* excitatory synaptic current, Q14 mV */
    uint32_t ii;   /* inhibitory synaptic current, Q14 mV */
    uint32_t refr; /* refractory cycles left (AXSIM_REF_REFR_HELD: spent spike-once neuron) */
} axsim_ref_neuron;

/* The fixed-pattern hash: murmur3-fmix32 based, see docs/chip.md. */
uint32_t axsim_ref_hash32(uint64_t seed, uint32_t key);

/* Power-on CapMem code of a parameter. */
unsigned axsim_ref_default_code(axsim_ref_param p);

/* Nominal value of a code (no fixed-pattern noise). */
uint32_t axsim_ref_param_nominal(axsim_ref_param p, unsigned code);

/* Effective value of parameter p of neuron n (0..511) for a code, with the
 * die's fixed-pattern noise at fpn_scale (128 = nominal, 0 = off). */
uint32_t axsim_ref_param_eff(uint64_t die_seed, unsigned fpn_scale, axsim_ref_param p,
                             unsigned neuron, unsigned code);

/* All nine effective parameters of neuron n for codes[AXSIM_REF_NPARAMS]. */
void axsim_ref_params_eff(uint64_t die_seed, unsigned fpn_scale, unsigned neuron,
                          const unsigned codes[AXSIM_REF_NPARAMS], axsim_ref_params *out);

/* Weight-to-current step of a synapse (Q8, 256 nominal); its amplitude for a
 * weight w is (uint16_t)(w * step). */
uint32_t axsim_ref_syn_step(uint64_t die_seed, unsigned fpn_scale, unsigned hemi, unsigned row,
                            unsigned col);
uint32_t axsim_ref_syn_amp(uint64_t die_seed, unsigned fpn_scale, unsigned hemi, unsigned row,
                           unsigned col, unsigned weight);

/* One cycle of one neuron (p->once, p->refr_pre: its configuration). ae/ai: summed amplitudes of
 * this cycle's excitatory/inhibitory events (0 when none); nz: the neuron's two noise bits; namp:
 * axsim_ref_noise_amp(); spike_ok: 0 for the bottom neuron of a joined column. Returns 1 on a spike
 * and sets *frac (1/16 cycle). */
int axsim_ref_neuron_step(axsim_ref_neuron *n, const axsim_ref_params *p, uint32_t ae, uint32_t ai,
                          unsigned nz, uint32_t namp, int spike_ok, unsigned *frac);

/* Temporal noise: step size for temporal_scale (128 nominal), the generator
 * words (one xorshift32 per 16 neurons) seeded from the run seed, one cycle's
 * advance, and neuron i's two bits. */
uint32_t axsim_ref_noise_amp(unsigned temporal_scale);
void axsim_ref_noise_init(uint64_t run_seed, uint32_t *words, unsigned nwords);
void axsim_ref_noise_step(uint32_t *words, unsigned nwords);
unsigned axsim_ref_noise_bits(const uint32_t *words, unsigned neuron);

/* ADCs: the 8-bit CADC channel chan (hemi*256 + column) and the 10-bit MADC
 * converting a potential x (Q14 mV), with the die's offset and gain errors. */
unsigned axsim_ref_cadc(uint64_t die_seed, unsigned fpn_scale, unsigned chan, uint32_t x);
unsigned axsim_ref_madc(uint64_t die_seed, unsigned fpn_scale, uint32_t x);

/* Correlation kernel: amp * 2^(-k/16), k = floor(dt * floor(2^20/ln2/tau) / 2^16),
 * 0 for k >= 256 (Q4 sensor units). */
uint32_t axsim_ref_corr_kernel(uint32_t dt, unsigned tau, unsigned amp);

/* Correlation sensors' fixed pattern (model 3), per sensor (acausal 0: the
 * causal sensor, hash key 0x11; 1: the anti-causal one, 0x12; index
 * hemi*65536 + row*256 + col): a pairing adds corr_gain(kernel value) =
 * floor(k * (32768 + spread(h[15:0], 3932)) / 32768) (+-12 %); the CADC
 * converts corr_read(accumulator) = clamp(acc + spread(h[31:16], 128), 0,
 * 16383) (+-8 sensor units), both Q4 sensor units. */
#define AXSIM_REF_CORR_GAIN_HW 3932 /* Q15 */
#define AXSIM_REF_CORR_OFF_HW  128  /* Q4 sensor units */
uint32_t axsim_ref_corr_gain(uint64_t die_seed, unsigned fpn_scale, int acausal, unsigned hemi,
                             unsigned row, unsigned col, uint32_t k);
uint32_t axsim_ref_corr_read(uint64_t die_seed, unsigned fpn_scale, int acausal, unsigned hemi,
                             unsigned row, unsigned col, uint32_t acc);

#ifdef __cplusplus
}
#endif
#endif
