/* axon-board: serves one board (by default the simulated one) to one client
 * at a time on a Unix socket or a loopback TCP port, for the socket:
 * transport. A second client gets the greeting "AXBRD-BZ" and is closed; the
 * client being served gets "AXBRD-OK" and then the wire protocol's bytes,
 * unchanged, in both directions. The board keeps its state between clients.
 *
 * usage: axon-board [--listen PATH|HOST:PORT] [--board URI] [--idle-timeout S]
 *                   [--token FILE] [--once]
 * A PATH contains '/'; TCP is HOST:PORT, loopback unless --token FILE (then
 * each client first sends "AXTOKEN <token>\n", compared in constant time, and
 * a wrong one gets "AXBRD-NO"); a bare number is refused. An
 * existing socket file is replaced only when nobody answers on it; the file is
 * removed at exit only while it is still ours. A busy board answers
 * "AXBRD-BZheld by WHO\n". I/O with the client never blocks; its bytes
 * waiting to be sent are bounded (then the board waits). The simulated board advances while a
 * client talks to it (and 100 ms after), so an idle server costs no CPU.
 * A client whose first bytes are "AXCLOCK\n" gets "AXCLK-OK" and then the
 * board's bytes in chunks stamped with the board's time (12-byte header: byte
 * count u32 LE, board time in us u64 LE; see tr_socket.c): model time for a
 * simulated board, for the client's run deadline. Others get the raw bytes.
 */
#define _GNU_SOURCE /* accept4, SO_PEERCRED */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/axon.h"
#include "axon/le.h"
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

typedef struct listener {
    int unix_sock;
    struct stat made; /* the socket file this server created (Unix) */
} listener;

/* A live server answers on path: its pid when known (SO_PEERCRED), else 0;
 * -1 when nobody answers (a stale socket). */
static int socket_owner(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int pid = -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        struct ucred c;
        socklen_t n = sizeof c;
        pid = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &n) == 0 ? (int)c.pid : 0;
    } else if (errno != ECONNREFUSED) {
        pid = 0;
    }
    close(fd);
    return pid;
}

/* May path be (re)placed by our socket? Only when absent or a stale socket. */
static int path_free(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT
                   ? 0
                   : (fprintf(stderr, "axon-board: %s: %s\n", path, strerror(errno)), -1);
    if (!S_ISSOCK(st.st_mode)) {
        fprintf(stderr, "axon-board: %s exists and is not a socket; not replacing it\n", path);
        return -1;
    }
    int pid = socket_owner(path);
    if (pid > 0)
        fprintf(stderr, "axon-board: %s is in use by pid %d\n", path, pid);
    else if (pid == 0)
        fprintf(stderr, "axon-board: %s is in use by another server\n", path);
    return pid < 0 ? 0 : -1;
}

/* Binds to a temporary name, listens, then renames into place: the path
 * never names a socket that does not accept yet. */
static int listen_unix(const char *path, listener *l)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int len = snprintf(a.sun_path, sizeof a.sun_path, "%s.%d.tmp", path, (int)getpid());
    if (len < 0 || (size_t)len >= sizeof a.sun_path) {
        fprintf(stderr, "axon-board: socket path too long: %s\n", path);
        return -1;
    }
    if (path_free(path) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0 ||
        rename(a.sun_path, path) < 0 || lstat(path, &l->made) < 0) {
        fprintf(stderr, "axon-board: cannot listen on %s: %s\n", path, strerror(errno));
        unlink(a.sun_path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Removes the socket file only while it is still the one this server made. */
static void unlink_ours(const char *path, const listener *l)
{
    struct stat st;
    if (lstat(path, &st) == 0 && st.st_dev == l->made.st_dev && st.st_ino == l->made.st_ino)
        unlink(path);
}

/* The default socket's folder: created 0700 when missing, and used only
 * while it is ours and no one else may write to it (no squatting). */
static int make_private_dir(const char *path)
{
    char dir[200];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    struct stat st;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "axon-board: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 022)) {
        fprintf(stderr, "axon-board: %s is not a private folder of this user; not using it\n", dir);
        return -1;
    }
    return 0;
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    return sa->sa_family == AF_INET6 &&
           IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

static int listen_tcp(const char *hostport, int has_token)
{
    char host[128];
    const char *colon = strrchr(hostport, ':'), *port = colon + 1;
    char *end;
    errno = 0;
    unsigned long n = strtoul(port, &end, 10);
    if ((size_t)(colon - hostport) >= sizeof host || colon == hostport || *port < '0' ||
        *port > '9' || *end || errno || n < 1 || n > 65535) {
        fprintf(stderr, "axon-board: --listen %s: expected HOST:PORT with a port 1..65535\n",
                hostport);
        return -2;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV},
                    *res;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g != 0) {
        fprintf(stderr, "axon-board: cannot resolve '%s': %s\n", host, gai_strerror(g));
        return -1;
    }
    int fd = -1, one = 1;
    if (!is_loopback(res->ai_addr) && !has_token) {
        fprintf(stderr, "axon-board: %s is not a loopback address: serving it needs --token FILE\n",
                host);
        freeaddrinfo(res);
        return -2;
    }
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 4) < 0) {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
    }
    if (fd < 0)
        fprintf(stderr, "axon-board: cannot listen on %s: %s\n", hostport, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

#define OUT_CAP   (1u << 20) /* bytes for the client not yet sent: then the board waits */
#define IN_CHUNK  4096u      /* client bytes handed to the board per loop */
#define IDLE_S    60u
#define CHUNK_HDR 12u /* byte count u32, board time u64 */

static const char clock_req[] = "AXCLOCK\n";

typedef struct server {
    int lfd, cfd, tcp, once, spoke;
    int chunked;       /* -1 until the client's first bytes tell, 0 raw, 1 chunks */
    unsigned req_have; /* bytes of clock_req seen so far */
    ax_stream *board;
    uint64_t active_until, last_heard;
    unsigned idle_ms;
    char holder[80];              /* who holds the board, for the busy message */
    char token[AX_TOKEN_MAX + 2]; /* empty: no token asked */
    size_t out_len;
    uint8_t out[OUT_CAP];
} server;

static void drop_client(server *s, const char *why)
{
    if (why)
        fprintf(stderr, "axon-board: dropping the client (%s): %s\n", s->holder, why);
    close(s->cfd);
    s->cfd = -1;
    s->out_len = 0;
    if (s->once && s->spoke)
        stop = 1;
}

static void name_peer(server *s, int fd)
{
    struct ucred c;
    socklen_t n = sizeof c;
    struct sockaddr_storage a;
    socklen_t an = sizeof a;
    char host[64], port[16];
    if (!s->tcp && getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &n) == 0)
        snprintf(s->holder, sizeof s->holder, "pid %d", (int)c.pid);
    else if (s->tcp && getpeername(fd, (struct sockaddr *)&a, &an) == 0 &&
             getnameinfo((struct sockaddr *)&a, an, host, sizeof host, port, sizeof port,
                         NI_NUMERICHOST | NI_NUMERICSERV) == 0)
        snprintf(s->holder, sizeof s->holder, "%s:%s", host, port);
    else
        snprintf(s->holder, sizeof s->holder, "another client");
}

#define AUTH_MS 1000 /* for a client's token line */

/* Compares in time that depends on the expected token's length only. */
static int same_token(const char *got, size_t n, const char *want)
{
    size_t wn = strlen(want);
    volatile unsigned char d = (unsigned char)(n != wn);
    for (size_t i = 0; i < wn; i++)
        d |= (unsigned char)(got[n ? i % n : 0] ^ want[i]);
    return d == 0;
}

/* Reads "AXTOKEN <token>\n" (within AUTH_MS) and checks it. What came after
 * the line (the client's first bytes) is kept in rest, *rest_n bytes. */
static int token_ok(const server *s, int fd, uint8_t *rest, size_t *rest_n)
{
    char line[AX_TOKEN_MAX + 16] = "";
    size_t have = 0;
    uint64_t until = now_ms() + AUTH_MS;
    while (have + 1 < sizeof line && !memchr(line, '\n', have)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        uint64_t now = now_ms();
        if (stop || now >= until || poll(&p, 1, (int)(until - now)) < 0)
            return 0;
        ssize_t n = recv(fd, line + have, sizeof line - 1 - have, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            return 0;
        have += n > 0 ? (size_t)n : 0;
    }
    char *nl = memchr(line, '\n', have);
    if (!nl || have < 8 || memcmp(line, "AXTOKEN ", 8))
        return 0;
    *rest_n = have - (size_t)(nl + 1 - line);
    memcpy(rest, nl + 1, *rest_n);
    return same_token(line + 8, (size_t)(nl - line - 8), s->token);
}

static void client_bytes(server *s, const uint8_t *buf, size_t n);

static void accept_client(server *s)
{
    int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
    uint8_t rest[AX_TOKEN_MAX + 16];
    size_t rest_n = 0;
    if (fd < 0)
        return;
    if (s->token[0] && !token_ok(s, fd, rest, &rest_n)) {
        (void)!send(fd, "AXBRD-NO", 8, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(fd);
        fprintf(stderr, "axon-board: refused a client without the right token\n");
        return;
    }
    /* A client that has hung up (its last bytes unread) makes way. */
    struct pollfd p = {.fd = s->cfd, .events = POLLRDHUP};
    if (s->cfd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
        drop_client(s, NULL);
    if (s->cfd >= 0) {
        char msg[128];
        int n = snprintf(msg, sizeof msg, "AXBRD-BZheld by %s\n", s->holder);
        (void)!send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(fd);
        fprintf(stderr, "axon-board: refused a second client (board held by %s)\n", s->holder);
        return;
    }
    if (s->tcp)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Whatever the last client left half-sent, the board's receiver hunts
     * for a sync word again, and its stale answers are dropped. */
    int r = ax_stream_resync(s->board);
    if (r < 0)
        fprintf(stderr, "axon-board: resynchronising the board: %s\n", ax_strerror(r));
    if (send(fd, "AXBRD-OK", 8, MSG_NOSIGNAL | MSG_DONTWAIT) != 8) {
        close(fd);
        return;
    }
    name_peer(s, fd);
    s->cfd = fd;
    s->spoke = 0;
    s->chunked = -1;
    s->req_have = 0;
    s->out_len = 0;
    s->last_heard = now_ms();
    s->active_until = s->last_heard + ACTIVE_MS;
    if (rest_n)
        client_bytes(s, rest, rest_n);
}

/* The client's first bytes choose the relay: clock_req asks for chunks with
 * the board's time, anything else is the wire protocol (the part of clock_req
 * held back goes to the board first). Returns how many of buf's n bytes were
 * taken here. */
static size_t choose_relay(server *s, const uint8_t *buf, size_t n)
{
    size_t k = 0;
    while (k < n && s->req_have < 8 && buf[k] == (uint8_t)clock_req[s->req_have]) {
        s->req_have++;
        k++;
    }
    if (s->req_have == 8) {
        s->chunked = 1;
        memcpy(s->out + s->out_len, "AXCLK-OK", 8);
        s->out_len += 8;
    } else if (k < n) {
        s->chunked = 0;
        if (s->req_have && ax_stream_write(s->board, clock_req, s->req_have) < 0)
            drop_client(s, "the board refused bytes");
    }
    return k;
}

/* Client bytes to the board, a chunk at a time (the loop stays responsive). */
static void from_client(server *s)
{
    uint8_t buf[IN_CHUNK];
    ssize_t n = recv(s->cfd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        drop_client(s, NULL);
        return;
    }
    client_bytes(s, buf, (size_t)n);
}

/* Bytes the client sent: the relay's choice first, then the board's. */
static void client_bytes(server *s, const uint8_t *buf, size_t n)
{
    s->spoke = 1;
    s->last_heard = now_ms();
    s->active_until = s->last_heard + ACTIVE_MS;
    size_t k = s->chunked < 0 ? choose_relay(s, buf, n) : 0;
    if (s->cfd >= 0 && n > k && ax_stream_write(s->board, buf + k, n - k) < 0)
        drop_client(s, "the board refused bytes");
}

/* Sends what is pending without blocking. */
static void flush_out(server *s)
{
    size_t done = 0;
    while (done < s->out_len) {
        ssize_t k = send(s->cfd, s->out + done, s->out_len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (k <= 0) {
            drop_client(s, NULL);
            return;
        }
        done += (size_t)k;
    }
    memmove(s->out, s->out + done, s->out_len - done);
    s->out_len -= done;
}

/* Advances the board and queues its bytes for the client; a full queue
 * (a client that does not read) leaves the board waiting. */
static int to_client(server *s)
{
    size_t room = OUT_CAP - s->out_len, hdr = s->chunked == 1 ? CHUNK_HDR : 0;
    if (room < OUT_CAP / 2 || s->chunked < 0)
        return 0; /* the client is slow, or has not said which relay it wants */
    uint8_t *buf = s->out + s->out_len + hdr;
    room -= hdr;
    int n = ax_stream_read(s->board, buf, room / 2, STEP_US);
    /* A simulated bridge delivers a few bytes a cycle: gather the burst (until
     * the board is quiet for 1 us) so the client gets whole frames. */
    while (n > 0 && (size_t)n < room / 4) {
        int k = ax_stream_read(s->board, buf + n, room / 2 - (size_t)n, 1);
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
    if (n > 0 && hdr) {
        ax_put_le32(s->out + s->out_len, (uint32_t)n);
        ax_put_le64(s->out + s->out_len + 4, ax_stream_now_us(s->board));
        s->out_len += hdr;
    }
    s->out_len += (size_t)n;
    if (s->out_len)
        flush_out(s);
    return 0;
}

static int serve(server *s)
{
    while (!stop) {
        int has = s->cfd >= 0, full = s->out_len > OUT_CAP / 2;
        int active = has && now_ms() < s->active_until;
        short ev = (short)((full ? 0 : POLLIN) | (s->out_len ? POLLOUT : 0));
        struct pollfd p[2] = {{.fd = s->lfd, .events = POLLIN}, {.fd = s->cfd, .events = ev}};
        int r = poll(p, has ? 2 : 1, active && !full ? 0 : 50);
        if (r < 0 && errno != EINTR)
            return 1;
        if (r < 0)
            continue;
        /* The client first: one that just left frees the board for a new one. */
        if (has && (p[1].revents & (POLLHUP | POLLERR)) && !(p[1].revents & POLLIN))
            drop_client(s, NULL);
        else if (has && (p[1].revents & POLLIN))
            from_client(s);
        if (s->cfd >= 0 && s->out_len && (p[1].revents & POLLOUT))
            flush_out(s);
        if (s->cfd >= 0 && s->idle_ms && now_ms() - s->last_heard > s->idle_ms)
            drop_client(s, "idle for longer than --idle-timeout");
        if (p[0].revents & POLLIN)
            accept_client(s);
        if (s->cfd >= 0 && (active || r > 0) && to_client(s) < 0)
            return 1;
    }
    return 0;
}

static const char usage[] =
    "usage: axon-board [--listen PATH|HOST:PORT] [--board URI] [--idle-timeout S]\n"
    "                  [--token FILE] [--once]\n\n"
    "Serves a board (default %s) to one socket: client at a time on a Unix\n"
    "socket (default %s; a PATH contains '/', e.g. ./board.sock) or on TCP\n"
    "HOST:PORT (e.g. 127.0.0.1:5555; an address other than loopback needs --token:\n"
    "a file only you can read, whose line each client sends). A client silent for S seconds\n"
    "(default %u; 0: never) is dropped. --once exits when the first client that\n"
    "sent something leaves (a probe that only connects does not count).\n";

static int bad_listen(const char *at)
{
    fprintf(stderr,
            "axon-board: --listen '%s' is neither a path (with '/', e.g. ./%s) nor HOST:PORT "
            "(e.g. 127.0.0.1:%s)\n",
            at, at, at);
    return 2;
}

/* Parses the arguments; 0, 1 (help printed) or 2 (error reported). */
static int parse_args(int argc, char **argv, server *s, const char **at, const char **uri)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            printf(usage, AX_DEFAULT_URI, ax_socket_default_path(), IDLE_S);
            return 1;
        } else if (!strcmp(o, "--once")) {
            s->once = 1;
        } else if (!strcmp(o, "--listen") && v) {
            *at = argv[++i];
        } else if (!strcmp(o, "--board") && v) {
            *uri = argv[++i];
        } else if (!strcmp(o, "--token") && v) {
            if (ax_socket_token_read(argv[++i], s->token, sizeof s->token) < 0) {
                fprintf(stderr, "axon-board: %s\n", ax_error_detail());
                return 2;
            }
        } else if (!strcmp(o, "--idle-timeout") && v) {
            unsigned long t = strtoul(v, &end, 10);
            if (*v < '0' || *v > '9' || *end || t > 86400) {
                fprintf(stderr, "axon-board: --idle-timeout '%s': expected seconds 0..86400\n", v);
                return 2;
            }
            s->idle_ms = (unsigned)t * 1000u;
            i++;
        } else {
            fprintf(stderr, "axon-board: unknown argument '%s' (see --help)\n", o);
            return 2;
        }
    }
    return !strchr(*at, '/') && !strchr(*at, ':') ? bad_listen(*at) : 0;
}

int main(int argc, char **argv)
{
    const char *listen_at = ax_socket_default_path(), *uri = AX_DEFAULT_URI;
    static server s = {.lfd = -1, .cfd = -1, .idle_ms = IDLE_S * 1000u};
    listener l = {0};
    int r = parse_args(argc, argv, &s, &listen_at, &uri);
    if (r)
        return r == 1 ? 0 : r;
    /* No SA_RESTART: a signal interrupts poll() and the loop sees
     * stop; set first, so a signal while the board opens still cleans up. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    l.unix_sock = strchr(listen_at, '/') != NULL;
    if (listen_at == ax_socket_default_path() && make_private_dir(listen_at) < 0)
        return 1;
    s.tcp = !l.unix_sock;
    s.lfd = l.unix_sock ? listen_unix(listen_at, &l) : listen_tcp(listen_at, s.token[0] != 0);
    if (s.lfd < 0)
        return s.lfd == -2 ? 2 : 1;
    r = ax_stream_open(uri, &s.board);
    if (r < 0) {
        fprintf(stderr, "axon-board: cannot open board '%s': %s\n", uri, ax_error_detail());
        close(s.lfd);
        if (l.unix_sock)
            unlink_ours(listen_at, &l);
        return r == AX_E_INVAL ? 2 : 1;
    }
    fprintf(stderr, "axon-board: serving %s on %s\n", uri, listen_at);
    r = serve(&s);
    if (s.cfd >= 0)
        close(s.cfd);
    close(s.lfd);
    if (l.unix_sock)
        unlink_ours(listen_at, &l);
    ax_stream_close(s.board);
    return r;
}
