/* Chip part, analog reality: different die seeds give different fixed
 * patterns of the documented spread (and the reference predicts each neuron
 * bit for bit), the same seeds give bit-identical runs, fixed-pattern noise
 * off makes all neurons equal, and the temporal noise moves a resting
 * membrane by the documented amount. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chip_testlib.h"

#define NN 64

static void rest_all(ct_chip *c, int32_t *v)
{
    ct_reset_all(c);
    lt_run(c->h, 5000);
    for (unsigned n = 0; n < NN; n++)
        v[n] = ct_vm(c, n);
}

static void test_die_seeds(void **state)
{
    (void)state;
    static int32_t a[NN], b[NN], a2[NN], z[NN];
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    ct_chip c;
    ct_open(&c, 1, 1, 1.0, 0.0);
    rest_all(&c, a);
    /* each neuron rests where the reference says, from its own leak potential */
    double mean = 0, sq = 0;
    for (unsigned n = 0; n < NN; n++) {
        axsim_ref_params p;
        ct_params(&c, n, codes, &p);
        assert_int_equal(a[n], (int32_t)ct_ref_rest(&p, 20000));
        double mv = a[n] / 16384.0 - 300.0;
        mean += mv;
        sq += mv * mv;
    }
    mean /= NN;
    double sd = sqrt(sq / NN - mean * mean);
    /* documented: leak offset uniform +-40 mV (sd 23 mV) plus +-3 % gain */
    print_message("die 1: rest - 300 mV: mean %.2f mV, sd %.2f mV\n", mean, sd);
    assert_true(sd > 12.0 && sd < 35.0);
    assert_true(fabs(mean) < 12.0);
    ct_close(&c);

    ct_open(&c, 2, 1, 1.0, 0.0);
    rest_all(&c, b);
    ct_close(&c);
    unsigned same = 0;
    for (unsigned n = 0; n < NN; n++)
        same += a[n] == b[n];
    assert_true(same < 4); /* another die, another pattern */

    ct_open(&c, 1, 77, 1.0, 0.0);
    rest_all(&c, a2);
    ct_close(&c);
    assert_memory_equal(a, a2, sizeof a); /* same die: same chip */

    ct_open(&c, 1, 1, 0.0, 0.0);
    rest_all(&c, z);
    axsim_ref_params nom;
    ct_params(&c, 0, codes, &nom); /* fpn 0: the nominal values */
    assert_int_equal(nom.leak, 300u << 14);
    ct_close(&c);
    for (unsigned n = 0; n < NN; n++)
        assert_int_equal(z[n], (int32_t)ct_ref_rest(&nom, 20000)); /* all neurons alike */
}

/* A resting membrane with temporal noise: a random walk of +-namp steps
 * (probability 1/4 each) filtered by the leak, sd = namp * sqrt(tau_m) / 2. */
static void test_temporal_noise(void **state)
{
    (void)state;
    ct_chip c;
    ct_open(&c, 3, 11, 1.0, 1.0);
    unsigned codes[AXSIM_REF_NPARAMS];
    ct_default_codes(codes);
    const unsigned n = 7;
    axsim_ref_params p;
    ct_params(&c, n, codes, &p);
    ct_reset_all(&c);
    lt_run(c.h, 3000);
    double s = 0, sq = 0;
    const unsigned k = 2000;
    for (unsigned i = 0; i < k; i++) {
        assert_int_equal(axsim_step(c.h->b, 25), AX_OK);
        double mv = ct_vm(&c, n) / 16384.0;
        s += mv;
        sq += mv * mv;
    }
    double mean = s / k, sd = sqrt(sq / k - mean * mean);
    double tau = 65536.0 / p.gm;
    double expect = axsim_ref_noise_amp(c.tmp) / 16384.0 * sqrt(tau) / 2.0;
    print_message("noise: sd %.3f mV (documented %.3f mV), mean - leak %.3f mV\n", sd, expect,
                  mean - p.leak / 16384.0);
    assert_true(sd > 0.7 * expect && sd < 1.3 * expect);
    assert_true(fabs(mean - p.leak / 16384.0) < 3 * expect);
    ct_close(&c);
}

/* The brief's time-constant range, 0.25 us to 10 us (31.25 to 1250 cycles),
 * is reachable by every neuron of the full chip, not just the nominal one:
 * for each of five dice, each membrane and synaptic time constant of all 512
 * neurons has g >= 2097 at code 1022 and g <= 52 at code 0 (tau = 65536/g). */
static void test_time_constant_range(void **state)
{
    (void)state;
    unsigned worst_short = 0, worst_long = 1u << 30;
    for (uint64_t die = 1; die <= 5; die++)
        for (unsigned p = AXSIM_REF_TAU_M; p <= AXSIM_REF_TAU_SI; p++)
            for (unsigned n = 0; n < 512; n++) {
                uint32_t g_fast = axsim_ref_param_eff(die, 128, (axsim_ref_param)p, n, 1022);
                uint32_t g_slow = axsim_ref_param_eff(die, 128, (axsim_ref_param)p, n, 0);
                assert_true(g_fast >= 2097);
                assert_true(g_slow <= 52);
                if (worst_long > g_fast)
                    worst_long = g_fast;
                if (worst_short < g_slow)
                    worst_short = g_slow;
            }
    print_message("slowest fastest tau %.1f cycles, fastest slowest tau %.0f cycles\n",
                  65536.0 / worst_long, 65536.0 / worst_short);
    /* Nominal values of the documented map g = 32 + 3 code. */
    assert_int_equal(axsim_ref_param_nominal(AXSIM_REF_TAU_M, 0), 32);
    assert_int_equal(axsim_ref_param_nominal(AXSIM_REF_TAU_M, 208), 656);
    assert_int_equal(axsim_ref_param_nominal(AXSIM_REF_TAU_SE, 1022), 3098);
}

/* Same seeds and the same program: the same spikes, bit for bit, noise on;
 * another run seed: other spike times. (The raw bytes differ only in READ
 * tickets, which the test library numbers globally.) */
typedef struct spk {
    uint64_t time;
    uint16_t label;
    uint8_t frac;
} spk;

static size_t run_program(uint64_t run_seed, spk *out, size_t cap)
{
    ct_chip c;
    ct_open(&c, 5, run_seed, 1.0, 1.0);
    unsigned hot[AXSIM_REF_NPARAMS];
    ct_default_codes(hot);
    hot[AXSIM_REF_LEAK] = 560;
    for (unsigned n = 0; n < 8; n++) {
        ct_write(&c, AX_CHIP_NRN_CFG_BASE + n, n | 1u << 16);
        ct_set_codes(&c, n, hot);
    }
    uint32_t ins[4];
    size_t pos = 0;
    assert_int_equal(ax_ins_record(ins, 4, &pos, 1), AX_OK);
    ct_program_later(&c, ins, pos);
    size_t from = c.h->nrecs, k = 0;
    lt_run(c.h, 20000);
    for (size_t i = from; i < c.h->nrecs && k < cap; i++)
        if (c.h->recs[i].type == AX_REC_SPIKE)
            out[k++] = (spk){c.h->recs[i].time, c.h->recs[i].label, c.h->recs[i].frac};
    assert_true(k > 20);
    ct_close(&c);
    return k;
}

static void test_reproducible(void **state)
{
    (void)state;
    static spk a[4096], b[4096], x[4096];
    size_t na = run_program(42, a, 4096), nb = run_program(42, b, 4096);
    size_t nx = run_program(43, x, 4096);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].time, b[i].time);
        assert_int_equal(a[i].label, b[i].label);
        assert_int_equal(a[i].frac, b[i].frac);
    }
    size_t same = 0;
    for (size_t i = 0; i < na && i < nx; i++)
        same += a[i].time == x[i].time && a[i].frac == x[i].frac;
    assert_true(same < na / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_die_seeds),
        cmocka_unit_test(test_temporal_noise),
        cmocka_unit_test(test_time_constant_range),
        cmocka_unit_test(test_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
