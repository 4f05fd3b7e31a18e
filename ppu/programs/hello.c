/* The minimal program (docs/ppu.md section 6): a line to the mailbox with
 * printf, and an exit code the host sees (axon ppu run hello.elf exits 42). */
#include <stdio.h>

#include "ppu.h"

int main(void)
{
    printf("hello from PPU %u\n", ppu_hemisphere());
    return 42;
}
