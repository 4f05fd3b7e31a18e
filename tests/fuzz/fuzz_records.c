/* Fuzz target: the DATA record decoder over a payload of words, and the
 * IDENT decoder. A record never claims more words than it was given. */
#include <stdlib.h>
#include <string.h>

#include "axon/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t w[AX_FRAME_MAX_PAYLOAD];
    size_t n = size / 4 < AX_FRAME_MAX_PAYLOAD ? size / 4 : AX_FRAME_MAX_PAYLOAD;
    memcpy(w, data, n * 4);
    ax_record_decoder d;
    ax_record_decoder_init(&d);
    for (size_t i = 0; i < n;) {
        ax_record r;
        int k = ax_record_decode(&d, w + i, n - i, &r);
        if (k <= 0)
            break;
        if ((size_t)k > n - i)
            abort();
        if (r.type == AX_REC_READ && (r.data < w || r.data + r.count > w + n))
            abort();
        i += (size_t)k;
    }
    ax_ident id;
    ax_ident_decode(w, n, &id);
    return 0;
}
