/* Frames: encode, decode one, and the resynchronising stream parser. */
#include <string.h>

#include "axon/le.h"
#include "axon/codec.h"

_Static_assert(AX_FRAME_MAX_BYTES == 1040, "frame size as documented");

static bool frame_type_known(unsigned type)
{
    return type >= AX_FT_CMD && type <= AX_FT_IDENT;
}

int ax_frame_encode(const ax_frame *f, uint8_t *out, size_t cap)
{
    if (!f || !out || !frame_type_known(f->type) || f->len > AX_FRAME_MAX_PAYLOAD)
        return AX_E_INVAL;
    size_t total = ax_frame_bytes(f->len);
    if (cap < total)
        return AX_E_RANGE;
    ax_put_le32(out, AX_SYNC_WORD);
    ax_put_le32(out + 4, (uint32_t)f->type | (uint32_t)f->flags << 8 | (uint32_t)f->len << 16);
    ax_put_le32(out + 8, (uint32_t)f->seq | (uint32_t)f->ack << 16);
    for (size_t i = 0; i < f->len; i++)
        ax_put_le32(out + 12 + 4 * i, f->payload[i]);
    ax_put_le32(out + total - 4, ax_crc32(0, out, total - 4));
    return (int)total;
}

/* Checks sync and header of a frame at buf (>= 12 bytes). Returns the frame's
 * total size in bytes, or AX_E_PROTO. */
static int header_check(const uint8_t *buf)
{
    if (ax_get_le32(buf) != AX_SYNC_WORD)
        return AX_E_PROTO;
    uint32_t w1 = ax_get_le32(buf + 4);
    unsigned len = w1 >> 16;
    if (!frame_type_known(w1 & 0xFFu) || len > AX_FRAME_MAX_PAYLOAD)
        return AX_E_PROTO;
    return (int)ax_frame_bytes(len);
}

/* True when the n (< 4) bytes at buf could be the start of a sync word. */
static bool sync_prefix(const uint8_t *buf, size_t n)
{
    static const uint8_t sync[4] = {'A', 'X', 'O', 'N'};
    return memcmp(buf, sync, n) == 0;
}

int ax_frame_decode(const uint8_t *buf, size_t n, ax_frame *f)
{
    if (!buf || !f)
        return AX_E_INVAL;
    if (n < 12)
        return sync_prefix(buf, n < 4 ? n : 4) ? 0 : AX_E_PROTO;
    int total = header_check(buf);
    if (total < 0)
        return total;
    if (n < (size_t)total)
        return 0;
    if (ax_crc32(0, buf, (size_t)total - 4) != ax_get_le32(buf + total - 4))
        return AX_E_CRC;
    uint32_t w1 = ax_get_le32(buf + 4), w2 = ax_get_le32(buf + 8);
    f->type = (uint8_t)w1;
    f->flags = (uint8_t)(w1 >> 8);
    f->len = (uint16_t)(w1 >> 16);
    f->seq = (uint16_t)w2;
    f->ack = (uint16_t)(w2 >> 16);
    for (size_t i = 0; i < f->len; i++)
        f->payload[i] = ax_get_le32(buf + 12 + 4 * i);
    return total;
}

void ax_frame_parser_init(ax_frame_parser *p)
{
    memset(p, 0, sizeof *p);
}

/* Drops the first byte of the buffer (a false or broken frame start) and
 * everything up to the next possible sync word. */
static void parser_resync(ax_frame_parser *p)
{
    size_t i = 1;
    while (i < p->have) {
        size_t left = p->have - i;
        if (sync_prefix(p->buf + i, left < 4 ? left : 4))
            break;
        i++;
    }
    p->bytes_skipped += i;
    memmove(p->buf, p->buf + i, p->have - i);
    p->have -= i;
}

/* Bytes the buffered frame needs in all: 4 while hunting, 12 for a header,
 * else the frame's size. Returns 0 (after resyncing) if the start is bad. */
static size_t parser_need(ax_frame_parser *p)
{
    if (p->have < 4)
        return sync_prefix(p->buf, p->have) ? 4 : 0;
    if (p->have < 12)
        return ax_get_le32(p->buf) == AX_SYNC_WORD ? 12 : 0;
    int total = header_check(p->buf);
    if (total < 0) {
        if (ax_get_le32(p->buf) == AX_SYNC_WORD)
            p->frames_bad_hdr++;
        return 0;
    }
    return (size_t)total;
}

int ax_frame_parser_feed(ax_frame_parser *p, const uint8_t *data, size_t n, size_t *used,
                         ax_frame *f)
{
    size_t off = 0;
    for (;;) {
        if (p->have == 0 && n - off >= 12) {
            /* Fast path: a whole good frame in the input needs no copy. */
            int r = ax_frame_decode(data + off, n - off, f);
            if (r > 0) {
                *used = off + (size_t)r;
                return 1;
            }
        }
        size_t need = parser_need(p);
        if (need == 0) {
            parser_resync(p);
            continue;
        }
        if (p->have < need) {
            if (off == n) {
                *used = off;
                return 0;
            }
            size_t take = need - p->have < n - off ? need - p->have : n - off;
            memcpy(p->buf + p->have, data + off, take);
            p->have += take;
            off += take;
            continue;
        }
        /* have == need and need is a whole frame's size: its header is good. */
        int r = ax_frame_decode(p->buf, p->have, f);
        if (r > 0) {
            p->have = 0;
            *used = off;
            return 1;
        }
        p->frames_bad_crc++;
        parser_resync(p);
    }
}
