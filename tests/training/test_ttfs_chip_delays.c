/* The ttfs mapper's axonal delays: the trainer's delay values (tau_s) become
 * the drivers' delay registers in whole cycles, per layer one per input (the
 * bias's per hemisphere); a delay the registers do not reach is refused
 * naming the input, and nothing changes; only axonal delays map. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"

static int fails;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL: %s\n", what);
        fails++;
    }
}

static int create(struct ax_ttfs_chip_map *m, enum ax_ttfs_delay delay)
{
    const struct ax_ttfs_layer_spec spec[2] = {
        {.n_in = 5, .n_out = 8, .tau_ratio = 1, .threshold = 1.0, .delay = delay},
        {.n_in = 9, .n_out = 3, .tau_ratio = 1, .threshold = 1.0, .delay = delay}};
    return ax_ttfs_chip_map_create(m, spec, 2, 3u, 0.05, 0.05, 3, AX_TTFS_CHIP_LAYOUT_AUTO, 256,
                                   256);
}

int main(void)
{
    struct ax_ttfs_chip_map m;
    check(create(&m, AX_TTFS_DELAY_AXONAL) == AX_OK && m.delays, "axonal delays map");
    m.tau_s_cycles = 50.0;
    /* 4 inputs and the bias; 8 hidden neurons and the bias */
    const double d0[5] = {0.1, 0.5, 1.234, 0.0, 0.32},
                 d1[9] = {0.0, 0.012, 0.0099, 2.0, 20.44, 0.7, 0.25, 1.0, 0.42};
    const uint16_t c0[5] = {5, 25, 62, 0, 16}, c1[9] = {0, 1, 0, 100, 1022, 35, 13, 50, 21};
    const double *d[2] = {d0, d1};
    check(ax_ttfs_chip_map_delays(&m, d) == AX_OK, "map_delays succeeds");
    check(!memcmp(m.delay_cycles[0], c0, sizeof c0), "layer 1 delays: round(d x 50) cycles");
    check(!memcmp(m.delay_cycles[1], c1, sizeof c1), "layer 2 delays: round(d x 50) cycles");
    unsigned drv[4], hemis = 0;
    check(ax_net_drivers(m.net, m.pop_bias, 0, drv, 4, &hemis) == 3 && hemis == 3,
          "the bias: 3 drivers in both hemispheres (its delay per hemisphere)");

    double bad0[5] = {0.1, 0.5, 30.0, 0.0, 0.32}; /* 1500 cycles */
    const double *dbad[2] = {bad0, d1};
    check(ax_ttfs_chip_map_delays(&m, dbad) == AX_E_RANGE, "1500 cycles refused");
    check(strstr(ax_error_detail(), "layer 1 input 2") &&
              strstr(ax_error_detail(), "0..1022 cycles"),
          "the refusal names the input and the range");
    check(!memcmp(m.delay_cycles[0], c0, sizeof c0) && !memcmp(m.delay_cycles[1], c1, sizeof c1),
          "a refused set changes nothing");
    double bad1[9];
    memcpy(bad1, d1, sizeof bad1);
    bad1[8] = -0.02; /* -1 cycle */
    dbad[0] = d0;
    dbad[1] = bad1;
    check(ax_ttfs_chip_map_delays(&m, dbad) == AX_E_RANGE &&
              strstr(ax_error_detail(), "layer 2 input 8"),
          "a negative delay refused");
    bad1[8] = NAN;
    check(ax_ttfs_chip_map_delays(&m, dbad) == AX_E_RANGE, "NaN refused");
    bad1[8] = 1022.4 / 50; /* rounds to 1022: the last register value */
    check(ax_ttfs_chip_map_delays(&m, dbad) == AX_OK && m.delay_cycles[1][8] == 1022,
          "1022.4 cycles rounds into the range");
    ax_ttfs_chip_map_free(&m);

    check(create(&m, AX_TTFS_DELAY_SYNAPTIC) == AX_E_UNSUPPORTED &&
              strstr(ax_error_detail(), "only axonal delays"),
          "synaptic delays refused with the reason");
    check(create(&m, AX_TTFS_DELAY_DENDRITIC) == AX_E_UNSUPPORTED, "dendritic delays refused");
    check(create(&m, AX_TTFS_DELAY_NONE) == AX_OK && !m.delays, "no delays");
    const double *dn[2] = {d0, d1};
    check(ax_ttfs_chip_map_delays(&m, dn) == AX_E_STATE, "map_delays without delays refused");
    ax_ttfs_chip_map_free(&m);
    if (!fails)
        printf("ttfs_chip.delays: all checks passed\n");
    return fails != 0;
}
