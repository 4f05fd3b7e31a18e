/* axon demo: a small experiment on a board (the simulated one by default).
 *
 * Eight neurons of hemisphere 0 receive the same input spike train through
 * one synapse row, each with a different weight; their spikes are routed on
 * chip, each through its own synapse driver, to one neuron of hemisphere 1.
 * The program records all spikes and the MADC trace of neuron 0, and prints
 * who spiked when and the membrane as a text plot. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/program.h"
#include "commands.h"

#define DEMO_NEURONS   8u
#define DEMO_INPUTS    30u
#define DEMO_START     100u  /* cycles */
#define DEMO_SPACING   20u   /* cycles between input spikes */
#define DEMO_DURATION  1200u /* cycles */
#define DEMO_GAIN      1022u /* excitatory input gain code */
#define DEMO_MADC_STEP 4u    /* cycles between membrane samples */
#define DEMO_OUT_THRES 360u  /* output neuron's threshold code: a few hidden spikes reach it */
#define LABEL_HEMI0    (1u << 13)
#define LABEL_HEMI1    (1u << 14)
#define LABEL_FREE     (1u << 15)

static const char usage[] =
    "usage: axon demo [--device URI] [--json]\n\n"
    "Runs a small experiment on the board (default: the simulated board, sim:):\n"
    "8 neurons driven by one input spike train with different weights, their\n"
    "spikes routed on chip to a neuron of the other hemisphere; prints the spike\n"
    "times (microseconds of chip time) and neuron 0's membrane (MADC).\n";

static uint16_t input_label(void)
{
    return (uint16_t)(LABEL_HEMI0 | (0u << 6) | 1u); /* driver 0, address 1 */
}

/* Neuron k of hemisphere 0 sends to driver k+1 of hemisphere 1, address 0. */
static uint16_t hidden_label(unsigned k)
{
    return (uint16_t)(LABEL_HEMI1 | ((k + 1u) << 6));
}

static unsigned hidden_weight(unsigned k)
{
    return AX_WEIGHT_MAX - 6u * k;
}

/* Synapses, drivers, gains and neuron configuration of the experiment. */
static int configure(ax_device *d, unsigned nph)
{
    uint8_t *w = calloc(nph, 1), *l = calloc(nph, 1);
    uint16_t gains[DEMO_NEURONS];
    ax_neuron_cfg cfg[DEMO_NEURONS];
    ax_driver_cfg in_drv = {.delay = 0, .sign_even = AX_SIGN_EXC, .sign_odd = AX_SIGN_OFF};
    ax_driver_cfg out_drv[DEMO_NEURONS];
    int e = w && l ? AX_OK : AX_E_NOMEM;
    for (unsigned k = 0; k < DEMO_NEURONS; k++) {
        gains[k] = DEMO_GAIN;
        cfg[k] = (ax_neuron_cfg){.label = hidden_label(k), .record = true};
        out_drv[k] = in_drv;
        out_drv[k].sign_odd = AX_SIGN_EXC; /* both rows of the pair reach the output */
        if (w) {
            w[k] = (uint8_t)hidden_weight(k);
            l[k] = 1;
        }
    }
    ax_neuron_cfg out_cfg = {.label = LABEL_FREE, .record = true};
    if (!e)
        e = ax_chip_reset(d);
    if (!e) /* the chip initialises its CapMem after a reset */
        e = ax_chip_wait_capmem(d);
    if (!e)
        e = ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, gains, DEMO_NEURONS);
    if (!e)
        e = ax_chip_set_param(d, AX_PARAM_GAIN_E, nph, gains, 1);
    uint16_t out_threshold = DEMO_OUT_THRES;
    if (!e)
        e = ax_chip_set_param(d, AX_PARAM_THRESHOLD, nph, &out_threshold, 1);
    if (!e)
        e = ax_chip_set_drivers(d, 0, 0, &in_drv, 1);
    if (!e)
        e = ax_chip_set_drivers(d, 1, 1, out_drv, DEMO_NEURONS);
    if (!e)
        e = ax_chip_set_row(d, 0, 0, w, l);
    for (unsigned k = 0; k < DEMO_NEURONS && !e; k++) {
        memset(w, 0, nph);
        memset(l, 0, nph);
        w[0] = AX_WEIGHT_MAX;
        e = ax_chip_set_row(d, 1, 2 * (k + 1), w, l);
        if (!e)
            e = ax_chip_set_row(d, 1, 2 * (k + 1) + 1, w, l);
    }
    if (!e)
        e = ax_chip_set_neurons(d, 0, cfg, DEMO_NEURONS);
    if (!e)
        e = ax_chip_set_neurons(d, nph, &out_cfg, 1);
    if (!e)
        e = ax_chip_madc(d, true, 0, DEMO_MADC_STEP);
    if (!e)
        e = ax_chip_wait_capmem(d);
    free(w);
    free(l);
    return e;
}

static int build_program(ax_program *p)
{
    int e = ax_program_timer_reset(p);
    if (!e)
        e = ax_program_neuron_reset(p, true, 0, 0);
    if (!e)
        e = ax_program_record(p, AX_RECORD_SPIKES | AX_RECORD_MADC);
    for (unsigned i = 0; i < DEMO_INPUTS && !e; i++) {
        e = ax_program_wait_until(p, DEMO_START + DEMO_SPACING * i);
        if (!e)
            e = ax_program_inject(p, input_label());
    }
    if (!e)
        e = ax_program_wait_until(p, DEMO_DURATION);
    if (!e)
        e = ax_program_record(p, 0);
    return e;
}

static double spike_us(const ax_spike *s)
{
    return ((double)s->time + s->frac / 16.0) / AX_CYCLES_PER_US;
}

/* Text plot of the MADC trace: rows of membrane code, columns of time. */
static void plot_membrane(const ax_result *r)
{
    enum { W = 72, H = 12 };
    char grid[H][W + 1];
    unsigned lo = 1023, hi = 0;
    for (size_t i = 0; i < r->nsamples; i++) {
        lo = r->samples[i].value < lo ? r->samples[i].value : lo;
        hi = r->samples[i].value > hi ? r->samples[i].value : hi;
    }
    if (r->nsamples == 0 || hi == lo)
        return;
    memset(grid, ' ', sizeof grid);
    for (size_t i = 0; i < r->nsamples; i++) {
        size_t x = (size_t)(r->samples[i].time * W / DEMO_DURATION);
        size_t y = (size_t)((hi - r->samples[i].value) * (H - 1) / (hi - lo));
        if (x < W)
            grid[y][x] = '*';
    }
    printf("\nneuron 0 membrane (MADC codes %u..%u, 0..%.1f us):\n", lo, hi,
           (double)DEMO_DURATION / AX_CYCLES_PER_US);
    for (int y = 0; y < H; y++) {
        grid[y][W] = '\0';
        printf("  |%s\n", grid[y]);
    }
}

static void report(const ax_ident *id, const ax_result *r, unsigned nph, int json)
{
    unsigned count[DEMO_NEURONS + 1] = {0};
    double first[DEMO_NEURONS + 1];
    for (unsigned k = 0; k <= DEMO_NEURONS; k++)
        first[k] = -1;
    for (size_t i = 0; i < r->nspikes; i++) {
        unsigned k = DEMO_NEURONS; /* the output neuron unless a hidden label */
        for (unsigned j = 0; j < DEMO_NEURONS; j++)
            if (r->spikes[i].label == hidden_label(j))
                k = j;
        if (first[k] < 0)
            first[k] = spike_us(&r->spikes[i]);
        count[k]++;
    }
    if (json) {
        printf("{\"die_seed\":%" PRIu64 ",\"spikes\":%zu,\"samples\":%zu,\"neurons\":[",
               id->die_seed, r->nspikes, r->nsamples);
        for (unsigned k = 0; k <= DEMO_NEURONS; k++)
            printf("%s{\"neuron\":%u,\"weight\":%u,\"spikes\":%u,\"first_us\":%.4f}", k ? "," : "",
                   k < DEMO_NEURONS ? k : nph, k < DEMO_NEURONS ? hidden_weight(k) : 0, count[k],
                   first[k]);
        printf("],\"overflow\":%s,\"late\":%zu}\n", r->overflow ? "true" : "false", r->nlate);
        return;
    }
    printf("board: die seed %" PRIu64 ", %u neurons per hemisphere, protocol %u.%u\n", id->die_seed,
           nph, id->protocol_version >> 16, id->protocol_version & 0xFFFFu);
    printf("input: %u spikes, one every %.2f us from %.2f us\n\n", DEMO_INPUTS,
           (double)DEMO_SPACING / AX_CYCLES_PER_US, (double)DEMO_START / AX_CYCLES_PER_US);
    printf("neuron  hemi  weight  spikes  first spike (us)\n");
    for (unsigned k = 0; k <= DEMO_NEURONS; k++) {
        char w[8] = "on-chip";
        if (k < DEMO_NEURONS)
            snprintf(w, sizeof w, "%u", hidden_weight(k));
        printf("%6u  %4u  %6s  %6u  ", k < DEMO_NEURONS ? k : nph, k < DEMO_NEURONS ? 0 : 1, w,
               count[k]);
        if (first[k] < 0)
            printf("-\n");
        else
            printf("%.4f\n", first[k]);
    }
    plot_membrane(r);
    if (r->overflow || r->nlate)
        printf("\nwarning: %s%s\n", r->overflow ? "records lost (overflow) " : "",
               r->nlate ? "late wait-until" : "");
}

int axon_cmd_demo(int argc, char **argv)
{
    const char *uri = getenv("AXON_DEVICE");
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
            uri = argv[++i];
        } else {
            axon_err("demo: unexpected argument '%s' (see axon demo --help)", argv[i]);
            return 2;
        }
    }
    ax_device *d = NULL;
    ax_program *p = NULL;
    ax_result r;
    ax_result_init(&r);
    unsigned nph = 0, rows = 0;
    uint32_t version = 0;
    int e = ax_open(uri, &d);
    if (!e)
        e = ax_chip_info(d, &version, &nph, &rows);
    if (!e && (nph < DEMO_NEURONS + 1 || rows < 2 * (DEMO_NEURONS + 1)))
        e = AX_E_UNSUPPORTED;
    if (!e)
        e = configure(d, nph);
    if (!e)
        e = ax_program_new(&p);
    if (!e)
        e = build_program(p);
    if (!e)
        e = ax_run(d, p, &r);
    if (!e)
        report(ax_device_ident(d), &r, nph, json);
    else
        axon_err("demo: %s%s%s", ax_strerror(e), *ax_error_detail() ? ": " : "", ax_error_detail());
    ax_result_free(&r);
    ax_program_free(p);
    ax_close(d);
    return e ? 1 : 0;
}
