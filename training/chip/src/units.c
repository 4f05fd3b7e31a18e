/* Time units between the trainer (tau_s) and the chip (cycles). */
#include <math.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"

int ax_ttfs_chip_to_cycles(const struct ax_ttfs_chip_units *u, double t, uint64_t *cycles)
{
    if (!(u->tau_s_cycles > 0))
        return AX_E_INVAL;
    double c = t * u->tau_s_cycles;
    if (!(c >= 0 && c < 0x1p56))
        return AX_E_RANGE;
    *cycles = (uint64_t)llround(c);
    return AX_OK;
}

double ax_ttfs_chip_from_cycles_q4(const struct ax_ttfs_chip_units *u, uint64_t cycles_q4)
{
    return (double)cycles_q4 / 16.0 / u->tau_s_cycles;
}
