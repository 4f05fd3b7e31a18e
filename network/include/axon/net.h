/* axon network description (libaxon_net): populations of chip neurons,
 * external spike sources, signed projections with per-source delays, placed
 * on the chip's columns, drivers and synapse rows; a batch of trials runs as
 * one playback program. Built on libaxon (chip.h, program.h) and knows
 * nothing of training: the time-to-first-spike mapper (training/chip) is one
 * client, a user's own experiment another (docs/network.md).
 *
 * Placement rules (docs/network.md): a population takes consecutive columns
 * of one hemisphere (a joined one: the same columns of both); every
 * presynaptic unit (a source's spike train or a neuron with an outgoing
 * projection) gets drivers of its own, the same driver index in every
 * hemisphere it reaches, address 0; when none is left, it shares a driver
 * with other units under an address of its own where its target columns are
 * free of their synapses; row 2d of a driver
 * is excitatory, row 2d+1 inhibitory, so a signed weight lands in one of
 * them. A source may get several drivers (duplicates): its weight is split
 * over them, which raises its range to 63 x duplicates. A neuron reaches only
 * one driver (its label), so it has no duplicates. Units are chip units:
 * weights as signed codes, times and delays in cycles. */
#ifndef AXON_NET_H
#define AXON_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/axon.h"
#include "axon/program.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Event buses per hemisphere: driver d is on bus d % AX_NET_EVENT_BUSES
 * (docs/chip.md section 6). The one place the mapper reads it from. */
#define AX_NET_EVENT_BUSES 4u
#define AX_NET_MAX_POPS    16
#define AX_NET_MAX_PROJ    32
/* A trial's time 0 is this many cycles after its TIMER_RESET (room for the
 * neuron reset and the recording switch before the first input). */
#define AX_NET_T0 16u
/* Events that may reach a hemisphere's rows in one cycle (the delay wheel's
 * slot; docs/chip.md section 6): the host's injections are scheduled so
 * that they never exceed it. */
#define AX_NET_ARRIVALS_PER_CYCLE 4u
/* A batch starts with an idle wait in which the link fills the playback
 * buffer ahead of dense trials (docs/network.md, "A batch"): the words the
 * link is assumed to bring a cycle (a conservative figure for the simulated
 * USB3 board) and the longest wait (cycles). */
#define AX_NET_LINK_WORDS_PER_CYCLE 0.1
#define AX_NET_PREFILL_MAX          7500u

typedef struct ax_net ax_net;

/* A net for a chip of this geometry (ax_chip_info). */
int ax_net_new(ax_net **out, unsigned neurons_per_hemi, unsigned rows_per_hemi);
void ax_net_free(ax_net *n);

enum ax_net_pop_flags {
    AX_NET_ONCE = 1u,   /* spike once per trial (NRN_CFG ONCE) */
    AX_NET_RECORD = 2u, /* spikes go to the host */
    /* joined columns (NRN_CFG join): top neurons (hemisphere 0) that also get
     * their column of the bottom array, so a projection into them may use the
     * rows of both hemispheres (256 row pairs on the full chip); the bottom
     * neurons of those columns are silenced and cannot be placed. */
    AX_NET_JOINED = 4u,
};
/* A population of size neurons in hemisphere hemi (0, 1), flags
 * enum ax_net_pop_flags; returns its id (>= 0). Placed by ax_net_map. */
int ax_net_population(ax_net *n, const char *name, unsigned size, unsigned hemi, unsigned flags);
/* An external source of size spike trains (injected events); returns its id. */
int ax_net_source(ax_net *n, const char *name, unsigned size);
/* Drivers each unit of source `pop` gets in every hemisphere it reaches
 * (1 by default). Before ax_net_map. */
int ax_net_set_duplicates(ax_net *n, int pop, unsigned dup);
/* A projection pre -> post (post a population); returns its id. Its weights
 * start at 0. At most one projection per (pre, post). */
int ax_net_project(ax_net *n, int pre, int post);
/* Signed weight codes of projection proj, (n_post, n_pre) row-major:
 * positive excitatory, negative inhibitory, |code| <= 63 x duplicates of the
 * pre unit (AX_E_RANGE naming the synapse otherwise; nothing changes). */
int ax_net_set_codes(ax_net *n, int proj, const int *codes);
/* Axonal delays of pre's units in cycles (0 .. AX_DELAY_MAX), NULL: 0: an
 * event reaches its rows delay cycles after its time. The same in both
 * hemispheres; _hemi: only the drivers of hemisphere hemi (0, 1; 2: both),
 * for a source whose one event reaches both hemispheres at different
 * times. Nothing changes on AX_E_RANGE. */
int ax_net_set_delays(ax_net *n, int pop, const uint16_t *cycles);
int ax_net_set_delays_hemi(ax_net *n, int pop, unsigned hemi, const uint16_t *cycles);

/* Places everything (columns, drivers, rows). AX_E_RANGE with the reason in
 * ax_error_detail() when it does not fit ("hemisphere 1: 130 drivers needed,
 * 128 exist"); nothing is written to a chip before. */
int ax_net_map(ax_net *n);

/* Placement, after ax_net_map. */
struct ax_net_usage {
    unsigned neurons[2], drivers[2], rows[2]; /* used per hemisphere (joined: both) */
    unsigned shared[2];                       /* drivers that carry more than one unit */
    unsigned joined;                          /* joined columns */
    unsigned synapses;                        /* non-zero synapses */
    unsigned neurons_per_hemi, rows_per_hemi;
};
void ax_net_usage(const ax_net *n, struct ax_net_usage *u);
/* Chip neuron (0 .. 2 NeuronsPerHemi - 1) of unit i of population pop. */
int ax_net_neuron(const ax_net *n, int pop, unsigned i);
/* Drivers of unit i of pop (a source: its duplicates; a neuron: its label's
 * driver): up to max written to drv, the count returned; hemis: bit h set
 * when they are used in hemisphere h. */
int ax_net_drivers(const ax_net *n, int pop, unsigned i, unsigned *drv, unsigned max,
                   unsigned *hemis);
/* The address (label bits [5:0]) unit i of pop's events carry: 0 on drivers
 * of its own, another where it shares them (AX_E_INVAL: no such unit). */
int ax_net_address(const ax_net *n, int pop, unsigned i);
const char *ax_net_pop_name(const ax_net *n, int pop);
int ax_net_pop_count(const ax_net *n);
unsigned ax_net_pop_size(const ax_net *n, int pop);
bool ax_net_pop_is_source(const ax_net *n, int pop);

/* Appends the writes that bring the chip to the net's state to p: the first
 * time everything the net uses (neuron configuration, drivers, every used
 * synapse row), later only the synapse words, drivers and neurons that
 * changed since the last ax_net_commit. */
int ax_net_prog_write(ax_net *n, ax_device *d, ax_program *p);
/* Marks the state appended by the last ax_net_prog_write as on the chip (call
 * after its run succeeded). */
void ax_net_commit(ax_net *n);
/* Writes now (program, run, commit). */
int ax_net_write(ax_net *n, ax_device *d);

/* A batch of trials. times[pop] for every source: (trials, size) input spike
 * times in cycles after the trial's time 0 (>= 0; INFINITY or NAN: no
 * spike), rounded to the cycle at which the event reaches its rows (it is
 * injected one cycle earlier). trial_cycles: the trial's length after time 0.
 * record: AX_RECORD_SPIKES, optionally | AX_RECORD_FIRST_ONLY. madc_neuron
 * >= 0: also sample that chip neuron's membrane every madc_period cycles. */
struct ax_net_batch {
    unsigned trials;
    uint64_t trial_cycles;
    const double *times[AX_NET_MAX_POPS];
    uint32_t record;
    int madc_neuron;
    uint16_t madc_period;
};
void ax_net_batch_init(struct ax_net_batch *b);

/* What a batch gave. first[pop] for recorded populations: (trials, size)
 * first spike times in cycles after time 0 (with the 1/16 cycle fraction;
 * INFINITY: none in the trial); arrived[pop] and inj: when the inputs
 * really arrived and which buses their injections took. lost[t]: events or records the board lost
 * in trial t and late WAIT_UNTILs (ax_result_lost): such a trial must not be trusted. moved: input
 * events injected one or more cycles late because more than the buses carry fell on one cycle. raw:
 * the run's ax_result (all spikes; ax_spike.trial - first_trial is the batch's trial index). */
/* An injection: its bus cycle (experiment time, the trial's time 0 at
 * AX_NET_T0) and the event buses it took (bit b: bus b, in every
 * hemisphere: an injected event keeps a neuron's spike off its bus index in
 * both, docs/chip.md section 6). */
struct ax_net_inj {
    uint32_t trial;
    uint64_t cycle;
    uint8_t buses;
};
struct ax_net_result {
    unsigned trials;
    double *first[AX_NET_MAX_POPS];
    /* sources: (trials, size) the cycle after time 0 their events were on
     * their rows before the drivers' delays (the mean over a unit's
     * duplicates; a moved event later than asked), INFINITY: none */
    double *arrived[AX_NET_MAX_POPS];
    struct ax_net_inj *inj; /* every injection of the batch, by trial and cycle */
    size_t ninj;
    uint64_t *lost;
    uint64_t moved;
    size_t write_words; /* program words of the batch's writes (what changed) */
    uint32_t first_trial;
    ax_result raw;
};
void ax_net_result_init(struct ax_net_result *r);
void ax_net_result_free(struct ax_net_result *r);
/* Appends pending writes (ax_net_prog_write) and the batch as one program,
 * runs it and fills r. Errors: AX_E_INVAL (bad batch), AX_E_STATE (not
 * mapped), the run's status. */
int ax_net_run(ax_net *n, ax_device *d, const struct ax_net_batch *b, struct ax_net_result *r);
/* The population and unit a recorded spike label belongs to (-1: none). */
int ax_net_label_unit(const ax_net *n, uint16_t label, unsigned *unit);

#ifdef __cplusplus
}
#endif
#endif
