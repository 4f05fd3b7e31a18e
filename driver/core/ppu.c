/* The plasticity processors from the host (docs/ppu.md section 3): each call
 * is one playback program on the board (SRAM writes, the PPU instruction,
 * PPU register reads), after its arguments and the board's capability are
 * checked. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "axon/clock.h"
#include "axon/le.h"
#include "axon/ppu.h"
#include "axon/program.h"
#include "device.h"

#define STATUS_WORDS (AX_PPU_MBOX_LEN + 1u) /* STATUS .. MBOX_LEN in one read */
#define MBOX_WORDS   (AX_PPU_MAILBOX_BYTES / 4u)

int ax_ppu_check(ax_device *d)
{
    if (!d)
        return AX_E_INVAL;
    if (!(d->ident.capabilities & 1u))
        return ax_fail(AX_E_UNSUPPORTED,
                       "ppu: this board has no plasticity processors (IDENT capabilities bit 0 "
                       "clear, model version %u)",
                       d->ident.model_version);
    return AX_OK;
}

/* The checks every call makes before it sends anything. */
static int ready(ax_device *d, unsigned hemi)
{
    if (!d)
        return AX_E_INVAL;
    if (hemi > 1)
        return ax_fail(AX_E_INVAL, "ppu: hemisphere %u (0 or 1)", hemi);
    return ax_ppu_check(d);
}

/* Runs p (freed here; r < 0: building it failed) and drops its result. */
static int run_free(ax_device *d, ax_program *p, int r)
{
    ax_result res;
    ax_result_init(&res);
    if (r >= 0)
        r = ax_run(d, p, &res);
    ax_result_free(&res);
    ax_program_free(p);
    return r < 0 ? r : AX_OK;
}

/* Runs a program of one instruction: the PPU command. */
static int command(ax_device *d, unsigned cmd, unsigned hemi, uint32_t pc)
{
    ax_program *p;
    int r = ax_program_new(&p);
    return r < 0 ? r : run_free(d, p, ax_program_ppu(p, cmd, hemi, pc));
}

int ax_ppu_load(ax_device *d, unsigned hemi, const ax_ppu_image *img)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if (!img || img->end == 0 || img->end > AX_PPU_SRAM_BYTES)
        return ax_fail(AX_E_INVAL, "ppu: empty or oversized image");
    uint32_t w[AX_PPU_SRAM_BYTES / 4];
    size_t n = (img->end + 3u) / 4u;
    for (size_t i = 0; i < n; i++)
        w[i] = ax_get_le32(img->sram + 4 * i);
    ax_program *p;
    r = ax_program_new(&p);
    if (r < 0)
        return r;
    /* Stopped first: a running core must not execute a half-written image. */
    r = ax_program_ppu(p, AX_PPU_STOP, hemi, 0);
    if (r == AX_OK)
        r = ax_program_write_block(p, AX_PPU_SRAM_ADDR(hemi), w, n);
    return run_free(d, p, r);
}

int ax_ppu_start(ax_device *d, unsigned hemi, uint32_t pc)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if (pc % 4 || pc >= AX_PPU_SRAM_BYTES)
        return ax_fail(AX_E_RANGE, "ppu: start address 0x%x (4-aligned, below 0x4000)", pc);
    return command(d, AX_PPU_START, hemi, pc);
}

int ax_ppu_stop(ax_device *d, unsigned hemi)
{
    int r = ready(d, hemi);
    return r < 0 ? r : command(d, AX_PPU_STOP, hemi, 0);
}

static void decode_status(const uint32_t *v, struct ax_ppu_status *st)
{
    memset(st, 0, sizeof *st);
    st->state = v[AX_PPU_STATUS] & 3u;
    st->exited = v[AX_PPU_STATUS] >> 2 & 1u;
    st->trapped = v[AX_PPU_STATUS] >> 3 & 1u;
    st->cause = v[AX_PPU_STATUS] >> 8 & 0xFu;
    st->exit_code = v[AX_PPU_EXIT_CODE];
    st->pc = v[AX_PPU_PC];
    st->tval = v[AX_PPU_TVAL];
    st->cycles = v[AX_PPU_CYCLES];
    st->instret = v[AX_PPU_INSTRET];
    st->outbox = v[AX_PPU_OUTBOX];
    st->mbox_len = v[AX_PPU_MBOX_LEN] & 0x1FFu;
    st->mbox_overflow = v[AX_PPU_MBOX_LEN] >> 31;
}

int ax_ppu_status(ax_device *d, unsigned hemi, struct ax_ppu_status *st)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if (!st)
        return AX_E_INVAL;
    uint32_t v[STATUS_WORDS];
    r = ax_reg_read_block(d, AX_PPU_REG_ADDR(hemi), v, STATUS_WORDS);
    if (r == AX_OK)
        decode_status(v, st);
    return r;
}

int ax_ppu_wait(ax_device *d, unsigned hemi, double timeout_s, struct ax_ppu_status *st)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if (!st || !(timeout_s > 0))
        return ax_fail(AX_E_INVAL, "ppu: wait needs a status and a timeout > 0 s");
    /* A simulated board steps only while the host talks to it (its clock is
     * the model's): polled back to back. A board that runs on its own (wall
     * clock) is polled every millisecond. */
    bool runs_alone = d->link.tr->ops->now_us == NULL;
    double t0 = ax_mono_seconds();
    for (;;) {
        r = ax_ppu_status(d, hemi, st);
        if (r < 0 || (st->state != AX_PPU_RUNNING && st->state != AX_PPU_ASLEEP))
            return r;
        if (ax_mono_seconds() - t0 >= timeout_s)
            break;
        if (runs_alone)
            nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    uint32_t pc = st->pc;
    r = ax_ppu_stop(d, hemi);
    if (r < 0)
        return r;
    return ax_fail(AX_E_TIMEOUT, "ppu %u: no exit within %g s (pc 0x%x)", hemi, timeout_s, pc);
}

int ax_ppu_mailbox(ax_device *d, unsigned hemi, char *buf, size_t cap, size_t *len)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if ((!buf && cap) || !len)
        return AX_E_INVAL;
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    r = ax_program_new(&p);
    if (r < 0)
        return r;
    int t_len = ax_program_read(p, AX_PPU_REG_ADDR(hemi) + AX_PPU_MBOX_LEN, 1);
    int t_box =
        t_len < 0 ? t_len : ax_program_read(p, AX_PPU_REG_ADDR(hemi) + AX_PPU_MBOX, MBOX_WORDS);
    r = t_box < 0 ? t_box : ax_run(d, p, &res);
    ax_program_free(p);
    if (r == AX_OK) {
        size_t n = res.tickets[t_len].data[0] & 0x1FFu;
        if (n > AX_PPU_MAILBOX_BYTES)
            n = AX_PPU_MAILBOX_BYTES;
        uint8_t bytes[AX_PPU_MAILBOX_BYTES];
        for (unsigned i = 0; i < MBOX_WORDS; i++)
            ax_put_le32(bytes + 4 * i, res.tickets[t_box].data[i]);
        if (cap)
            memcpy(buf, bytes, n < cap ? n : cap);
        *len = n;
    }
    ax_result_free(&res);
    return r;
}

/* The checks of an SRAM access. */
static int sram_range(ax_device *d, unsigned hemi, uint32_t addr, const void *data, size_t n)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    if (!data || n == 0 || addr % 4 || n % 4 || addr >= AX_PPU_SRAM_BYTES ||
        n > AX_PPU_SRAM_BYTES - addr)
        return ax_fail(AX_E_RANGE, "ppu: SRAM access of %zu bytes at 0x%x (4-aligned, < 0x4000)", n,
                       addr);
    return AX_OK;
}

int ax_ppu_sram_write(ax_device *d, unsigned hemi, uint32_t addr, const void *data, size_t n)
{
    int r = sram_range(d, hemi, addr, data, n);
    if (r < 0)
        return r;
    uint32_t w[AX_PPU_SRAM_BYTES / 4];
    for (size_t i = 0; i < n / 4; i++)
        w[i] = ax_get_le32((const uint8_t *)data + 4 * i);
    return ax_reg_write_block(d, AX_PPU_SRAM_ADDR(hemi) + addr / 4, w, n / 4);
}

int ax_ppu_sram_read(ax_device *d, unsigned hemi, uint32_t addr, void *data, size_t n)
{
    int r = sram_range(d, hemi, addr, data, n);
    if (r < 0)
        return r;
    uint32_t w[AX_PPU_SRAM_BYTES / 4];
    r = ax_reg_read_block(d, AX_PPU_SRAM_ADDR(hemi) + addr / 4, w, n / 4);
    for (size_t i = 0; r == AX_OK && i < n / 4; i++)
        ax_put_le32((uint8_t *)data + 4 * i, w[i]);
    return r;
}

int ax_ppu_inbox_write(ax_device *d, unsigned hemi, uint32_t value)
{
    int r = ready(d, hemi);
    return r < 0 ? r : ax_reg_write(d, AX_PPU_REG_ADDR(hemi) + AX_PPU_INBOX, value);
}

int ax_ppu_outbox_read(ax_device *d, unsigned hemi, uint32_t *value)
{
    int r = ready(d, hemi);
    if (r < 0)
        return r;
    return value ? ax_reg_read(d, AX_PPU_REG_ADDR(hemi) + AX_PPU_OUTBOX, value) : AX_E_INVAL;
}

const char *ax_ppu_cause_name(unsigned cause)
{
    static const char *const names[] = {
        "misaligned instruction fetch",
        "instruction access fault",
        "illegal instruction",
        "breakpoint (ebreak)",
        "misaligned load",
        "load access fault",
        "misaligned store",
        "store access fault",
        NULL,
        NULL,
        NULL,
        "environment call (ecall other than exit)",
    };
    if (cause < sizeof names / sizeof names[0] && names[cause])
        return names[cause];
    return "unknown trap cause";
}
