/* The programs of ppu/programs on the simulated board's cores through
 * libaxon, in one process (one board): exit codes and mailbox text, both
 * hemispheres, a runaway program stopped by the timeout with the board still
 * usable, a trap's cause and address, the chip window, and one STDP update
 * with and without the row unit (their cycles printed).
 * usage: test_ppu_run PPU_DIR (build/ppu, holding the .elf files) */
#include <stdio.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"

static int fails;
static const char *dir;
static ax_ppu_image img;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    fails += !ok;
}

/* Loads dir/name into core hemi, starts it, waits (timeout_s) and reads the
 * mailbox (NUL-terminated). Returns ax_ppu_wait's status. */
static int run(ax_device *d, unsigned hemi, const char *name, double timeout_s,
               struct ax_ppu_status *st, char *mbox)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = 0;
    int r = ax_ppu_image_read(path, &img);
    if (r == AX_OK)
        r = ax_ppu_load(d, hemi, &img);
    if (r == AX_OK)
        r = ax_ppu_start(d, hemi, img.entry);
    int w = r < 0 ? r : ax_ppu_wait(d, hemi, timeout_s, st);
    if ((w == AX_OK || w == AX_E_TIMEOUT) &&
        ax_ppu_mailbox(d, hemi, mbox, AX_PPU_MAILBOX_BYTES, &n) < 0)
        w = AX_E_IO;
    mbox[n] = '\0';
    if (w < 0 && w != AX_E_TIMEOUT)
        printf("  %s on ppu %u: %s\n", name, hemi, ax_error_detail());
    return w;
}

static void test_hello(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1], want[32];
    for (unsigned h = 0; h < 2; h++) {
        int r = run(d, h, "hello.elf", 30, &st, mbox);
        snprintf(want, sizeof want, "hello from PPU %u\n", h);
        check(r == AX_OK && st.exited && !st.trapped && st.exit_code == 42, "hello: exits with 42");
        check(!strcmp(mbox, want), "hello: prints 'hello from PPU <hemi>' to the mailbox");
        check(st.instret > 100 && st.cycles >= st.instret, "hello: counters (cycles >= instret)");
        printf("  ppu %u: hello took %u cycles, %u instructions\n", h, st.cycles, st.instret);
    }
    check(run(d, 0, "exit42.elf", 30, &st, mbox) == AX_OK && st.exit_code == 42,
          "exit42: crt0's .data and .bss (exit 42)");
}

static void test_runaway(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 0, "spin.elf", 0.5, &st, mbox);
    check(r == AX_E_TIMEOUT && strstr(ax_error_detail(), "ppu 0: no exit within 0.5 s (pc 0x"),
          "spin: AX_E_TIMEOUT, 'no exit within 0.5 s (pc 0x...)'");
    uint32_t out = 0;
    check(ax_ppu_status(d, 0, &st) == AX_OK && st.state == AX_PPU_STOPPED, "spin: core stopped");
    check(ax_ppu_outbox_read(d, 0, &out) == AX_OK && out > 100, "spin: it ran (outbox counted)");
    check(run(d, 0, "hello.elf", 30, &st, mbox) == AX_OK && st.exit_code == 42,
          "after the timeout the board runs the next program");
}

static void test_trap(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 1, "trap.elf", 30, &st, mbox);
    check(r == AX_OK && st.trapped && !st.exited && st.cause == 2 && st.tval == 0,
          "trap: TRAPPED, cause 2 (illegal instruction), tval 0 (the word)");
    check(st.pc % 4 == 0 && st.pc + 4 <= img.end && !memcmp(img.sram + st.pc, "\0\0\0\0", 4),
          "trap: pc at the all-zero word of the image");
    check(!strcmp(mbox, "about to trap\n"), "trap: the mailbox keeps what came before");
}

static void test_chip_window(ax_device *d)
{
    struct ax_ppu_status st;
    char mbox[AX_PPU_MAILBOX_BYTES + 1];
    int r = run(d, 0, "chipinfo.elf", 30, &st, mbox);
    check(r == AX_OK && st.exit_code == 0, "chipinfo: the synapse pair reads back (exit 0)");
    check(strstr(mbox, "32 neurons and 32 rows per hemisphere") &&
              strstr(mbox, "row 0 weights 21 42"),
          "chipinfo: geometry and weights printed");
    uint8_t w[32], l[32];
    check(ax_chip_get_row(d, 0, 0, w, l) == AX_OK && w[0] == 21 && w[1] == 42,
          "chipinfo: the host reads the core's weights");
    uint8_t sram[64];
    check(ax_ppu_sram_read(d, 0, 0, sram, sizeof sram) == AX_OK &&
              !memcmp(sram, img.sram, sizeof sram),
          "the host reads the loaded image back from SRAM");
}

/* One STDP update of rows 0..31 (parameters in the host area). */
static void stdp(ax_device *d, const char *name, uint32_t eta, struct ax_ppu_status *st)
{
    char path[512], mbox[AX_PPU_MAILBOX_BYTES + 1];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    uint32_t p[5 + 128] = {0, 31, eta, eta, 0}; /* baselines 0 */
    int r = ax_ppu_image_read(path, &img);
    if (r == AX_OK)
        r = ax_ppu_load(d, 0, &img);
    if (r == AX_OK)
        r = ax_ppu_sram_write(d, 0, AX_PPU_HOST_AREA, p, sizeof p);
    if (r == AX_OK)
        r = ax_ppu_start(d, 0, img.entry);
    if (r == AX_OK)
        r = ax_ppu_wait(d, 0, 60, st);
    if (r == AX_OK)
        r = ax_ppu_mailbox(d, 0, mbox, AX_PPU_MAILBOX_BYTES, &n);
    check(r == AX_OK && st->exited && st->exit_code == 0, name);
    if (r < 0)
        printf("  %s\n", ax_error_detail());
}

static void test_stdp(ax_device *d)
{
    struct ax_ppu_status a, b;
    uint32_t ca = 0, cb = 0;
    stdp(d, "stdp.elf", 0, &a);
    ax_ppu_outbox_read(d, 0, &ca);
    stdp(d, "stdp_scalar.elf", 0, &b);
    ax_ppu_outbox_read(d, 0, &cb);
    printf("  stdp update of 32 x 32 synapses: %u cycles with the row unit, %u scalar\n", ca, cb);
    check(ca > 0 && cb > ca, "stdp: the row unit is faster than the scalar loop");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_ppu_run PPU_DIR\n");
        return 2;
    }
    dir = argv[1];
    ax_device *d;
    if (ax_open("sim:?size=small", &d) < 0) {
        printf("FAIL: sim: %s\n", ax_error_detail());
        return 1;
    }
    if (ax_ppu_check(d) < 0) {
        printf("FAIL: %s: these tests need the cores in the model\n", ax_error_detail());
        ax_close(d);
        return 1;
    }
    test_hello(d);
    test_runaway(d);
    test_trap(d);
    test_chip_window(d);
    test_stdp(d);
    ax_close(d);
    printf("%d failure(s)\n", fails);
    return fails != 0;
}
