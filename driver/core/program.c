/* Playback programs: the builder, the run (streaming frames through the link
 * while the board's records come back) and the results. */
#include <stdlib.h>
#include <string.h>

#include "axon/program.h"
#include "device.h"

#define MAX_INS_WORDS (2u + AX_WRITE_BURST_MAX)
#define ADDR_MAX      0xFFFFFFu

typedef struct ax_read_req {
    uint32_t addr;
    uint16_t count;
} ax_read_req;

struct ax_program {
    uint32_t *w;
    size_t n, cap;
    ax_read_req *reads;
    size_t nreads, reads_cap;
    size_t read_words;
    uint64_t trials_cycles; /* sum of the finished trials' last wait-until */
    uint64_t trial_max;     /* latest wait-until target in this trial */
    uint32_t trials;        /* TIMER_RESETs in the program */
};

int ax_program_new(ax_program **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? AX_OK : AX_E_NOMEM;
}

void ax_program_free(ax_program *p)
{
    if (!p)
        return;
    free(p->w);
    free(p->reads);
    free(p);
}

void ax_program_clear(ax_program *p)
{
    p->n = p->nreads = p->read_words = 0;
    p->trials_cycles = p->trial_max = 0;
    p->trials = 0;
}

uint32_t ax_program_trials_(const ax_program *p)
{
    return p->trials;
}

/* The program's experiment time in cycles: each trial's last wait-until. */
static uint64_t program_cycles(const ax_program *p)
{
    return p->trials_cycles + p->trial_max;
}

/* An upper bound of the program's run time in cycles: its experiment time,
 * 64 cycles a word (register accesses wait for the bus) and a margin. */
static uint64_t program_cycles_bound(const ax_program *p)
{
    return program_cycles(p) + 64u * p->n + 125000u;
}

size_t ax_program_words(const ax_program *p)
{
    return p->n;
}

/* Grows *buf (elements of size sz) to hold at least want elements. */
static int grow(void **buf, size_t *cap, size_t want, size_t sz)
{
    if (want <= *cap)
        return AX_OK;
    size_t c = *cap ? *cap : 64;
    while (c < want)
        c *= 2;
    void *nb = realloc(*buf, c * sz);
    if (!nb)
        return AX_E_NOMEM;
    *buf = nb;
    *cap = c;
    return AX_OK;
}

/* Makes room for the longest instruction. */
static int room(ax_program *p)
{
    return grow((void **)&p->w, &p->cap, p->n + MAX_INS_WORDS, sizeof *p->w);
}

#define EMIT(p, call)                                                                              \
    do {                                                                                           \
        int r_ = room(p);                                                                          \
        if (r_ < 0)                                                                                \
            return r_;                                                                             \
        return call;                                                                               \
    } while (0)

int ax_program_wait_until(ax_program *p, uint64_t cycle)
{
    if (cycle > AX_TIME_MASK)
        return AX_E_RANGE;
    if (cycle > p->trial_max)
        p->trial_max = cycle;
    EMIT(p, ax_ins_wait_until(p->w, p->cap, &p->n, cycle));
}

int ax_program_timer_reset(ax_program *p)
{
    p->trials_cycles += p->trial_max;
    p->trial_max = 0;
    p->trials++;
    EMIT(p, ax_ins_timer_reset(p->w, p->cap, &p->n));
}

int ax_program_write(ax_program *p, uint32_t addr, uint32_t value)
{
    if (addr > ADDR_MAX)
        return AX_E_RANGE;
    EMIT(p, ax_ins_write(p->w, p->cap, &p->n, addr, value));
}

int ax_program_write_block(ax_program *p, uint32_t addr, const uint32_t *values, size_t n)
{
    if (n == 0 || addr > ADDR_MAX || n - 1 > ADDR_MAX - addr)
        return AX_E_RANGE;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < AX_WRITE_BURST_MAX ? n - done : AX_WRITE_BURST_MAX;
        int r = room(p);
        if (r == AX_OK)
            r = k == 1 ? ax_ins_write(p->w, p->cap, &p->n, addr + (uint32_t)done, values[done])
                       : ax_ins_write_burst(p->w, p->cap, &p->n, addr + (uint32_t)done,
                                            values + done, k);
        if (r < 0)
            return r;
        done += k;
    }
    return AX_OK;
}

int ax_program_read(ax_program *p, uint32_t addr, size_t n)
{
    if (n == 0 || n > AX_PROGRAM_READ_MAX || addr > ADDR_MAX || n - 1 > ADDR_MAX - addr ||
        p->nreads > 0xFFFFu)
        return AX_E_RANGE;
    int r = grow((void **)&p->reads, &p->reads_cap, p->nreads + 1, sizeof *p->reads);
    if (r == AX_OK)
        r = room(p);
    if (r < 0)
        return r;
    uint16_t ticket = (uint16_t)p->nreads;
    r = n == 1 ? ax_ins_read(p->w, p->cap, &p->n, addr, ticket)
               : ax_ins_read_burst(p->w, p->cap, &p->n, addr, n, ticket);
    if (r < 0)
        return r;
    p->reads[p->nreads++] = (ax_read_req){addr, (uint16_t)n};
    p->read_words += n;
    return ticket;
}

int ax_program_inject(ax_program *p, uint16_t label)
{
    EMIT(p, ax_ins_inject(p->w, p->cap, &p->n, label));
}

int ax_program_inject_group(ax_program *p, const uint16_t *labels, size_t n)
{
    EMIT(p, ax_ins_inject_group(p->w, p->cap, &p->n, labels, n));
}

int ax_program_ppu(ax_program *p, unsigned command, unsigned hemi, uint32_t start)
{
    EMIT(p, ax_ins_ppu(p->w, p->cap, &p->n, command, hemi, start));
}

int ax_program_barrier(ax_program *p)
{
    EMIT(p, ax_ins_barrier(p->w, p->cap, &p->n));
}

int ax_program_neuron_reset(ax_program *p, bool all, unsigned block, uint32_t mask)
{
    if (block > 15)
        return AX_E_RANGE;
    EMIT(p, ax_ins_neuron_reset(p->w, p->cap, &p->n, all, block, mask));
}

int ax_program_record(ax_program *p, uint32_t flags)
{
    if (flags & ~(AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY | AX_RECORD_MADC))
        return AX_E_RANGE;
    EMIT(p, ax_ins_record(p->w, p->cap, &p->n, flags));
}

/* ---- results -------------------------------------------------------------- */

void ax_result_init(ax_result *r)
{
    memset(r, 0, sizeof *r);
}

void ax_result_free(ax_result *r)
{
    free(r->spikes);
    free(r->samples);
    free(r->tickets);
    free(r->losses);
    free(r->storage_);
    ax_result_init(r);
}

uint64_t ax_result_lost(const ax_result *r, uint32_t trial, int source)
{
    uint64_t n = 0;
    for (size_t i = 0; r && i < r->nlosses; i++)
        if (r->losses[i].trial == trial && (source < 0 || r->losses[i].source == source))
            n += r->losses[i].count;
    return n;
}

typedef struct run_ctx {
    ax_device *d;
    ax_result *r;
    const ax_program *p;
    size_t spikes_cap, samples_cap, losses_cap;
    bool done;
    int end_seq; /* seq of the frame holding END (-1 before it is sent) */
    int err;     /* first problem seen in the records */
    /* progress: experiment time of the finished trials and of the current one */
    uint64_t trials_done, trial_now, total;
} run_ctx;

static void run_error(run_ctx *c, int status)
{
    if (!c->err)
        c->err = status;
}

static void on_read(run_ctx *c, const ax_record *rec)
{
    ax_result *r = c->r;
    if (rec->ticket >= r->ntickets || r->tickets[rec->ticket].filled) {
        run_error(
            c, ax_fail(AX_E_PROTO, "READ record with unknown or repeated ticket %u", rec->ticket));
        return;
    }
    ax_ticket *t = &r->tickets[rec->ticket];
    if (rec->status == 0 && rec->count != t->count) {
        run_error(c, ax_fail(AX_E_PROTO, "READ record for ticket %u has %u words, asked %u",
                             rec->ticket, rec->count, t->count));
        return;
    }
    t->filled = true;
    t->status = rec->status;
    t->time = rec->time;
    if (rec->status == 0) {
        memcpy(t->data, rec->data, rec->count * sizeof *t->data);
    } else {
        if (!r->error_code) {
            r->error_code = rec->status;
            r->error_offset = rec->ticket;
        }
        run_error(c, ax_fail(AX_E_REMOTE, "the board refused read ticket %u at 0x%06x: %s",
                             rec->ticket, t->addr, ax_error_code_str(rec->status)));
    }
}

static void on_spike(run_ctx *c, const ax_record *rec)
{
    ax_result *r = c->r;
    if (grow((void **)&r->spikes, &c->spikes_cap, r->nspikes + 1, sizeof *r->spikes) < 0) {
        run_error(c, AX_E_NOMEM);
        return;
    }
    r->spikes[r->nspikes++] = (ax_spike){rec->time, rec->label, rec->frac, r->trials};
}

static void on_madc(run_ctx *c, const ax_record *rec)
{
    ax_result *r = c->r;
    if (grow((void **)&r->samples, &c->samples_cap, r->nsamples + 1, sizeof *r->samples) < 0) {
        run_error(c, AX_E_NOMEM);
        return;
    }
    r->samples[r->nsamples++] = (ax_sample){rec->time, rec->sample, r->trials};
}

static void on_other(run_ctx *c, const ax_record *rec)
{
    ax_result *r = c->r;
    switch (rec->type) {
    case AX_REC_END:
        c->done = true;
        r->end_time = rec->time;
        break;
    case AX_REC_LATE:
        if (r->nlate++ == 0)
            r->first_late = rec->time;
        if (rec->lateness > r->max_lateness)
            r->max_lateness = rec->lateness;
        if (grow((void **)&r->losses, &c->losses_cap, r->nlosses + 1, sizeof *r->losses) < 0) {
            run_error(c, AX_E_NOMEM);
            break;
        }
        r->losses[r->nlosses++] = (ax_loss){r->trials, AX_LOSS_LATE, 1, rec->time};
        break;
    case AX_REC_OVERFLOW:
        r->overflow = true;
        *(rec->source == AX_OVF_SPIKES ? &r->lost_spikes
          : rec->source == AX_OVF_MADC ? &r->lost_madc
          : rec->source == AX_OVF_CHIP ? &r->lost_chip
                                       : &r->lost_events) += rec->lost;
        if (grow((void **)&r->losses, &c->losses_cap, r->nlosses + 1, sizeof *r->losses) < 0) {
            run_error(c, AX_E_NOMEM);
            break;
        }
        r->losses[r->nlosses++] = (ax_loss){r->trials, rec->source, rec->lost, rec->time};
        break;
    case AX_REC_ERROR:
        if (rec->seq == c->end_seq)
            c->done = true; /* the frame with END was rejected: nothing more comes */
        if (!r->error_code) {
            r->error_code = rec->code;
            r->error_offset = rec->offset;
            r->error_word = rec->word;
        }
        if (rec->offset == 0xFFFFFFFFu) /* a register write the chip's bus refused */
            run_error(c, ax_fail(AX_E_REMOTE, "a register write at 0x%06x failed on the chip: %s",
                                 rec->word, ax_error_code_str(rec->code)));
        else
            run_error(c, ax_fail(AX_E_REMOTE,
                                 "the board rejected a command frame: %s, at word %u (0x%08x)",
                                 ax_error_code_str(rec->code), rec->offset, rec->word));
        break;
    case AX_REC_TRIAL:
        r->trials++;
        break;
    default: /* TIME only moves the reference */
        break;
    }
}

/* Moves the progress on: TRIAL starts a new trial (time 0); the time before
 * the program's first TIMER_RESET belongs to no trial of it. */
static void track_time(run_ctx *c, const ax_record *rec)
{
    if (rec->type == AX_REC_TRIAL) {
        if (c->r->trials > 1)
            c->trials_done += c->trial_now;
        c->trial_now = 0;
    } else if (rec->time > c->trial_now) {
        c->trial_now = rec->time;
    }
}

static void report_progress(ax_device *d, const run_ctx *c)
{
    uint64_t done = c->done ? c->total : c->trials_done + c->trial_now;
    d->progress(d->progress_ctx, done < c->total ? done : c->total, c->total);
}

void ax_set_progress(ax_device *d, ax_progress_fn fn, void *ctx)
{
    d->progress = fn;
    d->progress_ctx = ctx;
}

/* The device's DATA sink: decodes every record (the reference time runs on
 * between runs) and hands them to the run in progress, if any. */
void ax_device_sink(void *ctx, const ax_frame *f)
{
    ax_device *d = ctx;
    run_ctx *c = d->run;
    for (size_t i = 0; i < f->len;) {
        ax_record rec;
        int n = ax_record_decode(&d->rec, f->payload + i, f->len - i, &rec);
        if (n < 0) {
            if (c)
                run_error(c, ax_fail(AX_E_PROTO, "malformed record in DATA frame %u", f->seq));
            return;
        }
        i += (size_t)n;
        if (!c || c->done)
            continue; /* records outside a run (spikes after END) */
        if (rec.type == AX_REC_SPIKE)
            on_spike(c, &rec);
        else if (rec.type == AX_REC_MADC)
            on_madc(c, &rec);
        else if (rec.type == AX_REC_READ)
            on_read(c, &rec);
        else
            on_other(c, &rec);
        track_time(c, &rec);
    }
    if (c && d->progress)
        report_progress(d, c);
}

static int result_prepare(ax_result *r, const ax_program *p)
{
    ax_result_free(r);
    if (p->nreads == 0)
        return AX_OK;
    r->tickets = calloc(p->nreads, sizeof *r->tickets);
    r->storage_ = calloc(p->read_words, sizeof(uint32_t));
    if (!r->tickets || !r->storage_)
        return AX_E_NOMEM;
    uint32_t *w = r->storage_;
    for (size_t i = 0; i < p->nreads; i++) {
        r->tickets[i] =
            (ax_ticket){.addr = p->reads[i].addr, .count = p->reads[i].count, .data = w};
        w += p->reads[i].count;
    }
    r->ntickets = p->nreads;
    return AX_OK;
}

/* Sends the program in frames cut at instruction boundaries, END last.
 * Returns the seq of the last frame or a negative status. */
static int send_program(ax_link *l, const ax_program *p)
{
    uint32_t buf[AX_FRAME_MAX_PAYLOAD];
    size_t len = 0;
    for (size_t i = 0; i < p->n;) {
        int k = ax_ins_words(p->w[i], i + 1 < p->n ? p->w[i + 1] : 0);
        if (k <= 0 || (size_t)k > p->n - i)
            return AX_E_FORMAT; /* cannot happen: the builder wrote it */
        if (len + (size_t)k > AX_FRAME_MAX_PAYLOAD) {
            int r = ax_link_send(l, buf, (uint16_t)len);
            if (r < 0)
                return r;
            len = 0;
        }
        memcpy(buf + len, p->w + i, (size_t)k * sizeof *buf);
        len += (size_t)k;
        i += (size_t)k;
    }
    if (len == AX_FRAME_MAX_PAYLOAD) {
        int r = ax_link_send(l, buf, (uint16_t)len);
        if (r < 0)
            return r;
        len = 0;
    }
    ax_ins_end(buf, AX_FRAME_MAX_PAYLOAD, &len);
    return ax_link_send(l, buf, (uint16_t)len);
}

static int check_tickets(const ax_result *r)
{
    for (size_t i = 0; i < r->ntickets; i++)
        if (!r->tickets[i].filled)
            return ax_fail(AX_E_PROTO, "the board never answered read ticket %zu", i);
    return AX_OK;
}

int ax_run(ax_device *d, const ax_program *p, ax_result *r)
{
    if (!d || !p || !r)
        return AX_E_INVAL;
    if (d->link.failed)
        return ax_fail(d->link.failed, "the link failed earlier (%s); reset it with ax_hello",
                       ax_strerror(d->link.failed));
    int ret = result_prepare(r, p);
    if (ret < 0)
        return ret;
    run_ctx c = {.d = d, .r = r, .p = p, .end_seq = -1, .total = program_cycles(p)};
    d->run = &c;
    /* Twice the bound in the board's time (model time on a simulated board,
     * also behind a socket), and the link's own patience in its clock. */
    d->link.deadline_us =
        ax_transport_board_us(d->link.tr) + 2 * program_cycles_bound(p) / AX_CYCLES_PER_US;
    d->link.patience_until =
        ax_transport_now_us(d->link.tr) + (uint64_t)d->link.timeout_us * d->link.retries;
    ret = send_program(&d->link, p);
    if (ret >= 0) {
        c.end_seq = ret;
        ret = ax_link_wait(&d->link, &c.done);
    }
    d->link.deadline_us = 0;
    d->run = NULL;
    if (ret == AX_OK)
        ret = c.err;
    if (ret == AX_OK)
        ret = check_tickets(r);
    return ret;
}
