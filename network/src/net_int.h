/* libaxon_net internals: the description and the chip state it maps to. */
#ifndef AXON_NET_INT_H
#define AXON_NET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "axon/net.h"

#define AX_NET_MAX_NPH  256u
#define AX_NET_MAX_ROWS 256u
#define AX_NET_NAME_MAX 32
#define AX_NET_COL_FREE 0xFFu

struct ax_net_pop {
    char name[AX_NET_NAME_MAX];
    unsigned size, hemi, flags;
    bool source;
    unsigned dup;       /* drivers per unit (sources) */
    unsigned targets;   /* bit h: a projection reaches a (not joined) population of hemisphere h */
    bool to_joined;     /* a projection reaches a joined population (rows of either hemisphere) */
    unsigned first;     /* first chip neuron (populations) */
    unsigned *drv;      /* first driver of each unit (its dup drivers follow) */
    uint8_t *hemis;     /* per unit: bit h: its drivers in hemisphere h (its label's bits) */
    uint8_t *jhemi;     /* per unit: the hemisphere of its rows into joined populations */
    uint8_t *addr;      /* per unit: its events' address (0 unless it shares its drivers) */
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
    int8_t drv_owner[2][AX_NET_MAX_ROWS / 2];   /* first population using the driver, -1 free */
    uint8_t drv_units[2][AX_NET_MAX_ROWS / 2];  /* units sharing the driver */
    uint64_t addr_used[2][AX_NET_MAX_ROWS / 2]; /* bit a: a unit of the driver has address a */
    /* The address the synapses of column c on the driver's rows listen to
     * (AX_NET_COL_FREE: no unit's synapse). */
    uint8_t col_addr[2][AX_NET_MAX_ROWS / 2][AX_NET_MAX_NPH];
    struct ax_net_state want, chip, pending;
    bool on_chip;      /* the chip holds `chip` (a full write was committed) */
    bool have_pending; /* ax_net_prog_write appended `pending` */
    int16_t label_pop[1u << 16];
    uint16_t label_unit[1u << 16];
};

void ax_net_build_drivers(ax_net *n);
void ax_net_build_synapses(ax_net *n, int proj);
/* The label of the event unit i of pop sends to its k-th driver. */
uint16_t ax_net_event_label(const ax_net *n, int pop, unsigned i, unsigned k);
/* AX_E_RANGE naming a driver whose units ask for different delays (a
 * driver has one delay register). */
int ax_net_check_shared_delays(const ax_net *n);

#endif
