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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/program.h"
#include "device.h"
#include "fakeboard.h"

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

int main(int argc, char **argv)
{
    const char *board = "fake";
    uint64_t target = getenv("AX_FAULTS") ? strtoull(getenv("AX_FAULTS"), NULL, 0) : 20000;
    uint64_t seed = 1;
    uint32_t timeout_us = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--board") && i + 1 < argc)
            board = argv[++i];
        else if (!strcmp(argv[i], "--faults") && i + 1 < argc)
            target = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--timeout-us") && i + 1 < argc)
            timeout_us = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else
            return fprintf(stderr, "usage: test_faults [--board fake|URI] [--faults N] "
                                   "[--seed S] [--timeout-us T]\n"),
                   2;
    }
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
