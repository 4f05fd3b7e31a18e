/* bench-link: the whole stack per transport. One JSON line per transport:
 * roundtrip_us is the wall time of one register read (a program of READ and
 * END: CMD out, ACK and DATA back), events_per_s the records a second a long
 * program brings back: spikes of injected events when the chip answers
 * INJECT, else register words read in bursts (event_kind says which).
 * Transports: sim: (small chip), socket: (an axon-board started from the
 * same folder), fake (the test board: the host stack alone).
 * usage: bench-link [--transports sim,socket,fake] */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "axon/chip.h"
#include "axon/program.h"
#include "device.h"
#include "fakeboard.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double roundtrip_us(ax_device *d)
{
    uint32_t v;
    enum { N = 300 };
    double t0 = now_s();
    for (int i = 0; i < N; i++)
        if (ax_reg_read(d, AX_REG_SCRATCH, &v) < 0)
            return -1;
    return (now_s() - t0) / N * 1e6;
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
    double t0 = now_s();
    int e = ax_run(d, p, &r);
    double t = now_s() - t0, n = (double)r.nspikes;
    *kind = "spikes";
    if (e < 0 || r.nspikes == 0) {
        ax_hello(d); /* the placeholder chip stalls on INJECT */
        ax_program_clear(p);
        for (unsigned i = 0; i < 400; i++)
            ax_program_read(p, AX_REG_PROTOCOL, 8);
        t0 = now_s();
        e = ax_run(d, p, &r);
        t = now_s() - t0;
        n = 400.0 * 8;
        *kind = "read_words";
    }
    ax_result_free(&r);
    ax_program_free(p);
    return e < 0 ? -1 : n / t;
}

static void bench(const char *name, ax_device *d)
{
    const char *kind = "";
    double rt = roundtrip_us(d), ev = events_per_s(d, &kind);
    printf("{\"bench\":\"link\",\"transport\":\"%s\",\"roundtrip_us\":%.1f,\"events_per_s\":%.0f,"
           "\"event_kind\":\"%s\"}\n",
           name, rt, ev, kind);
    fflush(stdout);
}

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
    const char *which = argc > 2 && !strcmp(argv[1], "--transports") ? argv[2] : "sim,socket,fake";
    ax_device *d;
    if (strstr(which, "sim") && ax_open("sim:?size=small", &d) == AX_OK) {
        setup_chip(d);
        bench("sim", d);
        ax_close(d);
    }
    if (strstr(which, "socket")) {
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
    if (strstr(which, "fake") && fakeboard_open(NULL, &t) == AX_OK &&
        ax_device_open_transport(t, "fake:", &d) == AX_OK) {
        bench("fake", d);
        ax_close(d);
    }
    return 0;
}
