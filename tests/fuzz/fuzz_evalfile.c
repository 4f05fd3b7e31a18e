/* Fuzz target: the ttfs-eval reader (training/src/evalfile.c) on a memory
 * stream. A failed read leaves the eval empty. */
#define _GNU_SOURCE /* fmemopen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/ttfs_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0; /* fmemopen refuses an empty buffer */
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    struct ax_ttfs_eval ev;
    memset(&ev, 0, sizeof ev);
    int rc = ax_ttfs_eval_read(&ev, f, "fuzz");
    fclose(f);
    if (rc < 0 && (ev.n_layers != 0 || ev.n_samples != 0))
        abort(); /* a failed read must leave the eval empty */
    ax_ttfs_eval_free(&ev);
    return 0;
}
