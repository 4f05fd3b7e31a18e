/* A tiny fake board for the driver's tests: the board side of the wire
 * protocol (docs/protocol.md) written with the codec, a playback executor,
 * the board registers and a flat chip memory, behind a transport. Much
 * faster than the verilated board, deterministic, and independent of it, so
 * link-layer fault tests run in seconds. Its chip is a loopback: an INJECTed
 * event comes back as a spike with the same label 10 cycles later (when
 * spike recording is on). */
#ifndef AX_TEST_FAKEBOARD_H
#define AX_TEST_FAKEBOARD_H

#include <stdint.h>

#include "transport.h"

typedef struct fakeboard_stats {
    uint64_t executed;   /* instructions run */
    uint64_t frames_run; /* CMD frames accepted (validated and stored) */
    uint64_t dups;       /* duplicate CMD frames dropped */
    uint64_t nacks;      /* NACKs sent */
    uint64_t replays;    /* REPLAY requests served */
} fakeboard_stats;

typedef struct fakeboard_opts {
    uint32_t protocol_version; /* 0: AX_PROTOCOL_VERSION */
    uint32_t playback_words;   /* 0: AX_PLAYBACK_WORDS */
} fakeboard_opts;

int fakeboard_open(const fakeboard_opts *o, ax_transport **out);
void fakeboard_get_stats(ax_transport *t, fakeboard_stats *s);
/* Direct register access for assertions (bypasses the link). */
uint32_t fakeboard_peek(ax_transport *t, uint32_t addr);

#endif
