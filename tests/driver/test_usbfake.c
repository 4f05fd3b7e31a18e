/* The usb: and ftdi: transports through the real libusb and libftdi code,
 * against fake bridges (usbfake.c: a umockdev testbed whose ioctl handler
 * carries the bytes to and from the simulated board). Each check runs over
 * the fake and over sim: with the same board options and must give the same
 * numbers: identification, registers, synapse rows, a playback program with
 * recorded spikes, a burst of 3200 register words (many 512-byte FTDI
 * packets), `axon info --json` and `axon list --json` from child processes.
 * Then a device unplugged in the middle of a run (while the host writes, and
 * while it waits for data): a clean error within seconds, no hang on close,
 * and a new open says the board is gone. Then a board that stalls behind a
 * live bridge: AX_E_TIMEOUT, recovery by HELLO. Then a noisy wire (bit
 * flips in the USB data): never a wrong value.
 *
 * Runs under umockdev-wrapper (LD_PRELOAD of libumockdev-preload.so).
 * usage: test_usbfake ftdi|ft232h|usb [AXON_BINARY]   (exit 77: skipped)
 * ftdi: an FT2232H as ftdi:0403:6010?serial=..&interface=A; ft232h: an FT232H
 * as the bare default URI ftdi: (its main checks and one unplug only). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "axon/clock.h"
#include "axon/chip.h"
#include "axon/program.h"
#include "device.h"
#include "usbfake.h"

#define SERIAL "AXFAKE01"

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond);                       \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, " (%s)\n", ax_error_detail());                                         \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* What one pass over a device gives; compared field by field. */
typedef struct outcome {
    ax_ident id;
    uint32_t scratch;
    uint32_t regs[8];
    uint8_t w[32], l[32];
    ax_spike spikes[64];
    size_t nspikes;
    size_t nlate;
    uint32_t trials;
    uint32_t words[400 * 8];
    size_t nwords;
    uint8_t counts[2];
    ax_link_stats link;
    double seconds;
} outcome;

/* Neuron 0 (label 0x8005) driven through synapse row 0 by injected events:
 * three trials of 10 events each, spikes recorded. */
static int spike_run(ax_device *d, outcome *o)
{
    uint16_t gain = 1022;
    ax_neuron_cfg cfg = {.label = 0x8000 | 5, .record = true};
    uint8_t w[32] = {63}, l[32] = {1};
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_OFF};
    int r;
    if ((r = ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, &gain, 1)) < 0 ||
        (r = ax_chip_wait_capmem(d)) < 0 || (r = ax_chip_set_neurons(d, 0, &cfg, 1)) < 0 ||
        (r = ax_chip_set_row(d, 0, 0, w, l)) < 0 ||
        (r = ax_chip_set_drivers(d, 0, 0, &drv, 1)) < 0 || (r = ax_chip_clear_counts(d)) < 0)
        return r;
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    ax_program_record(p, AX_RECORD_SPIKES);
    for (unsigned t = 0; t < 3; t++) {
        ax_program_neuron_reset(p, true, 0, 0);
        ax_program_timer_reset(p);
        for (unsigned i = 0; i < 10; i++) {
            ax_program_wait_until(p, 100 + (8 + 4 * t) * i);
            ax_program_inject(p, 1u | 1u << 13); /* address 1, driver 0, hemisphere 0 */
        }
        ax_program_wait_until(p, 2000);
    }
    r = ax_run(d, p, &res);
    if (r == AX_OK) {
        o->nspikes = res.nspikes < 64 ? res.nspikes : 64;
        memcpy(o->spikes, res.spikes, o->nspikes * sizeof *o->spikes);
        o->nlate = res.nlate;
        o->trials = res.trials;
        r = ax_chip_spike_counts(d, 0, o->counts, 2);
    }
    ax_result_free(&res);
    ax_program_free(p);
    return r;
}

/* 400 burst reads of the 8 identification registers in one program. */
static int burst_run(ax_device *d, outcome *o)
{
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    for (unsigned i = 0; i < 400; i++)
        ax_program_read(p, AX_REG_PROTOCOL, 8);
    int r = ax_run(d, p, &res);
    o->nwords = 0;
    for (size_t t = 0; r == AX_OK && t < res.ntickets; t++)
        for (unsigned k = 0; k < res.tickets[t].count && o->nwords < 400 * 8; k++)
            o->words[o->nwords++] = res.tickets[t].data[k];
    ax_result_free(&res);
    ax_program_free(p);
    return r;
}

static void run_all(const char *uri, outcome *o)
{
    memset(o, 0, sizeof *o);
    double t0 = ax_mono_seconds();
    ax_device *d = NULL;
    int r = ax_open(uri, &d);
    CHECK(r == AX_OK, "open %s: %d", uri, r);
    if (r < 0)
        return;
    /* Through umockdev every USB transaction is a socket round trip to the
     * handler thread and the verilated board runs at about 1 M cycles/s, not
     * 125 M: the fakes are two orders slower than a board. The resend timeout
     * stays the transport's; 100 silent rounds (not 20) before giving up
     * keep a loaded CI machine from tripping a run's deadline. */
    if (strncmp(uri, "sim:", 4))
        ax_link_set_timeout(d, 0, 100);
    o->id = *ax_device_ident(d);
    CHECK(ax_reg_write(d, AX_REG_SCRATCH, 0x600DF00D) == AX_OK, "%s: write", uri);
    CHECK(ax_reg_read(d, AX_REG_SCRATCH, &o->scratch) == AX_OK, "%s: read", uri);
    CHECK(ax_reg_read_block(d, AX_REG_PROTOCOL, o->regs, 8) == AX_OK, "%s: block read", uri);
    uint8_t w[32], l[32];
    for (unsigned c = 0; c < 32; c++)
        w[c] = (uint8_t)(c * 2 % 64), l[c] = (uint8_t)(63 - c);
    CHECK(ax_chip_set_row(d, 1, 31, w, l) == AX_OK, "%s: set row", uri);
    CHECK(ax_chip_get_row(d, 1, 31, o->w, o->l) == AX_OK, "%s: get row", uri);
    if (getenv("AX_USBFAKE_VERBOSE"))
        fprintf(stderr, "%s: basics %.2f s\n", uri, ax_mono_seconds() - t0);
    CHECK((r = spike_run(d, o)) == AX_OK, "%s: spike program: %d", uri, r);
    if (getenv("AX_USBFAKE_VERBOSE"))
        fprintf(stderr, "%s: spikes %.2f s\n", uri, ax_mono_seconds() - t0);
    CHECK((r = burst_run(d, o)) == AX_OK, "%s: burst program: %d", uri, r);
    ax_link_get_stats(d, &o->link);
    ax_close(d);
    o->seconds = ax_mono_seconds() - t0;
}

static void compare(const outcome *a, const outcome *b, const char *what)
{
    CHECK(a->id.protocol_version == b->id.protocol_version && a->id.die_seed == b->id.die_seed &&
              a->id.chip_id == b->id.chip_id && a->id.model_version == b->id.model_version &&
              a->id.neurons_per_hemi == b->id.neurons_per_hemi &&
              a->id.rows_per_hemi == b->id.rows_per_hemi,
          "%s: identification differs", what);
    CHECK(a->id.die_seed == 9, "%s: die seed %llu", what, (unsigned long long)a->id.die_seed);
    CHECK(a->scratch == 0x600DF00D, "%s: scratch %08x", what, a->scratch);
    CHECK(!memcmp(a->regs, b->regs, sizeof a->regs), "%s: registers differ", what);
    CHECK(!memcmp(a->w, b->w, 32) && !memcmp(a->l, b->l, 32), "%s: synapse row differs", what);
    CHECK(a->w[5] == 10 && a->l[5] == 58, "%s: row read back %u %u", what, a->w[5], a->l[5]);
    CHECK(a->nspikes == b->nspikes, "%s: %zu spikes, sim: %zu", what, a->nspikes, b->nspikes);
    CHECK(a->nspikes >= 3, "%s: only %zu spikes", what, a->nspikes);
    for (size_t i = 0; i < a->nspikes && i < b->nspikes; i++)
        CHECK(a->spikes[i].time == b->spikes[i].time && a->spikes[i].label == b->spikes[i].label &&
                  a->spikes[i].frac == b->spikes[i].frac &&
                  a->spikes[i].trial == b->spikes[i].trial,
              "%s: spike %zu: %llu/%u/%u/%u vs sim %llu/%u/%u/%u", what, i,
              (unsigned long long)a->spikes[i].time, a->spikes[i].label, a->spikes[i].frac,
              a->spikes[i].trial, (unsigned long long)b->spikes[i].time, b->spikes[i].label,
              b->spikes[i].frac, b->spikes[i].trial);
    CHECK(a->nlate == 0 && a->trials == 3, "%s: late %zu trials %u", what, a->nlate, a->trials);
    CHECK(a->counts[0] == b->counts[0] && a->counts[1] == 0, "%s: counts %u %u (sim %u)", what,
          a->counts[0], a->counts[1], b->counts[0]);
    CHECK(a->nwords == 3200 && !memcmp(a->words, b->words, sizeof a->words),
          "%s: burst words %zu differ", what, a->nwords);
    for (size_t i = 0; i < a->nwords; i++)
        if (a->words[i] != a->regs[i % 8]) {
            CHECK(0, "%s: burst word %zu: %08x, expected %08x", what, i, a->words[i],
                  a->regs[i % 8]);
            break;
        }
}

/* `axon info --json` in a child process (it reaches the same fake device). */
static void cli_info(const char *axon, const char *uri, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' info --json --device '%s'", axon, uri);
    FILE *p = popen(cmd, "r");
    out[0] = 0;
    if (!p)
        return;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int rc = pclose(p);
    CHECK(rc == 0, "%s: exit status %d", cmd, rc);
}

/* A second client while this process holds the board: `axon info` in a child
 * fails with one line saying the board is busy (exit 1), the first client
 * works on, and after it closes the child gets in. */
static void busy_case(const char *axon, const char *uri)
{
    ax_device *d = NULL;
    int r = ax_open(uri, &d);
    CHECK(r == AX_OK, "open %s: %d", uri, r);
    if (r < 0)
        return;
    char cmd[1024], out[2048];
    snprintf(cmd, sizeof cmd, "'%s' info --device '%s' 2>&1 >/dev/null", axon, uri);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = 0;
    int st = p ? pclose(p) : -1;
    printf("second client: %s", out);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "second client: status %d", st);
    CHECK(strstr(out, "busy") && strchr(out, '\n') == out + n - 1, "second client said: %s", out);
    uint32_t v = 0;
    CHECK(ax_reg_read(d, AX_REG_PROTOCOL, &v) == AX_OK && v == AX_PROTOCOL_VERSION,
          "the first client after the second: %08x", v);
    ax_close(d);
    snprintf(cmd, sizeof cmd, "'%s' info --device '%s' >/dev/null 2>&1", axon, uri);
    p = popen(cmd, "r");
    st = p ? pclose(p) : -1;
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after the first client closed: status %d", st);
}

/* Drops the "device" field: the rest must be the same over both URIs. */
static const char *after_device(const char *json)
{
    const char *s = strstr(json, "\"protocol_version\"");
    return s ? s : "";
}

/* Starts a fake bridge and opens uri through it; NULL (checked, fake
 * stopped) when either fails. */
static ax_device *fake_and_open(usbfake_kind kind, const axsim_options *opt, const char *uri,
                                usbfake **f)
{
    int r = usbfake_start(kind, opt, SERIAL, f);
    CHECK(r == AX_OK, "fake: %d", r);
    if (r < 0)
        return NULL;
    ax_device *d = NULL;
    r = ax_open(uri, &d);
    CHECK(r == AX_OK, "open %s: %d", uri, r);
    if (r < 0) {
        usbfake_stop(*f);
        return NULL;
    }
    return d;
}

/* The device goes away in the middle of a long program, after ~2 KB more
 * OUT bytes (in_side false: while the host writes) or ~3 KB more IN bytes
 * (in_side true: while the host waits for data): the run fails cleanly
 * (AX_E_DISCONNECTED) within seconds, close returns, and a new open finds
 * no board. */
static void unplug_case(usbfake_kind kind, const axsim_options *opt, const char *uri, bool in_side)
{
    usbfake *f;
    ax_device *d = fake_and_open(kind, opt, uri, &f);
    if (!d)
        return;
    int r = AX_OK;
    usbfake_stats st;
    usbfake_get_stats(f, &st);
    if (in_side)
        usbfake_unplug_after_in(f, st.in_bytes + 3000);
    else
        usbfake_unplug_after(f, st.out_bytes + 2000);
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    for (unsigned i = 0; i < 2000; i++) {
        ax_program_write(p, AX_REG_SCRATCH, i);
        ax_program_read(p, AX_REG_SCRATCH, 1);
    }
    double t0 = ax_mono_seconds();
    r = ax_run(d, p, &res);
    double t = ax_mono_seconds() - t0;
    CHECK(r == AX_E_DISCONNECTED, "run after unplug: %d (%s)", r, ax_strerror(r));
    CHECK(t < 5.0, "the failed run took %.2f s", t);
    printf("unplug (%s): run failed after %.3f s with %s: %s\n", in_side ? "IN" : "OUT", t,
           ax_strerror(r), ax_error_detail());
    CHECK(ax_reg_write(d, AX_REG_SCRATCH, 1) < 0, "a write after unplug succeeded");
    t0 = ax_mono_seconds();
    ax_close(d);
    t = ax_mono_seconds() - t0;
    CHECK(t < 2.0, "close took %.2f s", t);
    usbfake_get_stats(f, &st);
    CHECK(st.unplugged, "not unplugged");
    CHECK(st.in_flight == 0, "%u URBs left in flight after close", st.in_flight);
    usbfake_unplug_after(f, 0); /* the device leaves the testbed */
    d = NULL;
    r = ax_open(uri, &d);
    CHECK(r == AX_E_NODEV, "open after unplug: %d", r);
    printf("unplug: reopen: %s\n", ax_error_detail());
    if (d)
        ax_close(d);
    ax_result_free(&res);
    ax_program_free(p);
    usbfake_stop(f);
}

/* The board stalls behind a live bridge: a register read fails with
 * AX_E_TIMEOUT within the link's patience (default retries), close does not
 * hang; after the board is back, HELLO recovers the link and the register
 * written before the stall reads back. */
static void stall_case(usbfake_kind kind, const axsim_options *opt, const char *uri)
{
    usbfake *f;
    ax_device *d = fake_and_open(kind, opt, uri, &f);
    if (!d)
        return;
    int r = AX_OK;
    CHECK(ax_reg_write(d, AX_REG_SCRATCH, 0x5EED5EED) == AX_OK, "write before the stall");
    usbfake_freeze(f, true);
    uint32_t v = 0;
    double t0 = ax_mono_seconds();
    r = ax_reg_read(d, AX_REG_SCRATCH, &v);
    double t = ax_mono_seconds() - t0;
    printf("stall: read failed after %.3f s with %s: %s\n", t, ax_strerror(r), ax_error_detail());
    CHECK(r == AX_E_TIMEOUT, "read from a stalled board: %d (%s)", r, ax_strerror(r));
    CHECK(t < 10.0, "the stalled read took %.2f s", t);
    usbfake_freeze(f, false);
    CHECK((r = ax_hello(d)) == AX_OK, "HELLO after the stall: %d", r);
    v = 0;
    CHECK((r = ax_reg_read(d, AX_REG_SCRATCH, &v)) == AX_OK, "read after recovery: %d", r);
    CHECK(v == 0x5EED5EED, "SCRATCH after recovery: %08x", v);
    usbfake_freeze(f, true);
    t0 = ax_mono_seconds();
    ax_close(d); /* with the board stalled again */
    t = ax_mono_seconds() - t0;
    CHECK(t < 2.0, "close took %.2f s", t);
    usbfake_stats st;
    usbfake_get_stats(f, &st);
    CHECK(st.dropped > 0, "nothing was dropped while frozen");
    CHECK(st.in_flight == 0 && st.claimed == 0, "%u URBs in flight, interfaces %x after close",
          st.in_flight, st.claimed);
    usbfake_stop(f);
}

/* A noisy wire (one bit flipped in about 1 of 500 data bytes, both
 * directions): 30 programs of 16 read-modify-write steps on SCRATCH. Every
 * ticket is right or the run fails (then HELLO, and SCRATCH must lie
 * between the values before and after the run: nothing ran twice); no
 * wrong value is ever returned. */
static void noisy_case(usbfake_kind kind, const axsim_options *opt, const char *uri)
{
    usbfake *f;
    ax_device *d = fake_and_open(kind, opt, uri, &f);
    if (!d)
        return;
    ax_link_set_timeout(d, 0, 100);
    uint32_t v = 1000;
    CHECK(ax_reg_write(d, AX_REG_SCRATCH, v) == AX_OK, "write");
    usbfake_corrupt(f, 42, 1.0 / 500);
    unsigned ok = 0, failed = 0, wrong = 0, checked = 0;
    ax_program *p;
    ax_result res;
    ax_result_init(&res);
    ax_program_new(&p);
    for (unsigned run = 0; run < 30; run++) {
        ax_program_clear(p);
        for (uint32_t i = 0; i < 16; i++) {
            ax_program_read(p, AX_REG_SCRATCH, 1);
            ax_program_write(p, AX_REG_SCRATCH, v + i + 1);
        }
        if (ax_run(d, p, &res) == AX_OK) {
            ok++;
            for (uint32_t i = 0; i < 16; i++, checked++)
                if (res.tickets[i].data[0] != v + i)
                    wrong++;
            v += 16;
            continue;
        }
        failed++;
        uint32_t now = 0;
        for (int k = 0; k < 20; k++)
            if (ax_hello(d) == AX_OK && ax_reg_read(d, AX_REG_SCRATCH, &now) == AX_OK)
                break;
        CHECK(now >= v && now <= v + 16, "SCRATCH %u after a failed run from %u", now, v);
        v = now;
    }
    ax_link_stats ls;
    ax_link_get_stats(d, &ls);
    usbfake_stats st;
    usbfake_get_stats(f, &st);
    printf("noisy wire: %llu bits flipped; %u runs correct, %u failed and recovered, %u of %u "
           "words wrong; link: resent %llu, bad frames %llu, nacks %llu, timeouts %llu\n",
           (unsigned long long)st.flips, ok, failed, wrong, checked,
           (unsigned long long)ls.cmd_resent, (unsigned long long)ls.bad_frames,
           (unsigned long long)ls.nacks, (unsigned long long)ls.timeouts);
    CHECK(wrong == 0, "%u wrong words", wrong);
    CHECK(st.flips > 0 && ls.bad_frames + ls.nacks > 0, "the noise was never seen");
    CHECK(ok >= 15, "only %u of 30 runs correct", ok);
    ax_result_free(&res);
    ax_program_free(p);
    ax_close(d);
    usbfake_stop(f);
}

/* FT601 only: the bridge stalls the read requests. The next IN transfer's
 * request fails, and the read says so (AX_E_IO naming EP 0x01) instead of
 * waiting out the link's timeout for data that cannot come. */
static void stalled_request_case(const axsim_options *opt, const char *uri)
{
    usbfake *f;
    ax_device *d = fake_and_open(USBFAKE_FT601, opt, uri, &f);
    if (!d)
        return;
    int r = AX_OK;
    usbfake_stall_requests(f, true);
    uint32_t v;
    double t0 = ax_mono_seconds();
    for (int i = 0; i < 20 && r >= 0; i++) /* until a resubmitted slot meets the stall */
        r = ax_reg_read(d, AX_REG_SCRATCH, &v);
    double t = ax_mono_seconds() - t0;
    printf("stalled read request: %s after %.3f s: %s\n", ax_strerror(r), t, ax_error_detail());
    CHECK(r == AX_E_IO, "read with stalled requests: %d (%s)", r, ax_strerror(r));
    CHECK(strstr(ax_error_detail(), "EP 0x01") != NULL, "detail: %s", ax_error_detail());
    ax_close(d);
    usbfake_stats st;
    usbfake_get_stats(f, &st);
    CHECK(st.in_flight == 0, "%u URBs in flight after close", st.in_flight);
    usbfake_stop(f);
}

int main(int argc, char **argv)
{
    if (argc < 2 ||
        (strcmp(argv[1], "ftdi") && strcmp(argv[1], "ft232h") && strcmp(argv[1], "usb"))) {
        fprintf(stderr, "usage: test_usbfake ftdi|ft232h|usb [AXON_BINARY]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    bool ft232h = !strcmp(argv[1], "ft232h"), ftdi = ft232h || !strcmp(argv[1], "ftdi");
    usbfake_kind kind = ft232h ? USBFAKE_FT232H : ftdi ? USBFAKE_FT2232H : USBFAKE_FT601;
    axsim_options opt;
    axsim_options_default(&opt);
    opt.size = AXSIM_SMALL;
    opt.die_seed = 9;
    opt.run_seed = 3;
    opt.temporal_scale = 0;
    opt.variant = ftdi ? AXSIM_USB2 : AXSIM_USB3;
    const char *sim_uri = ftdi ? "sim:?size=small&die=9&run=3&noise=0&variant=usb2"
                               : "sim:?size=small&die=9&run=3&noise=0&variant=usb3";
    const char *uri = ft232h ? "ftdi:"
                      : ftdi ? "ftdi:0403:6010?serial=" SERIAL "&interface=A"
                             : "usb:0403:601f?serial=" SERIAL;
    usbfake *f;
    int r = usbfake_start(kind, &opt, SERIAL, &f);
    if (r == AX_E_UNSUPPORTED) {
        printf("SKIP: not running under the umockdev preload (umockdev-wrapper)\n");
        return 77;
    }
    CHECK(r == AX_OK, "usbfake_start: %d", r);
    if (r < 0)
        return 1;

    static outcome sim, fake;
    run_all(sim_uri, &sim);
    run_all(uri, &fake);
    compare(&fake, &sim, uri);
    usbfake_stats st;
    usbfake_get_stats(f, &st);
    printf("%s: %.2f s (sim: %.2f s); %zu spikes, first at %llu cycles; link: cmd %llu resent %llu "
           "timeouts %llu data %llu bad %llu\n",
           uri, fake.seconds, sim.seconds, fake.nspikes,
           (unsigned long long)(fake.nspikes ? fake.spikes[0].time : 0),
           (unsigned long long)fake.link.cmd_frames, (unsigned long long)fake.link.cmd_resent,
           (unsigned long long)fake.link.timeouts, (unsigned long long)fake.link.data_frames,
           (unsigned long long)fake.link.bad_frames);
    printf("fake: out %llu B, in %llu B in %llu URBs (%llu status only), ctrl %llu, purges %llu, "
           "read requests %llu, bad %llu, wrong mode %llu, cancelled %llu, unknown ioctls %llu, "
           "bitmode 0x%02x, latency %u ms, board at %llu cycles, %llu submits, %llu reaps, %.3f s "
           "in the handler\n",
           (unsigned long long)st.out_bytes, (unsigned long long)st.in_bytes,
           (unsigned long long)st.in_urbs, (unsigned long long)st.status_only,
           (unsigned long long)st.ctrl, (unsigned long long)st.purges,
           (unsigned long long)st.read_requests, (unsigned long long)st.bad_requests,
           (unsigned long long)st.wrong_mode, (unsigned long long)st.cancelled,
           (unsigned long long)st.unknown_ioctls, st.bitmode, st.latency_ms,
           (unsigned long long)usbfake_board_cycles(f), (unsigned long long)st.submits,
           (unsigned long long)st.reaps, (double)st.handler_us * 1e-6);
    CHECK(fake.link.bad_frames == 0, "bad frames over the fake");
    CHECK(st.bad_requests == 0 && st.wrong_mode == 0, "the transport misused the bridge");
    CHECK(st.claimed == 0, "interfaces still claimed after close: %x", st.claimed);
    CHECK(st.in_flight == 0, "%u URBs left in flight after close", st.in_flight);
    CHECK(st.in_bytes > 3200 * 4, "only %llu bytes came in", (unsigned long long)st.in_bytes);
    if (ftdi) {
        CHECK(st.bitmode == 0, "bit mode 0x%02x after close (BITMODE_RESET expected)", st.bitmode);
        CHECK(st.latency_ms == 2, "latency timer %u", st.latency_ms);
        CHECK(st.purges >= 2, "purges %llu", (unsigned long long)st.purges);
    } else {
        CHECK(st.read_requests >= st.in_urbs, "IN transfers without read requests");
        /* Four IN transfers are always in flight; close cancels them. */
        CHECK(st.cancelled >= 4, "only %llu URBs cancelled", (unsigned long long)st.cancelled);
    }

    if (argc > 2) {
        static char a[2048], b[2048];
        cli_info(argv[2], uri, a, sizeof a);
        cli_info(argv[2], sim_uri, b, sizeof b);
        CHECK(strstr(a, "\"die_seed\":9") && !strcmp(after_device(a), after_device(b)),
              "axon info: %s vs sim: %s", a, b);
        printf("axon info --json: %s", a);
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "'%s' list --json", argv[2]);
        FILE *p = popen(cmd, "r");
        size_t n = p ? fread(a, 1, sizeof a - 1, p) : 0;
        a[n] = 0;
        CHECK(p && pclose(p) == 0, "axon list failed");
        const char *want = ft232h ? "\"uri\":\"ftdi:0403:6014?serial=" SERIAL "\""
                           : ftdi ? "\"uri\":\"ftdi:0403:6010?serial=" SERIAL "\""
                                  : "\"uri\":\"usb:0403:601f?serial=" SERIAL "\"";
        CHECK(strstr(a, want) != NULL, "axon list --json does not show %s: %s", want, a);
        snprintf(cmd, sizeof cmd, "'%s' selftest --json --device '%s'", argv[2], uri);
        p = popen(cmd, "r");
        n = p ? fread(a, 1, sizeof a - 1, p) : 0;
        a[n] = 0;
        CHECK(p && pclose(p) == 0 && !strstr(a, "\"ok\":false") && strstr(a, "\"ok\":true"),
              "axon selftest: %s", a);
        printf("axon selftest --json: %s", a);
        busy_case(argv[2], uri);
    }
    usbfake_stop(f);

    unplug_case(kind, &opt, uri, false);
    if (!ft232h) { /* the same code paths as the FT2232H's */
        unplug_case(kind, &opt, uri, true);
        stall_case(kind, &opt, uri);
        noisy_case(kind, &opt, uri);
    }
    if (!ftdi)
        stalled_request_case(&opt, uri);
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
