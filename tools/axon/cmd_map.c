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

/* A population's line: its neurons, and per hemisphere the drivers its
 * units take (lowest..highest, units there) and their addresses. */
static void print_pop(const ax_net *n, int q)
{
    unsigned size = ax_net_pop_size(n, q), drv[16], hemis = 0;
    printf("  %-8s %4u %-7s", ax_net_pop_name(n, q), size,
           ax_net_pop_is_source(n, q) ? "source" : "neurons");
    if (!ax_net_pop_is_source(n, q)) {
        int first = ax_net_neuron(n, q, 0);
        printf(" neurons %d..%d", first, first + (int)size - 1);
    }
    unsigned lo[2] = {~0u, ~0u}, hi[2] = {0, 0}, units[2] = {0, 0};
    int per = 0;
    unsigned long long addrs = 0;
    for (unsigned i = 0; i < size; i++) {
        int k = ax_net_drivers(n, q, i, drv, 16, &hemis);
        if (k <= 0)
            continue;
        per = k;
        addrs |= 1ull << ax_net_address(n, q, i);
        for (unsigned h = 0; h < 2; h++)
            if (hemis >> h & 1) {
                lo[h] = drv[0] < lo[h] ? drv[0] : lo[h];
                hi[h] = drv[0] + (unsigned)k - 1 > hi[h] ? drv[0] + (unsigned)k - 1 : hi[h];
                units[h]++;
            }
    }
    if (per > 0) {
        printf("  drivers");
        for (unsigned h = 0; h < 2; h++)
            if (units[h])
                printf("%s %u..%u of hemisphere %u (%u units)", h && units[0] ? "," : "", lo[h],
                       hi[h], h, units[h]);
        printf(", %d per unit, address", per);
        for (int a = 0; a < 64; a++)
            if (addrs >> a & 1)
                printf(" %d", a);
    }
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
           "cycles), layout %s\n",
           path, nph, rows, t.name, t.value[AX_PARAM_GAIN_E],
           t.value[AX_PARAM_TAU_SE] * AX_CYCLES_PER_US, ax_ttfs_chip_layout_name(m.layout));
    for (int q = 0; q < ax_net_pop_count(m.net); q++)
        print_pop(m.net, q);
    struct ax_net_usage u;
    ax_net_usage(m.net, &u);
    for (unsigned h = 0; h < 2; h++)
        printf("  hemisphere %u: %u of %u neurons, %u of %u drivers, %u of %u rows\n", h,
               u.neurons[h], nph, u.drivers[h], rows / 2, u.rows[h], rows);
    printf("  joined columns %u, drivers shared by several units %u + %u\n", u.joined, u.shared[0],
           u.shared[1]);
    printf("  synapses (non-zero at the initial weights): %u\n", u.synapses);
    for (int l = 0; l < 2; l++)
        printf("  layer %d: weight range +-%.3f (code step %.4f); initial weights up to %.3f: "
               "%u clipped, %u rounded to 0\n",
               l, clip.range[l], m.scale_e, clip.max_abs[l], clip.clipped[l], clip.zero[l]);
    ax_ttfs_chip_map_free(&m);
    return 0;
}
