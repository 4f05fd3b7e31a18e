/* The row unit (docs/ppu.md section 2): eight vector registers v0..v7 of 32
 * unsigned 8-bit lanes, loaded from and stored to 32-column segments of a
 * synapse row (weights, labels, correlation sensors, membranes) or SRAM, one
 * instruction each. Custom-0 R-type instructions (.insn r 0x0B, 0, funct7,
 * rd, rs1, rs2); a vector register is named by its number in the x-register
 * field. The compiler does not know the vector registers: every wrapper is
 * a volatile asm, so they run in program order, and the ones that touch
 * memory clobber it. Vector register arguments must be constants (v0..v7):
 * the wrappers are always inlined and need optimisation (-O1 or more). */
#ifndef AX_PPU_ROWUNIT_H
#define AX_PPU_ROWUNIT_H

#include <stdint.h>

enum ppu_vreg { v0, v1, v2, v3, v4, v5, v6, v7 };

/* Sources of a row segment (descriptor bits [15:12]). */
enum ppu_row_src {
    RU_WEIGHTS = 0,  /* 0..63; stores clamp to 63 */
    RU_LABELS = 1,   /* 0..63; stores keep the low 6 bits */
    RU_CAUSAL = 2,   /* CADC codes of the causal correlation sensors (load only) */
    RU_ACAUSAL = 3,  /* anti-causal sensors (load only) */
    RU_MEMBRANE = 4, /* CADC codes of the membranes; row ignored (load only) */
};
#define RU_LANES    32u /* columns per segment */
#define RU_SEGMENTS 8u  /* segments per 256-column row */

/* Descriptor of segment seg (columns 32 seg .. 32 seg + 31) of row of the
 * core's own hemisphere. */
static inline uint32_t ru_seg(unsigned row, unsigned seg, enum ppu_row_src src)
{
    return (row & 0xFFu) | (seg & 7u) << 8 | ((uint32_t)src & 0xFu) << 12;
}

#define RU_INLINE static inline __attribute__((always_inline))

/* vd = the row segment desc. */
RU_INLINE void ru_vld(enum ppu_vreg vd, uint32_t desc)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x00, x%0, %1, x0" : : "i"(vd), "r"(desc) : "memory");
}
/* The row segment desc = vs. */
RU_INLINE void ru_vst(enum ppu_vreg vs, uint32_t desc)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x01, x0, %1, x%0" : : "i"(vs), "r"(desc) : "memory");
}

/* Lane-wise arithmetic on vector registers. */
#define RU_VVV(name, funct7)                                                                       \
    RU_INLINE void name(enum ppu_vreg vd, enum ppu_vreg a, enum ppu_vreg b)                        \
    {                                                                                              \
        __asm__ volatile(".insn r 0x0B, 0, " #funct7 ", x%0, x%1, x%2"                             \
                         :                                                                         \
                         : "i"(vd), "i"(a), "i"(b));                                               \
    }
RU_VVV(ru_vadds, 0x02) /* vd = min(a + b, 255) */
RU_VVV(ru_vsubs, 0x03) /* vd = max(a - b, 0) */
RU_VVV(ru_vmulh, 0x04) /* vd = (a * b) >> 8 */
RU_VVV(ru_vmin, 0x06)
RU_VVV(ru_vmax, 0x07)
#undef RU_VVV

/* Every lane of vd = x & 0xFF. */
RU_INLINE void ru_vsplat(enum ppu_vreg vd, uint32_t x)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x05, x%0, %1, x0" : : "i"(vd), "r"(x));
}
/* vd = a >> (sh & 7) per lane. */
RU_INLINE void ru_vshr(enum ppu_vreg vd, enum ppu_vreg a, uint32_t sh)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x08, x%0, x%1, %2" : : "i"(vd), "i"(a), "r"(sh));
}
/* vd = 32 random bytes (the core's RAND source). */
RU_INLINE void ru_vrand(enum ppu_vreg vd)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x09, x%0, x0, x0" : : "i"(vd));
}
/* Lane (lane & 31) of a. */
RU_INLINE uint32_t ru_vget(enum ppu_vreg a, uint32_t lane)
{
    uint32_t x;
    __asm__ volatile(".insn r 0x0B, 0, 0x0A, %0, x%1, %2" : "=r"(x) : "i"(a), "r"(lane));
    return x;
}
/* Lane (lane & 31) of vd = x & 0xFF. */
RU_INLINE void ru_vset(enum ppu_vreg vd, uint32_t x, uint32_t lane)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x0B, x%0, %1, %2" : : "i"(vd), "r"(x), "r"(lane));
}
/* vd = 32 bytes of SRAM at p (32-byte aligned, else a misaligned-load trap). */
RU_INLINE void ru_vldm(enum ppu_vreg vd, const void *p)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x0C, x%0, %1, x0" : : "i"(vd), "r"(p) : "memory");
}
/* 32 bytes of SRAM at p (aligned as ru_vldm) = vs. */
RU_INLINE void ru_vstm(enum ppu_vreg vs, void *p)
{
    __asm__ volatile(".insn r 0x0B, 0, 0x0D, x0, %1, x%0" : : "i"(vs), "r"(p) : "memory");
}
/* Sum of the 32 lanes of a. */
RU_INLINE uint32_t ru_vsum(enum ppu_vreg a)
{
    uint32_t x;
    __asm__ volatile(".insn r 0x0B, 0, 0x0E, %0, x%1, x0" : "=r"(x) : "i"(a));
    return x;
}

#endif
