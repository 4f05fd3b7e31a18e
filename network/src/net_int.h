/* libaxon_net internals: the description and the chip state it maps to. */
#ifndef AXON_NET_INT_H
#define AXON_NET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "axon/net.h"

#define AX_NET_MAX_NPH  256u
#define AX_NET_MAX_ROWS 256u
#define AX_NET_NAME_MAX 32

struct ax_net_pop {
    char name[AX_NET_NAME_MAX];
    unsigned size, hemi, flags;
    bool source;
    unsigned dup;       /* drivers per unit (sources) */
    unsigned targets;   /* bit h: a projection reaches hemisphere h */
    unsigned first;     /* first chip neuron (populations) */
    unsigned *drv;      /* first driver of each unit (its dup drivers follow) */
    uint16_t *delay[2]; /* cycles, per unit, in each hemisphere (drivers are per hemisphere) */
};

struct ax_net_proj {
    int pre, post;
    int *codes; /* (n_post, n_pre) signed */
};

/* One register image: the wanted values and what the chip holds. */
struct ax_net_state {
    uint32_t syn[2][AX_NET_MAX_ROWS][AX_NET_MAX_NPH / 2];
    uint32_t drv[2][AX_NET_MAX_ROWS / 2];
    uint32_t nrn[2 * AX_NET_MAX_NPH];
};

struct ax_net {
    unsigned nph, rows;
    int npop, nproj;
    struct ax_net_pop pop[AX_NET_MAX_POPS];
    struct ax_net_proj proj[AX_NET_MAX_PROJ];
    bool mapped;
    bool row_used[2][AX_NET_MAX_ROWS];
    int8_t drv_owner[2][AX_NET_MAX_ROWS / 2]; /* population using the driver, -1 free */
    struct ax_net_state want, chip, pending;
    bool on_chip;      /* the chip holds `chip` (a full write was committed) */
    bool have_pending; /* ax_net_prog_write appended `pending` */
    int16_t label_pop[1u << 16];
    uint16_t label_unit[1u << 16];
};

void ax_net_build_drivers(ax_net *n);
void ax_net_build_synapses(ax_net *n, int proj);

#endif
