/* Helpers for the tests and benchmarks of the PPU programs (test_ppu_run,
 * test_ppu_stdp, test_ppu_rstdp, test_ppu_homeo, bench-ppu): load a built
 * program with its parameters, wait for its OUTBOX, count checks,
 * statistics. */
#ifndef PPU_LEARN_H
#define PPU_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/axon.h"
#include "axon/ppu.h"

/* The board of the learning tests: the full chip, fixed-pattern and
 * temporal noise on, a fixed die and run (another DEVICE argument tries
 * other dies). */
#define PL_DEVICE "sim:?size=full&die=11&run=5&fpn=1&noise=1"

/* Prints "ok: ..." or "FAIL: ..." and counts the failures (pl_failures). */
void pl_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pl_failures(void);
/* Exits the test (status 1) with the driver's detail when rc < 0. */
void pl_must(int rc, const char *what);

/* Loads dir/name into core hemi, writes n bytes of params (if n) to the host
 * area and starts it at its entry point. */
int pl_start(ax_device *d, unsigned hemi, const char *dir, const char *name, const void *params,
             size_t n);
/* The image the last pl_start loaded. */
const ax_ppu_image *pl_image(void);
/* Polls core hemi's OUTBOX until it equals want; AX_E_TIMEOUT after
 * timeout_s seconds of wall time, AX_E_REMOTE (detail: the state, exit code
 * or trap) if the core stops first. */
int pl_wait_outbox(ax_device *d, unsigned hemi, uint32_t want, double timeout_s);
/* Ends a resident program: INBOX word 0, then waits for its exit; prints
 * its mailbox. Returns its exit code or a negative status. */
int pl_finish(ax_device *d, unsigned hemi);

/* Mean and standard deviation of n values. */
void pl_stats(const double *x, size_t n, double *mean, double *sd);
/* Seconds of wall time since the first call. */
double pl_wall(void);

#endif
