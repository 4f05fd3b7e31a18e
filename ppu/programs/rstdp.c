/* Reward-modulated STDP: a resident program. For each trial the host sends a
 * reward (INBOX); the program turns the trial's correlation sensors of rows
 * first..last (segments segs) into eligibility traces kept in SRAM, and
 * moves every weight along its trace, scaled by the reward prediction error:
 *   new_c = max(causal - base_c, 0), new_a = max(anticausal - base_a, 0)
 *   trace_c = min((trace_c * decay >> 8) + new_c, 255), trace_a likewise
 *   m = R - Rbar (R: the reward, 64 = 1.0; Rbar: its running mean, Q6)
 *   k = min(|m| * eta >> 6, 255)
 *   m > 0: w = w + (trace_c * k >> 8) - (trace_a * k >> 8)
 *   m < 0: w = w - (trace_c * k >> 8) + (trace_a * k >> 8)   (saturating, stored clamped to 63)
 *   Rbar += (R - Rbar) / 2^rbar_shift
 * then the rows' sensors are cleared. Baselines: as stdp_learn.c, each
 * synapse's sensor codes right after a reset, read at start.
 * Protocol: parameters (struct rstdp_params) in the host area; after the
 * baselines OUTBOX = 0x80000000; each INBOX word with command 1 in [7:0] and
 * the reward R (int8, 64 = 1.0) in [15:8] is one trial (OUTBOX = 0x80000000
 * | trials done); a 0 ends it (exit 0). Exit 2: bad parameters. */
#include <stdio.h>

#include "ppu.h"
#include "ppu/chip.h"
#include "ppu/rowunit.h"
#include "ppu/sensors.h"

struct rstdp_params {
    uint32_t first, last; /* rows */
    uint32_t segs;        /* bit s: segment s */
    uint32_t eta;         /* learning rate: k = |m| * eta / 64, m = 64 is 1.0 */
    uint32_t decay;       /* trace decay per trial, 1/256 */
    uint32_t rbar_shift;  /* running mean of the reward: 2^-rbar_shift a trial */
};
#define params PPU_HOST_PARAMS(struct rstdp_params)

#define MAX_SLOTS 64 /* row segments: 4 x 32 bytes each (baselines, traces) */
static uint8_t base_c[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));
static uint8_t base_a[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));
static uint8_t trace_c[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));
static uint8_t trace_a[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));

#define READY 0x80000000u

/* The traces of one row segment (slot k) from its sensors: v3 = trace_c,
 * v4 = trace_a (v7 holds the decay). */
static inline __attribute__((always_inline)) void traces(unsigned row, unsigned s, unsigned k)
{
    ru_vld(v1, ru_seg(row, s, RU_CAUSAL));
    ru_vldm(v2, base_c[k]);
    ru_vsubs(v1, v1, v2);
    ru_vldm(v3, trace_c[k]);
    ru_vmulh(v3, v3, v7);
    ru_vadds(v3, v3, v1);
    ru_vstm(v3, trace_c[k]);
    ru_vld(v1, ru_seg(row, s, RU_ACAUSAL));
    ru_vldm(v2, base_a[k]);
    ru_vsubs(v1, v1, v2);
    ru_vldm(v4, trace_a[k]);
    ru_vmulh(v4, v4, v7);
    ru_vadds(v4, v4, v1);
    ru_vstm(v4, trace_a[k]);
}

/* One trial: traces, then the weights moved by k (v6) in the direction of
 * the error's sign. */
static void trial(unsigned h, int m)
{
    unsigned first = params.first, last = params.last, k = 0;
    uint32_t segs = params.segs;
    unsigned am = (unsigned)(m < 0 ? -m : m), scale = am * params.eta >> 6;
    ru_vsplat(v6, scale > 255 ? 255 : scale);
    ru_vsplat(v7, params.decay);
    for (unsigned row = first; row <= last; row++)
        for (unsigned s = 0; s < RU_SEGMENTS; s++)
            if (segs >> s & 1u) {
                traces(row, s, k++);
                ru_vld(v0, ru_seg(row, s, RU_WEIGHTS));
                ru_vmulh(v3, v3, v6);
                ru_vmulh(v4, v4, v6);
                if (m > 0) {
                    ru_vadds(v0, v0, v3);
                    ru_vsubs(v0, v0, v4);
                } else {
                    ru_vsubs(v0, v0, v3);
                    ru_vadds(v0, v0, v4);
                }
                ru_vst(v0, ru_seg(row, s, RU_WEIGHTS));
            }
    chip_corr_reset_rows(h, first, last);
}

int main(void)
{
    unsigned h = ppu_hemisphere(), rows = chip_rows_per_hemi(), cols = chip_neurons_per_hemi();
    unsigned first = params.first, last = params.last;
    uint32_t segs = params.segs;
    unsigned slots = (last - first + 1u) * (unsigned)__builtin_popcount(segs);
    if (first > last || last >= rows || !segs || segs >> (cols / RU_LANES) || params.eta > 1023 ||
        params.decay > 255 || params.rbar_shift > 15 || slots > MAX_SLOTS) {
        printf("rstdp: bad parameters: rows %u..%u of %u, segments %#x\n", first, last, rows,
               (unsigned)segs);
        return 2;
    }
    ppu_sensor_baselines(h, first, last, segs, base_c, base_a);
    ppu_outbox(READY);
    int32_t rbar = 0; /* Q6 << 8 */
    uint32_t seq = 0, n = 0, word;
    while ((word = ppu_wait_inbox(&seq)) != 0) {
        int32_t r = (int8_t)(word >> 8);
        int m = r - (rbar >> 8);
        trial(h, m);
        rbar += (r * 256 - rbar) >> params.rbar_shift;
        ppu_outbox(READY | ++n);
    }
    printf("rstdp: %u trials, mean reward %d/64\n", (unsigned)n, (int)(rbar >> 8));
    return 0;
}
