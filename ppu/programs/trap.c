/* A program that traps (a test of the host's trap report): prints a line,
 * then executes the all-zero word, an illegal instruction. */
#include <stdio.h>

#include "ppu.h"

int main(void)
{
    puts("about to trap");
    __asm__ volatile(".word 0");
    return 0;
}
