/* Sleeping and the host's words: sleeps 5000 cycles (ppu_sleep_until), then
 * answers each INBOX word x with OUTBOX = x + 1 until x is 0 and exits with
 * the number of words answered (255 if it woke too early). */
#include "ppu.h"

int main(void)
{
    uint32_t t0 = ppu_cycle();
    ppu_sleep_until(t0 + 5000u);
    if (ppu_cycle() - t0 < 5000u)
        return 255;
    uint32_t seq = 0;
    for (int n = 0;; n++) {
        uint32_t x = ppu_wait_inbox(&seq);
        if (x == 0)
            return n;
        ppu_outbox(x + 1);
    }
}
