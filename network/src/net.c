/* The network description: populations, sources, projections, placement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/status.h"
#include "net_int.h"

int ax_net_new(ax_net **out, unsigned neurons_per_hemi, unsigned rows_per_hemi)
{
    *out = NULL;
    if (neurons_per_hemi == 0 || neurons_per_hemi > AX_NET_MAX_NPH || rows_per_hemi == 0 ||
        rows_per_hemi > AX_NET_MAX_ROWS || rows_per_hemi % 2 || neurons_per_hemi % 2)
        return ax_fail(AX_E_INVAL, "network: chip geometry %u neurons x %u rows not supported",
                       neurons_per_hemi, rows_per_hemi);
    ax_net *n = calloc(1, sizeof *n);
    if (!n)
        return AX_E_NOMEM;
    n->nph = neurons_per_hemi;
    n->rows = rows_per_hemi;
    *out = n;
    return AX_OK;
}

void ax_net_free(ax_net *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->npop; i++) {
        free(n->pop[i].drv);
        free(n->pop[i].hemis);
        free(n->pop[i].jhemi);
        free(n->pop[i].addr);
        free(n->pop[i].delay[0]);
        free(n->pop[i].delay[1]);
    }
    for (int i = 0; i < n->nproj; i++)
        free(n->proj[i].codes);
    free(n);
}

static int add_pop(ax_net *n, const char *name, unsigned size, unsigned hemi, unsigned flags,
                   bool source)
{
    if (n->mapped)
        return ax_fail(AX_E_STATE, "network: '%s' added after the network was mapped", name);
    if (n->npop >= AX_NET_MAX_POPS)
        return ax_fail(AX_E_RANGE, "network: more than %d populations", AX_NET_MAX_POPS);
    if (size == 0 || hemi > 1 || flags & ~(unsigned)(AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED))
        return ax_fail(AX_E_INVAL, "network: population '%s': bad size, hemisphere or flags", name);
    if (flags & AX_NET_JOINED && hemi != 0)
        return ax_fail(AX_E_INVAL,
                       "network: joined population '%s' in hemisphere %u: joined neurons are top "
                       "neurons (hemisphere 0) that also get the bottom array's column",
                       name, hemi);
    struct ax_net_pop *p = &n->pop[n->npop];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name ? name : "");
    p->size = size;
    p->hemi = hemi;
    p->flags = flags;
    p->source = source;
    p->dup = 1;
    p->drv = calloc(size, sizeof *p->drv);
    p->hemis = calloc(size, 1);
    p->jhemi = calloc(size, 1);
    p->addr = calloc(size, 1);
    p->delay[0] = calloc(size, sizeof *p->delay[0]);
    p->delay[1] = calloc(size, sizeof *p->delay[1]);
    if (!p->drv || !p->hemis || !p->jhemi || !p->addr || !p->delay[0] || !p->delay[1]) {
        free(p->drv);
        free(p->hemis);
        free(p->jhemi);
        free(p->addr);
        free(p->delay[0]);
        free(p->delay[1]);
        return AX_E_NOMEM;
    }
    return n->npop++;
}

int ax_net_population(ax_net *n, const char *name, unsigned size, unsigned hemi, unsigned flags)
{
    if (size > n->nph)
        return ax_fail(AX_E_RANGE, "network: population '%s' of %u neurons: a hemisphere has %u",
                       name, size, n->nph);
    return add_pop(n, name, size, hemi, flags, false);
}

int ax_net_source(ax_net *n, const char *name, unsigned size)
{
    return add_pop(n, name, size, 0, 0, true);
}

static int check_pop(const ax_net *n, int pop)
{
    if (pop < 0 || pop >= n->npop)
        return ax_fail(AX_E_INVAL, "network: no population %d", pop);
    return AX_OK;
}

int ax_net_set_duplicates(ax_net *n, int pop, unsigned dup)
{
    int rc = check_pop(n, pop);
    if (rc < 0)
        return rc;
    if (n->mapped)
        return ax_fail(AX_E_STATE, "network: duplicates of '%s' set after mapping",
                       n->pop[pop].name);
    if (!n->pop[pop].source && dup != 1)
        return ax_fail(AX_E_INVAL,
                       "network: '%s' is a neuron population: a neuron reaches one driver, "
                       "no duplicates",
                       n->pop[pop].name);
    if (dup < 1 || dup > n->rows / 2)
        return ax_fail(AX_E_RANGE, "network: %u duplicates of '%s'", dup, n->pop[pop].name);
    n->pop[pop].dup = dup;
    return AX_OK;
}

int ax_net_project(ax_net *n, int pre, int post)
{
    int rc = check_pop(n, pre);
    if (rc == 0)
        rc = check_pop(n, post);
    if (rc < 0)
        return rc;
    if (n->mapped)
        return ax_fail(AX_E_STATE, "network: projection added after mapping");
    if (n->pop[post].source)
        return ax_fail(AX_E_INVAL, "network: projection into source '%s'", n->pop[post].name);
    if (n->nproj >= AX_NET_MAX_PROJ)
        return ax_fail(AX_E_RANGE, "network: more than %d projections", AX_NET_MAX_PROJ);
    for (int i = 0; i < n->nproj; i++)
        if (n->proj[i].pre == pre && n->proj[i].post == post)
            return ax_fail(AX_E_INVAL, "network: second projection '%s' -> '%s'", n->pop[pre].name,
                           n->pop[post].name);
    struct ax_net_proj *p = &n->proj[n->nproj];
    p->pre = pre;
    p->post = post;
    p->codes = calloc((size_t)n->pop[pre].size * n->pop[post].size, sizeof *p->codes);
    if (!p->codes)
        return AX_E_NOMEM;
    if (n->pop[post].flags & AX_NET_JOINED)
        n->pop[pre].to_joined = true;
    else
        n->pop[pre].targets |= 1u << n->pop[post].hemi;
    return n->nproj++;
}

int ax_net_set_delays_hemi(ax_net *n, int pop, unsigned hemi, const uint16_t *cycles)
{
    int rc = check_pop(n, pop);
    if (rc < 0)
        return rc;
    if (hemi > 2)
        return ax_fail(AX_E_INVAL, "network: hemisphere %u", hemi);
    struct ax_net_pop *p = &n->pop[pop];
    for (unsigned i = 0; cycles && i < p->size; i++)
        if (cycles[i] > AX_DELAY_MAX)
            return ax_fail(AX_E_RANGE, "network: delay %u cycles of '%s'[%u]: at most %u",
                           cycles[i], p->name, i, (unsigned)AX_DELAY_MAX);
    uint16_t *old[2] = {malloc(p->size * sizeof **old), malloc(p->size * sizeof **old)};
    if (!old[0] || !old[1]) {
        free(old[0]);
        free(old[1]);
        return AX_E_NOMEM;
    }
    for (unsigned h = 0; h < 2; h++) {
        memcpy(old[h], p->delay[h], p->size * sizeof **old);
        for (unsigned i = 0; (hemi == 2 || hemi == h) && i < p->size; i++)
            p->delay[h][i] = cycles ? cycles[i] : 0;
    }
    rc = n->mapped ? ax_net_check_shared_delays(n) : AX_OK;
    for (unsigned h = 0; h < 2 && rc < 0; h++) /* nothing changes */
        memcpy(p->delay[h], old[h], p->size * sizeof **old);
    free(old[0]);
    free(old[1]);
    if (rc == 0 && n->mapped)
        ax_net_build_drivers(n);
    return rc;
}

int ax_net_set_delays(ax_net *n, int pop, const uint16_t *cycles)
{
    return ax_net_set_delays_hemi(n, pop, 2, cycles);
}

int ax_net_set_codes(ax_net *n, int proj, const int *codes)
{
    if (proj < 0 || proj >= n->nproj)
        return ax_fail(AX_E_INVAL, "network: no projection %d", proj);
    struct ax_net_proj *pj = &n->proj[proj];
    const struct ax_net_pop *pre = &n->pop[pj->pre];
    unsigned npre = pre->size, npost = n->pop[pj->post].size;
    int max = (int)(AX_WEIGHT_MAX * pre->dup);
    for (unsigned j = 0; j < npost; j++)
        for (unsigned i = 0; i < npre; i++) {
            int c = codes[(size_t)j * npre + i];
            if (c > max || c < -max)
                return ax_fail(AX_E_RANGE,
                               "network: weight code %d of '%s'[%u] -> '%s'[%u]: at most %d "
                               "(63 x %u rows)",
                               c, pre->name, i, n->pop[pj->post].name, j, max, pre->dup);
        }
    memcpy(pj->codes, codes, (size_t)npre * npost * sizeof *codes);
    if (n->mapped)
        ax_net_build_synapses(n, proj);
    return AX_OK;
}

const char *ax_net_pop_name(const ax_net *n, int pop)
{
    return pop >= 0 && pop < n->npop ? n->pop[pop].name : "";
}

int ax_net_pop_count(const ax_net *n)
{
    return n->npop;
}

unsigned ax_net_pop_size(const ax_net *n, int pop)
{
    return pop >= 0 && pop < n->npop ? n->pop[pop].size : 0;
}

bool ax_net_pop_is_source(const ax_net *n, int pop)
{
    return pop >= 0 && pop < n->npop && n->pop[pop].source;
}
