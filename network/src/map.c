/* Placement: columns for populations, drivers for presynaptic units, and
 * the register image (neurons, drivers, synapse words) of the description. */
#include <string.h>

#include "axon/chip.h"
#include "axon/status.h"
#include "net_int.h"

static bool drivers_free(const ax_net *n, unsigned targets, unsigned d, unsigned dup)
{
    if (d + dup > n->rows / 2)
        return false;
    for (unsigned h = 0; h < 2; h++)
        for (unsigned k = 0; targets >> h & 1 && k < dup; k++)
            if (n->drv_owner[h][d + k] >= 0)
                return false;
    return true;
}

/* Consecutive drivers (consecutive event buses) for each unit of pop, the
 * lowest index free in every hemisphere the unit reaches. */
static int place_drivers(ax_net *n, int pop)
{
    struct ax_net_pop *p = &n->pop[pop];
    unsigned d = 0;
    for (unsigned i = 0; i < p->size; i++) {
        while (d < n->rows / 2 && !drivers_free(n, p->targets, d, p->dup))
            d++;
        if (d >= n->rows / 2) {
            unsigned used[2] = {0, 0};
            for (unsigned h = 0; h < 2; h++)
                for (unsigned k = 0; k < n->rows / 2; k++)
                    used[h] += n->drv_owner[h][k] >= 0;
            unsigned h = p->targets & 1 ? 0 : 1;
            return ax_fail(AX_E_RANGE,
                           "network: '%s'[%u] finds no %u free driver(s) in hemisphere %u "
                           "(%u of %u drivers taken; each presynaptic unit needs its own)",
                           p->name, i, p->dup, h, used[h], n->rows / 2);
        }
        p->drv[i] = d;
        for (unsigned h = 0; h < 2; h++)
            for (unsigned k = 0; p->targets >> h & 1 && k < p->dup; k++) {
                n->drv_owner[h][d + k] = (int8_t)pop;
                n->row_used[h][2 * (d + k)] = n->row_used[h][2 * (d + k) + 1] = true;
            }
        d += p->dup;
    }
    return AX_OK;
}

static uint16_t unit_label(const struct ax_net_pop *p, unsigned i)
{
    if (p->targets)
        return (uint16_t)(p->drv[i] << 6 | p->targets << 13);
    return (uint16_t)(1u << 15 | (p->first + i)); /* unique, reaches no synapse */
}

void ax_net_build_drivers(ax_net *n)
{
    memset(n->want.drv, 0, sizeof n->want.drv);
    for (int q = 0; q < n->npop; q++) {
        const struct ax_net_pop *p = &n->pop[q];
        for (unsigned i = 0; p->targets && i < p->size; i++)
            for (unsigned h = 0; h < 2; h++)
                for (unsigned k = 0; p->targets >> h & 1 && k < p->dup; k++)
                    n->want.drv[h][p->drv[i] + k] =
                        (uint32_t)p->delay[h][i] << AX_CHIP_DRIVER_DELAY_SHIFT |
                        AX_CHIP_SIGN_EXC << AX_CHIP_DRIVER_SIGN_EVEN_SHIFT |
                        AX_CHIP_SIGN_INH << AX_CHIP_DRIVER_SIGN_ODD_SHIFT;
    }
}

static void set_weight(ax_net *n, unsigned h, unsigned row, unsigned col, unsigned w)
{
    uint32_t *word = &n->want.syn[h][row][col / 2];
    /* address 0: every synapse's label is 0 (one unit a driver) */
    if (col % 2)
        *word = (*word & ~(AX_CHIP_SYN_WEIGHT1_MASK | AX_CHIP_SYN_LABEL1_MASK)) |
                w << AX_CHIP_SYN_WEIGHT1_SHIFT;
    else
        *word = (*word & ~(AX_CHIP_SYN_WEIGHT0_MASK | AX_CHIP_SYN_LABEL0_MASK)) |
                w << AX_CHIP_SYN_WEIGHT0_SHIFT;
}

/* A signed code split over the unit's dup drivers: excitatory row 2d or
 * inhibitory row 2d + 1, the other row of the pair 0. */
void ax_net_build_synapses(ax_net *n, int proj)
{
    const struct ax_net_proj *pj = &n->proj[proj];
    const struct ax_net_pop *pre = &n->pop[pj->pre], *post = &n->pop[pj->post];
    unsigned h = post->hemi;
    for (unsigned j = 0; j < post->size; j++) {
        unsigned col = post->first + j - h * n->nph;
        for (unsigned i = 0; i < pre->size; i++) {
            int c = pj->codes[(size_t)j * pre->size + i];
            unsigned a = (unsigned)(c < 0 ? -c : c);
            for (unsigned k = 0; k < pre->dup; k++) {
                unsigned part = a / pre->dup + (k < a % pre->dup), d = pre->drv[i] + k;
                set_weight(n, h, 2 * d, col, c > 0 ? part : 0);
                set_weight(n, h, 2 * d + 1, col, c < 0 ? part : 0);
            }
        }
    }
}

static void build_neurons(ax_net *n)
{
    memset(n->want.nrn, 0, sizeof n->want.nrn);
    for (unsigned l = 0; l < (1u << 16); l++)
        n->label_pop[l] = -1;
    for (int q = 0; q < n->npop; q++) {
        const struct ax_net_pop *p = &n->pop[q];
        for (unsigned i = 0; !p->source && i < p->size; i++) {
            uint16_t label = unit_label(p, i);
            n->want.nrn[p->first + i] =
                (uint32_t)label << AX_CHIP_NRN_CFG_LABEL_SHIFT |
                (p->flags & AX_NET_RECORD ? AX_CHIP_NRN_CFG_RECORD_MASK : 0) |
                (p->flags & AX_NET_ONCE ? AX_CHIP_NRN_CFG_ONCE_MASK : 0);
            n->label_pop[label] = (int16_t)q;
            n->label_unit[label] = (uint16_t)i;
        }
    }
}

int ax_net_map(ax_net *n)
{
    if (n->mapped)
        return ax_fail(AX_E_STATE, "network: mapped twice");
    unsigned next[2] = {0, 0};
    for (int q = 0; q < n->npop; q++) { /* columns */
        struct ax_net_pop *p = &n->pop[q];
        if (p->source)
            continue;
        if (next[p->hemi] + p->size > n->nph)
            return ax_fail(AX_E_RANGE,
                           "network: population '%s' (%u neurons) does not fit hemisphere %u: "
                           "%u of %u columns taken",
                           p->name, p->size, p->hemi, next[p->hemi], n->nph);
        p->first = p->hemi * n->nph + next[p->hemi];
        next[p->hemi] += p->size;
    }
    memset(n->drv_owner, -1, sizeof n->drv_owner);
    memset(n->row_used, 0, sizeof n->row_used);
    for (int q = 0; q < n->npop;
         q++) { /* sources first: their duplicates take consecutive drivers */
        int rc = n->pop[q].source && n->pop[q].targets ? place_drivers(n, q) : AX_OK;
        if (rc < 0)
            return rc;
    }
    for (int q = 0; q < n->npop; q++) {
        int rc = !n->pop[q].source && n->pop[q].targets ? place_drivers(n, q) : AX_OK;
        if (rc < 0)
            return rc;
    }
    memset(&n->want, 0, sizeof n->want);
    build_neurons(n);
    ax_net_build_drivers(n);
    n->mapped = true;
    for (int j = 0; j < n->nproj; j++)
        ax_net_build_synapses(n, j);
    return AX_OK;
}

void ax_net_usage(const ax_net *n, struct ax_net_usage *u)
{
    memset(u, 0, sizeof *u);
    u->neurons_per_hemi = n->nph;
    u->rows_per_hemi = n->rows;
    for (int q = 0; q < n->npop; q++)
        if (!n->pop[q].source)
            u->neurons[n->pop[q].hemi] += n->pop[q].size;
    for (unsigned h = 0; h < 2; h++) {
        for (unsigned d = 0; d < n->rows / 2; d++)
            u->drivers[h] += n->drv_owner[h][d] >= 0;
        for (unsigned r = 0; r < n->rows; r++) {
            u->rows[h] += n->row_used[h][r];
            for (unsigned w = 0; n->row_used[h][r] && w < n->nph / 2; w++) {
                uint32_t x = n->want.syn[h][r][w];
                u->synapses += (x & AX_CHIP_SYN_WEIGHT0_MASK) != 0;
                u->synapses += (x & AX_CHIP_SYN_WEIGHT1_MASK) != 0;
            }
        }
    }
}

int ax_net_neuron(const ax_net *n, int pop, unsigned i)
{
    if (pop < 0 || pop >= n->npop || n->pop[pop].source || i >= n->pop[pop].size || !n->mapped)
        return AX_E_INVAL;
    return (int)(n->pop[pop].first + i);
}

int ax_net_drivers(const ax_net *n, int pop, unsigned i, unsigned *drv, unsigned max,
                   unsigned *hemis)
{
    if (pop < 0 || pop >= n->npop || i >= n->pop[pop].size || !n->mapped)
        return AX_E_INVAL;
    const struct ax_net_pop *p = &n->pop[pop];
    *hemis = p->targets;
    if (!p->targets)
        return 0;
    for (unsigned k = 0; k < p->dup && k < max; k++)
        drv[k] = p->drv[i] + k;
    return (int)p->dup;
}

int ax_net_label_unit(const ax_net *n, uint16_t label, unsigned *unit)
{
    int q = n->label_pop[label];
    if (q >= 0)
        *unit = n->label_unit[label];
    return q;
}
