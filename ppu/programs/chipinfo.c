/* Reads the chip's VERSION and INFO through the chip register window and
 * prints them, with a synapse pair of row 0 written and read back, so a
 * host test sees the window work. Exits 0 when the read-back matches. */
#include <stdio.h>

#include "ppu.h"
#include "ppu/chip.h"

int main(void)
{
    unsigned h = ppu_hemisphere();
    uint32_t version = chip_read(AX_CHIP_VERSION);
    printf("chip version %lu, %u neurons and %u rows per hemisphere\n", (unsigned long)version,
           chip_neurons_per_hemi(), chip_rows_per_hemi());
    uint32_t pair = chip_pair_set_weight(chip_pair_set_weight(0, 0, 21), 1, 42);
    chip_set_syn_pair(h, 0, 0, pair);
    uint32_t back = chip_syn_pair(h, 0, 0);
    printf("row 0 weights %u %u\n", chip_pair_weight(back, 0), chip_pair_weight(back, 1));
    return back == pair ? 0 : 1;
}
