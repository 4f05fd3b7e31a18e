/* axon ttfs eval: spike times and exact gradients of a small network given in
 * a text file (the library's ttfs-eval format, axon/ttfs_eval.h), printed so
 * that other implementations can be compared number by number. */
#include <stdio.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_eval.h"
#include "commands.h"

static const char usage[] =
    "usage: axon ttfs eval FILE\n\nPrints the spike times of every layer and the exact "
    "gradients dJ/dw, dJ/dd\n(delays) and dJ/dt_in of J = sum_k grad_k T_k for the network and "
    "samples\nin FILE (format: docs/training.md, 'axon ttfs eval'; FILE '-' reads standard "
    "input).\n";

static void print_row(const char *label, int layer, const double *v, size_t n)
{
    printf("%s", label);
    if (layer > 0)
        printf(" %d", layer);
    for (size_t i = 0; i < n; i++)
        printf(" %.17g", v[i]);
    putchar('\n');
}

static void print_sample(const struct ax_ttfs_eval_out *o, const struct ax_ttfs_eval *ev, int s)
{
    int L = ev->n_layers;
    printf("sample %d\n", s + 1);
    for (int l = 1; l <= L; l++)
        print_row("times", l, o->times[l - 1], (size_t)ev->sizes[l]);
    for (int l = L; l >= 1; l--) {
        print_row("dJ/dw", l, o->dw[l - 1], (size_t)ev->sizes[l] * ev->sizes[l - 1]);
        if (o->n_delays[l - 1])
            print_row("dJ/dd", l, o->dd[l - 1], o->n_delays[l - 1]);
    }
    print_row("dJ/dt_in", 0, o->dt_in, (size_t)ev->sizes[0]);
}

static int eval_file(const char *path)
{
    struct ax_ttfs_eval ev;
    int rc = ax_ttfs_eval_load(&ev, path);
    if (rc) {
        axon_err("ttfs eval: %s", ax_error_detail());
        return 1;
    }
    struct ax_ttfs_eval_out out;
    rc = ax_ttfs_eval_out_create(&out, &ev);
    if (rc) {
        axon_err("ttfs eval: %s: %s", path, ax_error_detail());
        ax_ttfs_eval_free(&ev);
        return 1;
    }
    printf("# axon ttfs eval: times in tau_s (inf: no spike); J = sum_k grad_k T_k of the "
           "output layer\n");
    printf("# tau_ratio %d threshold %.17g layers %d samples %d\n", ev.tau_ratio, ev.threshold,
           ev.n_layers, ev.n_samples);
    for (int s = 0; s < ev.n_samples; s++) {
        ax_ttfs_eval_sample(&out, &ev, s);
        print_sample(&out, &ev, s);
    }
    ax_ttfs_eval_out_free(&out);
    ax_ttfs_eval_free(&ev);
    return 0;
}

static int is_help(const char *arg)
{
    return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int axon_cmd_ttfs(int argc, char **argv)
{
    if ((argc >= 2 && is_help(argv[1])) ||
        (argc >= 3 && !strcmp(argv[1], "eval") && is_help(argv[2]))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "eval")) {
        axon_err("ttfs: usage: axon ttfs eval FILE");
        return 2;
    }
    return eval_file(argv[2]);
}
