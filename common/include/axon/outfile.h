/* Output files that never lose or fake data. A regular file (or a new one) is
 * written to a unique temporary in the same folder and renamed over the
 * target only when complete, so a failed or interrupted write leaves the old
 * file (or none), never a half-written one. What is not a regular file (a
 * FIFO, a terminal, /dev/stdout, /dev/null) is written directly; a symlink is
 * followed and its target replaced, the link kept. "-" is standard output. */
#ifndef AXON_OUTFILE_H
#define AXON_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ax_outfile ax_outfile;

/* Checks, before any work is done, that path can be written: its folder
 * exists (and is a folder), the path fits PATH_MAX, and an existing target is
 * not a folder. AX_E_NOTFOUND, AX_E_INVAL, AX_E_IO with ax_error_detail(). */
AX_API int ax_outfile_check(const char *path);
/* Opens path for writing as described above. */
AX_API int ax_outfile_open(ax_outfile **out, const char *path);
AX_API FILE *ax_outfile_stream(ax_outfile *o);
/* Flushes, checks every write, syncs and renames into place; frees o. A write
 * error (a full disk) is AX_E_IO naming the path; the target is untouched. */
AX_API int ax_outfile_commit(ax_outfile *o);
/* Drops what was written (removes the temporary); frees o (NULL is fine). */
AX_API void ax_outfile_abort(ax_outfile *o);
/* True when a and b name the same file (or both are "-"): two outputs of one
 * command must not (a later one would replace an earlier one). */
AX_API bool ax_outfile_same(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
