/* axon map CONFIG: how a training config's network lands on the chip (the
 * ttfs mapper over libaxon_net): populations and their columns, the drivers
 * of every presynaptic unit, rows and synapses used, and the quantisation of
 * the config's initial weights (the scale from the calibration targets' psp).
 * No board is touched: the geometry is the full chip's unless --small. */
#include <stdio.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"
#include "axon/ttfs_run.h"
#include "commands.h"

static const char usage[] =
    "usage: axon map CONFIG [--small]\n"
    "\n"
    "Places the network of a training config with a [chip] section on\n"
    "the chip (docs/network.md, docs/training.md) and prints the placement,\n"
    "the resources used and the clipping of its initial weights. Exit 1\n"
    "with the reason when it does not fit.\n"
    "  --small  the small chip (32 neurons x 32 rows a hemisphere)\n";

static void print_pop(const ax_net *n, int q)
{
    unsigned size = ax_net_pop_size(n, q), drv[16], hemis = 0;
    printf("  %-8s %4u %-7s", ax_net_pop_name(n, q), size,
           ax_net_pop_is_source(n, q) ? "source" : "neurons");
    if (!ax_net_pop_is_source(n, q)) {
        int first = ax_net_neuron(n, q, 0);
        printf(" neurons %d..%d", first, first + (int)size - 1);
    }
    int k0 = ax_net_drivers(n, q, 0, drv, 16, &hemis);
    int k1 = ax_net_drivers(n, q, size - 1, drv + 8, 8, &hemis);
    if (k0 > 0 && k1 > 0)
        printf("  drivers %u..%u (%d per unit) of hemisphere%s%s%s", drv[0],
               drv[8] + (unsigned)k1 - 1, k0, hemis == 3 ? "s" : "", hemis & 1 ? " 0" : "",
               hemis & 2 ? (hemis & 1 ? ", 1" : " 1") : "");
    printf("\n");
}

int axon_cmd_map(int argc, char **argv)
{
    const char *config = NULL;
    bool small = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--small")) {
            small = true;
        } else if (argv[i][0] == '-' || config) {
            axon_err("map: unexpected argument '%s' (see axon map --help)", argv[i]);
            return 2;
        } else {
            config = argv[i];
        }
    }
    if (!config) {
        axon_err("map: missing CONFIG (see axon map --help)");
        return 2;
    }
    char path[1024];
    ax_ttfs_config_path(config, path, sizeof path);
    struct ax_ttfs_config cfg;
    struct ax_calib_targets t;
    struct ax_ttfs_chip_map m;
    unsigned nph = small ? 32 : 256, rows = small ? 32 : 256;
    if (ax_ttfs_config_load(&cfg, path) < 0 || ax_ttfs_chip_targets(&cfg, &t) < 0 ||
        ax_ttfs_chip_map_config(&m, &cfg, &t, nph, rows) < 0) {
        axon_err("map: %s", ax_error_detail());
        return 1;
    }
    /* the config's initial weights, as a run starts */
    struct ax_ttfs_net net;
    struct ax_rng rng;
    ax_rng_seed(&rng, cfg.seed);
    struct ax_ttfs_chip_clip clip;
    int rc = ax_ttfs_net_create(&net, &cfg, 1);
    if (rc == 0) {
        ax_ttfs_net_init(&net, &cfg, &rng);
        const double *const w[2] = {net.params + net.w_off[0], net.params + net.w_off[1]};
        rc = ax_ttfs_chip_map_weights(&m, w, &clip);
        ax_ttfs_net_free(&net);
    }
    if (rc < 0) {
        axon_err("map: %s", ax_error_detail());
        ax_ttfs_chip_map_free(&m);
        return 1;
    }
    printf("%s on a chip of 2 x %u neurons x %u rows (targets '%s': psp %.4g, tau_s %.1f "
           "cycles)\n",
           path, nph, rows, t.name, t.value[AX_PARAM_GAIN_E],
           t.value[AX_PARAM_TAU_SE] * AX_CYCLES_PER_US);
    for (int q = 0; q < ax_net_pop_count(m.net); q++)
        print_pop(m.net, q);
    struct ax_net_usage u;
    ax_net_usage(m.net, &u);
    for (unsigned h = 0; h < 2; h++)
        printf("  hemisphere %u: %u of %u neurons, %u of %u drivers, %u of %u rows\n", h,
               u.neurons[h], nph, u.drivers[h], rows / 2, u.rows[h], rows);
    printf("  synapses (non-zero at the initial weights): %u\n", u.synapses);
    for (int l = 0; l < 2; l++)
        printf("  layer %d: weight range +-%.3f (code step %.4f); initial weights up to %.3f: "
               "%u clipped, %u rounded to 0\n",
               l, clip.range[l], m.scale_e, clip.max_abs[l], clip.clipped[l], clip.zero[l]);
    ax_ttfs_chip_map_free(&m);
    return 0;
}
