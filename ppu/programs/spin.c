/* A program that never ends (a test of the host's timeout): counts in the
 * outbox forever. */
#include "ppu.h"

int main(void)
{
    for (uint32_t i = 0;; i++)
        ppu_outbox(i);
}
