/* axon-board: serves one board (by default the simulated one) to one client
 * at a time on a Unix socket or a loopback TCP port, for the socket:
 * transport. A second client gets the greeting "AXBRD-BZ" and is closed; the
 * client being served gets "AXBRD-OK" and then the wire protocol's bytes,
 * unchanged, in both directions. The board keeps its state between clients.
 *
 * usage: axon-board [--listen PATH|HOST:PORT] [--board URI] [--once]
 * The simulated board advances while a client talks to it (and 100 ms
 * after), so an idle server costs no CPU.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/axon.h"
#include "axon/stream.h"

#define ACTIVE_MS 100
#define STEP_US   2 /* board time per loop while active: short, to answer the client soon */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static uint64_t now_ms(void)
{
    return ax_mono_us() / 1000u;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path)
        return -1;
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    unlink(path); /* a stale socket of a server that died */
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int listen_tcp(const char *hostport)
{
    char host[128];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return -1;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 4) < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const uint8_t *b, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, b, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

typedef struct server {
    int lfd, cfd;
    ax_stream *board;
    uint64_t active_until;
    int once;
} server;

static void drop_client(server *s);

/* True when the current client is still there; forwards what it sent last
 * and notices a client that has just closed. */
static int client_alive(server *s)
{
    uint8_t buf[65536];
    for (;;) {
        ssize_t n = recv(s->cfd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            ax_stream_write(s->board, buf, (size_t)n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return 1;
        int once = s->once;
        s->once = 0; /* a client replaced at once does not end a --once server */
        drop_client(s);
        s->once = once;
        return 0;
    }
}

static void accept_client(server *s)
{
    int fd = accept(s->lfd, NULL, NULL);
    if (fd < 0)
        return;
    if (s->cfd >= 0 && client_alive(s)) {
        send_all(fd, (const uint8_t *)"AXBRD-BZ", 8);
        close(fd);
        fprintf(stderr, "axon-board: refused a second client (one at a time)\n");
        return;
    }
    if (send_all(fd, (const uint8_t *)"AXBRD-OK", 8) < 0) {
        close(fd);
        return;
    }
    s->cfd = fd;
    s->active_until = now_ms() + ACTIVE_MS;
}

static void drop_client(server *s)
{
    close(s->cfd);
    s->cfd = -1;
    if (s->once)
        stop = 1;
}

/* Client bytes to the board. */
static void from_client(server *s)
{
    uint8_t buf[65536];
    ssize_t n = recv(s->cfd, buf, sizeof buf, 0);
    if (n <= 0) {
        if (n == 0 || errno != EINTR)
            drop_client(s);
        return;
    }
    s->active_until = now_ms() + ACTIVE_MS;
    if (ax_stream_write(s->board, buf, (size_t)n) < 0) {
        fprintf(stderr, "axon-board: the board refused bytes; closing the client\n");
        drop_client(s);
    }
}

/* Advances the board and passes its bytes to the client. */
static int to_client(server *s)
{
    uint8_t buf[65536];
    int n = ax_stream_read(s->board, buf, sizeof buf, STEP_US);
    /* A simulated bridge delivers a few bytes a cycle: gather the burst (until
     * the board is quiet for 1 us) so the client gets whole frames. */
    while (n > 0 && (size_t)n < sizeof buf / 2) {
        int k = ax_stream_read(s->board, buf + n, sizeof buf - (size_t)n, 1);
        if (k <= 0) {
            n = k < 0 ? k : n;
            break;
        }
        n += k;
    }
    if (n < 0) {
        fprintf(stderr, "axon-board: the board failed: %s\n", ax_strerror(n));
        return -1;
    }
    if (n > 0 && s->cfd >= 0 && send_all(s->cfd, buf, (size_t)n) < 0)
        drop_client(s);
    return 0;
}

static int serve(server *s)
{
    while (!stop) {
        int active = s->cfd >= 0 && now_ms() < s->active_until;
        struct pollfd p[2] = {{.fd = s->lfd, .events = POLLIN}, {.fd = s->cfd, .events = POLLIN}};
        int r = poll(p, s->cfd >= 0 ? 2 : 1, active ? 0 : 50);
        if (r < 0 && errno != EINTR)
            return 1;
        /* The client first: one that just left frees the board for a new one. */
        if (r > 0 && s->cfd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            from_client(s);
        if (r > 0 && (p[0].revents & POLLIN))
            accept_client(s);
        if ((active || (r > 0 && s->cfd >= 0)) && to_client(s) < 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *listen_at = ax_socket_default_path(), *uri = AX_DEFAULT_URI;
    server s = {.lfd = -1, .cfd = -1};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: axon-board [--listen PATH|HOST:PORT] [--board URI] [--once]\n\n"
                   "Serves a board (default %s) to one socket: client at a time on a Unix\n"
                   "socket (default %s) or TCP HOST:PORT. --once exits when the first\n"
                   "client leaves.\n",
                   AX_DEFAULT_URI, ax_socket_default_path());
            return 0;
        } else if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
            listen_at = argv[++i];
        } else if (!strcmp(argv[i], "--board") && i + 1 < argc) {
            uri = argv[++i];
        } else if (!strcmp(argv[i], "--once")) {
            s.once = 1;
        } else {
            fprintf(stderr, "axon-board: unknown argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    int unix_sock = strchr(listen_at, '/') || !strchr(listen_at, ':');
    int r = ax_stream_open(uri, &s.board);
    if (r < 0) {
        fprintf(stderr, "axon-board: cannot open board '%s': %s\n", uri, ax_error_detail());
        return r == AX_E_INVAL ? 2 : 1;
    }
    s.lfd = unix_sock ? listen_unix(listen_at) : listen_tcp(listen_at);
    if (s.lfd < 0) {
        fprintf(stderr, "axon-board: cannot listen on %s: %s\n", listen_at, strerror(errno));
        ax_stream_close(s.board);
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "axon-board: serving %s on %s\n", uri, listen_at);
    r = serve(&s);
    if (s.cfd >= 0)
        close(s.cfd);
    close(s.lfd);
    if (unix_sock)
        unlink(listen_at);
    ax_stream_close(s.board);
    return r;
}
