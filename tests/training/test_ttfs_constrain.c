/* The chip's constraints in the trainer (axon/ttfs_constrain.h): the
 * quantisers' exact values, that the forward and backward passes use the
 * quantised parameters while the gradients reach the float ones
 * (straight-through), that evaluation has no hidden state with the die's
 * noise on, and that bad [constraints] keys are reported. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_train.h"

#include "ttfs_testutil.h"

static char tmpdir[64] = "/tmp/axon-test-constrain-XXXXXX";
static struct ax_ttfs_dataset train_set, val_set;

static void test_weight_quantiser(void)
{
    struct ax_ttfs_constraints c;
    ax_ttfs_constraints_default(&c);
    CHECK(ax_ttfs_quantise_weight(&c, 0.123) == 0.123, "no step: the float weight");
    c.weight_step = 0.03;
    static const struct {
        double w;
        int k, code, rows[2];
    } cases[] = {
        {0.0, 1, 0, {0}},         {0.014, 1, 0, {0}},      {0.016, 1, 1, {1}},
        {1.0, 1, 33, {33}},       {-1.0, 1, -33, {33}},    {1.89, 1, 63, {63}},
        {2.5, 1, 63, {63}},       {-5.0, 1, -63, {63}},    {INFINITY, 1, 63, {63}},
        {0.21, 2, 7, {4, 3}},     {2.5, 2, 83, {42, 41}},  {-2.5, 2, -83, {42, 41}},
        {3.78, 2, 126, {63, 63}}, {9.0, 2, 126, {63, 63}}, {-0.016, 2, -1, {1, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.rows_per_sign = cases[i].k;
        int rows[2] = {-1, -1};
        int code = ax_ttfs_weight_code(&c, cases[i].w, rows);
        double q = ax_ttfs_quantise_weight(&c, cases[i].w);
        CHECK(code == cases[i].code, "w %g k %d: code %d, want %d", cases[i].w, cases[i].k, code,
              cases[i].code);
        CHECK(q == cases[i].code * 0.03, "w %g k %d: %.17g, want %.17g", cases[i].w, cases[i].k, q,
              cases[i].code * 0.03);
        for (int r = 0; r < cases[i].k; r++)
            CHECK(rows[r] == cases[i].rows[r], "w %g k %d row %d: %d, want %d", cases[i].w,
                  cases[i].k, r, rows[r], cases[i].rows[r]);
        CHECK(cases[i].k == 2 || rows[1] == -1, "k 1 writes one row only");
    }
    c.rows_per_sign = 2;
    CHECK(fabs(ax_ttfs_weight_max(&c) - 3.78) < 1e-12, "k 2: 126 steps of 0.03");
    c.weight_max_code = 31; /* a smaller code range clips earlier */
    CHECK(ax_ttfs_weight_code(&c, 2.5, NULL) == 62, "max code 31, k 2: 62");
}

static void test_time_quantisers(void)
{
    struct ax_ttfs_constraints c;
    ax_ttfs_constraints_default(&c);
    CHECK(ax_ttfs_quantise_delay(&c, 0.2031) == 0.2031, "no grid: the float delay");
    CHECK(ax_ttfs_quantise_record(&c, 0.2031) == 0.2031, "no grid: the float time");
    c.delay_cycles_per_tau = 125;
    CHECK(ax_ttfs_quantise_delay(&c, 0.2) == 25 / 125.0, "0.2 tau_s = 25 cycles");
    CHECK(ax_ttfs_quantise_delay(&c, 0.2031) == 25 / 125.0, "25.39 cycles -> 25");
    CHECK(ax_ttfs_quantise_delay(&c, 0.2069) == 26 / 125.0, "25.86 cycles -> 26");
    CHECK(ax_ttfs_quantise_delay(&c, -0.1) == 0.0, "negative -> 0");
    CHECK(ax_ttfs_quantise_delay(&c, 9.0) == 1022 / 125.0, "1125 cycles clip at 1022");
    c.delay_max_cycles = 100;
    CHECK(ax_ttfs_quantise_delay(&c, 1.0) == 100 / 125.0, "clip at delay_max_cycles");
    c.delay_cycles_per_tau = 50;
    CHECK(ax_ttfs_quantise_delay(&c, 1.234) == 62 / 50.0, "61.7 cycles -> 62 at 50 a tau");
    CHECK(ax_ttfs_quantise_arrival(&c, 1.234) == 62 / 50.0, "arrival on whole cycles");
    CHECK(ax_ttfs_quantise_record(&c, 1.2345) == 988 / 800.0, "987.6 sixteenths -> 988");
    c.delay_cycles_per_tau = 125;
    CHECK(ax_ttfs_quantise_record(&c, 0.50026) == 1001 / 2000.0, "1000.52 sixteenths -> 1001");
    CHECK(ax_ttfs_quantise_record(&c, 0.50003) == 0.5, "1000.06 sixteenths -> 1000");
    CHECK(isinf(ax_ttfs_quantise_record(&c, INFINITY)), "no spike stays");
    CHECK(isinf(ax_ttfs_quantise_arrival(&c, INFINITY)), "no spike stays");
}

static int write_config(const char *name, const char *base, const char *extra,
                        struct ax_ttfs_config *cfg)
{
    char src[512], path[512];
    snprintf(src, sizeof src, "%s/training/configs/%s.cfg", AX_SOURCE_DIR, base);
    snprintf(path, sizeof path, "%s/%s.cfg", tmpdir, name);
    FILE *in = fopen(src, "r"), *out = fopen(path, "w");
    if (!in || !out) {
        CHECK(0, "cannot copy %s", src);
        return -1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fprintf(out, "\n[constraints]\n%s", extra);
    fclose(in);
    fclose(out);
    int rc = ax_ttfs_config_load(cfg, path);
    CHECK(rc == 0, "%s", ax_error_detail());
    return rc;
}

/* The forward and backward passes of a net with quantised weights equal
 * those of a plain net whose weights are the quantised values, bit for bit;
 * the gradients land on the float weights, which keep their values. */
static void test_straight_through(void)
{
    struct ax_ttfs_config cq, cf;
    if (write_config("ste", "yinyang-fastdeep", "weight_step = 0.03\n", &cq))
        return;
    cf = cq;
    ax_ttfs_constraints_default(&cf.constraints);
    struct ax_ttfs_net q, f;
    struct ax_rng rng;
    int B = 40, C = 3;
    if (ax_ttfs_net_create(&q, &cq, B) || ax_ttfs_net_create(&f, &cf, B)) {
        CHECK(0, "create: %s", ax_error_detail());
        return;
    }
    ax_rng_seed(&rng, 7);
    ax_ttfs_net_init(&q, &cq, &rng);
    size_t nw = q.d_off[0] - q.w_off[0], off_grid = 0;
    for (size_t i = 0; i < q.n_params; i++) {
        f.params[i] = ax_ttfs_quantise_weight(&cq.constraints, q.params[i]);
        off_grid += f.params[i] != q.params[i];
    }
    CHECK(off_grid > nw / 2, "the float weights are off the grid (%zu of %zu)", off_grid, nw);
    const double *params0 = NULL;
    double *saved = malloc(q.n_params * sizeof(double));
    memcpy(saved, q.params, q.n_params * sizeof(double));
    params0 = saved;
    CHECK(ax_ttfs_net_forward(&q, train_set.t, B) == 0 &&
              ax_ttfs_net_forward(&f, train_set.t, B) == 0,
          "forward");
    CHECK(!memcmp(ax_ttfs_net_output(&q), ax_ttfs_net_output(&f), (size_t)B * C * sizeof(double)),
          "quantised forward = forward of the quantised weights");
    for (int n = 0; n < 2; n++) {
        struct ax_ttfs_net *net = n ? &f : &q;
        for (int b = 0; b < B * C; b++)
            net->dt_out[net->n_layers - 1][b] = 1.0 + 0.1 * (b % 7);
        ax_ttfs_net_zero_grad(net);
        CHECK(ax_ttfs_net_backward(net, B) == 0, "backward");
    }
    size_t nonzero = 0;
    for (size_t i = 0; i < q.n_params; i++)
        nonzero += q.grads[i] != 0.0;
    CHECK(!memcmp(q.grads, f.grads, q.n_params * sizeof(double)),
          "the float weights get the gradient at the quantised ones");
    CHECK(nonzero > q.n_params / 4, "gradients reach the float weights (%zu of %zu)", nonzero,
          q.n_params);
    CHECK(!memcmp(q.params, params0, q.n_params * sizeof(double)), "float weights kept");
    free(saved);
    ax_ttfs_net_free(&q);
    ax_ttfs_net_free(&f);
}

/* Axonal delays: the passes see delays on the cycle grid, the gradient
 * reaches the float delay parameters; recorded times lie on 1/16 cycle. */
static void test_delays_on_grid(void)
{
    struct ax_ttfs_config cfg;
    if (write_config("delays", "yinyang-delays", "delay_cycles_per_tau = 50\n", &cfg))
        return;
    struct ax_ttfs_net net;
    struct ax_rng rng;
    int B = 30, C = 3;
    if (ax_ttfs_net_create(&net, &cfg, B)) {
        CHECK(0, "create: %s", ax_error_detail());
        return;
    }
    ax_rng_seed(&rng, 3);
    ax_ttfs_net_init(&net, &cfg, &rng);
    CHECK(ax_ttfs_net_forward(&net, train_set.t, B) == 0, "forward");
    size_t at = 0, off = 0, spikes = 0, off_time = 0;
    for (int l = 0; l < net.n_layers; l++)
        for (size_t i = 0; i < net.d_count[l]; i++, at++) {
            double cyc = net.dq[at] * 50;
            off += fabs(cyc - round(cyc)) > 1e-9;
            CHECK(fabs(net.dq[at] - net.delays[l][i]) <= 0.5 / 50 + 1e-12, "rounded delay");
        }
    CHECK(at > 0 && off == 0, "%zu of %zu delays off the cycle grid", off, at);
    for (int l = 0; l < net.n_layers; l++)
        for (int i = 0; i < B * net.spec[l].n_out; i++) {
            double t = net.t_out[l][i] * 50 * 16;
            spikes += isfinite(t);
            off_time += isfinite(t) && fabs(t - round(t)) > 1e-6;
        }
    CHECK(spikes > 0 && off_time == 0, "%zu of %zu times off the 1/16-cycle grid", off_time,
          spikes);
    for (int b = 0; b < B * C; b++)
        net.dt_out[net.n_layers - 1][b] = 1.0;
    ax_ttfs_net_zero_grad(&net);
    CHECK(ax_ttfs_net_backward(&net, B) == 0, "backward");
    size_t nz = 0;
    for (int l = 0; l < net.n_layers; l++)
        for (size_t i = 0; i < net.d_count[l]; i++)
            nz += net.grads[net.d_off[l] + i] != 0.0;
    CHECK(nz > at / 2, "delay gradients reach the float delays (%zu of %zu)", nz, at);
    ax_ttfs_net_free(&net);
}

/* With the die's mismatch and the jitter on, training still learns, and two
 * evaluations of the trained net agree exactly (the jitter restarts for each
 * one); another die seed gives other times. */
static void test_no_hidden_state(void)
{
    static const char *noise = "weight_step = 0.03\ndelay_cycles_per_tau = 125\n"
                               "threshold_mismatch = 0.02\nweight_mismatch = 0.03\n"
                               "time_jitter = 0.015\ndie_seed = 5\n";
    struct ax_ttfs_config cfg;
    if (write_config("noise", "yinyang-delgrad-h30ws", noise, &cfg))
        return;
    struct ax_ttfs_trainer tr;
    if (ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set)) {
        CHECK(0, "create: %s", ax_error_detail());
        return;
    }
    CHECK(!strcmp(tr.net.backend.name, "software-constrained"), "backend %s", tr.net.backend.name);
    struct ax_ttfs_epoch_stats st;
    for (int e = 0; e < 4; e++)
        CHECK(ax_ttfs_trainer_epoch(&tr, &st, NULL, NULL) == 0, "epoch: %s", ax_error_detail());
    CHECK(st.val_accuracy > 0.7, "learns with the chip's constraints: %.3f after 4 epochs",
          st.val_accuracy);
    double a1 = -1, a2 = -2;
    int *c1 = malloc((size_t)val_set.n * sizeof(int)),
        *c2 = malloc((size_t)val_set.n * sizeof(int));
    CHECK(ax_ttfs_evaluate(&tr.net, &val_set, 150, &a1) == 0, "evaluate");
    CHECK(ax_ttfs_predict(&tr.net, val_set.t, val_set.n, 150, c1) == 0, "predict");
    CHECK(ax_ttfs_evaluate(&tr.net, &val_set, 150, &a2) == 0, "evaluate");
    CHECK(ax_ttfs_predict(&tr.net, val_set.t, val_set.n, 150, c2) == 0, "predict");
    CHECK(a1 == a2 && a1 == st.val_accuracy, "evaluations agree: %.4f %.4f (epoch %.4f)", a1, a2,
          st.val_accuracy);
    CHECK(!memcmp(c1, c2, (size_t)val_set.n * sizeof(int)), "predictions agree");
    /* the same parameters on another die */
    struct ax_ttfs_config other = cfg;
    other.constraints.die_seed = 6;
    struct ax_ttfs_net net2;
    if (ax_ttfs_net_create(&net2, &other, 150) == 0) {
        memcpy(net2.params, tr.net.params, tr.net.n_params * sizeof(double));
        ax_ttfs_net_map_delays(&net2);
        CHECK(ax_ttfs_predict(&net2, val_set.t, val_set.n, 150, c2) == 0, "predict die 6");
        int differ = 0;
        for (int i = 0; i < val_set.n; i++)
            differ += c1[i] != c2[i];
        printf("constrained DelGrad, 4 epochs: validation %.4f on die 5; %d of %d classes "
               "differ on die 6\n",
               a1, differ, val_set.n);
        CHECK(differ > 0 && differ < val_set.n / 5, "another die: %d of %d classes differ", differ,
              val_set.n);
        ax_ttfs_net_free(&net2);
    }
    free(c1);
    free(c2);
    ax_ttfs_trainer_free(&tr);
}

static void expect_error(const char *extra, const char *message)
{
    struct ax_ttfs_config cfg;
    char path[512];
    snprintf(path, sizeof path, "%s/bad.cfg", tmpdir);
    FILE *f = fopen(path, "w");
    fprintf(f, "[data]\nset = \"yinyang\"\n[network]\nsizes = [4, 10, 3]\n[constraints]\n%s",
            extra);
    fclose(f);
    ax_error_clear();
    int rc = ax_ttfs_config_load(&cfg, path);
    CHECK(rc < 0, "should fail: %s", extra);
    CHECK(strstr(ax_error_detail(), path) && strstr(ax_error_detail(), message),
          "got '%s', want '%s'", ax_error_detail(), message);
}

static void test_config_errors(void)
{
    expect_error("weight_step = 0.03\nweight_bits = 6\n", ":7: unknown key 'weight_bits' in");
    expect_error("weight_max_code = 64\n", ":6: constraints.weight_max_code: 64 is out of range");
    expect_error("rows_per_sign = 0\n", ":6: constraints.rows_per_sign: 0 is out of range");
    expect_error("delay_max_cycles = 1023\n", ":6: constraints.delay_max_cycles: 1023 is out");
    expect_error("weight_step = -0.03\n", ":6: constraints.weight_step: -0.03 is out of range");
    expect_error("time_jitter = \"small\"\n", ":6: constraints.time_jitter: expected a number");
    expect_error("threshold_mismatch = 0.6\n", ":6: constraints.threshold_mismatch: 0.6 is out");
    struct ax_ttfs_config cfg;
    char path[512];
    snprintf(path, sizeof path, "%s/training/configs/yinyang-fastdeep.cfg", AX_SOURCE_DIR);
    CHECK(ax_ttfs_config_load(&cfg, path) == 0, "%s", ax_error_detail());
    CHECK(!ax_ttfs_constraints_active(&cfg.constraints) && cfg.constraints.weight_max_code == 63 &&
              cfg.constraints.rows_per_sign == 1 && cfg.constraints.delay_max_cycles == 1022,
          "no section: no constraints, the chip's defaults");
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    if (ax_ttfs_dataset_yinyang(&train_set, AX_YINYANG_TRAIN, 0.15, 2.0) ||
        ax_ttfs_dataset_yinyang(&val_set, AX_YINYANG_VALIDATION, 0.15, 2.0))
        return 1;
    test_weight_quantiser();
    test_time_quantisers();
    test_config_errors();
    test_straight_through();
    test_delays_on_grid();
    test_no_hidden_state();
    ax_ttfs_dataset_free(&train_set);
    ax_ttfs_dataset_free(&val_set);
    static const char *const files[] = {"ste", "delays", "noise", "bad"};
    for (int i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.cfg", tmpdir, files[i]);
        remove(path);
    }
    remove(tmpdir);
    return check_summary();
}
