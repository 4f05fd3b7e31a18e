/* Homeostasis: drives the firing rates of neurons first .. first+count-1 to
 * a target by adjusting each neuron's leak potential (CapMem code), on the
 * chip, without the host. Each of `iterations` periods: sleep `period`
 * cycles, then read and clear each neuron's spike counter in one tight loop
 * (so every neuron's count covers the same time: from its clear in the
 * previous pass to its read in this one, `window` cycles, measured), then
 * move each leak code by
 *   err = target * window / period - count        (spikes)
 *   delta = clamp(err * gain >> 4, -max_step, max_step)   (codes)
 * within lo .. hi. OUTBOX = periods done. The last period's counts are left
 * in the host area at byte 64 (one byte a neuron, the first 960). Exit 0 with
 * a summary line; exit 2 for bad parameters. Parameters: struct homeo_params
 * in the host area. */
#include <stdio.h>

#include "ppu.h"
#include "ppu/chip.h"

struct homeo_params {
    uint32_t first, count;       /* neurons (0 .. 2 x NeuronsPerHemi - 1) */
    uint32_t target;             /* spikes a period */
    uint32_t period, iterations; /* cycles a period (>= 1000), periods */
    uint32_t gain, max_step;     /* code change per spike of error, 1/16; its limit */
    uint32_t lo, hi;             /* leak codes allowed */
};
#define params PPU_HOST_PARAMS(struct homeo_params)

#define COUNTS      ((volatile uint8_t *)(PPU_HOST_BASE + 64u))
#define COUNTS_MAX  (PPU_HOST_SIZE - 64u)
#define MAX_NEURONS 512
static uint16_t leak[MAX_NEURONS];
static uint8_t count_of[MAX_NEURONS];

/* Reads and clears the counters; returns the cycle of the pass's middle. */
static uint32_t snapshot(unsigned first, unsigned count)
{
    uint32_t t0 = ppu_cycle();
    for (unsigned i = 0; i < count; i++) {
        count_of[i] = (uint8_t)chip_spike_count(first + i);
        chip_clear_count(first + i);
    }
    return t0 + (ppu_cycle() - t0) / 2u;
}

static void adjust(unsigned first, unsigned count, int expect)
{
    int gain = (int)params.gain, max_step = (int)params.max_step;
    int lo = (int)params.lo, hi = (int)params.hi;
    for (unsigned i = 0; i < count; i++) {
        /* expect in 1/16 spikes; rounded towards 0 both ways (a floor would step
         * down for any excess but up only for a whole code's worth) */
        int v = (expect - 16 * (int)count_of[i]) * gain;
        int delta = v >= 0 ? v >> 8 : -(-v >> 8);
        delta = delta > max_step ? max_step : delta < -max_step ? -max_step : delta;
        int code = (int)leak[i] + delta;
        code = code < lo ? lo : code > hi ? hi : code;
        if (code != leak[i]) {
            leak[i] = (uint16_t)code;
            chip_set_capmem(AX_CHIP_PARAM_LEAK, first + i, (unsigned)code);
        }
        if (i < COUNTS_MAX)
            COUNTS[i] = count_of[i];
    }
}

int main(void)
{
    unsigned first = params.first, count = params.count, neurons = 2 * chip_neurons_per_hemi();
    uint32_t period = params.period;
    if (!count || count > MAX_NEURONS || first + count > neurons || period < 1000 ||
        params.lo > params.hi || params.hi > AX_CHIP_CODE_MAX || params.target > 255 ||
        params.gain > 1024) {
        printf("homeo: bad parameters: neurons %u + %u of %u, codes %u..%u\n", first, count,
               neurons, (unsigned)params.lo, (unsigned)params.hi);
        return 2;
    }
    for (unsigned i = 0; i < count; i++)
        leak[i] = (uint16_t)chip_capmem(AX_CHIP_PARAM_LEAK, first + i);
    uint32_t prev = snapshot(first, count), window = 0;
    unsigned total = 0;
    for (uint32_t it = 0; it < params.iterations; it++) {
        ppu_sleep_until(prev + period);
        uint32_t now = snapshot(first, count);
        window = now - prev;
        prev = now;
        /* the target scaled to this window, in 1/16 spikes (no division in the loop) */
        int expect = (int)(16u * params.target * window / period);
        adjust(first, count, expect);
        total = 0;
        for (unsigned i = 0; i < count; i++)
            total += count_of[i];
        ppu_outbox(it + 1);
    }
    printf("homeo: %u periods, the last %u cycles, %u spikes over %u neurons\n",
           (unsigned)params.iterations, (unsigned)window, total, count);
    return 0;
}
