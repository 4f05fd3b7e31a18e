/* The plasticity processor's runtime (ppu/): what a program on the chip's
 * RV32IM core links against. Memory map (docs/ppu.md): 16 KiB of SRAM at
 * address 0 holds code, data and the stack; a program starts at _start
 * (runtime/crt0.S), which sets the stack, clears .bss, calls main and ends
 * with ppu_exit(main's result). */
#ifndef AX_PPU_H
#define AX_PPU_H

#include <stdint.h>

#define PPU_SRAM_BASE 0x00000000u
#define PPU_SRAM_SIZE 0x4000u /* 16 KiB */

/* Ends the program with an exit code the host reads; never returns. */
void ppu_exit(int code) __attribute__((noreturn));

#endif
