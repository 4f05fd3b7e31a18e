/* Playback programs: timed instruction streams the board runs against its own
 * clock, with no host round trip inside a run (docs/protocol.md section 3).
 *
 * Build a program with the ax_program_* calls (each appends one instruction;
 * times in cycles of experiment time, 8 ns each), run it with ax_run(), and
 * read the spikes, MADC samples and filled tickets from the ax_result. A
 * program longer than the board's playback buffer (8192 words) is streamed
 * as room frees up; many experiments can be batched in one program, each
 * started by ax_program_timer_reset() (a new trial).
 */
#ifndef AXON_PROGRAM_H
#define AXON_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/axon.h"
#include "axon/codec.h" /* enum ax_ppu_command */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ax_program ax_program;

AX_API int ax_program_new(ax_program **out);
AX_API void ax_program_free(ax_program *p);
/* Empties the program (keeps its memory). */
AX_API void ax_program_clear(ax_program *p);
/* Words the program occupies (END not counted). */
AX_API size_t ax_program_words(const ax_program *p);

AX_API int ax_program_wait_until(ax_program *p, uint64_t cycle); /* AX_E_RANGE past 2^56 */
AX_API int ax_program_timer_reset(ax_program *p);                /* starts a new trial */
AX_API int ax_program_write(ax_program *p, uint32_t addr, uint32_t value);
/* Writes n consecutive registers (split into bursts of at most 254). */
AX_API int ax_program_write_block(ax_program *p, uint32_t addr, const uint32_t *values, size_t n);
/* Reads n (1..AX_PROGRAM_READ_MAX) consecutive registers; returns the ticket
 * (>= 0), whose result is ax_result.tickets[ticket], or a negative status.
 * The limit is 252, not the READ_BURST maximum of 256: the READ record (4
 * words of header and the data) must fit in one DATA frame of 256 words. */
#define AX_PROGRAM_READ_MAX (AX_FRAME_MAX_PAYLOAD - 4u)
AX_API int ax_program_read(ax_program *p, uint32_t addr, size_t n);
AX_API int ax_program_inject(ax_program *p, uint16_t label);
/* n (1..AX_INJECT_GROUP_MAX) input events in the same cycle, on distinct
 * event buses (label bits [7:6], the driver modulo 4): AX_E_INVAL otherwise. */
AX_API int ax_program_inject_group(ax_program *p, const uint16_t *labels, size_t n);
AX_API int ax_program_barrier(ax_program *p);
/* Starts (AX_PPU_START, at byte address start of its SRAM) or stops
 * (AX_PPU_STOP, start ignored) the plasticity processor of hemisphere hemi at
 * this point of the program (docs/ppu.md). */
AX_API int ax_program_ppu(ax_program *p, unsigned command, unsigned hemi, uint32_t start);
/* all: every neuron; else neurons 32*block + i for each set bit i of mask. */
AX_API int ax_program_neuron_reset(ax_program *p, bool all, unsigned block, uint32_t mask);
/* flags: AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY | AX_RECORD_MADC (0 = off). */
AX_API int ax_program_record(ax_program *p, uint32_t flags);

typedef struct ax_spike {
    uint64_t time;  /* cycles of experiment time */
    uint16_t label; /* 16-bit event label */
    uint8_t frac;   /* 1/16 cycle */
    uint32_t trial; /* TIMER_RESETs before it in this run */
} ax_spike;

typedef struct ax_sample {
    uint64_t time;  /* cycles */
    uint16_t value; /* 10-bit MADC code */
    uint32_t trial;
} ax_sample;

typedef struct ax_ticket {
    uint32_t addr;  /* first register read */
    uint16_t count; /* registers read */
    bool filled;    /* the board answered */
    uint8_t status; /* 0 ok, else enum ax_error_code */
    uint64_t time;  /* experiment time of the read */
    uint32_t *data; /* count words */
} ax_ticket;

/* A loss the board reported (one OVERFLOW record), or a late WAIT_UNTIL (one
 * LATE record: the events after it were injected late), with the trial it
 * belongs to: nothing is lost silently. */
#define AX_LOSS_LATE 4u /* ax_loss.source of a LATE record (count 1) */
typedef struct ax_loss {
    uint32_t trial; /* TRIAL records before it in this run (as ax_spike.trial) */
    uint8_t source; /* enum ax_overflow_source (axon/codec.h), or AX_LOSS_LATE */
    uint32_t count; /* events or records lost */
    uint64_t time;  /* experiment time of the first of them (LATE: the requested time) */
} ax_loss;

typedef struct ax_result {
    ax_spike *spikes;
    size_t nspikes;
    ax_sample *samples;
    size_t nsamples;
    ax_ticket *tickets; /* indexed by ticket */
    size_t ntickets;
    uint32_t trials;     /* TRIAL records seen */
    uint64_t end_time;   /* experiment time at END */
    size_t nlate;        /* WAIT_UNTILs that were already past (LATE records) */
    uint64_t first_late; /* requested time of the first late one */
    uint32_t max_lateness;
    bool overflow;                              /* records were lost (OVERFLOW) */
    uint64_t lost_spikes, lost_madc, lost_chip; /* records lost by source */
    uint64_t lost_events;                       /* events dropped at a delay-line slot */
    ax_loss *losses;                            /* every OVERFLOW and LATE record, in order */
    size_t nlosses;
    /* Board error (the run returns AX_E_REMOTE): first ERROR record or failed read. */
    uint8_t error_code; /* enum ax_error_code, 0 none */
    uint32_t error_offset, error_word;
    void *storage_; /* private */
} ax_result;

AX_API void ax_result_init(ax_result *r);
AX_API void ax_result_free(ax_result *r);
/* Events or records lost in one trial: source an enum ax_overflow_source,
 * AX_LOSS_LATE (late WAIT_UNTILs), or -1 for all of them (from r->losses). */
AX_API uint64_t ax_result_lost(const ax_result *r, uint32_t trial, int source);

/* Runs p (END appended) and fills r (freed and refilled). Returns AX_OK,
 * AX_E_REMOTE if the board rejected an instruction or a read failed (see
 * r->error_*), or a link error (AX_E_LINK, AX_E_TIMEOUT, AX_E_DISCONNECTED):
 * the results are then incomplete and must not be used. */
AX_API int ax_run(ax_device *d, const ax_program *p, ax_result *r);

/* Progress of the runs on d: fn is called from ax_run (its thread) after each
 * DATA frame with the experiment time the board has reached, summed over the
 * program's trials, and the program's total (the sum of each trial's last
 * wait-until); done <= total, and done == total once the run has ended. For
 * progress bars; fn must not call back into the device. NULL turns it off. */
typedef void (*ax_progress_fn)(void *ctx, uint64_t done_cycles, uint64_t total_cycles);
AX_API void ax_set_progress(ax_device *d, ax_progress_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
