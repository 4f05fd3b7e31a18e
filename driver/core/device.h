/* libaxon internals: the device, the host side of the reliable link. */
#ifndef AX_CORE_DEVICE_H
#define AX_CORE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "axon/axon.h"
#include "axon/codec.h"
#include "axon/program.h"
#include "transport.h"

/* Receiver of the records of in-order DATA frames. */
typedef void (*ax_data_sink)(void *ctx, const ax_frame *f);

typedef struct ax_link {
    ax_transport *tr;
    ax_frame_parser parser;
    ax_frame rx; /* frame being handled */
    /* host -> board (CMD, go-back-N) */
    uint16_t cmd_next;           /* seq of the next new frame */
    uint16_t cmd_base;           /* oldest unacknowledged */
    ax_frame win[AX_CMD_WINDOW]; /* unacknowledged frames, index seq % window */
    uint32_t board_free; /* playback words free, from the last ACK, less what we sent since */
    bool busy;           /* last NACK was BUSY: wait for room before resending */
    uint16_t gb_seq;     /* last go-back resend started here ... */
    uint64_t gb_time;    /* ... at this time */
    /* board -> host (DATA) */
    uint16_t data_expect; /* next DATA seq */
    uint16_t data_acked;  /* ack value last sent */
    uint64_t replay_time; /* last REPLAY sent at */
    uint16_t replay_seq;
    uint32_t playback_words; /* the board's playback buffer (IDENT) */
    unsigned idle_acks;      /* ACKs in a row showing an idle board */
    unsigned replay_nacks;   /* NACK REPLAYs since DATA last advanced */
    bool in_hello;           /* ignoring all but IDENT */
    bool got_ident;
    uint64_t last_rx; /* device time of the last valid frame */
    ax_frame ident_frame;
    ax_data_sink sink;
    void *sink_ctx;
    /* policy */
    uint32_t timeout_us;
    unsigned retries;
    /* Run deadline (0: none): every wait fails with AX_E_TIMEOUT once the
     * board's clock is past deadline_us and the link's clock past
     * patience_until (the board's clock can run slower than the link's). */
    uint64_t deadline_us, patience_until;
    int failed; /* sticky link error until HELLO */
    ax_link_stats st;
} ax_link;

struct ax_device {
    ax_link link;
    ax_ident ident;
    ax_record_decoder rec; /* running reference time of DATA records */
    struct run_ctx *run;   /* the run in progress (program.c), or NULL */
    void (*progress)(void *ctx, uint64_t done, uint64_t total); /* ax_set_progress */
    void *progress_ctx;
    char uri[300];
};

/* link.c */
void ax_link_init(ax_link *l, ax_transport *tr);
/* HELLO until IDENT arrives; resets both sequence spaces. */
int ax_link_hello(ax_link *l);
/* Queues one CMD frame (payload of len words), waiting for window and
 * playback room as needed. Returns the frame's seq (>= 0) or a status. */
int ax_link_send(ax_link *l, const uint32_t *payload, uint16_t len);
/* Pumps the link until *done is true (set by the sink), or fails. */
int ax_link_wait(ax_link *l, const bool *done);

/* program.c: the device's DATA sink (ctx is the device). */
void ax_device_sink(void *ctx, const ax_frame *f);
/* program.c: TIMER_RESETs in p so far (the trial number of what follows). */
uint32_t ax_program_trials_(const ax_program *p);

/* Opens a device over an already-open transport (taking ownership): for
 * tests and tools that build their own transport stacks (fault injection). */
int ax_device_open_transport(ax_transport *tr, const char *uri, ax_device **out);

#endif
