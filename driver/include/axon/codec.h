/* axon frame codec: the one encoder/decoder of the wire protocol (docs/protocol.md).
 *
 * Pure C, no allocation, no I/O. Used by the driver and by the model's tests.
 * Every decoder checks lengths before it reads a field and returns the number
 * of bytes or words consumed, or a negative ax_status.
 */
#ifndef AXON_CODEC_H
#define AXON_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- protocol constants ------------------------------------------------ */
/* 1.1: OVERFLOW source 0 (delay-line drops); 1.2: the PPU (docs/ppu.md) and
 * INJECT_GROUP of 4 */
#define AX_PROTOCOL_MAJOR       1u
#define AX_PROTOCOL_MINOR       2u
#define AX_PROTOCOL_VERSION     ((AX_PROTOCOL_MAJOR << 16) | AX_PROTOCOL_MINOR)
#define AX_SYNC_WORD            0x4E4F5841u /* bytes 'A' 'X' 'O' 'N' */
#define AX_FRAME_MAX_PAYLOAD    256u        /* words */
#define AX_FRAME_OVERHEAD_BYTES 16u         /* sync, header (2 words), CRC */
#define AX_FRAME_MAX_BYTES      (AX_FRAME_OVERHEAD_BYTES + 4u * AX_FRAME_MAX_PAYLOAD)
#define AX_CMD_WINDOW           8u    /* CMD frames in flight */
#define AX_REPLAY_FRAMES        8u    /* DATA frames the board keeps for replay */
#define AX_PLAYBACK_WORDS       8192u /* board playback buffer */
#define AX_TIME_MASK            ((UINT64_C(1) << 56) - 1u) /* experiment time is 56 bits */

enum ax_frame_type {
    AX_FT_CMD = 0x01,
    AX_FT_ACK = 0x02,
    AX_FT_NACK = 0x03,
    AX_FT_REPLAY = 0x04,
    AX_FT_DATA = 0x05,
    AX_FT_HELLO = 0x06,
    AX_FT_IDENT = 0x07,
};

enum ax_nack_reason {
    AX_NACK_CRC = 1,
    AX_NACK_HEADER = 2,
    AX_NACK_ORDER = 3,
    AX_NACK_BUSY = 4,
    AX_NACK_REPLAY = 5,
};

enum ax_opcode {
    AX_OP_NOP = 0x00,
    AX_OP_WAIT_UNTIL = 0x01,
    AX_OP_TIMER_RESET = 0x02,
    AX_OP_WRITE = 0x03,
    AX_OP_READ = 0x04,
    AX_OP_INJECT = 0x05,
    AX_OP_BARRIER = 0x06,
    AX_OP_NEURON_RESET = 0x07,
    AX_OP_RECORD = 0x08,
    AX_OP_WRITE_BURST = 0x09,
    AX_OP_READ_BURST = 0x0A,
    AX_OP_PPU = 0x0B,
    AX_OP_END = 0x0C,
    AX_OP_INJECT_GROUP = 0x0D, /* protocol 1.1 */
};

/* INJECT_GROUP: up to this many events in one cycle, on distinct event buses
 * (label bits [7:6]: the driver modulo 4) */
#define AX_INJECT_GROUP_MAX 4u

#define AX_RECORD_SPIKES     0x1u /* RECORD argument bits */
#define AX_RECORD_FIRST_ONLY 0x2u
#define AX_RECORD_MADC       0x4u

#define AX_WRITE_BURST_MAX 254u
#define AX_READ_BURST_MAX  252u /* 4 + n words fit one DATA payload */

enum ax_error_code { /* ERROR record codes; also READ record status */
                     AX_ERR_OPCODE = 1,
                     AX_ERR_OPERAND = 2,
                     AX_ERR_ADDRESS = 3,
                     AX_ERR_VALUE = 4,
                     AX_ERR_UNSUPPORTED = 5,
};
/* "ADDRESS: no such register, or access not allowed" and so on; codes
 * outside the enum give "unknown error code". */
AX_API const char *ax_error_code_str(unsigned code);

/* ---- CRC ---------------------------------------------------------------- */
/* CRC-32 (IEEE, as zlib): start with crc = 0, feed the result back to continue. */
AX_API uint32_t ax_crc32(uint32_t crc, const void *data, size_t len);

/* ---- frames ------------------------------------------------------------- */
typedef struct ax_frame {
    uint8_t type;  /* enum ax_frame_type */
    uint8_t flags; /* 0 in protocol 1.0 */
    uint16_t seq;
    uint16_t ack;
    uint16_t len; /* payload words, 0..AX_FRAME_MAX_PAYLOAD */
    uint32_t payload[AX_FRAME_MAX_PAYLOAD];
} ax_frame;

/* Bytes ax_frame_encode() writes for a payload of len words. */
static inline size_t ax_frame_bytes(size_t len)
{
    return AX_FRAME_OVERHEAD_BYTES + 4u * len;
}

/* Encodes f into out (cap bytes). Returns the bytes written, AX_E_INVAL for a
 * bad type or length, AX_E_RANGE if cap is too small. */
AX_API int ax_frame_encode(const ax_frame *f, uint8_t *out, size_t cap);

/* Decodes one frame that starts exactly at buf[0]. Returns the bytes consumed
 * (> 0) and fills f; 0 if buf holds only the start of a frame (need more);
 * AX_E_PROTO if buf does not start with a sync word or the header is bad;
 * AX_E_CRC if the checksum does not match. */
AX_API int ax_frame_decode(const uint8_t *buf, size_t n, ax_frame *f);

/* Stream parser: feeds arbitrary byte chunks, yields whole frames, hunts the
 * sync word at every byte offset after garbage or a bad frame. */
typedef struct ax_frame_parser {
    uint8_t buf[AX_FRAME_MAX_BYTES];
    size_t have;             /* bytes buffered */
    uint64_t bytes_skipped;  /* garbage bytes dropped while hunting */
    uint64_t frames_bad_crc; /* frames dropped for CRC */
    uint64_t frames_bad_hdr; /* sync words followed by a bad header */
} ax_frame_parser;

AX_API void ax_frame_parser_init(ax_frame_parser *p);

/* Consumes bytes from data (n bytes) until one frame is complete or the input
 * is used up. *used gets the bytes consumed. Returns 1 with *f filled when a
 * frame is complete, 0 when more input is needed. Bad frames are counted and
 * skipped, never returned. */
AX_API int ax_frame_parser_feed(ax_frame_parser *p, const uint8_t *data, size_t n, size_t *used,
                                ax_frame *f);

/* Sequence arithmetic modulo 2^16: true when a comes before b. */
static inline bool ax_seq_before(uint16_t a, uint16_t b)
{
    uint16_t d = (uint16_t)(b - a);
    return d != 0 && d < 0x8000u;
}

/* ---- instructions (CMD payload) ------------------------------------------ */
/* Each encoder appends one instruction to buf[*pos..cap) and advances *pos.
 * Returns AX_OK, AX_E_RANGE if it does not fit, AX_E_INVAL for bad operands. */
AX_API int ax_ins_nop(uint32_t *buf, size_t cap, size_t *pos);
AX_API int ax_ins_wait_until(uint32_t *buf, size_t cap, size_t *pos, uint64_t time);
AX_API int ax_ins_timer_reset(uint32_t *buf, size_t cap, size_t *pos);
AX_API int ax_ins_write(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, uint32_t data);
AX_API int ax_ins_read(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, uint16_t ticket);
AX_API int ax_ins_inject(uint32_t *buf, size_t cap, size_t *pos, uint16_t label);
/* n (1..AX_INJECT_GROUP_MAX) events in the same cycle; their labels' buses
 * ([7:6]) must differ (else AX_E_INVAL) */
AX_API int ax_ins_inject_group(uint32_t *buf, size_t cap, size_t *pos, const uint16_t *labels,
                               size_t n);
AX_API int ax_ins_barrier(uint32_t *buf, size_t cap, size_t *pos);
/* all: every neuron; else neurons 32*block + i for the set bits i of mask. */
AX_API int ax_ins_neuron_reset(uint32_t *buf, size_t cap, size_t *pos, bool all, unsigned block,
                               uint32_t mask);
AX_API int ax_ins_record(uint32_t *buf, size_t cap, size_t *pos, uint32_t flags);
AX_API int ax_ins_write_burst(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr,
                              const uint32_t *data, size_t n);
AX_API int ax_ins_read_burst(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, size_t n,
                             uint16_t ticket);
/* PPU: command AX_PPU_START (w1 = start byte address) or AX_PPU_STOP, for the
 * core of hemisphere hemi (docs/ppu.md). */
enum ax_ppu_command { AX_PPU_START = 1, AX_PPU_STOP = 2 };
AX_API int ax_ins_ppu(uint32_t *buf, size_t cap, size_t *pos, unsigned command, unsigned hemi,
                      uint32_t addr);
AX_API int ax_ins_end(uint32_t *buf, size_t cap, size_t *pos);

/* Words the instruction starting with word w0 occupies (reading w1 for bursts
 * is not needed: WRITE_BURST's count is in its second word, so pass it as
 * w1). Returns the count, or AX_E_FORMAT for an unknown opcode. */
AX_API int ax_ins_words(uint32_t w0, uint32_t w1);

/* ---- records (DATA payload) ---------------------------------------------- */
enum ax_record_type {
    AX_REC_SPIKE = 1,
    AX_REC_MADC,
    AX_REC_TIME,
    AX_REC_READ,
    AX_REC_END,
    AX_REC_LATE,
    AX_REC_OVERFLOW,
    AX_REC_ERROR,
    AX_REC_TRIAL,
};

enum ax_ext_subtype {
    AX_EXT_TIME = 0x01,
    AX_EXT_READ = 0x02,
    AX_EXT_END = 0x03,
    AX_EXT_LATE = 0x04,
    AX_EXT_OVERFLOW = 0x05,
    AX_EXT_ERROR = 0x06,
    AX_EXT_TRIAL = 0x07,
};

/* OVERFLOW sources: AX_OVF_EVENTS (protocol 1.1) events the chip dropped at
 * a full delay-line slot; AX_OVF_CHIP spikes lost to the chip's full spike
 * queue; AX_OVF_SPIKES, AX_OVF_MADC records the link lost. */
enum ax_overflow_source { AX_OVF_EVENTS = 0, AX_OVF_SPIKES = 1, AX_OVF_MADC = 2, AX_OVF_CHIP = 3 };

typedef struct ax_record {
    uint8_t type;         /* enum ax_record_type */
    uint64_t time;        /* experiment time in cycles (SPIKE, MADC, TIME, READ, END, OVERFLOW;
                             LATE: the requested time) */
    uint8_t frac;         /* SPIKE: 1/16 cycle */
    uint16_t label;       /* SPIKE */
    uint16_t sample;      /* MADC: 10-bit value */
    uint16_t ticket;      /* READ */
    uint8_t status;       /* READ: 0 ok, else enum ax_error_code */
    uint16_t count;       /* READ: data words */
    const uint32_t *data; /* READ: points into the decoded payload */
    uint32_t lateness;    /* LATE: cycles */
    uint8_t source;       /* OVERFLOW: enum ax_overflow_source */
    uint32_t lost;        /* OVERFLOW: records lost (saturating, 22 bits) */
    uint8_t code;         /* ERROR: enum ax_error_code */
    uint16_t seq;         /* ERROR: seq of the rejected frame */
    uint32_t offset;      /* ERROR: word offset in the frame */
    uint32_t word;        /* ERROR: the offending word */
} ax_record;

/* Record decoder: keeps the running reference time across records and frames. */
typedef struct ax_record_decoder {
    uint64_t ref_time; /* cycles */
} ax_record_decoder;

AX_API void ax_record_decoder_init(ax_record_decoder *d);

/* Decodes the record starting at words[0] (n words left in the payload).
 * Returns the words consumed (> 0), AX_E_TRUNC if the record runs past n,
 * AX_E_FORMAT for a reserved tag or subtype. */
AX_API int ax_record_decode(ax_record_decoder *d, const uint32_t *words, size_t n, ax_record *r);

/* Record encoders (the board's format; used by tests and by tools that
 * synthesise streams). Same conventions as the instruction encoders. The
 * encoder side keeps its own reference time in *ref (cycles). */
AX_API int ax_rec_spike(uint32_t *buf, size_t cap, size_t *pos, uint64_t *ref, uint16_t label,
                        uint64_t cycle, unsigned frac);
AX_API int ax_rec_time(uint32_t *buf, size_t cap, size_t *pos, uint64_t *ref, uint64_t cycle);

/* ---- identification ------------------------------------------------------ */
typedef struct ax_ident {
    uint32_t protocol_version; /* [31:16] major, [15:0] minor */
    uint32_t model_version;
    uint32_t chip_id;
    uint64_t die_seed;
    uint8_t variant;    /* 0 USB3, 1 USB2 */
    uint8_t port_bytes; /* host port width in bytes */
    uint16_t neurons_per_hemi;
    uint16_t rows_per_hemi;
    uint32_t playback_words;
    uint16_t replay_frames;
    uint16_t max_payload;
    uint32_t capabilities; /* bit 0: PPU present */
} ax_ident;

#define AX_IDENT_WORDS 10u

/* Decodes an IDENT payload. AX_E_TRUNC if len is short. */
AX_API int ax_ident_decode(const uint32_t *payload, size_t len, ax_ident *id);

#ifdef __cplusplus
}
#endif
#endif
