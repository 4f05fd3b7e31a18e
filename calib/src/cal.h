/* Internals of libaxon_calib: the measurement context and the program
 * helpers every step uses. One playback program per measurement step; all
 * neurons in parallel. */
#ifndef AXON_CALIB_CAL_H
#define AXON_CALIB_CAL_H

#include <math.h>
#include <stdint.h>

#include "axon/calib.h"
#include "axon/program.h"
#include "axon/status.h"

#define CAL_NMAX     512u
#define R_CNT_RESET  0x010005u
#define R_MADC_CTRL  0x010008u
#define R_MADC_PER   0x010009u
#define R_CADC_CMD   0x010010u
#define R_CADC_REF   0x010020u
#define R_SPIKE_CNT  0x012000u
#define R_CADC_RES   0x014000u
#define R_CAPMEM(p)  (0x020000u + 0x400u * (p))
#define CAL_ROWS     32u /* rows 0-15 excitatory, 16-31 inhibitory (the small chip's 32) */
#define CAL_SYN_ADDR 1u
/* cycles a chip register access of a program takes (a burst: per word) */
#define CAL_ACCESS_CYCLES 4u

/* A potential's code-to-mV line of one neuron: mV = a * code + b. */
struct cal_line {
    double a, b;
};

struct cal {
    ax_device *d;
    unsigned nph, n;
    ax_program *p;
    ax_result r;
    uint64_t t;                        /* scheduled experiment time of the program being built */
    uint64_t cycles;                   /* summed over runs */
    double cg[CAL_NMAX], co[CAL_NMAX]; /* CADC channel: code = cg * mV + co (floor centred) */
    double madc_g, madc_o;
    uint16_t code[AX_PARAM_COUNT][CAL_NMAX]; /* codes the chip holds */
    struct cal_line line[3][CAL_NMAX];       /* leak, reset, threshold: wide-range lines */
    double noise_mv;                         /* temporal noise step (mV a cycle) */
    const struct ax_calib_targets *tg;
    struct ax_calib_result *res;
    ax_calib_progress_fn progress;
    void *ctx;
    double done, total;
};

/* Program building (meas.c). */
void cal_begin(struct cal *c);
void cal_wait(struct cal *c, uint64_t dt);    /* advance the schedule by dt, WAIT_UNTIL it */
int cal_put_codes(struct cal *c, unsigned p); /* write c->code[p] of all neurons */
int cal_settle(struct cal *c);                /* wait the CapMem settle time */
int cal_cadc(struct cal *c, int tickets[2]);  /* both hemispheres, 3 cycles apart */
int cal_run(struct cal *c);
/* The mV of neuron n from ticket pair tk of the last run (NaN when saturated). */
double cal_cadc_mv(const struct cal *c, const int tk[2], unsigned n);
void cal_set_all(struct cal *c, unsigned p, unsigned code);
uint16_t cal_clamp_code(double code);
void cal_step(struct cal *c, double weight); /* progress */

/* Least-squares line y = a x + b over points with finite y; returns points used. */
int cal_fit_line(const double *x, const double *y, int n, double *a, double *b);
void cal_flag(struct cal *c, unsigned n, unsigned p);
/* The code of neuron n that gives mV on potential line k (0 leak, 1 reset, 2 threshold). */
double cal_line_code(const struct cal *c, unsigned k, unsigned n, double mv);
double cal_line_mv(const struct cal *c, unsigned k, unsigned n, double code);

/* Steps (adc.c, pot.c, tau.c, syn.c). */
int cal_adc(struct cal *c);
int cal_leak(struct cal *c);
int cal_reset(struct cal *c);
int cal_threshold(struct cal *c);
int cal_tau_m(struct cal *c);
int cal_refrac(struct cal *c);
int cal_syn(struct cal *c);
/* g (1/65536 a cycle) of every neuron's membrane at the codes in c->code. */
int cal_measure_gm(struct cal *c, double *g);
/* tau.c: the mean time of the first spike after NEURON_RESET (t1) and, with
 * nsp = 2, of the second one after the cycle the first one was stamped in
 * (t2 = refractory time + t1: the refractory counter starts at the end of that
 * cycle as the membrane does after a NEURON_RESET), of every neuron at the
 * codes in c->code (staggered blocks of 32). period: the shortest interval
 * between two spikes of a neuron (sets how many blocks one program measures). */
int cal_spike_times(struct cal *c, double len, unsigned nsp, double period, double *t1, double *t2);
/* Codes of leak, reset, threshold at the spike-time operating point. */
void cal_spike_point(struct cal *c, uint16_t save[3][CAL_NMAX]);
void cal_spike_point_restore(struct cal *c, uint16_t save[3][CAL_NMAX]);

#endif
