/* Register access: each call is one small program on the board. */
#include <string.h>

#include "axon/program.h"
#include "device.h"

int ax_reg_read_block(ax_device *d, uint32_t addr, uint32_t *values, size_t n)
{
    if (!d || !values || n == 0)
        return AX_E_INVAL;
    ax_program *p;
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    for (size_t done = 0; done < n && r >= 0; done += AX_PROGRAM_READ_MAX) {
        size_t k = n - done < AX_PROGRAM_READ_MAX ? n - done : AX_PROGRAM_READ_MAX;
        r = ax_program_read(p, addr + (uint32_t)done, k);
    }
    ax_result res;
    ax_result_init(&res);
    if (r >= 0)
        r = ax_run(d, p, &res);
    for (size_t t = 0; r == AX_OK && t < res.ntickets; t++)
        memcpy(values + t * AX_PROGRAM_READ_MAX, res.tickets[t].data,
               res.tickets[t].count * sizeof *values);
    ax_result_free(&res);
    ax_program_free(p);
    return r < 0 ? r : AX_OK;
}

int ax_reg_write_block(ax_device *d, uint32_t addr, const uint32_t *values, size_t n)
{
    if (!d || !values || n == 0)
        return AX_E_INVAL;
    ax_program *p;
    int r = ax_program_new(&p);
    if (r < 0)
        return r;
    ax_result res;
    ax_result_init(&res);
    r = ax_program_write_block(p, addr, values, n);
    if (r == AX_OK)
        r = ax_run(d, p, &res);
    ax_result_free(&res);
    ax_program_free(p);
    return r;
}

int ax_reg_read(ax_device *d, uint32_t addr, uint32_t *value)
{
    return ax_reg_read_block(d, addr, value, 1);
}

int ax_reg_write(ax_device *d, uint32_t addr, uint32_t value)
{
    return ax_reg_write_block(d, addr, &value, 1);
}

int ax_chip_reset(ax_device *d)
{
    return ax_reg_write(d, AX_REG_CHIP_RESET, 1);
}
