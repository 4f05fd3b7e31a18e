/* DATA payload records (docs/protocol.md section 4) and the IDENT payload. */
#include "axon/codec.h"

#define TAG_SPIKE 0u
#define TAG_MADC  1u
#define TAG_EXT   2u

static inline int32_t sign_extend(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    return (int32_t)((v ^ m) - m);
}

static inline uint64_t time56(uint32_t lo, uint32_t hi)
{
    return ((uint64_t)(hi & 0xFFFFFFu) << 32) | lo;
}

void ax_record_decoder_init(ax_record_decoder *d)
{
    d->ref_time = 0;
}

/* Moves the reference time by a signed delta; a time before 0 is malformed. */
static int advance_ref(ax_record_decoder *d, int32_t delta, ax_record *r)
{
    if (delta < 0 && (uint64_t)(-(int64_t)delta) > d->ref_time)
        return AX_E_FORMAT;
    d->ref_time = (uint64_t)((int64_t)d->ref_time + delta);
    r->time = d->ref_time;
    return 1;
}

static int decode_ext(ax_record_decoder *d, const uint32_t *w, size_t n, ax_record *r)
{
    uint32_t sub = (w[0] >> 24) & 0x3Fu, arg = w[0] & 0xFFFFFFu;
    switch (sub) {
    case AX_EXT_TIME:
        if (n < 2)
            return AX_E_TRUNC;
        r->type = AX_REC_TIME;
        d->ref_time = r->time = time56(w[1], arg);
        return 2;
    case AX_EXT_READ: {
        if (n < 4)
            return AX_E_TRUNC;
        uint32_t count = w[1] & 0xFFFFu;
        if (count > AX_READ_BURST_MAX)
            return AX_E_FORMAT;
        if (n - 4 < count)
            return AX_E_TRUNC;
        r->type = AX_REC_READ;
        r->ticket = (uint16_t)arg;
        r->status = (uint8_t)(arg >> 16);
        r->count = (uint16_t)count;
        r->time = time56(w[2], w[3]);
        r->data = w + 4;
        return 4 + (int)count;
    }
    case AX_EXT_END:
    case AX_EXT_LATE:
    case AX_EXT_OVERFLOW:
        if (n < 3)
            return AX_E_TRUNC;
        r->time = time56(w[1], w[2]);
        if (sub == AX_EXT_END) {
            r->type = AX_REC_END;
        } else if (sub == AX_EXT_LATE) {
            r->type = AX_REC_LATE;
            r->lateness = arg;
        } else {
            r->type = AX_REC_OVERFLOW;
            r->source = (uint8_t)(arg >> 22);
            r->lost = arg & 0x3FFFFFu;
        }
        return 3;
    case AX_EXT_ERROR:
        if (n < 3)
            return AX_E_TRUNC;
        r->type = AX_REC_ERROR;
        r->code = (uint8_t)arg;
        r->seq = (uint16_t)(arg >> 8);
        r->offset = w[1];
        r->word = w[2];
        return 3;
    case AX_EXT_TRIAL:
        r->type = AX_REC_TRIAL;
        d->ref_time = r->time = 0;
        return 1;
    default:
        return AX_E_FORMAT;
    }
}

int ax_record_decode(ax_record_decoder *d, const uint32_t *words, size_t n, ax_record *r)
{
    if (!d || !words || !r)
        return AX_E_INVAL;
    if (n == 0)
        return AX_E_TRUNC;
    *r = (ax_record){0};
    uint32_t w = words[0];
    switch (w >> 30) {
    case TAG_SPIKE:
        r->type = AX_REC_SPIKE;
        r->label = (uint16_t)(w >> 14);
        r->frac = (uint8_t)(w & 0xFu);
        return advance_ref(d, sign_extend((w >> 4) & 0x3FFu, 10), r);
    case TAG_MADC:
        if (w & 0x3C000000u)
            return AX_E_FORMAT;
        r->type = AX_REC_MADC;
        r->sample = (uint16_t)((w >> 16) & 0x3FFu);
        return advance_ref(d, sign_extend(w & 0xFFFFu, 16), r);
    case TAG_EXT:
        return decode_ext(d, words, n, r);
    default:
        return AX_E_FORMAT;
    }
}

static int put1(uint32_t *buf, size_t cap, size_t *pos, size_t need)
{
    if (!buf || !pos || *pos > cap || cap - *pos < need)
        return AX_E_RANGE;
    return AX_OK;
}

int ax_rec_time(uint32_t *buf, size_t cap, size_t *pos, uint64_t *ref, uint64_t cycle)
{
    if (cycle > AX_TIME_MASK)
        return AX_E_INVAL;
    int s = put1(buf, cap, pos, 2);
    if (s < 0)
        return s;
    buf[(*pos)++] = TAG_EXT << 30 | (uint32_t)AX_EXT_TIME << 24 | (uint32_t)(cycle >> 32);
    buf[(*pos)++] = (uint32_t)cycle;
    *ref = cycle;
    return AX_OK;
}

int ax_rec_spike(uint32_t *buf, size_t cap, size_t *pos, uint64_t *ref, uint16_t label,
                 uint64_t cycle, unsigned frac)
{
    if (frac > 15 || cycle > AX_TIME_MASK)
        return AX_E_INVAL;
    int64_t delta = (int64_t)cycle - (int64_t)*ref;
    bool fits = delta >= -512 && delta <= 511;
    int s = put1(buf, cap, pos, fits ? 1 : 3);
    if (s < 0)
        return s;
    if (!fits) {
        ax_rec_time(buf, cap, pos, ref, cycle);
        delta = 0;
    }
    buf[(*pos)++] = (uint32_t)label << 14 | ((uint32_t)delta & 0x3FFu) << 4 | frac;
    *ref = cycle;
    return AX_OK;
}

int ax_ident_decode(const uint32_t *p, size_t len, ax_ident *id)
{
    if (!p || !id)
        return AX_E_INVAL;
    if (len < AX_IDENT_WORDS)
        return AX_E_TRUNC;
    id->protocol_version = p[0];
    id->model_version = p[1];
    id->chip_id = p[2];
    id->die_seed = (uint64_t)p[4] << 32 | p[3];
    id->variant = (uint8_t)p[5];
    id->port_bytes = (uint8_t)(p[5] >> 8);
    id->neurons_per_hemi = (uint16_t)p[6];
    id->rows_per_hemi = (uint16_t)(p[6] >> 16);
    id->playback_words = p[7];
    id->replay_frames = (uint16_t)p[8];
    id->max_payload = (uint16_t)(p[8] >> 16);
    id->capabilities = p[9];
    return AX_OK;
}

const char *ax_error_code_str(unsigned code)
{
    switch (code) {
    case AX_ERR_OPCODE:
        return "OPCODE: unknown opcode";
    case AX_ERR_OPERAND:
        return "OPERAND: instruction runs past the frame, or a count out of range";
    case AX_ERR_ADDRESS:
        return "ADDRESS: no such register, or access not allowed";
    case AX_ERR_VALUE:
        return "VALUE: value out of range for its register";
    case AX_ERR_UNSUPPORTED:
        return "UNSUPPORTED: not present on this board";
    default:
        return "unknown error code";
    }
}
