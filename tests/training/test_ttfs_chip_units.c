/* The chip backend's time units: tau_s <-> cycles at the power-on tau_s. */
#include <math.h>
#include <stdio.h>

#include "axon/ttfs_chip.h"

static int fails;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL: %s\n", what);
        fails++;
    }
}

int main(void)
{
    const struct ax_ttfs_chip_units u = {65536.0 / (32 + 3 * 416)}; /* code 416: 51.2 cycles */
    uint64_t c = 0;
    check(ax_ttfs_chip_to_cycles(&u, 1.0, &c) == AX_OK && c == 51, "1 tau_s = 51 cycles");
    check(ax_ttfs_chip_to_cycles(&u, 2.5, &c) == AX_OK && c == 128, "2.5 tau_s = 128 cycles");
    check(ax_ttfs_chip_to_cycles(&u, -0.1, &c) == AX_E_RANGE, "negative time refused");
    check(ax_ttfs_chip_to_cycles(&u, INFINITY, &c) == AX_E_RANGE, "no spike (inf) refused");
    const struct ax_ttfs_chip_units bad = {0.0};
    check(ax_ttfs_chip_to_cycles(&bad, 1.0, &c) == AX_E_INVAL, "tau_s of 0 cycles refused");
    /* 4 fraction bits: 102.5 cycles is 2.002 tau_s; a round trip stays within 1/32 cycle */
    check(fabs(ax_ttfs_chip_from_cycles_q4(&u, 1640) - 102.5 / u.tau_s_cycles) < 1e-12,
          "Q4 cycles to tau_s");
    for (double t = 0.0; t < 5.0; t += 0.01) {
        uint64_t q4 = (uint64_t)llround(t * u.tau_s_cycles * 16);
        if (fabs(ax_ttfs_chip_from_cycles_q4(&u, q4) - t) > 1.0 / 32 / u.tau_s_cycles) {
            check(0, "Q4 round trip within 1/32 cycle");
            break;
        }
    }
    if (!fails)
        printf("ttfs_chip.units: all checks passed\n");
    return fails != 0;
}
