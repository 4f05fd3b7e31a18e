/* axon record's output files: a run that lost records (overflow) leaves no
 * file that looks complete. Compiles tools/axon/cmd_record.c in, with stubs
 * for the rest of the program, and calls its writer with made-up results.
 * usage: test_record_out TMPDIR */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "../../tools/axon/cmd_record.c"

#include "cli_stubs.h"

static int fails;

static void expect(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    fails += !ok;
}

/* The last line of path, or "" when it cannot be read. */
static void last_line(const char *path, char *line, size_t cap)
{
    FILE *f = fopen(path, "r");
    line[0] = '\0';
    char buf[256];
    while (f && fgets(buf, sizeof buf, f))
        snprintf(line, cap, "%s", buf);
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return fprintf(stderr, "usage: test_record_out TMPDIR\n"), 2;
    char out[512], inc[600], line[256];
    ax_spike sp[2] = {{.time = 125, .label = 3}, {.time = 250, .label = 4}};
    ax_result r = {.spikes = sp, .nspikes = 2};

    snprintf(out, sizeof out, "%s/ok.csv", argv[1]);
    expect(write_outputs(out, NULL, &r) == 0, "complete run written");
    last_line(out, line, sizeof line);
    expect(line[0] != '#' && line[0], "complete run: last line is data");

    /* The second output fails: the first must not be left looking complete. */
    char madc[600];
    snprintf(out, sizeof out, "%s/first.csv", argv[1]);
    expect(write_outputs(out, "/dev/full", &r) == 1 && access(out, F_OK) != 0,
           "second output fails: the first is not written either");
    snprintf(madc, sizeof madc, "%s/madc.csv", argv[1]);
    expect(write_outputs(out, madc, &r) == 0 && access(out, F_OK) == 0 && access(madc, F_OK) == 0,
           "both outputs written");

    r.overflow = true;
    r.lost_spikes = 7;
    snprintf(out, sizeof out, "%s/lost.csv", argv[1]);
    snprintf(inc, sizeof inc, "%s.incomplete", out);
    write_outputs(out, NULL, &r);
    expect(access(out, F_OK) != 0, "overflow: no OUT.csv that looks complete");
    last_line(inc, line, sizeof line);
    expect(!strncmp(line, "# incomplete: records lost (overflow)", 37),
           "overflow: OUT.csv.incomplete ends with '# incomplete: ...'");
    return fails ? 1 : 0;
}
