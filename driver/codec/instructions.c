/* Instruction encoders for CMD payloads (docs/protocol.md section 3). */
#include "axon/codec.h"

#define ADDR_MASK 0xFFFFFFu

static inline uint32_t op_word(unsigned op, uint32_t arg)
{
    return (uint32_t)op << 24 | (arg & ADDR_MASK);
}

/* Appends n words; AX_E_RANGE if they do not fit. */
static int put_words(uint32_t *buf, size_t cap, size_t *pos, const uint32_t *w, size_t n)
{
    if (!buf || !pos || *pos > cap || cap - *pos < n)
        return AX_E_RANGE;
    for (size_t i = 0; i < n; i++)
        buf[*pos + i] = w[i];
    *pos += n;
    return AX_OK;
}

static int put_op(uint32_t *buf, size_t cap, size_t *pos, unsigned op, uint32_t arg)
{
    uint32_t w = op_word(op, arg);
    return put_words(buf, cap, pos, &w, 1);
}

static int put_op2(uint32_t *buf, size_t cap, size_t *pos, unsigned op, uint32_t arg, uint32_t w1)
{
    uint32_t w[2] = {op_word(op, arg), w1};
    return put_words(buf, cap, pos, w, 2);
}

int ax_ins_nop(uint32_t *buf, size_t cap, size_t *pos)
{
    return put_op(buf, cap, pos, AX_OP_NOP, 0);
}

int ax_ins_wait_until(uint32_t *buf, size_t cap, size_t *pos, uint64_t time)
{
    if (time > AX_TIME_MASK)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_WAIT_UNTIL, (uint32_t)(time >> 32), (uint32_t)time);
}

int ax_ins_timer_reset(uint32_t *buf, size_t cap, size_t *pos)
{
    return put_op(buf, cap, pos, AX_OP_TIMER_RESET, 0);
}

int ax_ins_write(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, uint32_t data)
{
    if (addr > ADDR_MASK)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_WRITE, addr, data);
}

int ax_ins_read(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, uint16_t ticket)
{
    if (addr > ADDR_MASK)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_READ, addr, ticket);
}

int ax_ins_inject(uint32_t *buf, size_t cap, size_t *pos, uint16_t label)
{
    return put_op(buf, cap, pos, AX_OP_INJECT, label);
}

int ax_ins_inject_group(uint32_t *buf, size_t cap, size_t *pos, const uint16_t *labels, size_t n)
{
    if (!labels || n < 1 || n > AX_INJECT_GROUP_MAX)
        return AX_E_INVAL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (((labels[i] ^ labels[j]) & 0xC0u) == 0)
                return AX_E_INVAL; /* the same bus */
    uint32_t w[3] = {op_word(AX_OP_INJECT_GROUP, labels[0] | (uint32_t)(n - 1) << 16),
                     (n > 1 ? labels[1] : 0u) | (n > 2 ? (uint32_t)labels[2] << 16 : 0u),
                     n > 3 ? labels[3] : 0u};
    return put_words(buf, cap, pos, w, n > 3 ? 3 : 2); /* a fourth label takes a third word */
}

int ax_ins_barrier(uint32_t *buf, size_t cap, size_t *pos)
{
    return put_op(buf, cap, pos, AX_OP_BARRIER, 0);
}

int ax_ins_neuron_reset(uint32_t *buf, size_t cap, size_t *pos, bool all, unsigned block,
                        uint32_t mask)
{
    if (block > 15)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_NEURON_RESET, (all ? 1u << 23 : 0u) | block,
                   all ? 0 : mask);
}

int ax_ins_record(uint32_t *buf, size_t cap, size_t *pos, uint32_t flags)
{
    if (flags & ~(uint32_t)(AX_RECORD_SPIKES | AX_RECORD_FIRST_ONLY | AX_RECORD_MADC))
        return AX_E_INVAL;
    return put_op(buf, cap, pos, AX_OP_RECORD, flags);
}

int ax_ins_write_burst(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, const uint32_t *data,
                       size_t n)
{
    if (addr > ADDR_MASK || n < 1 || n > AX_WRITE_BURST_MAX || !data || addr + n - 1 > ADDR_MASK)
        return AX_E_INVAL;
    if (!buf || !pos || *pos > cap || cap - *pos < n + 2)
        return AX_E_RANGE;
    put_op2(buf, cap, pos, AX_OP_WRITE_BURST, addr, (uint32_t)n);
    return put_words(buf, cap, pos, data, n);
}

int ax_ins_read_burst(uint32_t *buf, size_t cap, size_t *pos, uint32_t addr, size_t n,
                      uint16_t ticket)
{
    if (addr > ADDR_MASK || n < 1 || n > AX_READ_BURST_MAX || addr + n - 1 > ADDR_MASK)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_READ_BURST, addr, (uint32_t)n << 16 | ticket);
}

int ax_ins_ppu(uint32_t *buf, size_t cap, size_t *pos, unsigned command, unsigned hemi,
               uint32_t addr)
{
    if (command < AX_PPU_START || command > AX_PPU_STOP || hemi > 1)
        return AX_E_INVAL;
    return put_op2(buf, cap, pos, AX_OP_PPU, command | hemi << 8, addr);
}

int ax_ins_end(uint32_t *buf, size_t cap, size_t *pos)
{
    return put_op(buf, cap, pos, AX_OP_END, 0);
}

int ax_ins_words(uint32_t w0, uint32_t w1)
{
    switch (w0 >> 24) {
    case AX_OP_NOP:
    case AX_OP_TIMER_RESET:
    case AX_OP_INJECT:
    case AX_OP_BARRIER:
    case AX_OP_RECORD:
    case AX_OP_END:
        return 1;
    case AX_OP_WAIT_UNTIL:
    case AX_OP_WRITE:
    case AX_OP_READ:
    case AX_OP_NEURON_RESET:
    case AX_OP_READ_BURST:
    case AX_OP_PPU:
        return 2;
    case AX_OP_INJECT_GROUP:
        return ((w0 >> 16) & 3u) == 3u ? 3 : 2;
    case AX_OP_WRITE_BURST:
        return 2 + (int)(w1 & 0xFFFFu);
    default:
        return AX_E_FORMAT;
    }
}
