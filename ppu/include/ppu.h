/* The plasticity processor's runtime (ppu/): what a program on the chip's
 * RV32IM core links against. Memory map (docs/ppu.md section 1): 16 KiB of
 * SRAM at address 0 holds code, data and the stack, whose top 1 KiB is the
 * host area; a program starts at _start (runtime/crt0.S), which sets the
 * stack, clears .bss, calls main and ends with ppu_exit(main's result).
 * printf and puts write to the mailbox (runtime/stdio.c). The chip's
 * registers: ppu/chip.h; the row unit: ppu/rowunit.h. */
#ifndef AX_PPU_H
#define AX_PPU_H

#include <stdint.h>

#define PPU_SRAM_BASE 0x00000000u
#define PPU_SRAM_SIZE 0x4000u /* 16 KiB */
/* The host area: 1 KiB at the top of SRAM that the image does not cover and
 * crt0 does not clear; the host writes a program's parameters there before
 * it starts the core. PPU_HOST_PARAMS(struct p) is that struct, in place. */
#define PPU_HOST_BASE         0x3C00u
#define PPU_HOST_SIZE         0x400u
#define PPU_HOST_PARAMS(type) (*(volatile type *)PPU_HOST_BASE)

/* The core's own registers (32-bit words at 0x8000_0000). */
#define PPU_CORE_REG(off) (*(volatile uint32_t *)(0x80000000u + (off)))
#define PPU_PUTC          0x00u /* wo: a byte for the mailbox */
#define PPU_OUTBOX        0x04u /* wo: a word the host reads */
#define PPU_CYCLE_LO      0x08u /* ro: chip cycles since start (reading LO latches HI) */
#define PPU_CYCLE_HI      0x0Cu
#define PPU_RAND          0x10u /* ro: 32 random bits a read */
#define PPU_INBOX         0x14u /* ro: the host's last INBOX word */
#define PPU_INBOX_SEQ     0x18u /* ro: host INBOX writes since start */
#define PPU_WAKE_AT       0x1Cu /* wo: wfi sleeps until CYCLE_LO reaches it (or an INBOX write) */
#define PPU_HEMI          0x20u /* ro: this core's hemisphere */

/* Ends the program with an exit code the host reads; never returns. */
void ppu_exit(int code) __attribute__((noreturn));

/* The mailbox: 256 bytes the host reads (axon ppu run prints them); later
 * bytes are dropped. printf goes here too. */
static inline void ppu_putc(char c)
{
    PPU_CORE_REG(PPU_PUTC) = (uint8_t)c;
}
static inline void ppu_puts(const char *s) /* no newline added */
{
    while (*s)
        ppu_putc(*s++);
}

static inline void ppu_outbox(uint32_t v)
{
    PPU_CORE_REG(PPU_OUTBOX) = v;
}
static inline uint32_t ppu_inbox(void)
{
    return PPU_CORE_REG(PPU_INBOX);
}
static inline uint32_t ppu_inbox_seq(void)
{
    return PPU_CORE_REG(PPU_INBOX_SEQ);
}

/* Chip cycles (8 ns) since the core was started. */
static inline uint32_t ppu_cycle(void)
{
    return PPU_CORE_REG(PPU_CYCLE_LO);
}
static inline uint64_t ppu_cycle64(void)
{
    uint32_t lo = PPU_CORE_REG(PPU_CYCLE_LO); /* latches HI */
    return (uint64_t)PPU_CORE_REG(PPU_CYCLE_HI) << 32 | lo;
}

static inline uint32_t ppu_rand(void) /* xorshift32 of the core, never 0 */
{
    return PPU_CORE_REG(PPU_RAND);
}

static inline unsigned ppu_hemisphere(void)
{
    return PPU_CORE_REG(PPU_HEMI);
}

static inline void ppu_wfi(void)
{
    __asm__ volatile("wfi");
}

/* Sleeps (wfi: almost no simulation time) until ppu_cycle() reaches cycle
 * (a wrapping compare), through INBOX writes that wake the core early. */
static inline void ppu_sleep_until(uint32_t cycle)
{
    PPU_CORE_REG(PPU_WAKE_AT) = cycle;
    while ((int32_t)(ppu_cycle() - cycle) < 0)
        ppu_wfi();
}

/* Sleeps until INBOX_SEQ differs from *seq (the host wrote INBOX since),
 * then sets *seq to it and returns the INBOX word. Start with *seq = 0 (a
 * start clears INBOX_SEQ) or ppu_inbox_seq(). The sleeps are at most 1024
 * cycles each: a write that lands between the check and the wfi is seen at
 * the next wake-up, never missed. Two host writes in one wake-up are one. */
static inline uint32_t ppu_wait_inbox(uint32_t *seq)
{
    uint32_t s;
    while ((s = ppu_inbox_seq()) == *seq) {
        PPU_CORE_REG(PPU_WAKE_AT) = ppu_cycle() + 1024u;
        ppu_wfi();
    }
    *seq = s;
    return ppu_inbox();
}

#endif
