/* axon data: prints data sets (Yin-Yang) as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/ttfs_data.h"
#include "commands.h"

static const char usage[] =
    "usage: axon data yinyang [--split train|validation|test]\n"
    "\n"
    "Prints a Yin-Yang split (5000/seed 42, 1000/41, 1000/40; identical to the\n"
    "published generator) as CSV: x,y,1-x,1-y,label with %.17g doubles.\n";

int axon_cmd_data(int argc, char **argv)
{
    const char *set = NULL, *split = "train";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--split")) {
            if (i + 1 >= argc) {
                axon_err("data: --split needs a value (train, validation or test)");
                return 2;
            }
            split = argv[++i];
        } else if (!set && argv[i][0] != '-') {
            set = argv[i];
        } else {
            axon_err("data: unexpected argument '%s' (see axon data --help)", argv[i]);
            return 2;
        }
    }
    if (!set || strcmp(set, "yinyang")) {
        axon_err("data: %s%s%s (only 'yinyang' can be printed)",
                 set ? "unknown data set '" : "missing data set", set ? set : "", set ? "'" : "");
        return 2;
    }
    enum ax_yinyang_split s;
    if (!strcmp(split, "train"))
        s = AX_YINYANG_TRAIN;
    else if (!strcmp(split, "validation"))
        s = AX_YINYANG_VALIDATION;
    else if (!strcmp(split, "test"))
        s = AX_YINYANG_TEST;
    else {
        axon_err("data: --split: expected train, validation or test, got '%s'", split);
        return 2;
    }
    int n = ax_yinyang_split_size(s);
    double *xy = malloc((size_t)n * 4 * sizeof *xy);
    int *labels = malloc((size_t)n * sizeof *labels);
    if (!xy || !labels) {
        free(xy);
        free(labels);
        axon_err("data: out of memory");
        return 1;
    }
    ax_yinyang_generate(xy, labels, n, ax_yinyang_split_seed(s));
    puts("x,y,1-x,1-y,label");
    for (int i = 0; i < n; i++) {
        const double *r = xy + (size_t)i * 4;
        printf("%.17g,%.17g,%.17g,%.17g,%d\n", r[0], r[1], r[2], r[3], labels[i]);
    }
    free(xy);
    free(labels);
    return 0;
}
