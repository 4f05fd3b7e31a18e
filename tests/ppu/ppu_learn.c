/* Helpers for the learning tests of the PPU programs (ppu_learn.h). */
#include "ppu_learn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "axon/clock.h"
#include "axon/ppu.h"

static int failures;

void pl_check(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s: ", ok ? "ok" : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failures += !ok;
}

int pl_failures(void)
{
    return failures;
}

void pl_must(int rc, const char *what)
{
    if (rc < 0) {
        printf("FAIL: %s: %s\n", what, ax_error_detail());
        exit(1);
    }
}

static ax_ppu_image img; /* the image pl_start loaded last */

const ax_ppu_image *pl_image(void)
{
    return &img;
}

int pl_start(ax_device *d, unsigned hemi, const char *dir, const char *name, const void *params,
             size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int r = ax_ppu_image_read(path, &img);
    if (r == AX_OK)
        r = ax_ppu_load(d, hemi, &img);
    if (r == AX_OK && n)
        r = ax_ppu_sram_write(d, hemi, AX_PPU_HOST_AREA, params, n);
    return r < 0 ? r : ax_ppu_start(d, hemi, img.entry);
}

int pl_wait_outbox(ax_device *d, unsigned hemi, uint32_t want, double timeout_s)
{
    double t0 = pl_wall();
    struct ax_ppu_status st;
    for (;;) {
        int r = ax_ppu_status(d, hemi, &st);
        if (r < 0)
            return r;
        if (st.outbox == want)
            return AX_OK;
        if (st.state != AX_PPU_RUNNING && st.state != AX_PPU_ASLEEP) {
            if (st.trapped)
                return ax_fail(AX_E_REMOTE, "ppu %u: %s at pc 0x%08x waiting for outbox %#x", hemi,
                               ax_ppu_cause_name(st.cause), st.pc, want);
            return ax_fail(AX_E_REMOTE, "ppu %u: stopped (exit %u) waiting for outbox %#x", hemi,
                           st.exit_code, want);
        }
        if (pl_wall() - t0 > timeout_s)
            return ax_fail(AX_E_TIMEOUT, "ppu %u: outbox %#x, not %#x, after %.0f s", hemi,
                           st.outbox, want, timeout_s);
    }
}

int pl_finish(ax_device *d, unsigned hemi)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    size_t n = 0;
    int r = ax_ppu_inbox_write(d, hemi, 0);
    if (r == AX_OK)
        r = ax_ppu_wait(d, hemi, 30, &st);
    if (r == AX_OK)
        r = ax_ppu_mailbox(d, hemi, mbox, AX_PPU_MAILBOX_BYTES, &n);
    if (r < 0)
        return r;
    mbox[n < AX_PPU_MAILBOX_BYTES ? n : AX_PPU_MAILBOX_BYTES] = '\0';
    printf("  ppu %u mailbox: %s", hemi, mbox);
    return st.exited ? (int)st.exit_code : ax_fail(AX_E_REMOTE, "ppu %u: trapped", hemi);
}

void pl_stats(const double *x, size_t n, double *mean, double *sd)
{
    double s = 0, q = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    *mean = n ? s / (double)n : 0;
    for (size_t i = 0; i < n; i++)
        q += (x[i] - *mean) * (x[i] - *mean);
    *sd = n > 1 ? sqrt(q / (double)(n - 1)) : 0;
}

double pl_wall(void)
{
    static double t0 = -1;
    double t = ax_mono_seconds();
    if (t0 < 0)
        t0 = t;
    return t - t0;
}
