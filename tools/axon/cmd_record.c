/* axon record: inject spikes from a CSV, record spikes (and MADC samples)
 * to CSV. Times in microseconds of experiment time (125 cycles each). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/axon.h"
#include "axon/outfile.h"
#include "axon/program.h"
#include "commands.h"

static const char record_usage[] =
    "usage: axon record [--device URI] --duration US [--input IN.csv] [--spikes OUT.csv]\n"
    "                   [--madc OUT.csv] [--first-only]\n\n"
    "Runs one trial of US microseconds: injects the events of IN.csv (columns\n"
    "time_us,label; a header line and # comments allowed; label 0..65535), records\n"
    "the spikes that leave the chip to OUT.csv (time_us,label; '-' for stdout, the\n"
    "default) and, with --madc, the membrane samples (time_us,value). --first-only\n"
    "keeps each neuron's first spike. Input is checked before anything is sent.\n"
    "Late injections and lost records (overflow) are reported; lost records exit 1\n"
    "and the outputs go to OUT.csv.incomplete (OUT.csv is not written), whose last\n"
    "line is '# incomplete: records lost (overflow): ...'.\n";

typedef struct inj {
    uint64_t cycle;
    uint16_t label;
} inj;

typedef struct rec_args {
    const char *uri, *input, *spikes, *madc;
    double duration_us;
    int first_only;
} rec_args;

static int cmp_inj(const void *a, const void *b)
{
    const inj *x = a, *y = b;
    return x->cycle < y->cycle ? -1 : x->cycle > y->cycle;
}

/* Parses one data line "time_us,label". Returns 0 or -1. */
static int parse_line(char *s, inj *out)
{
    char *end;
    errno = 0;
    double t = strtod(s, &end);
    if (errno || end == s || *end != ',' || !(t >= 0) || t > 1e9)
        return -1;
    s = end + 1;
    unsigned long l = strtoul(s, &end, 10); /* decimal: 010 is ten */
    while (*end == ' ' || *end == '\r')
        end++;
    if (end == s || *end || l > 0xFFFF || !isdigit((unsigned char)*s))
        return -1;
    out->cycle = (uint64_t)llround(t * AX_CYCLES_PER_US);
    out->label = (uint16_t)l;
    return 0;
}

/* Reads the whole input CSV; errors name file and line. */
static int read_input(const char *path, inj **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        axon_err("record: cannot open '%s': %s", path, strerror(errno));
        return 1;
    }
    char line[256];
    size_t cap = 0, lineno = 0;
    int ret = 0;
    *out = NULL;
    *n = 0;
    while (!ret && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            axon_err("record: %s:%zu: line not terminated (truncated file or line too long)", path,
                     lineno);
            ret = 1;
            break;
        }
        line[--len] = '\0';
        if (len == 0 || line[0] == '#' || (lineno == 1 && !strncmp(line, "time_us", 7)))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            inj *nb = realloc(*out, cap * sizeof *nb);
            if (!nb) {
                axon_err("record: out of memory");
                ret = 1;
                break;
            }
            *out = nb;
        }
        if (parse_line(line, &(*out)[*n]) < 0) {
            axon_err("record: %s:%zu: expected time_us,label (time >= 0, label 0..65535), "
                     "got '%s'",
                     path, lineno, line);
            ret = 1;
        }
        (*n)++;
    }
    fclose(f);
    if (!ret && *n > 1)
        qsort(*out, *n, sizeof **out, cmp_inj);
    return ret;
}

static int parse_args(int argc, char **argv, rec_args *a)
{
    memset(a, 0, sizeof *a);
    a->uri = getenv("AXON_DEVICE");
    a->spikes = "-";
    a->duration_us = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(record_usage, stdout);
            return 1;
        }
        if (!strcmp(o, "--first-only")) {
            a->first_only = 1;
            continue;
        }
        if (i + 1 == argc) {
            axon_err("record: '%s' needs a value or is unknown (see axon record --help)", o);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(o, "--device") || !strcmp(o, "-d"))
            a->uri = v;
        else if (!strcmp(o, "--input"))
            a->input = v;
        else if (!strcmp(o, "--spikes"))
            a->spikes = v;
        else if (!strcmp(o, "--madc"))
            a->madc = v;
        else if (!strcmp(o, "--duration")) {
            char *end;
            a->duration_us = strtod(v, &end);
            if (end == v || *end || !(a->duration_us > 0) || a->duration_us > 1e9) {
                axon_err("record: --duration '%s' is not a time in microseconds (0..1e9)", v);
                return 2;
            }
        } else {
            axon_err("record: unknown option '%s' (see axon record --help)", o);
            return 2;
        }
    }
    if (a->duration_us < 0) {
        axon_err("record: --duration US is required (see axon record --help)");
        return 2;
    }
    return axon_check_device("record", a->uri);
}

static int build(ax_program *p, const rec_args *a, const inj *in, size_t n)
{
    uint64_t end = (uint64_t)llround(a->duration_us * AX_CYCLES_PER_US);
    uint32_t flags = AX_RECORD_SPIKES | (a->first_only ? AX_RECORD_FIRST_ONLY : 0) |
                     (a->madc ? AX_RECORD_MADC : 0);
    /* The trial's timeline first: with recording switched on before it, a
     * spike of a board that kept its state would be written with the old
     * timeline. */
    int r = ax_program_timer_reset(p);
    if (r == AX_OK)
        r = ax_program_record(p, flags);
    for (size_t i = 0; i < n && r == AX_OK; i++) {
        if (in[i].cycle > end) {
            axon_err("record: an injection at %.3f us lies after --duration %.3f us",
                     (double)in[i].cycle / AX_CYCLES_PER_US, a->duration_us);
            return 2;
        }
        r = ax_program_wait_until(p, in[i].cycle);
        if (r == AX_OK)
            r = ax_program_inject(p, in[i].label);
    }
    if (r == AX_OK)
        r = ax_program_wait_until(p, end);
    if (r == AX_OK)
        r = ax_program_record(p, 0);
    if (r < 0) {
        axon_err("record: cannot build the program: %s", ax_strerror(r));
        return 1;
    }
    return 0;
}

/* The records as CSV; a run that lost records says so in its last line. */
static void print_csv(FILE *f, const ax_result *r, int madc)
{
    if (madc) {
        fputs("time_us,value\n", f);
        for (size_t i = 0; i < r->nsamples; i++)
            fprintf(f, "%.3f,%u\n", (double)r->samples[i].time / AX_CYCLES_PER_US,
                    r->samples[i].value);
    } else {
        fputs("time_us,label\n", f);
        for (size_t i = 0; i < r->nspikes; i++)
            fprintf(f, "%.4f,%u\n",
                    ((double)r->spikes[i].time + r->spikes[i].frac / 16.0) / AX_CYCLES_PER_US,
                    r->spikes[i].label);
    }
    if (r->overflow)
        fprintf(f, "# incomplete: records lost (overflow): %llu spikes, %llu MADC samples\n",
                (unsigned long long)r->lost_spikes, (unsigned long long)r->lost_madc);
}

/* Both outputs are written in full before either is put in place (through
 * ax_outfile: a temporary beside it, renamed when complete; "-" is stdout),
 * so a failed second output never leaves a first one that looks like the
 * whole result. A run that lost records (overflow) goes to PATH.incomplete
 * (PATH is not written). */
static int write_outputs(const char *spikes, const char *madc, const ax_result *r)
{
    const char *paths[2] = {spikes, madc};
    ax_outfile *o[2] = {NULL, NULL};
    int rc = 0, i;
    for (i = 0; i < 2 && !rc; i++) {
        if (!paths[i])
            continue;
        char final[4096];
        if (snprintf(final, sizeof final, "%s%s", paths[i],
                     r->overflow && strcmp(paths[i], "-") ? ".incomplete" : "") >=
            (int)sizeof final)
            rc = ax_fail(AX_E_INVAL, "output path too long: %.60s...", paths[i]);
        if (!rc && !(rc = ax_outfile_open(&o[i], final))) {
            FILE *f = ax_outfile_stream(o[i]);
            print_csv(f, r, i);
            if (fflush(f) != 0 || ferror(f)) /* a device or pipe fails here, before any commit */
                rc = ax_fail(AX_E_IO, "cannot write to %s: %s", final, strerror(errno));
        }
    }
    for (i = 0; i < 2; i++) {
        if (o[i] && rc)
            ax_outfile_abort(o[i]);
        else if (o[i])
            rc = ax_outfile_commit(o[i]);
    }
    if (rc)
        axon_err("record: %s", ax_error_detail());
    return rc ? 1 : 0;
}

/* The outputs are checked before the run: a missing folder or the same file
 * named twice is found before the board is touched. */
static int check_outputs(const rec_args *a)
{
    int rc = ax_outfile_check(a->spikes);
    if (!rc && a->madc)
        rc = ax_outfile_check(a->madc);
    if (!rc && a->madc && ax_outfile_same(a->spikes, a->madc))
        rc = ax_fail(AX_E_INVAL, "--spikes and --madc name the same file (%s)", a->madc);
    if (rc)
        axon_err("record: %s", ax_error_detail());
    return rc ? 2 : 0;
}

static int report(const ax_result *r)
{
    if (r->nlate)
        fprintf(stderr,
                "axon: record: warning: %zu injection(s) late, first at %.3f us, up to "
                "%.3f us late\n",
                r->nlate, (double)r->first_late / AX_CYCLES_PER_US,
                (double)r->max_lateness / AX_CYCLES_PER_US);
    if (r->overflow) {
        axon_err("record: records lost (overflow): %llu spikes, %llu MADC samples, %llu chip "
                 "spikes, %llu events at delay lines; outputs written as OUT.incomplete",
                 (unsigned long long)r->lost_spikes, (unsigned long long)r->lost_madc,
                 (unsigned long long)r->lost_chip, (unsigned long long)r->lost_events);
        return 1;
    }
    return 0;
}

static void record_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    axon_progress("record", (double)done, (double)total);
}

int axon_cmd_record(int argc, char **argv)
{
    rec_args a;
    int ret = parse_args(argc, argv, &a);
    if (ret)
        return ret == 1 ? 0 : 2;
    inj *in = NULL;
    size_t n = 0;
    if ((ret = check_outputs(&a)))
        return ret;
    if (a.input && (ret = read_input(a.input, &in, &n)))
        return ret;
    ax_program *p = NULL;
    ax_device *d = NULL;
    ax_result r;
    ax_result_init(&r);
    if (ax_program_new(&p) < 0 || (ret = build(p, &a, in, n)))
        goto out;
    int e = ax_open(a.uri, &d);
    if (e < 0) {
        axon_err("record: cannot open device '%s': %s", a.uri && *a.uri ? a.uri : AX_DEFAULT_URI,
                 ax_error_detail());
        ret = 1;
        goto out;
    }
    if (axon_progress_wanted())
        ax_set_progress(d, record_progress, NULL);
    if ((e = ax_run(d, p, &r)) < 0) {
        if (axon_progress_wanted())
            axon_progress_clear();
        axon_err("record: %s", *ax_error_detail() ? ax_error_detail() : ax_strerror(e));
        ret = 1;
        goto out;
    }
    ret = write_outputs(a.spikes, a.madc, &r);
    if (!ret)
        ret = report(&r);
out:
    ax_result_free(&r);
    ax_close(d);
    ax_program_free(p);
    free(in);
    return ret;
}
