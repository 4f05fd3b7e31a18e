/* libaxon_net: placement (columns, drivers, duplicates, signs), refusals
 * (too big, out of drivers, codes out of range) before anything is written,
 * the writes of only what changed, and batches of trials on the simulated
 * small chip without noise: a spike-once neuron driven by a duplicated
 * source spikes once in every trial, its time moves by exactly the input's
 * shift, a weak synapse leaves its neuron silent, and the MADC samples the
 * driven neuron's membrane in every trial. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/net.h"
#include "axon/status.h"

static int fails;
#define CHECK(c, ...)                                                                              \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

static void test_placement(void)
{
    ax_net *n;
    CHECK(ax_net_new(&n, 32, 32) == 0, "new");
    int src = ax_net_source(n, "in", 3);
    int hid = ax_net_population(n, "hid", 10, 0, AX_NET_ONCE | AX_NET_RECORD);
    int out = ax_net_population(n, "out", 2, 1, AX_NET_RECORD);
    CHECK(ax_net_population(n, "big", 33, 0, 0) == AX_E_RANGE, "33 neurons in 32 columns");
    CHECK(ax_net_set_duplicates(n, hid, 2) == AX_E_INVAL, "neurons have no duplicates");
    CHECK(ax_net_set_duplicates(n, src, 2) == 0, "duplicates");
    int p0 = ax_net_project(n, src, hid), p1 = ax_net_project(n, hid, out);
    CHECK(p0 >= 0 && p1 >= 0, "projections");
    CHECK(ax_net_project(n, src, hid) == AX_E_INVAL, "second projection src -> hid");
    CHECK(ax_net_map(n) == 0, "map: %s", ax_error_detail());
    unsigned drv[4], hemis;
    CHECK(ax_net_drivers(n, src, 2, drv, 4, &hemis) == 2 && drv[0] == 4 && drv[1] == 5 &&
              hemis == 1,
          "source unit 2: drivers 4, 5 of hemisphere 0");
    CHECK(ax_net_drivers(n, hid, 9, drv, 4, &hemis) == 1 && drv[0] == 9 && hemis == 2,
          "hidden 9: driver 9 of hemisphere 1");
    CHECK(ax_net_neuron(n, out, 1) == 33, "output 1 is neuron 33");
    int codes[30];
    for (int i = 0; i < 30; i++)
        codes[i] = i % 2 ? -126 : 126;
    CHECK(ax_net_set_codes(n, p0, codes) == 0, "126 with 2 duplicates");
    codes[7] = 127;
    CHECK(ax_net_set_codes(n, p0, codes) == AX_E_RANGE, "127 with 2 duplicates");
    int c1[20] = {64};
    CHECK(ax_net_set_codes(n, p1, c1) == AX_E_RANGE, "64 from a neuron");
    struct ax_net_usage u;
    ax_net_usage(n, &u);
    CHECK(u.neurons[0] == 10 && u.neurons[1] == 2 && u.drivers[0] == 6 && u.drivers[1] == 10 &&
              u.rows[0] == 12 && u.rows[1] == 20 && u.synapses == 30 * 2,
          "usage %u %u %u %u %u %u %u", u.neurons[0], u.neurons[1], u.drivers[0], u.drivers[1],
          u.rows[0], u.rows[1], u.synapses);
    ax_net_free(n);

    CHECK(ax_net_new(&n, 32, 32) == 0, "new");
    src = ax_net_source(n, "in", 9);
    hid = ax_net_population(n, "hid", 1, 0, 0);
    ax_net_set_duplicates(n, src, 2);
    ax_net_project(n, src, hid);
    CHECK(ax_net_map(n) == AX_E_RANGE && strstr(ax_error_detail(), "'in'[8] finds no 2 free"),
          "18 drivers of 16: %s", ax_error_detail());
    ax_net_free(n);
}

/* Joined populations and shared drivers: pixels take the drivers of both
 * hemispheres, the hidden units and the bias into the outputs share them
 * under address 1 (their columns differ), and what does not fit is refused
 * naming it. */
static void test_joined_placement(void)
{
    ax_net *n;
    CHECK(ax_net_new(&n, 32, 32) == 0, "new");
    CHECK(ax_net_population(n, "bot", 4, 1, AX_NET_JOINED) == AX_E_INVAL,
          "joined neurons are top neurons");
    int px = ax_net_source(n, "px", 32);
    int hid = ax_net_population(n, "hid", 10, 0, AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED);
    int out = ax_net_population(n, "out", 4, 0, AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED);
    int bias = ax_net_source(n, "bias", 1);
    int bot = ax_net_population(n, "bot", 3, 1, 0);
    ax_net_project(n, px, hid);
    ax_net_project(n, hid, out);
    ax_net_project(n, bias, out);
    CHECK(ax_net_map(n) == 0, "map: %s", ax_error_detail());
    unsigned drv[4], hemis;
    CHECK(ax_net_drivers(n, px, 3, drv, 4, &hemis) == 1 && drv[0] == 3 && hemis == 1 &&
              ax_net_address(n, px, 3) == 0,
          "px 3: driver 3 of hemisphere 0, address 0");
    CHECK(ax_net_drivers(n, px, 20, drv, 4, &hemis) == 1 && drv[0] == 4 && hemis == 2 &&
              ax_net_address(n, px, 20) == 0,
          "px 20: driver 4 of hemisphere 1 (%u, %u)", drv[0], hemis);
    CHECK(ax_net_drivers(n, bias, 0, drv, 4, &hemis) == 1 && drv[0] == 0 && hemis == 1 &&
              ax_net_address(n, bias, 0) == 1,
          "bias: driver 0 of hemisphere 0 (px 0's) under address 1");
    CHECK(ax_net_drivers(n, hid, 4, drv, 4, &hemis) == 1 && drv[0] == 5 && hemis == 1 &&
              ax_net_address(n, hid, 4) == 1,
          "hid 4: driver 5 (px 5's) under address 1 (%u, %u, %d)", drv[0], hemis,
          ax_net_address(n, hid, 4));
    CHECK(ax_net_neuron(n, out, 0) == 10 && ax_net_neuron(n, bot, 0) == 32 + 14,
          "out from column 10; hemisphere 1's population after the joined columns (%d)",
          ax_net_neuron(n, bot, 0));
    struct ax_net_usage u;
    ax_net_usage(n, &u);
    CHECK(u.joined == 14 && u.neurons[0] == 14 && u.neurons[1] == 17 && u.drivers[0] == 16 &&
              u.drivers[1] == 16 && u.shared[0] == 11 && u.shared[1] == 0,
          "usage: joined %u neurons %u %u drivers %u %u shared %u %u", u.joined, u.neurons[0],
          u.neurons[1], u.drivers[0], u.drivers[1], u.shared[0], u.shared[1]);
    uint16_t dl[10] = {0, 0, 0, 0, 7};
    CHECK(ax_net_set_delays(n, hid, dl) == AX_E_RANGE &&
              strstr(ax_error_detail(), "share driver 5 of hemisphere 0"),
          "a shared driver has one delay: %s", ax_error_detail());
    ax_net_free(n);

    /* 33 sources into one joined population: 32 row pairs */
    CHECK(ax_net_new(&n, 32, 32) == 0, "new");
    px = ax_net_source(n, "px", 33);
    hid = ax_net_population(n, "hid", 2, 0, AX_NET_JOINED);
    ax_net_project(n, px, hid);
    CHECK(ax_net_map(n) == AX_E_RANGE && strstr(ax_error_detail(), "'px'[32] finds no 1 free"),
          "33 sources: %s", ax_error_detail());
    ax_net_free(n);

    /* MNIST 256-246-10 with the bias into the outputs on the full chip */
    CHECK(ax_net_new(&n, 256, 256) == 0, "new");
    px = ax_net_source(n, "input", 256);
    hid = ax_net_population(n, "hidden", 246, 0, AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED);
    out = ax_net_population(n, "output", 10, 0, AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED);
    bias = ax_net_source(n, "bias", 1);
    ax_net_project(n, px, hid);
    ax_net_project(n, hid, out);
    ax_net_project(n, bias, out);
    CHECK(ax_net_map(n) == 0, "256-246-10: %s", ax_error_detail());
    ax_net_usage(n, &u);
    printf("256-246-10: joined %u, drivers %u + %u (shared %u + %u), rows %u + %u\n", u.joined,
           u.drivers[0], u.drivers[1], u.shared[0], u.shared[1], u.rows[0], u.rows[1]);
    CHECK(u.joined == 256 && u.drivers[0] == 128 && u.drivers[1] == 128 &&
              u.shared[0] + u.shared[1] == 247 && u.rows[0] == 256 && u.rows[1] == 256,
          "256-246-10 usage");
    CHECK(ax_net_drivers(n, hid, 245, drv, 4, &hemis) == 1 && hemis == 2 && drv[0] == 118,
          "hidden 245: driver 118 of hemisphere 1 (%u, %u)", drv[0], hemis);
    ax_net_free(n);
    /* a 247th hidden neuron: 257 sources into the hidden layer's columns */
    CHECK(ax_net_new(&n, 256, 256) == 0, "new");
    px = ax_net_source(n, "input", 256);
    bias = ax_net_source(n, "bias", 1);
    hid = ax_net_population(n, "hidden", 246, 0, AX_NET_JOINED);
    ax_net_project(n, px, hid);
    ax_net_project(n, bias, hid);
    CHECK(ax_net_map(n) == AX_E_RANGE && strstr(ax_error_detail(), "'bias'[0] finds no"),
          "the bias into the hidden layer: %s", ax_error_detail());
    ax_net_free(n);
}

static int set_params(ax_device *d, unsigned n)
{
    static const unsigned p[] = {AX_PARAM_LEAK, AX_PARAM_RESET, AX_PARAM_THRESHOLD,
                                 AX_PARAM_GAIN_E};
    static const uint16_t v[] = {300, 300, 330, 1022};
    uint16_t codes[64];
    int rc = 0;
    for (unsigned k = 0; k < 4 && rc == 0; k++) {
        for (unsigned i = 0; i < n; i++)
            codes[i] = v[k];
        rc = ax_chip_set_param(d, p[k], 0, codes, n);
    }
    return rc ? rc : ax_chip_wait_capmem(d);
}

/* The small simulated chip without noise, its 64 neurons set up by
 * set_params; NULL (a failed check) when it does not open. */
static ax_device *open_small(void)
{
    ax_device *d;
    if (ax_open("sim:?size=small&fpn=0&noise=0", &d) < 0) {
        CHECK(0, "open: %s", ax_error_detail());
        return NULL;
    }
    CHECK(set_params(d, 64) == 0, "params: %s", ax_error_detail());
    return d;
}

static void test_run(void)
{
    ax_device *d = open_small();
    if (!d)
        return;
    ax_net *n;
    ax_net_new(&n, 32, 32);
    int src = ax_net_source(n, "in", 1);
    int pop = ax_net_population(n, "pop", 2, 1, AX_NET_ONCE | AX_NET_RECORD);
    ax_net_set_duplicates(n, src, 2);
    int pj = ax_net_project(n, src, pop);
    CHECK(ax_net_map(n) == 0, "map: %s", ax_error_detail());
    int codes[2] = {126, 20}; /* neuron 0: two events of 63; neuron 1: 10 + 10, too weak */
    ax_net_set_codes(n, pj, codes);

    ax_program *p;
    ax_program_new(&p);
    ax_net_prog_write(n, d, p);
    size_t full = ax_program_words(p);
    ax_program_clear(p);
    ax_net_prog_write(n, d, p);
    CHECK(ax_program_words(p) == full, "nothing committed yet: the full write again");

    double times[3] = {10, 20, 10};
    struct ax_net_batch b;
    ax_net_batch_init(&b);
    b.trials = 3;
    b.trial_cycles = 400;
    b.times[src] = times;
    struct ax_net_result r;
    ax_net_result_init(&r);
    CHECK(ax_net_run(n, d, &b, &r) == 0, "run: %s", ax_error_detail());
    const double *f = r.first[pop];
    CHECK(f && isfinite(f[0]) && f[0] > 10 && f[0] < 200, "trial 0 spike at %g", f ? f[0] : -1);
    CHECK(f && f[4] == f[0], "trial 2 = trial 0 (no noise): %g %g", f ? f[4] : -1, f ? f[0] : -1);
    CHECK(f && f[2] == f[0] + 10, "input 10 cycles later, spike 10 later: %g %g", f ? f[2] : -1,
          f ? f[0] : -1);
    CHECK(f && isinf(f[1]) && isinf(f[3]) && isinf(f[5]), "the weak synapse: no spike");
    CHECK(r.lost[0] == 0 && r.lost[1] == 0 && r.lost[2] == 0 && r.moved == 0, "no loss");
    size_t spikes = 0;
    for (size_t s = 0; s < r.raw.nspikes; s++)
        spikes += r.raw.spikes[s].trial >= r.first_trial;
    CHECK(spikes == 3, "one spike a trial (spike-once, reset between trials): %zu", spikes);

    ax_program_clear(p);
    ax_net_prog_write(n, d, p);
    CHECK(ax_program_words(p) == 0, "committed: nothing to write (%zu words)", ax_program_words(p));
    codes[1] = 22;
    ax_net_set_codes(n, pj, codes);
    ax_program_clear(p);
    ax_net_prog_write(n, d, p);
    CHECK(ax_program_words(p) > 0 && ax_program_words(p) <= 6,
          "one code changed: %zu words (full write %zu)", ax_program_words(p), full);
    /* the membrane of the driven neuron through the MADC, every 4 cycles */
    b.madc_neuron = ax_net_neuron(n, pop, 0);
    b.madc_period = 4;
    CHECK(ax_net_run(n, d, &b, &r) == 0, "run with MADC: %s", ax_error_detail());
    size_t per[3] = {0, 0, 0};
    unsigned peak = 0;
    for (size_t k = 0; k < r.raw.nsamples; k++) {
        uint32_t t = r.raw.samples[k].trial - r.first_trial;
        if (t < 3)
            per[t]++;
        if (t == 0 && r.raw.samples[k].value > peak)
            peak = r.raw.samples[k].value;
    }
    CHECK(per[0] >= 90 && per[1] >= 90 && per[2] >= 90, "MADC samples a trial: %zu %zu %zu", per[0],
          per[1], per[2]);
    CHECK(peak >= 325, "the membrane reaches the threshold region: %u mV", peak);
    times[1] = 450;
    CHECK(ax_net_run(n, d, &b, &r) == AX_E_RANGE, "input past the trial refused");
    ax_net_result_free(&r);
    ax_program_free(p);
    ax_net_free(n);
    ax_close(d);
}

/* On the small simulated chip without noise: a joined neuron is driven by
 * the rows of both hemispheres (the bottom array's alone make it spike, and
 * half a weight from each array adds up like a whole one from one), and a
 * shared driver's event reaches only the synapses listening to its
 * address. */
static void test_joined_run(void)
{
    ax_device *d = open_small();
    if (!d)
        return;
    ax_net *n;
    ax_net_new(&n, 32, 32);
    int src = ax_net_source(n, "in", 9); /* units 0-7: hemisphere 0, unit 8: hemisphere 1 */
    int j = ax_net_population(n, "j", 4, 0, AX_NET_ONCE | AX_NET_RECORD | AX_NET_JOINED);
    int y = ax_net_source(n, "y", 1); /* shares unit 0's drivers, into "p" only */
    int pp = ax_net_population(n, "p", 2, 0, AX_NET_ONCE | AX_NET_RECORD);
    ax_net_set_duplicates(n, src, 2);
    ax_net_set_duplicates(n, y, 2);
    int pj = ax_net_project(n, src, j), py = ax_net_project(n, y, pp);
    CHECK(ax_net_map(n) == 0, "map: %s", ax_error_detail());
    unsigned drv[4], hemis;
    CHECK(ax_net_drivers(n, src, 8, drv, 4, &hemis) == 2 && drv[0] == 0 && hemis == 2,
          "unit 8: drivers 0, 1 of hemisphere 1");
    CHECK(ax_net_drivers(n, y, 0, drv, 4, &hemis) == 2 && drv[0] == 0 && hemis == 1 &&
              ax_net_address(n, y, 0) == 1,
          "y: unit 0's drivers, address 1");
    /* j0 <- unit 8 (bottom rows), j1 <- unit 1 (top rows), j2 <- half of
     * each, j3 <- half of unit 1 only; p0 <- y. Units 1 and 8 are on
     * different event buses (drivers 2, 3 and 0, 1): they arrive together. */
    int codes[4 * 9] = {0};
    codes[0 * 9 + 8] = 126;
    codes[1 * 9 + 1] = 126;
    codes[2 * 9 + 1] = 63;
    codes[2 * 9 + 8] = 63;
    codes[3 * 9 + 1] = 63;
    CHECK(ax_net_set_codes(n, pj, codes) == 0, "codes");
    int cy[2] = {126, 0};
    CHECK(ax_net_set_codes(n, py, cy) == 0, "codes of y");
    /* trial 0: units 1 and 8; trial 1: unit 8 only; trial 2: unit 0 (no
     * weights, y's drivers) at 10, y at 30 */
    double t_in[3 * 9], t_y[3] = {INFINITY, INFINITY, 30};
    for (int i = 0; i < 27; i++)
        t_in[i] = INFINITY;
    t_in[1] = t_in[8] = 10;
    t_in[9 + 8] = 10;
    t_in[18 + 0] = 10;
    struct ax_net_batch b;
    ax_net_batch_init(&b);
    b.trials = 3;
    b.trial_cycles = 300;
    b.times[src] = t_in;
    b.times[y] = t_y;
    struct ax_net_result r;
    ax_net_result_init(&r);
    CHECK(ax_net_run(n, d, &b, &r) == 0, "run: %s", ax_error_detail());
    const double *f = r.first[j], *g = r.first[pp];
    if (f && g) {
        printf("joined: trial 0: %g %g %g %g | p %g; trial 1: %g %g %g %g | p %g; trial 2: %g "
               "%g %g %g | p %g %g\n",
               f[0], f[1], f[2], f[3], g[0], f[4], f[5], f[6], f[7], g[2], f[8], f[9], f[10], f[11],
               g[4], g[5]);
        CHECK(isfinite(f[1]) && f[0] == f[1], "bottom rows drive j0 like top rows j1: %g %g", f[0],
              f[1]);
        CHECK(f[2] == f[1], "half from each array = the whole from one: %g %g", f[2], f[1]);
        CHECK(f[3] > f[2] + 10, "half from one array: later (%g)", f[3]);
        CHECK(f[4] == f[1] && isinf(f[5]) && f[6] == f[3],
              "trial 1: unit 8 alone: j0 as before, j1 silent, j2 like half from the top (%g)",
              f[6]);
        CHECK(g[4] == f[1] + 20 && isinf(g[5]),
              "y's event (address 1) at 30 drives p0, unit 0's (address 0) on the same drivers "
              "at 10 does not: %g",
              g[4]);
        CHECK(isinf(g[0]) && isinf(g[2]), "p0 silent without y");
        CHECK(isinf(f[8]) && isinf(f[9]) && isinf(f[10]) && isinf(f[11]),
              "y's event leaves the joined neurons on the same drivers alone");
    } else
        CHECK(0, "no first spikes recorded");
    double *a = r.arrived[src];
    CHECK(a && a[1] == 10 && a[8] == 10 && isinf(a[0]) && a[9 + 8] == 10, "arrivals of the inputs");
    CHECK(r.lost[0] == 0 && r.lost[1] == 0 && r.lost[2] == 0, "no loss");
    size_t bottom = 0;
    for (size_t s = 0; s < r.raw.nspikes; s++) {
        unsigned u;
        bottom += ax_net_label_unit(n, r.raw.spikes[s].label, &u) < 0;
    }
    CHECK(bottom == 0, "%zu spikes of other neurons (the silenced bottom ones)", bottom);
    /* 500 short trials of 18 events each: more program words than the idle
     * wait lets the link bring ahead; refused, not run with late inputs */
    static double many[500 * 9], many_y[500];
    for (int i = 0; i < 500 * 9; i++)
        many[i] = 5;
    for (int i = 0; i < 500; i++)
        many_y[i] = INFINITY;
    b.trials = 500;
    b.trial_cycles = 40;
    b.times[src] = many;
    b.times[y] = many_y;
    CHECK(ax_net_run(n, d, &b, &r) == AX_E_RANGE &&
              strstr(ax_error_detail(), "fewer trials a batch"),
          "a batch too dense for the link: %s", ax_error_detail());
    ax_net_result_free(&r);
    ax_net_free(n);
    ax_close(d);
}

int main(void)
{
    test_placement();
    test_joined_placement();
    test_run();
    test_joined_run();
    if (fails)
        printf("%d failure(s)\n", fails);
    else
        printf("test_net: ok\n");
    return fails != 0;
}
