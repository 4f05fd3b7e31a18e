/* socket: against a real axon-board process: one client at a time (a second
 * one gets AX_E_BUSY with a clear message), the board's state survives a
 * client, and the same register values come back as over sim:. Faults: a
 * client that leaves mid-frame, one that stays idle, one that never reads;
 * TCP without the Nagle delay.
 * usage: test_socket AXON_BOARD_BINARY */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "axon/axon.h"
#include "axon/chip.h"
#include "axon/codec.h"
#include "axon/program.h"
#include "streamprog.h"

static const char *server_bin;
static char sock[128], uri[160];
static pid_t server;

static int start_server(void **state)
{
    (void)state;
    snprintf(sock, sizeof sock, "/tmp/axon-test-%d.sock", (int)getpid());
    snprintf(uri, sizeof uri, "socket:%s", sock);
    server = fork();
    if (server == 0) {
        execl(server_bin, server_bin, "--listen", sock, "--board", "sim:?size=small&die=21",
              "--idle-timeout", "1", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && access(sock, F_OK) != 0; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    return access(sock, F_OK);
}

static int stop_server(void **state)
{
    (void)state;
    if (!server)
        return 0;
    kill(server, SIGTERM);
    int st;
    waitpid(server, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void test_one_client_at_a_time(void **state)
{
    (void)state;
    ax_device *a = NULL, *b = NULL;
    assert_int_equal(ax_open(uri, &a), AX_OK);
    assert_int_equal(ax_device_ident(a)->die_seed, 21);
    assert_int_equal(ax_open(uri, &b), AX_E_BUSY);
    assert_null(b);
    assert_non_null(strstr(ax_error_detail(), "board busy (held by pid"));
    assert_int_equal(ax_reg_write(a, AX_REG_SCRATCH, 0xC0FFEE), AX_OK);
    ax_close(a);
    /* The next client gets the board, whose state was kept. */
    assert_int_equal(ax_open(uri, &b), AX_OK);
    uint32_t v = 0;
    assert_int_equal(ax_reg_read(b, AX_REG_SCRATCH, &v), AX_OK);
    assert_int_equal(v, 0xC0FFEE);
    ax_link_stats s;
    ax_link_get_stats(b, &s);
    assert_int_equal(s.cmd_resent, 0);
    ax_close(b);
}

/* A raw client: connected, greeting read. */
static int raw_client(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char g[8];
    assert_int_equal(recv(fd, g, sizeof g, MSG_WAITALL), 8);
    assert_memory_equal(g, "AXBRD-OK", 8);
    return fd;
}

static void test_client_dies_mid_frame(void **state)
{
    (void)state;
    ax_frame f = {.type = AX_FT_CMD, .len = 200};
    uint8_t buf[AX_FRAME_MAX_BYTES];
    assert_true(ax_frame_encode(&f, buf, sizeof buf) > 0);
    int fd = raw_client();
    assert_int_equal(send(fd, buf, 64, 0), 64); /* the start of a long frame */
    close(fd);
    ax_device *d = NULL;
    assert_int_equal(ax_open(uri, &d), AX_OK);
    assert_int_equal(ax_device_ident(d)->die_seed, 21);
    ax_close(d);
}

static void test_idle_client_dropped(void **state)
{
    (void)state;
    int fd = raw_client(); /* says nothing: dropped after --idle-timeout 1 */
    ax_device *d = NULL;
    assert_int_equal(ax_open(uri, &d), AX_E_BUSY);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char c;
    struct timeval tv = {.tv_sec = 3};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = recv(fd, &c, 1, 0);
    close(fd);
    assert_int_equal(n, 0); /* the server closes it */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 3);
    assert_int_equal(ax_open(uri, &d), AX_OK);
    ax_close(d);
}

/* A client that floods the board and never reads: another client is told
 * "busy" at once, and SIGTERM still ends the server within a second. Runs
 * last (it stops the server). */
static void test_sigterm_with_stuck_client(void **state)
{
    (void)state;
    int fd = raw_client();
    static uint8_t junk[256 * 1024];
    memset(junk, 0xA5, sizeof junk);
    struct timeval tv = {.tv_sec = 0, .tv_usec = 500000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    (void)!send(fd, junk, sizeof junk, MSG_NOSIGNAL);
    /* Another client is told the board is busy at once, not "no greeting". */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ax_device *d = NULL;
    int busy = ax_open(uri, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ax_close(d);
    long busy_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kill(server, SIGTERM);
    int st, r = 0;
    for (int i = 0; i < 150 && (r = waitpid(server, &st, WNOHANG)) == 0; i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r == 0) {
        kill(server, SIGKILL);
        waitpid(server, &st, 0);
    }
    server = 0;
    close(fd);
    assert_int_equal(busy, AX_E_BUSY);
    assert_true(busy_ms < 1000);
    assert_int_not_equal(r, 0);
    assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1100);
}

/* TCP: commands are not held back by Nagle's algorithm (no resends). */
static void test_tcp_nodelay(void **state)
{
    (void)state;
    char at[64], turi[80];
    snprintf(at, sizeof at, "127.0.0.1:%d", 20000 + (int)(getpid() % 20000));
    snprintf(turi, sizeof turi, "socket:%s", at);
    pid_t p = fork();
    if (p == 0) {
        execl(server_bin, server_bin, "--listen", at, "--board", "sim:?size=small", (char *)NULL);
        _exit(127);
    }
    ax_device *d = NULL;
    int r = AX_E_NODEV;
    for (int i = 0; i < 200 && (r = ax_open(turi, &d)) == AX_E_NODEV; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    assert_int_equal(r, AX_OK);
    uint32_t v;
    for (int i = 0; i < 40; i++)
        assert_int_equal(ax_reg_write(d, AX_REG_SCRATCH, (uint32_t)i), AX_OK);
    assert_int_equal(ax_reg_read(d, AX_REG_SCRATCH, &v), AX_OK);
    ax_link_stats s;
    ax_link_get_stats(d, &s);
    ax_close(d);
    kill(p, SIGTERM);
    waitpid(p, NULL, 0);
    assert_int_equal(v, 39);
    assert_int_equal(s.cmd_resent, 0);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A 25 ms recording over socket: to the simulated board, which runs about 100
 * times slower than real time: the run deadline counts the board's time (the
 * server stamps it on what it relays), so the run is not cut off as stalled. */
static void test_long_run_counts_board_time(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(uri, &d), AX_OK);
    ax_program *p;
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_timer_reset(p);
    ax_program_record(p, AX_RECORD_SPIKES);
    for (uint64_t t = 1000; t < 3125000; t += 125000) {
        ax_program_wait_until(p, t);
        ax_program_inject(p, 3);
    }
    ax_program_wait_until(p, 3125000); /* 25 ms */
    ax_program_record(p, 0);
    ax_result res;
    ax_result_init(&res);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = ax_run(d, p, &res);
    printf("25 ms of board time over socket: %s (%s) in %.0f ms wall\n", ax_strerror(r),
           r < 0 ? ax_error_detail() : "ok", ms_since(&t0));
    assert_int_equal(r, AX_OK);
    assert_true(res.end_time >= 3125000);
    ax_result_free(&res);
    ax_program_free(p);
    ax_close(d);
}

/* A program that truly stalls (a BARRIER while background sources keep the
 * event paths busy every cycle) still fails, in bounded wall time. */
static void test_stalled_program_fails(void **state)
{
    (void)state;
    ax_device *d;
    assert_int_equal(ax_open(uri, &d), AX_OK);
    ax_background bg = {.enable = true, .label = 5, .period = 1, .seed = 1};
    for (unsigned s = 0; s < AX_NUM_BG; s++)
        assert_int_equal(ax_chip_set_background(d, s, &bg), AX_OK);
    ax_program *p;
    assert_int_equal(ax_program_new(&p), AX_OK);
    ax_program_barrier(p);
    ax_result res;
    ax_result_init(&res);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = ax_run(d, p, &res);
    double ms = ms_since(&t0);
    printf("stalled program: %s (%s) after %.0f ms wall\n", ax_strerror(r), ax_error_detail(), ms);
    assert_int_equal(r, AX_E_TIMEOUT);
    assert_true(ms < 30000);
    assert_int_equal(ax_hello(d), AX_OK);
    bg.enable = false;
    for (unsigned s = 0; s < AX_NUM_BG; s++)
        assert_int_equal(ax_chip_set_background(d, s, &bg), AX_OK);
    ax_result_free(&res);
    ax_program_free(p);
    ax_close(d);
}

/* axon-board on path serving the simulated small chip without temporal noise;
 * returns once a client is served, with *d open on it. */
static pid_t spawn_quiet_board(const char *path, const char *curi, ax_device **d)
{
    pid_t b = fork();
    if (b == 0) {
        execl(server_bin, server_bin, "--listen", path, "--board", "sim:?size=small&noise=0",
              (char *)NULL);
        _exit(127);
    }
    int r = AX_E_NODEV;
    for (int i = 0; i < 250 && (r = ax_open(curi, d)) != AX_OK; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    assert_int_equal(r, AX_OK);
    assert_int_equal(stream_setup(*d), AX_OK);
    return b;
}

/* The server killed in the middle of record streams: every run before
 * returns the fault-free run's spikes and samples, the run it hits fails with
 * AX_E_DISCONNECTED and returns nothing, the device stays failed; a restarted
 * server serves the same records again. */
static void test_server_killed_mid_stream(void **state)
{
    (void)state;
    ax_device *d;
    ax_program *p;
    ax_result gold, res;
    ax_result_init(&gold);
    ax_result_init(&res);
    assert_int_equal(ax_program_new(&p), AX_OK);
    stream_program(p);
    assert_int_equal(ax_open("sim:?size=small&noise=0", &d), AX_OK);
    assert_int_equal(stream_setup(d), AX_OK);
    assert_int_equal(ax_run(d, p, &gold), AX_OK);
    ax_close(d);
    char dir[] = "/tmp/axon-kill-XXXXXX", path[64], curi[80];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/b.sock", dir);
    snprintf(curi, sizeof curi, "socket:%s", path);
    pid_t b = spawn_quiet_board(path, curi, &d), killer = fork();
    if (killer == 0) {
        nanosleep(&(struct timespec){0, 300000000}, NULL);
        kill(b, SIGKILL);
        _exit(0);
    }
    int r = AX_OK, ok = 0;
    for (int i = 0; i < 2000 && r == AX_OK; i++)
        if ((r = ax_run(d, p, &res)) == AX_OK)
            ok += same_records(&res, &gold) ? 1 : -10000;
    printf("server killed after %d correct runs: %s (%s)\n", ok, ax_strerror(r), ax_error_detail());
    assert_true(ok >= 0);
    assert_int_equal(r, AX_E_DISCONNECTED);
    assert_int_equal(ax_run(d, p, &res), AX_E_DISCONNECTED);
    ax_close(d);
    waitpid(killer, NULL, 0);
    waitpid(b, NULL, 0);
    b = spawn_quiet_board(path, curi, &d);
    assert_int_equal(ax_run(d, p, &res), AX_OK);
    assert_true(same_records(&res, &gold));
    ax_close(d);
    kill(b, SIGTERM);
    waitpid(b, NULL, 0);
    rmdir(dir);
    ax_result_free(&res);
    ax_result_free(&gold);
    ax_program_free(p);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return fprintf(stderr, "usage: test_socket AXON_BOARD\n"), 2;
    server_bin = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_client_at_a_time),
        cmocka_unit_test(test_long_run_counts_board_time),
        cmocka_unit_test(test_stalled_program_fails),
        cmocka_unit_test(test_server_killed_mid_stream),
        cmocka_unit_test(test_client_dies_mid_frame),
        cmocka_unit_test(test_idle_client_dropped),
        cmocka_unit_test(test_tcp_nodelay),
        cmocka_unit_test(test_sigterm_with_stuck_client),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
