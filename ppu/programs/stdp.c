/* One STDP update of rows first..last of this core's hemisphere from the
 * correlation sensors, per synapse:
 *   w = min(w + ((eta_c * max(causal - base_c[row], 0)) >> 8), 255)
 *   w = max(w - ((eta_a * max(anticausal - base_a[row], 0)) >> 8), 0)
 *   stored clamped to 63,
 * then (with reset) the rows' sensors are cleared. The baselines are each
 * row's sensor codes without pairings (the sensors' offsets), measured by
 * the host. Parameters: struct stdp_params at the start of the host area
 * (0x3C00), written by the host before start. Built twice: stdp.elf with the row unit (a segment of
 * 32 synapses an instruction), stdp_scalar.elf (STDP_SCALAR) with the same
 * math per synapse through the chip window, for the speed-up. Exit 0 (2 for
 * bad parameters); OUTBOX = the update's cycles. */
#include <stdio.h>

#include "ppu.h"
#include "ppu/chip.h"
#include "ppu/rowunit.h"

struct stdp_params {
    uint32_t first, last;  /* rows, first <= last < RowsPerHemi */
    uint32_t eta_c, eta_a; /* learning rates 0..255, in 1/256 */
    uint32_t reset;        /* non-zero: clear the rows' sensors afterwards */
    uint8_t base_c[256];   /* per-row baselines, CADC codes */
    uint8_t base_a[256];
};
_Static_assert(sizeof(struct stdp_params) <= PPU_HOST_SIZE, "parameters fit the host area");
#define stdp_params PPU_HOST_PARAMS(struct stdp_params)

#ifdef STDP_SCALAR
static uint8_t causal[256], acausal[256];

static void update_row(unsigned h, unsigned row, unsigned cols, unsigned eta_c, unsigned eta_a)
{
    chip_cadc_convert(h, AX_CHIP_CADC_SRC_CAUSAL, row);
    for (unsigned c = 0; c < cols; c++)
        causal[c] = (uint8_t)chip_cadc_code(h, c);
    chip_cadc_convert(h, AX_CHIP_CADC_SRC_ACAUSAL, row);
    for (unsigned c = 0; c < cols; c++)
        acausal[c] = (uint8_t)chip_cadc_code(h, c);
    unsigned bc = stdp_params.base_c[row], ba = stdp_params.base_a[row];
    for (unsigned wi = 0; wi < cols / 2; wi++) {
        uint32_t pair = chip_syn_pair(h, row, wi);
        for (unsigned c = 2 * wi; c < 2 * wi + 2; c++) {
            int w = (int)chip_pair_weight(pair, c);
            int dc = causal[c] > bc ? causal[c] - (int)bc : 0;
            int da = acausal[c] > ba ? acausal[c] - (int)ba : 0;
            w += (int)(eta_c * (unsigned)dc) >> 8;
            w = w > 255 ? 255 : w;
            w -= (int)(eta_a * (unsigned)da) >> 8;
            w = w < 0 ? 0 : w > 63 ? 63 : w;
            pair = chip_pair_set_weight(pair, c, (unsigned)w);
        }
        chip_set_syn_pair(h, row, wi, pair);
    }
}
#else
static void update_row(unsigned h, unsigned row, unsigned cols, unsigned eta_c, unsigned eta_a)
{
    (void)h;
    unsigned bc = stdp_params.base_c[row], ba = stdp_params.base_a[row];
    for (unsigned s = 0; s < cols / RU_LANES; s++) {
        ru_vld(v0, ru_seg(row, s, RU_WEIGHTS));
        ru_vld(v1, ru_seg(row, s, RU_CAUSAL));
        ru_vsplat(v2, bc);
        ru_vsubs(v1, v1, v2);
        ru_vsplat(v3, eta_c);
        ru_vmulh(v1, v1, v3);
        ru_vadds(v0, v0, v1);
        ru_vld(v1, ru_seg(row, s, RU_ACAUSAL));
        ru_vsplat(v2, ba);
        ru_vsubs(v1, v1, v2);
        ru_vsplat(v3, eta_a);
        ru_vmulh(v1, v1, v3);
        ru_vsubs(v0, v0, v1);
        ru_vst(v0, ru_seg(row, s, RU_WEIGHTS)); /* clamped to 63 */
    }
}
#endif

int main(void)
{
    unsigned h = ppu_hemisphere(), rows = chip_rows_per_hemi(), cols = chip_neurons_per_hemi();
    unsigned first = stdp_params.first, last = stdp_params.last;
    unsigned eta_c = stdp_params.eta_c, eta_a = stdp_params.eta_a;
    if (first > last || last >= rows || eta_c > 255 || eta_a > 255 || cols % RU_LANES) {
        printf("stdp: bad parameters: rows %u..%u of %u, eta %u %u\n", first, last, rows, eta_c,
               eta_a);
        return 2;
    }
    uint32_t t0 = ppu_cycle();
    for (unsigned row = first; row <= last; row++)
        update_row(h, row, cols, eta_c, eta_a);
    if (stdp_params.reset)
        chip_corr_reset_rows(h, first, last);
    ppu_outbox(ppu_cycle() - t0);
    return 0;
}
