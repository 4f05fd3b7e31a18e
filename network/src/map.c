/* Placement: columns for populations, drivers for presynaptic units, and
 * the register image (neurons, drivers, synapse words) of the description. */
#include <string.h>

#include "axon/chip.h"
#include "axon/status.h"
#include "net_int.h"

/* Columns of hemisphere h that a unit of pop reaches on its rows there when
 * its rows into joined populations are in hemisphere jh: cols[c] set. */
static void unit_columns(const ax_net *n, int pop, unsigned h, unsigned jh, bool *cols)
{
    memset(cols, 0, n->nph * sizeof *cols);
    for (int j = 0; j < n->nproj; j++) {
        if (n->proj[j].pre != pop)
            continue;
        const struct ax_net_pop *q = &n->pop[n->proj[j].post];
        bool joined = q->flags & AX_NET_JOINED;
        if (joined ? jh != h : q->hemi != h)
            continue;
        for (unsigned c = 0; c < q->size; c++)
            cols[q->first % n->nph + c] = true;
    }
}

/* Hemisphere sets (label bits) a unit of p may use, in the order tried, and
 * the hemisphere of its rows into joined populations for each. */
static unsigned hemi_options(const struct ax_net_pop *p, unsigned *hemis, unsigned *jh)
{
    if (!p->to_joined) {
        hemis[0] = p->targets;
        jh[0] = 0;
        return 1;
    }
    if (p->targets) { /* joined rows in the lowest hemisphere it reaches anyway */
        hemis[0] = p->targets;
        jh[0] = p->targets & 1 ? 0 : 1;
        return 1;
    }
    hemis[0] = 1, jh[0] = 0;
    hemis[1] = 2, jh[1] = 1;
    return 2;
}

/* The lowest address free on drivers d .. d + dup - 1 of hemispheres
 * `hemis` whose columns the unit needs are free there; -1: none. With
 * own, only drivers no unit uses yet (address 0). */
static int driver_address(const ax_net *n, int pop, unsigned hemis, unsigned jh, unsigned d,
                          bool own)
{
    const struct ax_net_pop *p = &n->pop[pop];
    if (d + p->dup > n->rows / 2)
        return -1;
    uint64_t used = 0;
    bool cols[AX_NET_MAX_NPH];
    for (unsigned h = 0; h < 2; h++) {
        if (!(hemis >> h & 1))
            continue;
        unit_columns(n, pop, h, jh, cols);
        for (unsigned k = 0; k < p->dup; k++) {
            if (own && n->drv_units[h][d + k])
                return -1;
            used |= n->addr_used[h][d + k];
            for (unsigned c = 0; c < n->nph; c++)
                if (cols[c] && n->col_addr[h][d + k][c] != AX_NET_COL_FREE)
                    return -1;
        }
    }
    for (int a = 0; a < 64; a++)
        if (!(used >> a & 1))
            return a;
    return -1;
}

static void take_driver(ax_net *n, int pop, unsigned i, unsigned hemis, unsigned jh, unsigned d,
                        int a)
{
    struct ax_net_pop *p = &n->pop[pop];
    bool cols[AX_NET_MAX_NPH];
    p->drv[i] = d;
    p->hemis[i] = (uint8_t)hemis;
    p->jhemi[i] = (uint8_t)jh;
    p->addr[i] = (uint8_t)a;
    for (unsigned h = 0; h < 2; h++) {
        if (!(hemis >> h & 1))
            continue;
        unit_columns(n, pop, h, jh, cols);
        for (unsigned k = 0; k < p->dup; k++) {
            if (n->drv_owner[h][d + k] < 0)
                n->drv_owner[h][d + k] = (int8_t)pop;
            n->drv_units[h][d + k]++;
            n->addr_used[h][d + k] |= 1ull << a;
            n->row_used[h][2 * (d + k)] = n->row_used[h][2 * (d + k) + 1] = true;
            for (unsigned c = 0; c < n->nph; c++)
                if (cols[c])
                    n->col_addr[h][d + k][c] = (uint8_t)a;
        }
    }
}

/* Drivers for each unit of pop: first drivers of its own (consecutive:
 * consecutive event buses), the lowest index free in every hemisphere the
 * unit reaches; when none is left, a driver it shares with units of other
 * projections under an address of its own (the columns it reaches there
 * must be free of other units' synapses). */
static int place_drivers(ax_net *n, int pop)
{
    struct ax_net_pop *p = &n->pop[pop];
    unsigned hemis[2], jh[2], nopt = hemi_options(p, hemis, jh), cursor[2] = {0, 0};
    for (unsigned i = 0; i < p->size; i++) {
        int a = -1;
        unsigned o = 0, d = 0;
        for (o = 0; o < nopt && a < 0; o++) /* own drivers */
            for (d = cursor[o]; d < n->rows / 2 && a < 0; d++)
                a = driver_address(n, pop, hemis[o], jh[o], d, true);
        if (a >= 0)
            cursor[o - 1] = d - 1 + p->dup;
        for (o = a < 0 ? 0 : o; o < nopt && a < 0; o++) /* shared drivers */
            for (d = 0; d < n->rows / 2 && a < 0; d++)
                a = driver_address(n, pop, hemis[o], jh[o], d, false);
        if (a < 0) {
            unsigned used[2] = {0, 0};
            for (unsigned h = 0; h < 2; h++)
                for (unsigned k = 0; k < n->rows / 2; k++)
                    used[h] += n->drv_owner[h][k] >= 0;
            unsigned h = hemis[0] & 1 ? 0 : 1;
            return ax_fail(AX_E_RANGE,
                           "network: '%s'[%u] finds no %u free driver(s) in hemisphere %u "
                           "(%u of %u drivers taken; a unit needs drivers of its own or ones "
                           "whose rows no other unit uses in its target columns)",
                           p->name, i, p->dup, h, used[h], n->rows / 2);
        }
        take_driver(n, pop, i, hemis[o - 1], jh[o - 1], d - 1, a);
    }
    return AX_OK;
}

int ax_net_check_shared_delays(const ax_net *n)
{
    int32_t seen[2][AX_NET_MAX_ROWS / 2]; /* pop << 16 | unit of the first user, -1 */
    memset(seen, -1, sizeof seen);
    for (int q = 0; q < n->npop; q++) {
        const struct ax_net_pop *p = &n->pop[q];
        for (unsigned i = 0; (p->targets || p->to_joined) && i < p->size; i++)
            for (unsigned h = 0; h < 2; h++)
                for (unsigned k = 0; p->hemis[i] >> h & 1 && k < p->dup; k++) {
                    int32_t *s = &seen[h][p->drv[i] + k];
                    if (*s < 0) {
                        *s = q << 16 | (int32_t)i;
                        continue;
                    }
                    const struct ax_net_pop *o = &n->pop[*s >> 16];
                    unsigned u = (unsigned)(*s & 0xFFFF);
                    if (o->delay[h][u] != p->delay[h][i])
                        return ax_fail(AX_E_RANGE,
                                       "network: '%s'[%u] (delay %u) and '%s'[%u] (delay %u) share "
                                       "driver %u of hemisphere %u, which has one delay",
                                       o->name, u, o->delay[h][u], p->name, i, p->delay[h][i],
                                       p->drv[i] + k, h);
                }
    }
    return AX_OK;
}

static uint16_t unit_label(const struct ax_net_pop *p, unsigned i)
{
    if (p->targets || p->to_joined)
        return (uint16_t)(p->drv[i] << 6 | p->addr[i] | p->hemis[i] << 13);
    return (uint16_t)(1u << 15 | (p->first + i)); /* unique, reaches no synapse */
}

uint16_t ax_net_event_label(const ax_net *n, int pop, unsigned i, unsigned k)
{
    const struct ax_net_pop *p = &n->pop[pop];
    return (uint16_t)((p->drv[i] + k) << 6 | p->addr[i] | p->hemis[i] << 13);
}

void ax_net_build_drivers(ax_net *n)
{
    memset(n->want.drv, 0, sizeof n->want.drv);
    for (int q = 0; q < n->npop; q++) {
        const struct ax_net_pop *p = &n->pop[q];
        for (unsigned i = 0; (p->targets || p->to_joined) && i < p->size; i++)
            for (unsigned h = 0; h < 2; h++)
                for (unsigned k = 0; p->hemis[i] >> h & 1 && k < p->dup; k++)
                    n->want.drv[h][p->drv[i] + k] =
                        (uint32_t)p->delay[h][i] << AX_CHIP_DRIVER_DELAY_SHIFT |
                        AX_CHIP_SIGN_EXC << AX_CHIP_DRIVER_SIGN_EVEN_SHIFT |
                        AX_CHIP_SIGN_INH << AX_CHIP_DRIVER_SIGN_ODD_SHIFT;
    }
}

/* A synapse's weight and the address it listens to (its unit's). */
static void set_weight(ax_net *n, unsigned h, unsigned row, unsigned col, unsigned w, unsigned a)
{
    uint32_t *word = &n->want.syn[h][row][col / 2];
    if (col % 2)
        *word = (*word & ~(AX_CHIP_SYN_WEIGHT1_MASK | AX_CHIP_SYN_LABEL1_MASK)) |
                w << AX_CHIP_SYN_WEIGHT1_SHIFT | a << AX_CHIP_SYN_LABEL1_SHIFT;
    else
        *word = (*word & ~(AX_CHIP_SYN_WEIGHT0_MASK | AX_CHIP_SYN_LABEL0_MASK)) |
                w << AX_CHIP_SYN_WEIGHT0_SHIFT | a << AX_CHIP_SYN_LABEL0_SHIFT;
}

/* A signed code split over the unit's dup drivers: excitatory row 2d or
 * inhibitory row 2d + 1, the other row of the pair 0. */
void ax_net_build_synapses(ax_net *n, int proj)
{
    const struct ax_net_proj *pj = &n->proj[proj];
    const struct ax_net_pop *pre = &n->pop[pj->pre], *post = &n->pop[pj->post];
    bool joined = post->flags & AX_NET_JOINED;
    for (unsigned j = 0; j < post->size; j++) {
        unsigned col = (post->first + j) % n->nph;
        for (unsigned i = 0; i < pre->size; i++) {
            unsigned h = joined ? pre->jhemi[i] : post->hemi, ad = pre->addr[i];
            int c = pj->codes[(size_t)j * pre->size + i];
            unsigned a = (unsigned)(c < 0 ? -c : c);
            for (unsigned k = 0; k < pre->dup; k++) {
                unsigned part = a / pre->dup + (k < a % pre->dup), d = pre->drv[i] + k;
                set_weight(n, h, 2 * d, col, c > 0 ? part : 0, ad);
                set_weight(n, h, 2 * d + 1, col, c < 0 ? part : 0, ad);
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
                (p->flags & AX_NET_ONCE ? AX_CHIP_NRN_CFG_ONCE_MASK : 0) |
                (p->flags & AX_NET_JOINED ? AX_CHIP_NRN_CFG_JOIN_MASK : 0);
            n->label_pop[label] = (int16_t)q;
            n->label_unit[label] = (uint16_t)i;
        }
    }
}

/* Consecutive columns for each population in the order added; a joined
 * population takes its columns in both hemispheres (the bottom neurons
 * there are silenced). */
static int place_columns(ax_net *n)
{
    unsigned next[2] = {0, 0};
    for (int q = 0; q < n->npop; q++) {
        struct ax_net_pop *p = &n->pop[q];
        if (p->source)
            continue;
        bool joined = p->flags & AX_NET_JOINED;
        unsigned at = joined && next[1] > next[0] ? next[1] : next[p->hemi];
        if (at + p->size > n->nph)
            return ax_fail(AX_E_RANGE,
                           "network: population '%s' (%u neurons%s) does not fit hemisphere %u: "
                           "%u of %u columns taken",
                           p->name, p->size, joined ? ", joined" : "", p->hemi, at, n->nph);
        p->first = p->hemi * n->nph + at;
        next[p->hemi] = at + p->size;
        if (joined)
            next[1] = at + p->size;
    }
    return AX_OK;
}

int ax_net_map(ax_net *n)
{
    if (n->mapped)
        return ax_fail(AX_E_STATE, "network: mapped twice");
    int rc = place_columns(n);
    if (rc < 0)
        return rc;
    memset(n->drv_owner, -1, sizeof n->drv_owner);
    memset(n->drv_units, 0, sizeof n->drv_units);
    memset(n->addr_used, 0, sizeof n->addr_used);
    memset(n->col_addr, AX_NET_COL_FREE, sizeof n->col_addr);
    memset(n->row_used, 0, sizeof n->row_used);
    for (int pass = 0; pass < 2;
         pass++) /* sources first: their duplicates take consecutive drivers */
        for (int q = 0; q < n->npop; q++) {
            const struct ax_net_pop *p = &n->pop[q];
            rc = p->source == (pass == 0) && (p->targets || p->to_joined) ? place_drivers(n, q)
                                                                          : AX_OK;
            if (rc < 0)
                return rc;
        }
    if ((rc = ax_net_check_shared_delays(n)) < 0)
        return rc;
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
        if (!n->pop[q].source) {
            u->neurons[n->pop[q].hemi] += n->pop[q].size;
            if (n->pop[q].flags & AX_NET_JOINED) { /* its bottom neurons are silenced */
                u->neurons[1] += n->pop[q].size;
                u->joined += n->pop[q].size;
            }
        }
    for (unsigned h = 0; h < 2; h++) {
        for (unsigned d = 0; d < n->rows / 2; d++) {
            u->drivers[h] += n->drv_owner[h][d] >= 0;
            u->shared[h] += n->drv_units[h][d] > 1;
        }
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
    *hemis = p->targets || p->to_joined ? p->hemis[i] : 0;
    if (!*hemis)
        return 0;
    for (unsigned k = 0; k < p->dup && k < max; k++)
        drv[k] = p->drv[i] + k;
    return (int)p->dup;
}

int ax_net_address(const ax_net *n, int pop, unsigned i)
{
    if (pop < 0 || pop >= n->npop || i >= n->pop[pop].size || !n->mapped)
        return AX_E_INVAL;
    return n->pop[pop].addr[i];
}

int ax_net_label_unit(const ax_net *n, uint16_t label, unsigned *unit)
{
    int q = n->label_pop[label];
    if (q >= 0)
        *unit = n->label_unit[label];
    return q;
}
