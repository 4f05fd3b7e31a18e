/* The record-stream program of the fault tests (test_faults --streams,
 * test_socket): a neuron driven to spike by injected events, the MADC
 * sampling its membrane, every run from reset neurons on a new timeline so
 * that each run's records are the same bits (temporal noise off). */
#ifndef AX_TEST_STREAMPROG_H
#define AX_TEST_STREAMPROG_H

#include <stdbool.h>

#include "axon/axon.h"
#include "axon/chip.h"
#include "axon/program.h"

#define STREAM_CYCLES 3000u

/* A chip call through a faulty link: retried (with HELLO) until it works. */
#define RETRY(d, call)                                                                             \
    do {                                                                                           \
        int r_, n_ = 0;                                                                            \
        while ((r_ = (call)) != AX_OK && n_++ < 50)                                                \
            ax_hello(d);                                                                           \
        if (r_ != AX_OK)                                                                           \
            return r_;                                                                             \
    } while (0)

/* Neuron 0 spikes from events on row 0 (label 1, driver 0). */
static inline int stream_setup(ax_device *d)
{
    uint16_t gain = 1022;
    ax_neuron_cfg cfg = {.label = 0x8000 | 5, .record = true};
    uint8_t w[32] = {63}, l[32] = {1};
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_OFF};
    RETRY(d, ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, &gain, 1));
    RETRY(d, ax_chip_wait_capmem(d));
    RETRY(d, ax_chip_set_neurons(d, 0, &cfg, 1));
    RETRY(d, ax_chip_set_row(d, 0, 0, w, l));
    RETRY(d, ax_chip_set_drivers(d, 0, 0, &drv, 1));
    return AX_OK;
}

#define MADC_CTRL   0x010008u /* docs/chip.md */
#define MADC_PERIOD 0x010009u

/* Every run starts from reset neurons on a new timeline, with the MADC
 * (sampling neuron 0 every 8 cycles) enabled on it: its first sample follows
 * the enabling write, so a run's records do not depend on what ran (or
 * failed) before. */
static inline void stream_program(ax_program *p)
{
    ax_program_clear(p);
    ax_program_barrier(p);
    ax_program_write(p, MADC_CTRL, 0);
    ax_program_neuron_reset(p, true, 0, 0);
    ax_program_timer_reset(p);
    ax_program_write(p, MADC_PERIOD, 8);
    ax_program_write(p, MADC_CTRL, 1);
    ax_program_record(p, AX_RECORD_SPIKES | AX_RECORD_MADC);
    for (unsigned i = 0; i < 80; i++) { /* 8 bursts of 10 events */
        ax_program_wait_until(p, 100 + 350 * (i / 10) + 8 * (i % 10));
        ax_program_inject(p, 1u | 1u << 13);
    }
    ax_program_wait_until(p, STREAM_CYCLES);
    ax_program_record(p, 0);
    ax_program_write(p, MADC_CTRL, 0);
}

static inline bool same_records(const ax_result *a, const ax_result *b)
{
    if (a->nspikes != b->nspikes || a->nsamples != b->nsamples || a->overflow || b->overflow)
        return false;
    for (size_t i = 0; i < a->nspikes; i++)
        if (a->spikes[i].time != b->spikes[i].time || a->spikes[i].label != b->spikes[i].label ||
            a->spikes[i].frac != b->spikes[i].frac || a->spikes[i].trial != b->spikes[i].trial)
            return false;
    for (size_t i = 0; i < a->nsamples; i++)
        if (a->samples[i].time != b->samples[i].time ||
            a->samples[i].value != b->samples[i].value ||
            a->samples[i].trial != b->samples[i].trial)
            return false;
    return true;
}

#endif
