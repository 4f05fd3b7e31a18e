/* bench-codec: the codec on the host's receive path. Encodes DATA frames of
 * 256 words of spike records, then parses the byte stream (64 KiB chunks,
 * as a transport delivers it) and decodes every record. One JSON line:
 * mb_per_s is parse + record decode (the receive path), with encode, parse
 * and CRC alone for telling the lead where time goes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "axon/clock.h"
#include "axon/codec.h"

#define FRAMES 20000u

int main(void)
{
    size_t cap = FRAMES * AX_FRAME_MAX_BYTES;
    uint8_t *stream = malloc(cap);
    static ax_frame f;
    if (!stream)
        return 1;
    uint64_t ref = 0, cycle = 0;
    size_t len = 0;
    double t0 = ax_mono_seconds();
    for (unsigned i = 0; i < FRAMES; i++) {
        size_t pos = 0;
        while (pos < AX_FRAME_MAX_PAYLOAD - 2)
            ax_rec_spike(f.payload, AX_FRAME_MAX_PAYLOAD, &pos, &ref, (uint16_t)(pos * 7),
                         cycle += 3, (unsigned)pos & 15u);
        f.type = AX_FT_DATA;
        f.seq = (uint16_t)i;
        f.len = (uint16_t)pos;
        len += (size_t)ax_frame_encode(&f, stream + len, cap - len);
    }
    double t1 = ax_mono_seconds();
    static ax_frame_parser p;
    ax_frame_parser_init(&p);
    ax_record_decoder d;
    ax_record_decoder_init(&d);
    uint64_t frames = 0, records = 0, sum = 0;
    for (size_t off = 0; off < len;) {
        size_t n = len - off < 65536 ? len - off : 65536, done = 0;
        while (done < n) {
            size_t used = 0;
            int got = ax_frame_parser_feed(&p, stream + off + done, n - done, &used, &f);
            done += used;
            if (got != 1)
                break;
            frames++;
            for (size_t i = 0; i < f.len;) {
                ax_record r;
                int k = ax_record_decode(&d, f.payload + i, f.len - i, &r);
                if (k <= 0)
                    return fprintf(stderr, "bench-codec: decode error\n"), 1;
                i += (size_t)k;
                records++;
                sum += r.time + r.label;
            }
        }
        off += n;
    }
    double t2 = ax_mono_seconds();
    ax_frame_parser_init(&p);
    for (size_t off = 0; off < len;) {
        size_t used = 0;
        if (ax_frame_parser_feed(&p, stream + off, len - off, &used, &f) != 1)
            break;
        off += used;
    }
    double t3 = ax_mono_seconds();
    uint32_t crc = ax_crc32(0, stream, len);
    double t4 = ax_mono_seconds();
    double mb = (double)len / 1e6;
    if (frames != FRAMES)
        return fprintf(stderr, "bench-codec: %llu frames parsed of %u\n",
                       (unsigned long long)frames, FRAMES),
               1;
    printf("{\"bench\":\"codec\",\"mb_per_s\":%.1f,\"encode_mb_per_s\":%.1f,"
           "\"parse_mb_per_s\":%.1f,\"crc_mb_per_s\":%.1f,\"records_per_s\":%.0f,\"bytes\":%zu,"
           "\"check\":%llu}\n",
           mb / (t2 - t1), mb / (t1 - t0), mb / (t3 - t2), mb / (t4 - t3),
           (double)records / (t2 - t1), len, (unsigned long long)(sum ^ crc));
    free(stream);
    return 0;
}
