/* The thread's error detail: one convention for error text in every layer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "axon/status.h"

/* Room for a message with a long path or two (the callers' buffers were 1 KiB
 * and more before they moved here; the config parser formats into 512). */
static _Thread_local char detail[1024];
static _Thread_local unsigned detail_gen; /* counts ax_fail calls */

int ax_fail(int status, const char *fmt, ...)
{
    char text[sizeof detail];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap); /* fmt may print the old detail */
    va_end(ap);
    memcpy(detail, text, sizeof detail);
    detail_gen++;
    return status;
}

unsigned ax_detail_gen(void)
{
    return detail_gen;
}

int ax_fail_wrap(int status, unsigned gen, const char *what)
{
    if (detail_gen != gen)
        return ax_fail(status, "%s: %s", what, detail);
    return ax_fail(status, "%s: %s", what, ax_strerror(status));
}

const char *ax_error_detail(void)
{
    return detail;
}

void ax_error_clear(void)
{
    detail[0] = '\0';
}
