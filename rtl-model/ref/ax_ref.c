/* C reference of the chip arithmetic: mirrors rtl-model/rtl/ax_chip_pkg.sv. */
#include "axsim_ref.h"

#include <stddef.h>

static uint32_t fmix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    x ^= x >> 16;
    return x;
}

uint32_t axsim_ref_hash32(uint64_t seed, uint32_t key)
{
    uint32_t x = (uint32_t)seed ^ (key * 0x9E3779B9u);
    x = fmix32(x);
    x ^= (uint32_t)(seed >> 32);
    return fmix32(x);
}

/* Arithmetic shift right of a signed value (floor division by 2^s). */
static int64_t asr64(int64_t v, unsigned s)
{
    return v >= 0 ? v >> s : -((-v - 1) >> s) - 1;
}

/* u (signed 16-bit hash field) * half-width (Q15) * fpn / 128, Q15. */
static int32_t spread(uint32_t u16, int64_t hw, unsigned fpn)
{
    int64_t p = (int64_t)(int16_t)(uint16_t)u16 * hw * (int64_t)(fpn & 0xFF);
    return (int32_t)(uint32_t)(uint64_t)asr64(p, 22);
}

static int32_t clamp32(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

unsigned axsim_ref_default_code(axsim_ref_param p)
{
    static const unsigned codes[AXSIM_REF_NPARAMS] = {300, 280, 500, 208, 416, 416, 256, 256, 20};
    return (unsigned)p < AXSIM_REF_NPARAMS ? codes[p] : 0;
}

static uint32_t param_map(uint32_t h, axsim_ref_param p, unsigned code, unsigned fpn)
{
    int64_t nom;
    int64_t gain_hw, off_hw;
    int32_t lo, hi;
    code &= 0x3FF;
    switch (p) {
    case AXSIM_REF_LEAK:
    case AXSIM_REF_RESET:
    case AXSIM_REF_THRESH:
        nom = (int64_t)code << AXSIM_REF_VFRAC;
        gain_hw = 983;
        off_hw = 40 << AXSIM_REF_VFRAC;
        lo = 0;
        hi = (int32_t)AXSIM_REF_VMAX;
        break;
    case AXSIM_REF_TAU_M:
    case AXSIM_REF_TAU_SE:
    case AXSIM_REF_TAU_SI:
        nom = 32 + 3 * (int64_t)code;
        gain_hw = 8520;
        off_hw = 3;
        lo = 8;
        hi = 4095;
        break;
    case AXSIM_REF_GAIN_E:
    case AXSIM_REF_GAIN_I:
        nom = code;
        gain_hw = 8520;
        off_hw = 4;
        lo = 0;
        hi = 2047;
        break;
    default:
        nom = code;
        gain_hw = 8520;
        off_hw = 2;
        lo = 0;
        hi = 2047;
        break;
    }
    int64_t gq = (int64_t)(32768 + spread(h & 0xFFFF, gain_hw, fpn));
    int32_t off = spread(h >> 16, off_hw, fpn); /* off_hw is in the value's unit */
    int64_t v = asr64(nom * gq, 15) + off;
    return (uint32_t)clamp32((int32_t)(uint32_t)(uint64_t)v, lo, hi);
}

uint32_t axsim_ref_param_nominal(axsim_ref_param p, unsigned code)
{
    return param_map(0, p, code, 0);
}

uint32_t axsim_ref_param_eff(uint64_t die_seed, unsigned fpn_scale, axsim_ref_param p,
                             unsigned neuron, unsigned code)
{
    uint32_t key = ((0x01u + (uint32_t)p) << 24) | (neuron & 0xFFFFFFu);
    return param_map(axsim_ref_hash32(die_seed, key), p, code, fpn_scale);
}

void axsim_ref_params_eff(uint64_t die_seed, unsigned fpn_scale, unsigned neuron,
                          const unsigned codes[AXSIM_REF_NPARAMS], axsim_ref_params *out)
{
    uint32_t v[AXSIM_REF_NPARAMS];
    for (unsigned p = 0; p < AXSIM_REF_NPARAMS; p++)
        v[p] = axsim_ref_param_eff(die_seed, fpn_scale, (axsim_ref_param)p, neuron, codes[p]);
    out->leak = v[0];
    out->vres = v[1];
    out->vth = v[2];
    out->gm = v[3];
    out->gse = v[4];
    out->gsi = v[5];
    out->gaine = v[6];
    out->gaini = v[7];
    out->tref = v[8];
    out->once = 0;
    out->refr_pre = 0;
}

uint32_t axsim_ref_syn_step(uint64_t die_seed, unsigned fpn_scale, unsigned hemi, unsigned row,
                            unsigned col)
{
    uint32_t key = (0x10u << 24) | ((hemi * 65536u + row * 256u + col) & 0xFFFFFFu);
    uint32_t h = axsim_ref_hash32(die_seed, key);
    return (uint16_t)(256 + asr64(spread(h & 0xFFFF, 1638, fpn_scale), 7));
}

uint32_t axsim_ref_syn_amp(uint64_t die_seed, unsigned fpn_scale, unsigned hemi, unsigned row,
                           unsigned col, unsigned weight)
{
    return (uint16_t)((weight & 63) * axsim_ref_syn_step(die_seed, fpn_scale, hemi, row, col));
}

int axsim_ref_neuron_step(axsim_ref_neuron *n, const axsim_ref_params *p, uint32_t ae, uint32_t ai,
                          unsigned nz, uint32_t namp, int spike_ok, unsigned *frac)
{
    uint32_t ie = n->ie, ii = n->ii, v = n->v, dec;
    int spike = 0;
    unsigned fr = 0;
    dec = (((ie >> 7) * p->gse) >> 9) + 1;
    ie = ie > dec ? ie - dec : 0;
    dec = (((ii >> 7) * p->gsi) >> 9) + 1;
    ii = ii > dec ? ii - dec : 0;
    ie += (ae * p->gaine) >> 3;
    ii += (ai * p->gaini) >> 3;
    ie = ie > AXSIM_REF_IMAX ? AXSIM_REF_IMAX : ie;
    ii = ii > AXSIM_REF_IMAX ? AXSIM_REF_IMAX : ii;
    n->ie = ie;
    n->ii = ii;
    if (n->refr != 0) {
        if (n->refr != AXSIM_REF_REFR_HELD)
            n->refr--;
        n->v = p->vres;
    } else {
        uint32_t ub = (p->leak + ie - ii - v + (1u << 25)) >> 7;
        uint32_t vn = v + ((ub * p->gm) >> 9) - (p->gm << 9);
        vn = vn + ((nz & 1) ? namp : 0) - ((nz & 2) ? namp : 0);
        if (!(vn >> 31) && vn >= p->vth && spike_ok) {
            spike = 1;
            if (p->vth > v) {
                uint32_t num = ((p->vth - v) << 4) / (vn - v);
                fr = num > 15 ? 15 : num;
            }
            n->refr = p->once ? AXSIM_REF_REFR_HELD : p->tref << (p->refr_pre & 7u);
            n->v = p->vres;
        } else {
            n->v = (vn >> 31) ? 0 : (vn > AXSIM_REF_VMAX ? AXSIM_REF_VMAX : vn);
        }
    }
    if (frac)
        *frac = fr;
    return spike;
}

uint32_t axsim_ref_noise_amp(unsigned temporal_scale)
{
    return (AXSIM_REF_NOISE_AMP * (temporal_scale & 0xFF)) >> 7;
}

void axsim_ref_noise_init(uint64_t run_seed, uint32_t *words, unsigned nwords)
{
    for (unsigned k = 0; k < nwords; k++)
        words[k] = axsim_ref_hash32(run_seed, (0x40u << 24) | k) | 1u;
}

void axsim_ref_noise_step(uint32_t *words, unsigned nwords)
{
    for (unsigned k = 0; k < nwords; k++) {
        uint32_t w = words[k];
        w ^= w << 13;
        w ^= w >> 17;
        w ^= w << 5;
        words[k] = w;
    }
}

unsigned axsim_ref_noise_bits(const uint32_t *words, unsigned neuron)
{
    return (words[neuron / 16] >> (2 * (neuron % 16))) & 3u;
}

unsigned axsim_ref_cadc(uint64_t die_seed, unsigned fpn_scale, unsigned chan, uint32_t x)
{
    uint32_t h = axsim_ref_hash32(die_seed, (0x20u << 24) | (chan & 0xFFFFFFu));
    int64_t g = 32768 + spread(h & 0xFFFF, 1966, fpn_scale);
    int64_t s = asr64((int64_t)x * g, 31) + asr64(spread(h >> 16, 8 << 15, fpn_scale), 15);
    return s < 0 ? 0 : (s > 255 ? 255 : (unsigned)s);
}

unsigned axsim_ref_madc(uint64_t die_seed, unsigned fpn_scale, uint32_t x)
{
    uint32_t h = axsim_ref_hash32(die_seed, 0x21u << 24);
    int64_t g = 32768 + spread(h & 0xFFFF, 655, fpn_scale);
    int64_t s = asr64((int64_t)x * g, 29) + asr64(spread(h >> 16, 6 << 15, fpn_scale), 15);
    return s < 0 ? 0 : (s > 1023 ? 1023 : (unsigned)s);
}

uint32_t axsim_ref_corr_kernel(uint32_t dt, unsigned tau, unsigned amp)
{
    static const uint32_t lut[16] = {32768, 31379, 30048, 28774, 27554, 26386, 25268, 24196,
                                     23170, 22188, 21247, 20347, 19484, 18658, 17867, 17109};
    uint64_t r = 1512775u / (uint64_t)((tau & 0x3FF) ? (tau & 0x3FF) : 1);
    uint64_t k = ((uint64_t)dt * (r & 0xFFFFFFFFu)) >> 16;
    if (k >= 256)
        return 0;
    return (uint16_t)(((amp & 0x3FF) * lut[k & 15]) >> (15 + (k >> 4)));
}

static uint32_t corr_hash(uint64_t die_seed, int acausal, unsigned hemi, unsigned row, unsigned col)
{
    uint32_t kind = acausal ? 0x12u : 0x11u;
    return axsim_ref_hash32(die_seed,
                            (kind << 24) | ((hemi * 65536u + row * 256u + col) & 0xFFFFFFu));
}

uint32_t axsim_ref_corr_gain(uint64_t die_seed, unsigned fpn_scale, int acausal, unsigned hemi,
                             unsigned row, unsigned col, uint32_t k)
{
    uint32_t h = corr_hash(die_seed, acausal, hemi, row, col);
    uint32_t g = (uint32_t)(32768 + spread(h & 0xFFFF, AXSIM_REF_CORR_GAIN_HW, fpn_scale));
    return (uint16_t)(((k & 0xFFFFu) * g) >> 15);
}

uint32_t axsim_ref_corr_read(uint64_t die_seed, unsigned fpn_scale, int acausal, unsigned hemi,
                             unsigned row, unsigned col, uint32_t acc)
{
    uint32_t h = corr_hash(die_seed, acausal, hemi, row, col);
    int32_t v = (int32_t)(acc & 0xFFFFu) + spread(h >> 16, AXSIM_REF_CORR_OFF_HW, fpn_scale);
    return (uint32_t)clamp32(v, 0, 16383);
}
