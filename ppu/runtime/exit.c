/* ppu_exit: the exit ecall (a7 = 93, the Linux exit number, so a program
 * also runs under qemu-riscv32); the core halts with EXITED and the host
 * reads a0 as EXIT_CODE. _exit is the same, for picolibc's exit(). */
#include "ppu.h"

void ppu_exit(int code)
{
    register int a0 __asm__("a0") = code;
    register int a7 __asm__("a7") = 93;
    for (;;)
        __asm__ volatile("ecall" : : "r"(a0), "r"(a7));
}

void _exit(int code) __attribute__((noreturn));
void _exit(int code)
{
    ppu_exit(code);
}
