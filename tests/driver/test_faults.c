/* Fault injection over a board: at least N injected faults (bit flips,
 * dropped, duplicated, truncated and reordered frames in both directions),
 * proving that every result libaxon returns is correct or an error, and that
 * no command ran twice.
 *
 * usage: test_faults [--board fake|URI] [--faults N] [--seed S] [--timeout-us T]
 * (N also from $AX_FAULTS). The board runs programs of 64 read-modify-write
 * sequences on SCRATCH (read v+i, write v+i+1) interleaved with burst reads
 * of the read-only board registers; the host checks every ticket. A command
 * run twice would show as a SCRATCH value that went back, a ticket filled
 * twice or a count that does not add up. On a link error the test resets the
 * link and reads SCRATCH back: it must lie between the values before and
 * after the failed program (a program runs partly, never twice). Prints one
 * JSON line; exit 0 only when nothing wrong was seen and N faults happened.
 *
 * test_faults --streams N [--board URI]: spike and MADC record streams under
 * each fault kind alone (flip, drop, dup, trunc, reorder), N runs per kind of
 * one program (neuron reset, timer reset, injected events that make a neuron
 * spike, the MADC sampling its membrane) on a board of its own; every run
 * that succeeds must return the same spikes and samples, bit for bit and in
 * order, as the run on a fault-free board; a run that fails must say so with
 * an error (then HELLO). One JSON line with ok/failed/wrong per kind.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/program.h"
#include "device.h"
#include "fakeboard.h"
#include "streamprog.h"

#define RMW_PER_RUN 64
#define RO_REGS     8 /* PROTOCOL .. GEOMETRY */

typedef struct fstats {
    uint64_t runs, ok_runs, failed_runs, checked_words, wrong, hellos;
} fstats;

static int open_board(const char *board, uint64_t seed, ax_transport **tr)
{
    ax_fault_config c = {.seed = seed,
                         .p_flip = 0.05,
                         .p_drop = 0.05,
                         .p_dup = 0.04,
                         .p_trunc = 0.03,
                         .p_reorder = 0.04};
    ax_transport *inner;
    int r;
    if (!strcmp(board, "fake")) {
        r = fakeboard_open(NULL, &inner);
    } else {
        ax_uri u;
        r = ax_uri_parse(board, &u);
        if (r == AX_OK)
            r = ax_transport_open(&u, &inner);
    }
    return r < 0 ? r : ax_fault_wrap(inner, &c, tr);
}

static int hello_until_ok(ax_device *d, fstats *s)
{
    for (int i = 0; i < 50; i++) {
        s->hellos++;
        if (ax_hello(d) == AX_OK)
            return AX_OK;
    }
    return AX_E_LINK;
}

/* After a failed run: resync and check SCRATCH lies in [v, v + RMW_PER_RUN]. */
static int recover(ax_device *d, uint32_t *v, fstats *s)
{
    uint32_t now = 0;
    for (int i = 0; i < 50; i++) {
        if (hello_until_ok(d, s) < 0)
            return AX_E_LINK;
        if (ax_reg_read(d, AX_REG_SCRATCH, &now) == AX_OK) {
            if (now - *v > RMW_PER_RUN) {
                fprintf(stderr, "SCRATCH is %u after a failed run from %u\n", now, *v);
                s->wrong++;
            }
            *v = now;
            return AX_OK;
        }
    }
    return AX_E_LINK;
}

static void build(ax_program *p, uint32_t v)
{
    ax_program_clear(p);
    for (uint32_t i = 0; i < RMW_PER_RUN; i++) {
        ax_program_read(p, AX_REG_SCRATCH, 1);
        ax_program_write(p, AX_REG_SCRATCH, v + i + 1);
        ax_program_read(p, AX_REG_PROTOCOL, RO_REGS);
    }
}

static void check(const ax_result *r, uint32_t v, const uint32_t *golden, fstats *s)
{
    for (uint32_t i = 0; i < RMW_PER_RUN; i++) {
        const ax_ticket *a = &r->tickets[2 * i], *b = &r->tickets[2 * i + 1];
        if (a->data[0] != v + i)
            s->wrong++, fprintf(stderr, "SCRATCH read %u, expected %u\n", a->data[0], v + i);
        if (memcmp(b->data, golden, RO_REGS * 4))
            s->wrong++, fprintf(stderr, "board registers read back wrong\n");
        s->checked_words += 1 + RO_REGS;
    }
}

/* ---- record streams under each fault kind ---------------------------- */

typedef struct kind_stats {
    const char *name;
    uint64_t faults, runs, ok, failed, wrong, spikes, samples;
} kind_stats;

/* A board with only one kind of fault (k: 0 flip .. 4 reorder), or none (k < 0). */
static int open_kind(const char *board, int k, uint64_t seed, ax_device **d, ax_transport **tr)
{
    ax_fault_config c = {.seed = seed};
    double *pk[5] = {&c.p_flip, &c.p_drop, &c.p_dup, &c.p_trunc, &c.p_reorder};
    if (k >= 0)
        *pk[k] = 0.08;
    ax_uri u;
    ax_transport *inner;
    int r = ax_uri_parse(board, &u);
    if (r == AX_OK)
        r = ax_transport_open(&u, &inner);
    if (r == AX_OK)
        r = ax_fault_wrap(inner, &c, tr);
    if (r == AX_OK)
        r = ax_device_open_transport(*tr, board, d);
    return r == AX_OK ? stream_setup(*d) : r;
}

static int run_kind(const char *board, int k, uint64_t runs, const ax_result *gold, kind_stats *ks)
{
    ax_device *d = NULL;
    ax_transport *tr;
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    stream_program(p);
    int r = open_kind(board, k, 1000 + (uint64_t)k, &d, &tr);
    for (uint64_t i = 0; r == AX_OK && i < runs; i++) {
        ks->runs++;
        if (ax_run(d, p, &res) == AX_OK) {
            ks->ok++;
            ks->wrong += !same_records(&res, gold);
        } else {
            ks->failed++;
            for (int h = 0; h < 50 && ax_hello(d) != AX_OK; h++)
                ;
        }
    }
    ax_fault_counts fc = {0};
    if (d)
        ax_fault_get_counts(tr, &fc);
    ks->faults = ax_fault_total(&fc);
    ax_result_free(&res);
    ax_program_free(p);
    ax_close(d);
    return r;
}

static int streams_main(const char *board, uint64_t runs)
{
    ax_device *d = NULL;
    ax_transport *tr;
    ax_program *p;
    ax_result gold;
    ax_result_init(&gold);
    ax_program_new(&p);
    stream_program(p);
    int r = open_kind(board, -1, 1, &d, &tr);
    if (r == AX_OK)
        r = ax_run(d, p, &gold);
    ax_close(d);
    if (r < 0 || gold.nspikes == 0 || gold.nsamples == 0)
        return fprintf(stderr,
                       "test_faults: no fault-free reference on %s: %s (%s), %zu spikes, "
                       "%zu samples\n",
                       board, ax_strerror(r), ax_error_detail(), gold.nspikes, gold.nsamples),
               1;
    kind_stats ks[5] = {{.name = "flip"},
                        {.name = "drop"},
                        {.name = "dup"},
                        {.name = "trunc"},
                        {.name = "reorder"}};
    uint64_t wrong = 0, bad = 0;
    printf("{\"test\":\"faults_streams\",\"board\":\"%s\",\"runs_per_kind\":%llu,"
           "\"spikes_per_run\":%zu,\"samples_per_run\":%zu",
           board, (unsigned long long)runs, gold.nspikes, gold.nsamples);
    for (int k = 0; k < 5; k++) {
        if (run_kind(board, k, runs, &gold, &ks[k]) < 0)
            return fprintf(stderr, "test_faults: %s: %s\n", ks[k].name, ax_error_detail()), 1;
        wrong += ks[k].wrong;
        bad += ks[k].ok == 0 || ks[k].faults == 0;
        printf(",\"%s\":{\"faults\":%llu,\"ok\":%llu,\"failed\":%llu,\"wrong\":%llu}", ks[k].name,
               (unsigned long long)ks[k].faults, (unsigned long long)ks[k].ok,
               (unsigned long long)ks[k].failed, (unsigned long long)ks[k].wrong);
    }
    printf("}\n");
    ax_result_free(&gold);
    ax_program_free(p);
    return wrong == 0 && bad == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *board = "fake";
    uint64_t target = getenv("AX_FAULTS") ? strtoull(getenv("AX_FAULTS"), NULL, 0) : 20000;
    uint64_t seed = 1;
    uint32_t timeout_us = 0;
    uint64_t streams = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--board") && i + 1 < argc)
            board = argv[++i];
        else if (!strcmp(argv[i], "--faults") && i + 1 < argc)
            target = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--timeout-us") && i + 1 < argc)
            timeout_us = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--streams") && i + 1 < argc)
            streams = strtoull(argv[++i], NULL, 0);
        else
            return fprintf(stderr, "usage: test_faults [--board fake|URI] [--faults N] "
                                   "[--seed S] [--timeout-us T] [--streams RUNS]\n"),
                   2;
    }
    if (streams)
        return streams_main(board, streams);
    ax_transport *tr;
    ax_device *d = NULL;
    int r = open_board(board, seed, &tr);
    if (r == AX_E_UNSUPPORTED) {
        printf("SKIP: %s\n", ax_error_detail());
        return 77;
    }
    if (r == AX_OK)
        r = ax_device_open_transport(tr, board, &d);
    if (r == AX_OK)
        ax_link_set_timeout(d, timeout_us, 0);
    fstats s = {0};
    uint32_t golden[RO_REGS], v = 0;
    /* Golden values and the start of the counter, read through the faults. */
    if (r == AX_OK && recover(d, &v, &s) == AX_OK) {
        r = ax_reg_read_block(d, AX_REG_PROTOCOL, golden, RO_REGS);
        while (r != AX_OK && hello_until_ok(d, &s) == AX_OK)
            r = ax_reg_read_block(d, AX_REG_PROTOCOL, golden, RO_REGS);
    }
    if (r < 0) {
        fprintf(stderr, "test_faults: cannot start on %s: %s (%s)\n", board, ax_strerror(r),
                ax_error_detail());
        return 1;
    }
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    ax_fault_counts fc;
    for (ax_fault_get_counts(tr, &fc); ax_fault_total(&fc) < target; ax_fault_get_counts(tr, &fc)) {
        build(p, v);
        s.runs++;
        r = ax_run(d, p, &res);
        if (r == AX_OK) {
            s.ok_runs++;
            check(&res, v, golden, &s);
            v += RMW_PER_RUN;
        } else {
            s.failed_runs++;
            if (getenv("AX_FAULTS_VERBOSE"))
                fprintf(stderr, "run failed: %s (%s)\n", ax_strerror(r), ax_error_detail());
            if (recover(d, &v, &s) < 0) {
                fprintf(stderr, "test_faults: link did not come back\n");
                return 1;
            }
        }
    }
    ax_link_stats ls;
    ax_link_get_stats(d, &ls);
    printf("{\"test\":\"faults\",\"board\":\"%s\",\"faults\":%llu,\"flips\":%llu,\"drops\":%llu,"
           "\"dups\":%llu,\"truncs\":%llu,\"reorders\":%llu,\"frames\":%llu,\"runs\":%llu,"
           "\"ok_runs\":%llu,\"failed_runs\":%llu,\"checked_words\":%llu,\"wrong\":%llu,"
           "\"cmd_resent\":%llu,\"replays\":%llu,\"data_dups\":%llu,\"hellos\":%llu}\n",
           board, (unsigned long long)ax_fault_total(&fc), (unsigned long long)fc.flips,
           (unsigned long long)fc.drops, (unsigned long long)fc.dups, (unsigned long long)fc.truncs,
           (unsigned long long)fc.reorders, (unsigned long long)fc.frames,
           (unsigned long long)s.runs, (unsigned long long)s.ok_runs,
           (unsigned long long)s.failed_runs, (unsigned long long)s.checked_words,
           (unsigned long long)s.wrong, (unsigned long long)ls.cmd_resent,
           (unsigned long long)ls.replays, (unsigned long long)ls.data_dups,
           (unsigned long long)s.hellos);
    ax_result_free(&res);
    ax_program_free(p);
    ax_close(d);
    return s.wrong == 0 && s.ok_runs > 0 ? 0 : 1;
}
