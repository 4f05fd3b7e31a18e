/* Writing the net's state to the chip (only what changed) and running a
 * batch of trials as one playback program. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/status.h"
#include "net_int.h"

/* Appends writes of the words [0, count) of want that differ from have (all
 * when full), in runs of consecutive changed words. */
static int write_diff(ax_program *p, uint32_t addr, const uint32_t *want, const uint32_t *have,
                      size_t count, bool full)
{
    size_t i = 0;
    while (i < count) {
        if (!full && want[i] == have[i]) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < count && (full || want[j] != have[j]))
            j++;
        int rc = ax_program_write_block(p, addr + (uint32_t)i, want + i, j - i);
        if (rc < 0)
            return rc;
        i = j;
    }
    return AX_OK;
}

int ax_net_prog_write(ax_net *n, ax_device *d, ax_program *p)
{
    (void)d;
    if (!n->mapped)
        return ax_fail(AX_E_STATE, "network: not mapped");
    bool full = !n->on_chip;
    int rc = write_diff(p, AX_CHIP_NRN_CFG(0), n->want.nrn, n->chip.nrn, 2 * n->nph, full);
    for (unsigned h = 0; h < 2 && rc == 0; h++) {
        rc = write_diff(p, AX_CHIP_DRIVER(h, 0), n->want.drv[h], n->chip.drv[h], n->rows / 2, full);
        for (unsigned r = 0; r < n->rows && rc == 0; r++)
            if (n->row_used[h][r])
                rc = write_diff(p, AX_CHIP_SYN(h, r, 0), n->want.syn[h][r], n->chip.syn[h][r],
                                n->nph / 2, full);
    }
    if (rc < 0)
        return rc;
    n->pending = n->want;
    n->have_pending = true;
    return AX_OK;
}

void ax_net_commit(ax_net *n)
{
    if (!n->have_pending)
        return;
    n->chip = n->pending;
    n->on_chip = true;
    n->have_pending = false;
}

int ax_net_write(ax_net *n, ax_device *d)
{
    ax_program *p;
    int rc = ax_program_new(&p);
    if (rc < 0)
        return rc;
    ax_result r;
    ax_result_init(&r);
    rc = ax_net_prog_write(n, d, p);
    if (rc == 0)
        rc = ax_run(d, p, &r);
    if (rc == 0)
        ax_net_commit(n);
    ax_result_free(&r);
    ax_program_free(p);
    return rc;
}

void ax_net_batch_init(struct ax_net_batch *b)
{
    memset(b, 0, sizeof *b);
    b->record = AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY;
    b->madc_neuron = -1;
    b->madc_period = 1;
}

void ax_net_result_init(struct ax_net_result *r)
{
    memset(r, 0, sizeof *r);
    ax_result_init(&r->raw);
}

void ax_net_result_free(struct ax_net_result *r)
{
    for (int q = 0; q < AX_NET_MAX_POPS; q++) {
        free(r->first[q]);
        free(r->arrived[q]);
    }
    free(r->inj);
    free(r->lost);
    ax_result_free(&r->raw);
    memset(r, 0, sizeof *r);
    ax_result_init(&r->raw);
}

struct ev {
    uint64_t t; /* the event's time after the trial's time 0 (arrival with delay 0) */
    uint16_t label;
    uint16_t delay[2]; /* its drivers' delays in each hemisphere */
    int8_t pop;        /* its source and unit */
    unsigned unit;
};

/* Where a batch's injections are noted: the result's arrival times (the
 * batch's trial t) and its list of injections. */
struct inj_log {
    struct ax_net_result *r;
    unsigned trial;
    size_t cap;
    const ax_net *n;
};

static int log_group(struct inj_log *lg, const struct ev *ev, const size_t *idx, size_t g,
                     uint64_t c)
{
    if (!lg)
        return AX_OK;
    struct ax_net_result *r = lg->r;
    if (r->ninj == lg->cap) {
        size_t cap = lg->cap ? 2 * lg->cap : 1024;
        struct ax_net_inj *x = realloc(r->inj, cap * sizeof *x);
        if (!x)
            return AX_E_NOMEM;
        r->inj = x;
        lg->cap = cap;
    }
    uint8_t buses = 0;
    for (size_t k = 0; k < g; k++) {
        const struct ev *e = &ev[idx[k]];
        const struct ax_net_pop *p = &lg->n->pop[e->pop];
        buses |= (uint8_t)(1u << ((e->label >> 6 & 0x7Fu) % AX_NET_EVENT_BUSES));
        double *a = &r->arrived[e->pop][(size_t)lg->trial * p->size + e->unit];
        *a = (isinf(*a) ? 0.0 : *a) + (double)c / p->dup; /* the mean over its duplicates */
    }
    r->inj[r->ninj++] = (struct ax_net_inj){lg->trial, AX_NET_T0 + c - 1, buses};
    return AX_OK;
}

static int ev_cmp(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* The trial's input events, sorted by arrival. Returns the count. */
static size_t trial_events(const ax_net *n, const struct ax_net_batch *b, unsigned t, struct ev *ev)
{
    size_t m = 0;
    for (int q = 0; q < n->npop; q++) {
        const struct ax_net_pop *p = &n->pop[q];
        if (!p->source || !(p->targets || p->to_joined))
            continue;
        for (unsigned i = 0; i < p->size; i++) {
            double x = b->times[q][(size_t)t * p->size + i];
            if (!isfinite(x))
                continue;
            for (unsigned k = 0; k < p->dup; k++)
                ev[m++] = (struct ev){(uint64_t)llround(x),
                                      ax_net_event_label(n, q, i, k),
                                      {p->delay[0][i], p->delay[1][i]},
                                      (int8_t)q,
                                      i};
        }
    }
    qsort(ev, m, sizeof *ev, ev_cmp);
    return m;
}

/* Whether event e injected for arrival cycle c (before its delay) finds
 * room in the delay wheel's slot of every hemisphere it reaches; with take,
 * takes it. slot[h]: events arriving per cycle, in hemisphere h. */
static bool wheel_room(uint8_t *const slot[2], const struct ev *e, uint64_t c, bool take)
{
    for (unsigned h = 0; h < 2; h++)
        if (e->label >> (13 + h) & 1) {
            if (!take && slot[h][c + e->delay[h]] >= AX_NET_ARRIVALS_PER_CYCLE)
                return false;
            if (take)
                slot[h][c + e->delay[h]]++;
        }
    return true;
}

/* Injects the events: per cycle a group of at most AX_INJECT_GROUP_MAX on
 * distinct buses, and at most AX_NET_ARRIVALS_PER_CYCLE arriving in one
 * cycle in a hemisphere (with delays, events of different cycles can meet);
 * what does not fit goes a cycle later (counted in moved). */
static int inject_events(ax_program *p, struct ev *ev, size_t m, uint64_t *moved,
                         struct inj_log *lg)
{
    uint64_t c = 0, last = UINT64_MAX - 1;
    size_t done = 0, span = m ? (size_t)ev[m - 1].t + 2 * m + AX_DELAY_MAX + 2 : 1;
    bool *sent = calloc(m ? m : 1, sizeof *sent);
    uint8_t *slots = calloc(2 * span, 1), *const slot[2] = {slots, slots + span};
    int rc = sent && slots ? AX_OK : AX_E_NOMEM;
    while (done < m && rc == 0) {
        size_t first = 0;
        while (sent[first])
            first++;
        if (ev[first].t > c)
            c = ev[first].t;
        uint16_t labels[AX_INJECT_GROUP_MAX];
        size_t idx[AX_INJECT_GROUP_MAX];
        unsigned buses = 0;
        size_t g = 0;
        for (size_t i = first; i < m && ev[i].t <= c && g < AX_INJECT_GROUP_MAX; i++) {
            unsigned bus = (ev[i].label >> 6 & 0x7Fu) % AX_NET_EVENT_BUSES;
            if (sent[i] || buses >> bus & 1 || !wheel_room(slot, &ev[i], c, false))
                continue;
            wheel_room(slot, &ev[i], c, true);
            buses |= 1u << bus;
            idx[g] = i;
            labels[g++] = ev[i].label;
            sent[i] = true;
            *moved += ev[i].t < c;
        }
        done += g;
        /* Injected one cycle before it should arrive. A WAIT_UNTIL takes a
         * cycle of its own (docs/protocol.md section 3.1): right after the
         * previous cycle's injection the next one follows without it. */
        if (g && c != last + 1)
            rc = ax_program_wait_until(p, AX_NET_T0 + c - 1);
        if (g)
            last = c;
        if (rc == 0 && g)
            rc = g == 1 ? ax_program_inject(p, labels[0]) : ax_program_inject_group(p, labels, g);
        if (rc == 0 && g)
            rc = log_group(lg, ev, idx, g, c);
        c++;
    }
    free(sent);
    free(slots);
    return rc;
}

/* The board runs a program while the host still streams it, one
 * instruction a cycle, and the link brings less than a word a cycle: a
 * trial whose injections come denser than that (MNIST's 100 pixels within a
 * few tens of cycles) would find its instructions not there yet, and its
 * WAIT_UNTILs late. So the batch starts with an idle wait in which the link
 * fills the playback buffer ahead: as many cycles as the largest shortfall
 * of the words the trials need by the start of trial t (all of theirs,
 * through trial t) over what AX_NET_LINK_WORDS_PER_CYCLE brings in t
 * trials, at most AX_NET_PREFILL_MAX (the buffer holds 8192 words). */
static int prefill(const ax_net *n, const struct ax_net_batch *b, struct ev *ev, ax_program *p)
{
    ax_program *sp;
    int rc = ax_program_new(&sp);
    if (rc < 0)
        return rc;
    uint64_t moved = 0;
    double need = 0, len = (double)(AX_NET_T0 + b->trial_cycles);
    for (unsigned t = 0; t < b->trials && rc == 0; t++) {
        size_t m = trial_events(n, b, t, ev);
        rc = inject_events(sp, ev, m, &moved, NULL);
        double short_by =
            (double)ax_program_words(sp) + 8.0 * (t + 1) - AX_NET_LINK_WORDS_PER_CYCLE * len * t;
        need = short_by > need ? short_by : need;
    }
    double per_trial = (double)ax_program_words(sp) / b->trials;
    ax_program_free(sp);
    if (rc == 0 && need > AX_NET_PREFILL_MAX) /* the rest would come late, some silently */
        return ax_fail(AX_E_RANGE,
                       "network: a batch of %u trials needs %.0f program words ahead, more than "
                       "the %u the idle wait lets the link bring: fewer trials a batch (about "
                       "%.0f words a trial)",
                       b->trials, need, AX_NET_PREFILL_MAX, per_trial);
    uint64_t wait = (uint64_t)need;
    if (rc == 0)
        rc = ax_program_timer_reset(p);
    if (rc == 0)
        rc = ax_program_wait_until(p, wait);
    return rc;
}

static int build_batch(ax_net *n, ax_device *d, const struct ax_net_batch *b, ax_program *p,
                       struct ax_net_result *r)
{
    struct inj_log lg = {r, 0, 0, n};
    size_t max_ev = 0;
    for (int q = 0; q < n->npop; q++)
        if (n->pop[q].source) {
            if (!b->times[q])
                return ax_fail(AX_E_INVAL, "network: batch without times of source '%s'",
                               n->pop[q].name);
            max_ev += (size_t)n->pop[q].size * n->pop[q].dup;
        }
    struct ev *ev = malloc((max_ev ? max_ev : 1) * sizeof *ev);
    if (!ev)
        return AX_E_NOMEM;
    int rc = ax_net_prog_write(n, d, p);
    r->write_words = ax_program_words(p);
    if (rc == 0)
        rc = prefill(n, b, ev, p);
    bool madc = b->madc_neuron >= 0;
    if (rc == 0 && madc)
        rc = ax_program_write(p, AX_CHIP_MADC_PERIOD, b->madc_period);
    for (unsigned t = 0; t < b->trials && rc == 0; t++) {
        size_t m = trial_events(n, b, t, ev);
        rc = ax_program_timer_reset(p);
        if (rc == 0)
            rc = ax_program_neuron_reset(p, true, 0, 0);
        if (rc == 0 && t == 0)
            rc = ax_program_record(p, b->record | (madc ? AX_RECORD_MADC : 0));
        if (rc == 0 && t == 0 && madc)
            rc = ax_program_write(p, AX_CHIP_MADC_CTRL,
                                  AX_CHIP_MADC_CTRL_EN_MASK |
                                      (uint32_t)b->madc_neuron << AX_CHIP_MADC_CTRL_NEURON_SHIFT);
        if (rc == 0 && m && ev[m - 1].t >= b->trial_cycles)
            rc = ax_fail(AX_E_RANGE, "network: input at cycle %llu of a %llu-cycle trial",
                         (unsigned long long)ev[m - 1].t, (unsigned long long)b->trial_cycles);
        lg.trial = t;
        if (rc == 0)
            rc = inject_events(p, ev, m, &r->moved, &lg);
        if (rc == 0)
            rc = ax_program_wait_until(p, AX_NET_T0 + b->trial_cycles);
        if (rc == 0) /* every spike of the trial recorded before the next one starts */
            rc = ax_program_barrier(p);
    }
    if (rc == 0)
        rc = ax_program_record(p, 0);
    if (rc == 0 && madc)
        rc = ax_program_write(p, AX_CHIP_MADC_CTRL, 0);
    free(ev);
    return rc;
}

static int check_batch(const ax_net *n, const struct ax_net_batch *b)
{
    if (!n->mapped)
        return ax_fail(AX_E_STATE, "network: not mapped");
    if (b->trials == 0)
        return ax_fail(AX_E_INVAL, "network: a batch of 0 trials");
    if (b->madc_neuron >= (int)(2 * n->nph) || (b->madc_neuron >= 0 && b->madc_period == 0))
        return ax_fail(AX_E_INVAL, "network: MADC neuron %d / period %u", b->madc_neuron,
                       b->madc_period);
    for (int q = 0; q < n->npop; q++)
        for (unsigned i = 0;
             n->pop[q].source && b->times[q] && i < (size_t)b->trials * n->pop[q].size; i++)
            if (b->times[q][i] < 0)
                return ax_fail(AX_E_RANGE, "network: input time %g of source '%s' before 0",
                               b->times[q][i], n->pop[q].name);
    return AX_OK;
}

/* First spike of every recorded unit per trial, and each trial's losses. */
static int decode(const ax_net *n, const struct ax_net_batch *b, struct ax_net_result *r)
{
    const ax_result *raw = &r->raw;
    r->trials = b->trials;
    r->first_trial = raw->trials >= b->trials ? raw->trials - b->trials + 1 : 1;
    r->lost = calloc(b->trials, sizeof *r->lost);
    if (!r->lost)
        return AX_E_NOMEM;
    for (int q = 0; q < n->npop; q++) {
        if (n->pop[q].source || !(n->pop[q].flags & AX_NET_RECORD))
            continue;
        size_t cnt = (size_t)b->trials * n->pop[q].size;
        r->first[q] = malloc(cnt * sizeof *r->first[q]);
        if (!r->first[q])
            return AX_E_NOMEM;
        for (size_t i = 0; i < cnt; i++)
            r->first[q][i] = INFINITY;
    }
    for (size_t s = 0; s < raw->nspikes; s++) {
        const ax_spike *sp = &raw->spikes[s];
        unsigned unit;
        int q = ax_net_label_unit(n, sp->label, &unit);
        if (q < 0 || !r->first[q] || sp->trial < r->first_trial)
            continue;
        size_t t = sp->trial - r->first_trial;
        if (t >= b->trials)
            continue;
        double x = (double)sp->time + sp->frac / 16.0 - AX_NET_T0;
        if (x >= (double)b->trial_cycles) /* after the trial's end (recorded before the next) */
            continue;
        double *f = &r->first[q][t * n->pop[q].size + unit];
        if (x < *f)
            *f = x;
    }
    for (size_t k = 0; k < raw->nlosses; k++) { /* losses before the first trial: its own */
        uint32_t tr = raw->losses[k].trial;
        size_t t = tr < r->first_trial ? 0 : tr - r->first_trial;
        if (t < b->trials)
            r->lost[t] += raw->losses[k].count ? raw->losses[k].count : 1;
    }
    return AX_OK;
}

static int alloc_arrivals(const ax_net *n, const struct ax_net_batch *b, struct ax_net_result *r)
{
    for (int q = 0; q < n->npop; q++) {
        if (!n->pop[q].source)
            continue;
        size_t cnt = (size_t)b->trials * n->pop[q].size;
        if (!(r->arrived[q] = malloc(cnt * sizeof *r->arrived[q])))
            return AX_E_NOMEM;
        for (size_t i = 0; i < cnt; i++)
            r->arrived[q][i] = INFINITY;
    }
    return AX_OK;
}

int ax_net_run(ax_net *n, ax_device *d, const struct ax_net_batch *b, struct ax_net_result *r)
{
    ax_net_result_free(r);
    int rc = check_batch(n, b);
    if (rc < 0)
        return rc;
    ax_program *p;
    rc = ax_program_new(&p);
    if (rc < 0)
        return rc;
    rc = alloc_arrivals(n, b, r);
    if (rc == 0)
        rc = build_batch(n, d, b, p, r);
    if (rc == 0)
        rc = ax_run(d, p, &r->raw);
    ax_program_free(p);
    if (rc < 0) {
        n->have_pending = false;
        return rc;
    }
    ax_net_commit(n);
    return decode(n, b, r);
}
