/* The nominal code conversion against docs/chip.md section 2's own figures. */
#include <math.h>
#include <stdio.h>

#include "axon/calib.h"

static int fails;

static void expect_code(unsigned p, double v, int want_rc, unsigned want_code)
{
    uint16_t c = 0xFFFF;
    int rc = ax_calib_nominal_code(p, v, &c);
    if (rc != want_rc || (rc == AX_OK && c != want_code)) {
        printf("FAIL: param %u value %g: rc %d code %u, want rc %d code %u\n", p, v, rc, c, want_rc,
               want_code);
        fails++;
    }
}

int main(void)
{
    expect_code(AX_PARAM_THRESHOLD, 300.0, AX_OK, 300); /* code 300 = 300 mV */
    expect_code(AX_PARAM_LEAK, 1022.4, AX_OK, 1022);
    expect_code(AX_PARAM_LEAK, 1023.0, AX_E_RANGE, 0);
    expect_code(AX_PARAM_RESET, -1.0, AX_E_RANGE, 0);
    expect_code(AX_PARAM_TAU_M, 99.9 / 125, AX_OK, 208);  /* code 208 -> 99.9 cycles */
    expect_code(AX_PARAM_TAU_SE, 51.2 / 125, AX_OK, 416); /* code 416 -> 51.2 cycles */
    expect_code(AX_PARAM_TAU_SI, 0.25, AX_OK, 688);       /* 31.27 cycles, nearest to 31.25 */
    expect_code(AX_PARAM_TAU_M, 10.0, AX_OK, 7);          /* 1236.5 cycles, nearest to 1250 */
    expect_code(AX_PARAM_TAU_M, 2048.0 / 125, AX_OK, 0);  /* code 0 -> 2048 cycles */
    expect_code(AX_PARAM_TAU_M, 20.0, AX_E_RANGE, 0);     /* longer than code 0 gives */
    expect_code(AX_PARAM_TAU_M, 0.1, AX_E_RANGE, 0);      /* shorter than code 1022 gives */
    expect_code(AX_PARAM_TAU_M, 0.0, AX_E_RANGE, 0);
    expect_code(AX_PARAM_REFRAC, 2.0, AX_OK, 250); /* 2 us = 250 cycles */
    expect_code(AX_PARAM_GAIN_E, 64.0, AX_OK, 64);
    expect_code(AX_PARAM_COUNT, 1.0, AX_E_INVAL, 0);
    expect_code(AX_PARAM_LEAK, NAN, AX_E_INVAL, 0);
    for (uint16_t c = 0; c <= AX_CAPMEM_MAX; c++) { /* the inverse: code -> value -> code */
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            uint16_t back;
            if (ax_calib_nominal_code(p, ax_calib_nominal_value(p, c), &back) != AX_OK ||
                back != c) {
                printf("FAIL: param %u code %u does not round-trip\n", p, c);
                fails++;
                break;
            }
        }
    }
    if (!fails)
        printf("calib.nominal: all checks passed\n");
    return fails != 0;
}
