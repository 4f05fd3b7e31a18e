/* STDP that learns online: a resident program that keeps a baseline of
 * every synapse's correlation sensors in SRAM and, for each host command,
 * updates the weights of rows first..last (the segments in segs) from the
 * sensors with the row unit, then clears those rows' sensors:
 *   w = min(w + ((eta_c * max(causal - base_c, 0)) >> 8), 255)
 *   w = max(w - ((eta_a * max(anticausal - base_a, 0)) >> 8), 0), stored clamped to 63
 * base_c, base_a: per synapse, the CADC codes of its sensors right after a
 * reset (the sensor's read-out offset and the CADC channel's offset), read
 * once at start. Protocol: parameters (struct stdp_learn_params) in the host
 * area before start; the program clears the rows' sensors, measures the
 * baselines and sets OUTBOX = 0x80000000 (ready); then each INBOX word 1 is
 * one update (OUTBOX = 0x80000000 | updates done), a 0 ends it: exit 0 and
 * a line with the updates and the slowest update's cycles in the mailbox.
 * Exit 2: bad parameters. */
#include <stdio.h>

#include "ppu.h"
#include "ppu/chip.h"
#include "ppu/rowunit.h"
#include "ppu/sensors.h"

struct stdp_learn_params {
    uint32_t first, last;  /* rows, first <= last < RowsPerHemi */
    uint32_t segs;         /* bit s: segment s (columns 32s .. 32s+31) */
    uint32_t eta_c, eta_a; /* learning rates 0..255, in 1/256 */
};
#define params PPU_HOST_PARAMS(struct stdp_learn_params)

#define MAX_SLOTS 144 /* row segments with a baseline: 2 x 32 bytes each */
static uint8_t base_c[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));
static uint8_t base_a[MAX_SLOTS][RU_LANES] __attribute__((aligned(32)));

#define READY 0x80000000u

static void update(unsigned h, unsigned first, unsigned last, uint32_t segs)
{
    unsigned k = 0;
    ru_vsplat(v6, params.eta_c);
    ru_vsplat(v7, params.eta_a);
    for (unsigned row = first; row <= last; row++)
        for (unsigned s = 0; s < RU_SEGMENTS; s++)
            if (segs >> s & 1u) {
                ru_vld(v0, ru_seg(row, s, RU_WEIGHTS));
                ru_vld(v1, ru_seg(row, s, RU_CAUSAL));
                ru_vldm(v2, base_c[k]);
                ru_vsubs(v1, v1, v2);
                ru_vmulh(v1, v1, v6);
                ru_vadds(v0, v0, v1);
                ru_vld(v1, ru_seg(row, s, RU_ACAUSAL));
                ru_vldm(v2, base_a[k]);
                ru_vsubs(v1, v1, v2);
                ru_vmulh(v1, v1, v7);
                ru_vsubs(v0, v0, v1);
                ru_vst(v0, ru_seg(row, s, RU_WEIGHTS)); /* clamped to 63 */
                k++;
            }
    chip_corr_reset_rows(h, first, last);
}

int main(void)
{
    unsigned h = ppu_hemisphere(), rows = chip_rows_per_hemi(), cols = chip_neurons_per_hemi();
    unsigned first = params.first, last = params.last;
    uint32_t segs = params.segs;
    unsigned slots = (last - first + 1u) * (unsigned)__builtin_popcount(segs);
    if (first > last || last >= rows || !segs || segs >> (cols / RU_LANES) || params.eta_c > 255 ||
        params.eta_a > 255 || slots > MAX_SLOTS) {
        printf("stdp_learn: bad parameters: rows %u..%u of %u, segments %#x, eta %u %u\n", first,
               last, rows, (unsigned)segs, (unsigned)params.eta_c, (unsigned)params.eta_a);
        return 2;
    }
    ppu_sensor_baselines(h, first, last, segs, base_c, base_a);
    ppu_outbox(READY);
    uint32_t seq = 0, n = 0, slowest = 0;
    while (ppu_wait_inbox(&seq) != 0) {
        uint32_t t0 = ppu_cycle();
        update(h, first, last, segs);
        uint32_t dt = ppu_cycle() - t0;
        slowest = dt > slowest ? dt : slowest;
        ppu_outbox(READY | ++n);
    }
    printf("stdp_learn: %u updates, slowest %u cycles\n", (unsigned)n, (unsigned)slowest);
    return 0;
}
