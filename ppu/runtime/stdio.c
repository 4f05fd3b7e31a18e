/* picolibc's stdout (and stderr) for the processor: every byte goes to the
 * mailbox the host reads (docs/ppu.md section 1). picolibc leaves these
 * streams to the program; the runtime defines them once for all. */
#include <stdio.h>

#include "ppu.h"

static int mailbox_put(char c, FILE *f)
{
    (void)f;
    ppu_putc(c);
    return (unsigned char)c;
}

static FILE mailbox = FDEV_SETUP_STREAM(mailbox_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &mailbox;
FILE *const stderr = &mailbox;
