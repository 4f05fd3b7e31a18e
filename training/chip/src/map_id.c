/* The mapping's identity for checkpoints: an FNV-1a hash over every
 * population's size, its units' chip neurons and drivers. Two runs with the
 * same id use the same neurons and drivers, so trained weights that adapted to
 * those circuits' fixed pattern fit only when it matches. */
#include "axon/ttfs_chip.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xFFu;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t ax_ttfs_chip_map_id(const struct ax_ttfs_chip_map *m)
{
    uint64_t h = 0xcbf29ce484222325ull;
    int n_pops = ax_net_pop_count(m->net);
    for (int p = 0; p < n_pops; p++) {
        unsigned size = ax_net_pop_size(m->net, p);
        h = mix(h, size);
        for (unsigned i = 0; i < size; i++) {
            unsigned drv[16], hemis = 0;
            int n = ax_net_drivers(m->net, p, i, drv, 16, &hemis);
            h = mix(h, (uint64_t)(int64_t)ax_net_neuron(m->net, p, i));
            h = mix(h, hemis);
            for (int k = 0; k < n && k < 16; k++)
                h = mix(h, drv[k]);
        }
    }
    return h;
}
