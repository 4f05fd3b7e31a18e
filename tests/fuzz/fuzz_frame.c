/* Fuzz target: the frame decoder and the resynchronising stream parser, fed
 * in chunks whose sizes come from the input. Every frame it returns must
 * re-encode to a frame that decodes to the same contents. */
#include <stdlib.h>
#include <string.h>

#include "axon/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ax_frame_parser p;
    static ax_frame f, g;
    static uint8_t enc[AX_FRAME_MAX_BYTES];
    ax_frame_decode(data, size, &f);
    ax_frame_parser_init(&p);
    size_t off = 0, chunk = size ? (size_t)data[0] % 64 + 1 : 1;
    while (off < size) {
        size_t n = size - off < chunk ? size - off : chunk, used = 0;
        int got = ax_frame_parser_feed(&p, data + off, n, &used, &f);
        if (used > n)
            abort();
        off += used;
        if (got == 1) {
            int e = ax_frame_encode(&f, enc, sizeof enc);
            if (e <= 0 || ax_frame_decode(enc, (size_t)e, &g) != e || g.len != f.len ||
                g.seq != f.seq || g.ack != f.ack || memcmp(g.payload, f.payload, 4u * f.len))
                abort();
        } else if (used == 0 && n > 0) {
            abort(); /* no progress while input is left */
        }
    }
    return 0;
}
