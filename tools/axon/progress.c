/* The progress bar of long subcommands: one line on stderr, redrawn in place,
 * shown only when stderr is a terminal (so logs and pipes stay clean). */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <unistd.h>

#include "commands.h"

int axon_progress_wanted(void)
{
    return isatty(fileno(stderr));
}

void axon_progress(const char *label, double done, double total)
{
    enum { WIDTH = 40 };
    double frac = total > 0 ? done / total : 1.0;
    if (frac > 1.0)
        frac = 1.0;
    int filled = (int)(frac * WIDTH);
    fprintf(stderr, "\r%s [", label);
    for (int i = 0; i < WIDTH; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", (int)(frac * 100.0));
    if (frac >= 1.0)
        fputs("\r\033[K", stderr); /* finished: leave the line empty */
    fflush(stderr);
}

void axon_progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}
