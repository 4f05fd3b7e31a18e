/* socket: against a real axon-board process: one client at a time (a second
 * one gets AX_E_BUSY with a clear message), the board's state survives a
 * client, and the same register values come back as over sim:.
 * usage: test_socket AXON_BOARD_BINARY */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "axon/axon.h"

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
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && access(sock, F_OK) != 0; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    return access(sock, F_OK);
}

static int stop_server(void **state)
{
    (void)state;
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
    assert_non_null(strstr(ax_error_detail(), "already serves another client"));
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

int main(int argc, char **argv)
{
    if (argc != 2)
        return fprintf(stderr, "usage: test_socket AXON_BOARD\n"), 2;
    server_bin = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_one_client_at_a_time)};
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
