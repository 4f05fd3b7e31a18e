/* Helpers for the link tests: a scripted host on top of axsim and the codec. */
#ifndef LINK_TESTLIB_H
#define LINK_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/codec.h"
#include "axsim.h"

#define LT_MAX_RECORDS 131072
#define LT_LOG_BYTES   (8u << 20)

typedef struct lt_host {
    axsim_board *b;
    ax_frame_parser parser;
    uint16_t cmd_seq;     /* next CMD seq to send */
    uint16_t data_expect; /* next DATA seq expected (our cumulative ack) */
    bool auto_ack;        /* put data_expect in the ack field of what we send */
    uint8_t *log;         /* every byte the board sent, in order */
    size_t log_len;
    ax_record_decoder dec;
    ax_record recs[LT_MAX_RECORDS]; /* decoded records of accepted DATA frames */
    uint32_t rec_words[LT_MAX_RECORDS];
    size_t nrecs;
    unsigned data_frames; /* DATA frames accepted in order */
} lt_host;

/* Defines the cmocka test `name` as the call check(...): one checking function
 * serves each bridge variant (or size) as a test of its own, under its own name. */
#define LT_TEST(name, check, ...)                                                                  \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check(__VA_ARGS__);                                                                        \
    }

/* Creates a board (die seed 7, run seed 9 unless changed later) and a host. */
lt_host *lt_open(axsim_size size, axsim_variant variant);
lt_host *lt_open_opts(const axsim_options *o);
/* A small board (lt_open) with HELLO done: where most link tests start. */
lt_host *lt_open_hello(axsim_variant variant);
void lt_close(lt_host *h);

/* Sends bytes / a frame (asserts the bridge took all of it). */
void lt_send_raw(lt_host *h, const void *bytes, size_t n);
void lt_send_frame(lt_host *h, uint8_t type, uint16_t seq, uint16_t ack, const uint32_t *payload,
                   size_t len);
/* Sends a CMD with the next seq and returns that seq. */
uint16_t lt_cmd(lt_host *h, const uint32_t *payload, size_t len);

/* Steps until a frame arrives (max_cycles of model time). 1 with *f, or 0. */
int lt_recv(lt_host *h, ax_frame *f, uint64_t max_cycles);
/* Receives until a non-DATA frame arrives; DATA frames in between go to
 * lt_accept_data(). Returns 1 with *f, or 0 on timeout. */
int lt_recv_ctrl(lt_host *h, ax_frame *f, uint64_t max_cycles);
/* Takes a DATA frame: if it is the next expected, decodes its records. */
void lt_accept_data(lt_host *h, const ax_frame *f);
/* Steps for `cycles`, accepting DATA frames and dropping control frames. */
void lt_run(lt_host *h, uint64_t cycles);
/* Sends HELLO and waits for IDENT (asserts it arrives). */
void lt_hello(lt_host *h, ax_ident *id);
/* Sends a CMD and asserts an ACK for it (returns the ACK's free-words field). */
unsigned lt_cmd_acked(lt_host *h, const uint32_t *payload, size_t len);
/* Starts a program in p (room for cap words) that records spikes from time 0:
 * RECORD(SPIKES), TIMER_RESET. Returns the words written. */
size_t lt_begin_recording(uint32_t *p, size_t cap);
/* Appends END to the program p[0..pos) (room for cap words), sends it (asserts
 * the ACK) and runs for `cycles`, accepting its DATA frames. */
void lt_run_program(lt_host *h, uint32_t *p, size_t cap, size_t pos, uint64_t cycles);
/* Index of the first record of a type at or after `from`, or -1. */
int lt_find(const lt_host *h, uint8_t type, size_t from);
size_t lt_count(const lt_host *h, uint8_t type);
/* Sends a one-READ program (with END) and returns the value (asserts status 0). */
uint32_t lt_read_reg(lt_host *h, uint32_t addr);
/* Runs `script` twice, each time on a fresh lt_open_hello(variant) board, and
 * asserts the board sent the same bytes both times. Returns how many. */
size_t lt_assert_reproducible(void (*script)(lt_host *h), axsim_variant variant);

#endif
