/* axon calibrate: per-neuron CapMem codes for a set of targets
 * (libaxon_calib, docs/calibration.md). Prints a table per parameter (or one
 * JSON object), optionally histograms before/after as PNGs. --sweep runs one
 * calibration per die and/or target file in child processes (--jobs at a
 * time; each child sends its figures back through a pipe) and prints one
 * table row (or one JSON line) per run. */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, waitpid */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "axon/calib.h"
#include "axon/outfile.h"
#include "axon/plot.h"
#include "axon/status.h"
#include "commands.h"
#ifdef AXON_HAVE_CALIB_TRUTH
#include "calib_truth.h"
#endif

static const char usage[] =
    "usage: axon calibrate [--device URI] [--targets FILE] [--apply] [--json] [--plots DIR]\n"
    "       axon calibrate --sweep dies=LIST [--sweep targets=FILES] [--jobs N] [options]\n"
    "\n"
    "Calibrates every neuron of the board to the targets (docs/calibration.md) and\n"
    "leaves the calibrated codes applied; the result is saved in the calibration cache\n"
    "($AXON_CALIB_DIR, else $XDG_CACHE_HOME/axon/calib, else ~/.cache/axon/calib).\n"
    "  --device URI    the board (else $AXON_DEVICE, else the default)\n"
    "  --targets FILE  a target file ([targets] section, calib/targets/*.cfg); default:\n"
    "                  the built-in chip-in-the-loop point of calib/targets/ttfs.cfg\n"
    "  --apply         apply a valid cached calibration of this board and targets\n"
    "                  instead of measuring again (a stale, foreign or damaged cache\n"
    "                  file is never applied: the board is calibrated again)\n"
    "  --json          one JSON object on stdout instead of the table\n"
    "  --plots DIR     histograms before/after per parameter (DIR/calib-KEY.png)\n"
    "  --sweep dies=LIST      one calibration per die seed of a sim: device (the URI's\n"
    "                  die= replaced); LIST: comma-separated seeds and ranges, 1,2,5-8\n"
    "  --sweep targets=FILES  one calibration per target file (comma-separated)\n"
    "                  Both given: every die with every target file. A sweep prints one\n"
    "                  row per run (seconds, flagged, sd after per parameter: measured /\n"
    "                  true) or with --json one object per line (the single run's object;\n"
    "                  a failed run {\"device\", \"targets\", \"error\"}); exit 1 if any failed\n"
    "  --jobs N        sweep runs at a time, each in its own process (1..64, default 1)\n";

enum { MAX_RUNS = 1024, MAX_JOBS = 64 };

struct cal_args {
    const char *uri, *targets, *plots, *sweep_dies, *sweep_targets;
    int apply, json, jobs;
};

static int parse_args(int argc, char **argv, struct cal_args *a)
{
    memset(a, 0, sizeof *a);
    const char *jobs = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(o, "--apply")) {
            a->apply = 1;
            continue;
        }
        if (!strcmp(o, "--json")) {
            a->json = 1;
            continue;
        }
        const char **dst = !strcmp(o, "--device")    ? &a->uri
                           : !strcmp(o, "--targets") ? &a->targets
                           : !strcmp(o, "--plots")   ? &a->plots
                           : !strcmp(o, "--jobs")    ? &jobs
                           : !strcmp(o, "--sweep")   ? &a->sweep_dies
                                                     : NULL;
        if (!dst) {
            axon_err("calibrate: unknown option '%s' (see axon calibrate --help)", o);
            return 2;
        }
        if (!v) {
            axon_err("calibrate: %s needs a value (see axon calibrate --help)", o);
            return 2;
        }
        if (dst == &a->sweep_dies) {
            if (!strncmp(v, "dies=", 5))
                dst = &a->sweep_dies, v += 5;
            else if (!strncmp(v, "targets=", 8))
                dst = &a->sweep_targets, v += 8;
            else {
                axon_err("calibrate: --sweep '%s': expected dies=LIST or targets=FILES", v);
                return 2;
            }
            if (*dst) {
                axon_err("calibrate: --sweep %.*s given twice",
                         (int)(strchr(argv[i + 1], '=') - argv[i + 1]), argv[i + 1]);
                return 2;
            }
            if (!*v) {
                axon_err("calibrate: --sweep %s: empty list", argv[i + 1]);
                return 2;
            }
        }
        *dst = v;
        i++;
    }
    if (!a->uri)
        a->uri = getenv("AXON_DEVICE");
    bool sweep = a->sweep_dies || a->sweep_targets;
    a->jobs = 1;
    if (jobs) {
        char *end;
        errno = 0;
        long j = strtol(jobs, &end, 10);
        if (!*jobs || *end || errno || j < 1 || j > MAX_JOBS) {
            axon_err("calibrate: --jobs '%s': expected a whole number 1..%d", jobs, MAX_JOBS);
            return 2;
        }
        if (!sweep) {
            axon_err("calibrate: --jobs needs --sweep");
            return 2;
        }
        a->jobs = (int)j;
    }
    if (sweep && a->plots) {
        axon_err("calibrate: --plots is for a single run, not with --sweep");
        return 2;
    }
    if (a->sweep_targets && a->targets) {
        axon_err("calibrate: --targets and --sweep targets= both given");
        return 2;
    }
    return axon_check_device("calibrate", a->uri);
}

static void bar(void *ctx, double done, double total)
{
    (void)ctx;
    axon_progress("calibrate", done, total);
}

/* The default targets: calib/targets/ttfs.cfg. */
static void default_targets(struct ax_calib_targets *t)
{
    static const double v[AX_PARAM_COUNT] = {300, 300, 330, 1.0, 1.0, 1.0, 0.03, 0.03, 5.0};
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "ttfs");
    memcpy(t->value, v, sizeof v);
    ax_calib_targets_hash(t);
}

static void json_num(double v)
{
    if (isfinite(v))
        printf("%.6g", v);
    else
        printf("null");
}

/* Histogram of before (grey) and after (blue) values of parameter p. */
static int plot_param(const char *dir, const struct ax_calib_result *r, unsigned p)
{
    enum { W = 640, H = 360, BINS = 60 };
    double lo = INFINITY, hi = -INFINITY;
    for (unsigned n = 0; n < r->neurons; n++)
        for (int k = 0; k < 2; k++) {
            double v = (k ? r->after : r->before)[n * AX_PARAM_COUNT + p];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    if (!(hi >= lo))
        return AX_OK; /* not calibrated: nothing to draw */
    if (hi - lo < 1e-9)
        lo -= 0.5, hi += 0.5;
    unsigned cnt[2][BINS] = {{0}}, top = 1;
    for (unsigned n = 0; n < r->neurons; n++)
        for (int k = 0; k < 2; k++) {
            double v = (k ? r->after : r->before)[n * AX_PARAM_COUNT + p];
            if (!isfinite(v))
                continue;
            int b = (int)((v - lo) / (hi - lo) * BINS);
            b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
            if (++cnt[k][b] > top)
                top = cnt[k][b];
        }
    ax_canvas cv;
    int rc = ax_canvas_init(&cv, W, H, 0xFFFFFF);
    if (rc < 0)
        return rc;
    const int L = 40, R = W - 20, T = 20, B = H - 40;
    ax_canvas_line(&cv, L, B, R, B, 0x000000);
    ax_canvas_line(&cv, L, B, L, T, 0x000000);
    /* the target as a red line */
    double tx = (r->stat[p].target - lo) / (hi - lo);
    if (tx >= 0 && tx <= 1)
        ax_canvas_line(&cv, L + (int)(tx * (R - L)), B, L + (int)(tx * (R - L)), T, 0xD03030);
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < BINS; b++) {
            if (!cnt[k][b])
                continue;
            int x0 = L + b * (R - L) / BINS, x1 = L + (b + 1) * (R - L) / BINS - 1;
            int y = B - (int)((double)cnt[k][b] / top * (B - T));
            ax_canvas_rect(&cv, x0, y, x1, B - 1, k ? 0x3060D0 : 0xA0A0A0);
        }
    char path[4096];
    snprintf(path, sizeof path, "%s/calib-%s.png", dir, ax_calib_param_key(p));
    rc = ax_canvas_write_png(&cv, path);
    ax_canvas_free(&cv);
    return rc;
}

/* One calibration's figures: what a single run prints, and what a sweep's
 * child sends back through its pipe (plain data, no pointers). */
struct run_out {
    int ok; /* 0: err says why */
    char err[512];
    char device[512];
    char targets[AX_CALIB_NAME_MAX];
    char id[17];
    int source; /* enum ax_calib_source */
    unsigned neurons, flagged;
    double seconds;
    struct ax_calib_stat stat[AX_PARAM_COUNT];
    int truth; /* tm, tsd hold the truth from the die seed (sim: only) */
    double tm[AX_PARAM_COUNT], tsd[AX_PARAM_COUNT];
};

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

/* The --json object of a run (one line). */
static void print_json(const struct run_out *o)
{
    printf("{\"device\": ");
    json_str(o->device);
    printf(", \"targets\": ");
    json_str(o->targets);
    if (!o->ok) {
        printf(", \"error\": ");
        json_str(o->err);
        printf("}\n");
        return;
    }
    printf(", \"calibration_id\": \"%s\", \"source\": \"%s\", \"neurons\": %u, \"seconds\": %.3f, "
           "\"flagged\": %u, \"parameters\": {",
           o->id, o->source == AX_CALIB_CACHED ? "cache" : "measured", o->neurons, o->seconds,
           o->flagged);
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        const struct ax_calib_stat *s = &o->stat[p];
        printf("%s\"%s\": {\"target\": ", p ? ", " : "", ax_calib_param_key(p));
        json_num(s->target);
        const double v[] = {s->mean_before, s->std_before, s->mean_after, s->std_after};
        const char *k[] = {"mean_before", "std_before", "mean_after", "std_after"};
        for (int i = 0; i < 4; i++) {
            printf(", \"%s\": ", k[i]);
            json_num(v[i]);
        }
        if (o->truth) {
            printf(", \"mean_after_true\": ");
            json_num(o->tm[p]);
            printf(", \"std_after_true\": ");
            json_num(o->tsd[p]);
        }
        printf("}");
    }
    printf("}}\n");
}

/* Opens uri, calibrates (or with apply uses the cache), saves to the cache
 * and fills o; r is kept for the caller (free it) when r is not NULL and the
 * run succeeded. Returns 0, or 1 with o->err set. */
static int calibrate_one(const char *uri, const struct ax_calib_targets *t, int apply, int show,
                         struct run_out *o, struct ax_calib_result *keep)
{
    memset(o, 0, sizeof *o);
    snprintf(o->device, sizeof o->device, "%s", uri ? uri : "sim:");
    snprintf(o->targets, sizeof o->targets, "%s", t->name);
    ax_device *d;
    int rc;
    if ((rc = ax_open(uri, &d)) < 0) {
        snprintf(o->err, sizeof o->err, "cannot open %s: %s", uri ? uri : "the default board",
                 ax_error_detail());
        return 1;
    }
    snprintf(o->device, sizeof o->device, "%s", ax_device_uri(d));
    struct ax_calib_result r;
    enum ax_calib_source src = AX_CALIB_MEASURED;
    if (apply) {
        rc = ax_calib_get(d, t, show ? bar : NULL, NULL, &r, &src);
    } else if ((rc = ax_calib_run(d, t, show ? bar : NULL, NULL, &r)) == AX_OK) {
        rc = ax_calib_cache_save(d, t, &r); /* its id is the file's hash */
        if (rc < 0)
            ax_calib_result_free(&r);
    }
    if (show)
        axon_progress_clear();
    if (rc < 0) {
        snprintf(o->err, sizeof o->err, "%s", ax_error_detail());
        ax_close(d);
        return 1;
    }
    o->ok = 1;
    snprintf(o->id, sizeof o->id, "%s", r.id);
    o->source = (int)src;
    o->neurons = r.neurons;
    o->flagged = r.flagged;
    o->seconds = r.seconds;
    memcpy(o->stat, r.stat, sizeof o->stat);
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
        o->tm[p] = o->tsd[p] = NAN;
#ifdef AXON_HAVE_CALIB_TRUTH
    if (!strncmp(ax_device_uri(d), "sim:", 4)) {
        double *v = malloc((size_t)r.neurons * AX_PARAM_COUNT * sizeof *v);
        if (v && ax_calib_truth(d, &r, t, v) == AX_OK) {
            o->truth = 1;
            for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
                ax_calib_truth_stat(&r, v, p, &o->tm[p], &o->tsd[p]);
        }
        free(v);
    }
#endif
    ax_close(d);
    if (keep)
        *keep = r;
    else
        ax_calib_result_free(&r);
    return 0;
}

/* ---- sweeps ------------------------------------------------------------- */

/* Seeds of "1,2,5-8" (decimal); 2 with a message on bad syntax. */
static int parse_dies(const char *list, uint64_t *dies, size_t *n)
{
    *n = 0;
    const char *s = list;
    for (;;) {
        char *end;
        if (*s < '0' || *s > '9')
            goto bad;
        errno = 0;
        unsigned long long a = strtoull(s, &end, 10), b = a;
        if (errno)
            goto bad;
        if (*end == '-') {
            s = end + 1;
            if (*s < '0' || *s > '9')
                goto bad;
            b = strtoull(s, &end, 10);
            if (errno || b < a)
                goto bad;
        }
        for (unsigned long long x = a;; x++) {
            if (*n >= MAX_RUNS) {
                axon_err("calibrate: --sweep dies=%s: more than %d runs", list, MAX_RUNS);
                return 2;
            }
            for (size_t i = 0; i < *n; i++)
                if (dies[i] == x) {
                    axon_err("calibrate: --sweep dies=%s: die %llu twice", list, x);
                    return 2;
                }
            dies[(*n)++] = x;
            if (x == b)
                break;
        }
        if (!*end)
            return 0;
        if (*end != ',')
            goto bad;
        s = end + 1;
    }
bad:
    axon_err("calibrate: --sweep dies=%s: expected seeds and ranges like 1,2,5-8", list);
    return 2;
}

/* uri with its die= option replaced by die (a sim: URI only). */
static int die_uri(const char *uri, uint64_t die, char *out, size_t n)
{
    if (!uri)
        uri = "sim:";
    if (strncmp(uri, "sim:", 4)) {
        axon_err("calibrate: --sweep dies= needs a sim: device (a die seed is the simulated "
                 "board's), not '%s'",
                 uri);
        return 2;
    }
    size_t len = (size_t)snprintf(out, n, "sim:");
    const char *q = uri + 4;
    char sep = '?';
    if (*q == '?')
        q++;
    else if (*q) {
        axon_err("calibrate: --sweep dies=: cannot read the device URI '%s'", uri);
        return 2;
    }
    while (*q) {
        const char *e = strchr(q, '&');
        size_t k = e ? (size_t)(e - q) : strlen(q);
        if (strncmp(q, "die=", 4) && k) {
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%c%.*s", sep, (int)k, q);
            sep = '&';
        }
        q += k + (e ? 1 : 0);
    }
    len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%cdie=%llu", sep,
                            (unsigned long long)die);
    if (len >= n) {
        axon_err("calibrate: device URI too long");
        return 2;
    }
    return 0;
}

struct sweep_run {
    char uri[512];
    const struct ax_calib_targets *t;
    pid_t pid;
    int fd;    /* read end of the child's pipe */
    int state; /* 0 waiting, 1 running, 2 done, 3 printed */
    struct run_out out;
};

static void print_row(const struct run_out *o, int json)
{
    if (json) {
        print_json(o);
    } else if (!o->ok) {
        printf("%-26s %-10s FAILED: %s\n", o->device, o->targets, o->err);
    } else {
        printf("%-26s %-10s %7.2f %7u", o->device, o->targets, o->seconds, o->flagged);
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            char cell[64];
            if (o->truth)
                snprintf(cell, sizeof cell, "%.3g/%.3g", o->stat[p].std_after, o->tsd[p]);
            else
                snprintf(cell, sizeof cell, "%.3g", o->stat[p].std_after);
            printf(" %17s", cell);
        }
        printf("\n");
    }
    fflush(stdout);
}

/* A child: calibrates, writes its run_out to fd, exits 0 (or 1 when the run
 * failed: its message is in the record). */
static void child(struct sweep_run *s, int fd, int apply)
{
    struct run_out o;
    int rc = calibrate_one(s->uri, s->t, apply, 0, &o, NULL);
    const char *p = (const char *)&o;
    size_t left = sizeof o;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        p += w, left -= (size_t)w;
    }
    _exit(rc ? 1 : 0);
}

/* Reads the finished child's record (it has exited: everything it wrote is
 * in the pipe) and judges its exit status. */
static void collect(struct sweep_run *s, int status)
{
    struct run_out o;
    size_t got = 0;
    while (got < sizeof o) {
        ssize_t k = read(s->fd, (char *)&o + got, sizeof o - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(s->fd);
    s->state = 2;
    if (got == sizeof o) {
        s->out = o;
        return;
    }
    memset(&s->out, 0, sizeof s->out);
    snprintf(s->out.device, sizeof s->out.device, "%s", s->uri);
    snprintf(s->out.targets, sizeof s->out.targets, "%s", s->t->name);
    if (WIFSIGNALED(status))
        snprintf(s->out.err, sizeof s->out.err, "calibration process killed by signal %d",
                 WTERMSIG(status));
    else
        snprintf(s->out.err, sizeof s->out.err,
                 "calibration process exited with status %d without a result",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int sweep(const struct cal_args *a, struct sweep_run *runs, size_t n)
{
    if (!a->json) {
        printf("sweep: %zu runs, %d at a time; per parameter the sd after calibration, "
               "measured%s\n",
               n, a->jobs,
               runs[0].uri[0] && !strncmp(runs[0].uri, "sim:", 4) ? " / true (from the die seed)"
                                                                  : "");
        printf("%-26s %-10s %7s %7s", "device", "targets", "seconds", "flagged");
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            printf(" %17s", ax_calib_param_key(p));
        printf("\n");
    }
    fflush(stdout);
    size_t next = 0, printed = 0;
    int running = 0, failed = 0;
    while (printed < n) {
        while (running < a->jobs && next < n) {
            struct sweep_run *s = &runs[next++];
            int fds[2];
            if (pipe(fds) < 0) {
                snprintf(s->out.err, sizeof s->out.err, "pipe: %s", strerror(errno));
                goto spawn_failed;
            }
            fflush(stdout);
            fflush(stderr);
            s->pid = fork();
            if (s->pid == 0) {
                close(fds[0]);
                child(s, fds[1], a->apply);
            }
            close(fds[1]);
            if (s->pid < 0) {
                snprintf(s->out.err, sizeof s->out.err, "fork: %s", strerror(errno));
                close(fds[0]);
                goto spawn_failed;
            }
            s->fd = fds[0];
            s->state = 1;
            running++;
            continue;
        spawn_failed:
            snprintf(s->out.device, sizeof s->out.device, "%s", s->uri);
            snprintf(s->out.targets, sizeof s->out.targets, "%s", s->t->name);
            s->state = 2;
        }
        if (running > 0) {
            int status;
            pid_t pid = waitpid(-1, &status, 0);
            if (pid < 0 && errno == EINTR)
                continue;
            if (pid < 0) {
                axon_err("calibrate: waitpid: %s", strerror(errno));
                return 1;
            }
            for (size_t i = 0; i < n; i++)
                if (runs[i].state == 1 && runs[i].pid == pid) {
                    collect(&runs[i], status);
                    running--;
                }
        }
        /* print in the sweep's order */
        while (printed < n && runs[printed].state == 2) {
            struct run_out *o = &runs[printed].out;
            failed += !o->ok;
            print_row(o, a->json);
            if (!o->ok)
                axon_err("calibrate: %s (targets %s): %s", o->device, o->targets, o->err);
            runs[printed++].state = 3;
        }
    }
    return failed ? 1 : 0;
}

int axon_cmd_calibrate(int argc, char **argv)
{
    struct cal_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    static struct ax_calib_targets tl[MAX_RUNS];
    size_t nt = 1;
    if (a.sweep_targets) {
        nt = 0;
        char *list = strdup(a.sweep_targets), *save = NULL;
        if (!list)
            return 1;
        for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
            if (nt >= MAX_RUNS || (rc = ax_calib_targets_load(f, &tl[nt])) < 0) {
                axon_err("calibrate: --sweep targets=: %s",
                         nt >= MAX_RUNS ? "too many files" : ax_error_detail());
                free(list);
                return 2;
            }
            nt++;
        }
        free(list);
        if (!nt || strstr(a.sweep_targets, ",,") || a.sweep_targets[0] == ',' ||
            a.sweep_targets[strlen(a.sweep_targets) - 1] == ',') {
            axon_err("calibrate: --sweep targets=%s: an empty file name", a.sweep_targets);
            return 2;
        }
    } else if (a.targets) {
        if ((rc = ax_calib_targets_load(a.targets, &tl[0])) < 0) {
            axon_err("calibrate: %s", ax_error_detail());
            return 2;
        }
    } else {
        default_targets(&tl[0]);
    }
    if (a.sweep_dies || a.sweep_targets) {
        static uint64_t dies[MAX_RUNS];
        size_t nd = 0;
        if (a.sweep_dies && (rc = parse_dies(a.sweep_dies, dies, &nd)) != 0)
            return rc;
        size_t n = (a.sweep_dies ? nd : 1) * nt;
        if (n > MAX_RUNS) {
            axon_err("calibrate: --sweep: %zu runs, at most %d", n, MAX_RUNS);
            return 2;
        }
        struct sweep_run *runs = calloc(n, sizeof *runs);
        if (!runs)
            return 1;
        size_t k = 0;
        for (size_t i = 0; i < (a.sweep_dies ? nd : 1); i++)
            for (size_t j = 0; j < nt; j++, k++) {
                runs[k].t = &tl[j];
                if (!a.sweep_dies)
                    snprintf(runs[k].uri, sizeof runs[k].uri, "%s", a.uri ? a.uri : "sim:");
                else if ((rc = die_uri(a.uri, dies[i], runs[k].uri, sizeof runs[k].uri)) != 0) {
                    free(runs);
                    return rc;
                }
            }
        rc = sweep(&a, runs, n);
        free(runs);
        return rc;
    }
    struct ax_calib_targets t = tl[0];
    if (a.plots) { /* before the work: the folder must exist */
        char path[4096];
        snprintf(path, sizeof path, "%s/calib-leak_mv.png", a.plots);
        if ((rc = ax_outfile_check(path)) < 0) {
            axon_err("calibrate: --plots: %s", ax_error_detail());
            return 2;
        }
    }
    struct run_out o;
    struct ax_calib_result r;
    if (calibrate_one(a.uri, &t, a.apply, axon_progress_wanted(), &o, &r)) {
        axon_err("calibrate: %s", o.err);
        return 1;
    }
    const char *how = o.source == AX_CALIB_CACHED       ? "cached"
                      : o.source == AX_CALIB_RECOMPUTED ? "recomputed (the cache was not valid)"
                                                        : "measured";
    if (a.json) {
        print_json(&o);
    } else {
        printf("calibration %s of %s (%u neurons, targets %s): %s in %.2f s, %u flagged\n", o.id,
               o.device, o.neurons, t.name, how, o.seconds, o.flagged);
        printf("%-14s %9s %10s %9s %10s %9s%s\n", "parameter", "target", "before", "sd", "after",
               "sd", o.truth ? "       true        sd" : "");
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            const struct ax_calib_stat *s = &o.stat[p];
            if (isnan(s->mean_after)) {
                printf("%-14s %9.4g %10s (not calibrated: nominal code)\n", ax_calib_param_key(p),
                       s->target, "-");
                continue;
            }
            printf("%-14s %9.4g %10.4g %9.3g %10.4g %9.3g", ax_calib_param_key(p), s->target,
                   s->mean_before, s->std_before, s->mean_after, s->std_after);
            if (o.truth)
                printf(" %10.4g %9.3g", o.tm[p], o.tsd[p]);
            printf("\n");
        }
        for (unsigned n = 0; n < r.neurons; n++)
            if (r.flags[n])
                printf("neuron %u flagged: %s\n", n, ax_calib_flag_reason(&r, n));
    }
    rc = AX_OK;
    for (unsigned p = 0; p < AX_PARAM_COUNT && a.plots && rc == AX_OK; p++)
        if ((rc = plot_param(a.plots, &r, p)) < 0)
            axon_err("calibrate: %s", ax_error_detail());
    ax_calib_result_free(&r);
    return rc < 0 ? 1 : 0;
}
