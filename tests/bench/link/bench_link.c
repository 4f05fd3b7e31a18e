/* bench-link: the whole stack per transport. One JSON line per transport:
 * roundtrip_us is the wall time of one register read (a program of READ and
 * END: CMD out, ACK and DATA back), events_per_s the records a second a long
 * program brings back: spikes of injected events when the chip answers
 * INJECT, else register words read in bursts (event_kind says which).
 * Transports: sim: (small chip), socket: (an axon-board started from the
 * same folder), fake (the test board: the host stack alone), ftdi-fake and
 * usb-fake (ftdi: and usb: through real libftdi/libusb to umockdev FAKE
 * bridges in front of the small simulated board, tests/driver/usbfake.c; the
 * program re-runs itself under umockdev-wrapper for them). The fakes measure
 * the host stack plus umockdev's ioctl round trips and a board stepped only
 * while the host waits, not USB hardware.
 * usage: bench-link [--transports sim,socket,fake,ftdi-fake,usb-fake] */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/chip.h"
#include "axon/program.h"
#include "device.h"
#include "fakeboard.h"
#ifdef AX_HAVE_USBFAKE
#include "usbfake.h"
#endif

/* Whether the comma-separated list names this transport. */
static bool has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
            return true;
    return false;
}

static double roundtrip_us(ax_device *d)
{
    uint32_t v;
    enum { N = 300 };
    double t0 = ax_mono_seconds();
    for (int i = 0; i < N; i++)
        if (ax_reg_read(d, AX_REG_SCRATCH, &v) < 0)
            return -1;
    return (ax_mono_seconds() - t0) / N * 1e6;
}

/* On a real chip: neuron 0 recorded, driven by driver 0 of hemisphere 0
 * through one strong synapse, so injected events (label 1 | 1 << 13) make
 * it spike (at most once per refractory time). */
static void setup_chip(ax_device *d)
{
    uint16_t gain = 1022, refrac = 2;
    ax_neuron_cfg cfg = {.label = 0x8000, .record = true};
    uint8_t w[256] = {63}, l[256] = {1};
    ax_driver_cfg drv = {0, AX_SIGN_EXC, AX_SIGN_OFF};
    if (ax_chip_set_param(d, AX_PARAM_GAIN_E, 0, &gain, 1) == AX_OK &&
        ax_chip_set_param(d, AX_PARAM_REFRAC, 0, &refrac, 1) == AX_OK &&
        ax_chip_set_neurons(d, 0, &cfg, 1) == AX_OK && ax_chip_set_row(d, 0, 0, w, l) == AX_OK &&
        ax_chip_set_drivers(d, 0, 0, &drv, 1) == AX_OK)
        ax_chip_wait_capmem(d);
}

/* Events a second; *kind names them. */
static double events_per_s(ax_device *d, const char **kind)
{
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    ax_program_new(&p);
    ax_program_record(p, AX_RECORD_SPIKES);
    for (unsigned i = 0; i < 20000; i++)
        ax_program_inject(p, (uint16_t)(1u | 1u << 13));
    double t0 = ax_mono_seconds();
    int e = ax_run(d, p, &r);
    double t = ax_mono_seconds() - t0, n = (double)r.nspikes;
    *kind = "spikes";
    if (e < 0 || r.nspikes == 0) {
        ax_hello(d); /* the placeholder chip stalls on INJECT */
        ax_program_clear(p);
        for (unsigned i = 0; i < 400; i++)
            ax_program_read(p, AX_REG_PROTOCOL, 8);
        t0 = ax_mono_seconds();
        e = ax_run(d, p, &r);
        t = ax_mono_seconds() - t0;
        n = 400.0 * 8;
        *kind = "read_words";
    }
    ax_result_free(&r);
    ax_program_free(p);
    return e < 0 ? -1 : n / t;
}

static void bench_note(const char *name, ax_device *d, const char *note)
{
    const char *kind = "";
    double rt = roundtrip_us(d), ev = events_per_s(d, &kind);
    printf("{\"bench\":\"link\",\"transport\":\"%s\",\"roundtrip_us\":%.1f,\"events_per_s\":%.0f,"
           "\"event_kind\":\"%s\"%s}\n",
           name, rt, ev, kind, note);
    fflush(stdout);
}

static void bench(const char *name, ax_device *d)
{
    bench_note(name, d, "");
}

#ifdef AX_HAVE_USBFAKE
/* ftdi: and usb: against the umockdev fakes; under the preload only. */
static void bench_usbfake(const char *which)
{
    static const struct {
        const char *name, *uri, *note;
        usbfake_kind kind;
        axsim_variant variant;
    } k[2] = {
        {"ftdi-fake", "ftdi:0403:6010?serial=AXBENCH", "umockdev fake FT2232H + simulated board",
         USBFAKE_FT2232H, AXSIM_USB2},
        {"usb-fake", "usb:0403:601f?serial=AXBENCH", "umockdev fake FT601 + simulated board",
         USBFAKE_FT601, AXSIM_USB3},
    };
    for (int i = 0; i < 2; i++) {
        if (!has(which, k[i].name))
            continue;
        axsim_options o;
        axsim_options_default(&o);
        o.size = AXSIM_SMALL;
        o.variant = k[i].variant;
        usbfake *f;
        ax_device *d;
        if (usbfake_start(k[i].kind, &o, "AXBENCH", &f) != AX_OK) {
            fprintf(stderr, "bench-link: %s: cannot start the fake\n", k[i].name);
            continue;
        }
        if (ax_open(k[i].uri, &d) == AX_OK) {
            ax_link_set_timeout(d, 0, 100); /* a slow device: see test_usbfake.c */
            setup_chip(d);
            char note[160];
            snprintf(note, sizeof note, ",\"device\":\"%s\"", k[i].note);
            bench_note(k[i].name, d, note);
            ax_close(d);
        } else {
            fprintf(stderr, "bench-link: %s: %s\n", k[i].name, ax_error_detail());
        }
        usbfake_stop(f);
    }
}

/* Runs this program again under umockdev-wrapper for the fakes. */
static void rerun_under_umockdev(const char *self, const char *which)
{
    char list[64] = "";
    if (has(which, "ftdi-fake"))
        strcat(list, "ftdi-fake,");
    if (has(which, "usb-fake"))
        strcat(list, "usb-fake");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("umockdev-wrapper", "umockdev-wrapper", self, "--transports", list, (char *)NULL);
        fprintf(stderr, "bench-link: umockdev-wrapper not found: no ftdi-fake/usb-fake lines\n");
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}
#endif

static pid_t start_board(const char *self, const char *sock)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", self);
    snprintf(path, sizeof path, "%s/axon-board", dirname(dir));
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, "--listen", sock, "--board", "sim:?size=small", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && access(sock, F_OK) != 0; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    return pid;
}

int main(int argc, char **argv)
{
    const char *which = argc > 2 && !strcmp(argv[1], "--transports")
                            ? argv[2]
                            : "sim,socket,fake,ftdi-fake,usb-fake";
    ax_device *d;
#ifdef AX_HAVE_USBFAKE
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "libumockdev-preload")) { /* the re-run for the fakes */
        bench_usbfake(which);
        return 0;
    }
#endif
    if (has(which, "sim") && ax_open("sim:?size=small", &d) == AX_OK) {
        setup_chip(d);
        bench("sim", d);
        ax_close(d);
    }
    if (has(which, "socket")) {
        char sock[128], uri[160];
        snprintf(sock, sizeof sock, "/tmp/axon-bench-%d.sock", (int)getpid());
        snprintf(uri, sizeof uri, "socket:%s", sock);
        pid_t pid = start_board(argv[0], sock);
        if (ax_open(uri, &d) == AX_OK) {
            setup_chip(d);
            bench("socket", d);
            ax_close(d);
        } else {
            fprintf(stderr, "bench-link: socket: %s\n", ax_error_detail());
        }
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    ax_transport *t;
    if (has(which, "fake") && fakeboard_open(NULL, &t) == AX_OK &&
        ax_device_open_transport(t, "fake:", &d) == AX_OK) {
        bench("fake", d);
        ax_close(d);
    }
#ifdef AX_HAVE_USBFAKE
    if (has(which, "ftdi-fake") || has(which, "usb-fake"))
        rerun_under_umockdev(argv[0], which);
#endif
    return 0;
}
