/* ppu_exit: the exit code stays in a0 and the core stops at an ebreak, where
 * the host's side (docs/ppu.md) reads it. */
#include "ppu.h"

void ppu_exit(int code)
{
    register int a0 __asm__("a0") = code;
    for (;;)
        __asm__ volatile("ebreak" : : "r"(a0));
}
