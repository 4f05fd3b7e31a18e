/* socket: a board served by `axon-board` on a Unix socket or loopback TCP.
 *
 * URI: socket:PATH (Unix socket; default $XDG_RUNTIME_DIR/axon-board.sock,
 * else ${TMPDIR:-/tmp}/axon-UID/axon-board.sock) or socket:HOST:PORT (TCP). On accept the server
 * sends an 8-byte greeting before any frame: "AXBRD-OK" or "AXBRD-BZ" when it
 * already serves another client (followed by "held by WHO\n"). Then the socket carries the wire
 * protocol's bytes unchanged. Timeouts are wall time.
 *
 * The board's clock: the client sends "AXCLOCK\n" first; the server answers
 * "AXCLK-OK" after its greeting and from then on relays the board's bytes in
 * chunks, each a 12-byte header (byte count, u32 LE; the board's time in us
 * when the bytes left it, u64 LE) and the bytes, unchanged. The run deadline
 * counts that time (model time when the server serves a simulated board, the
 * server's monotonic clock for hardware); the link's waits stay wall time.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/le.h"
#include "device.h"

#define GREETING_BYTES 8
#define CONNECT_MS     2000
#define CHUNK_HDR      12
#define CHUNK_MAX      (1u << 21) /* longest chunk a server sends (it queues 1 MiB) */

typedef struct socket_priv {
    int fd;
    uint32_t chunk_left;    /* board bytes left in the current chunk */
    unsigned hdr_have;      /* header bytes gathered */
    uint8_t hdr[CHUNK_HDR]; /* the chunk header being read */
    uint64_t board_us;      /* the board's time last stamped */
} socket_priv;

static socket_priv *skp(ax_transport *t)
{
    return ax_transport_priv(t);
}

/* The default Unix socket path of axon-board: in $XDG_RUNTIME_DIR, else in
 * the private per-user dir ${TMPDIR:-/tmp}/axon-UID (axon-board creates it
 * 0700; a client uses it only while it is that, see private_dir_ok). */
const char *ax_socket_default_path(void)
{
    static _Thread_local char path[200];
    const char *dir = getenv("XDG_RUNTIME_DIR"), *tmp = getenv("TMPDIR");
    if (dir && *dir)
        snprintf(path, sizeof path, "%s/axon-board.sock", dir);
    else
        snprintf(path, sizeof path, "%s/axon-%u/axon-board.sock", tmp && *tmp ? tmp : "/tmp",
                 (unsigned)getuid());
    return path;
}

/* The folder of path is a directory of ours that no one else may write. */
static int private_dir_ok(const char *path)
{
    char dir[200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    struct stat st;
    if (lstat(dir, &st) < 0)
        return AX_OK; /* no folder, no server: connect says so */
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 022))
        return ax_fail(AX_E_NODEV, "socket: %s is not a private folder of this user; not using it",
                       dir);
    return AX_OK;
}

int ax_socket_token_read(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return ax_fail(AX_E_NOTFOUND, "token file %s: %s", path, strerror(errno));
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid() && !(st.st_mode & 077))
        n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0)
        return ax_fail(AX_E_INVAL,
                       "token file %s: must be a regular file of yours that only "
                       "you can read (chmod 600)",
                       path);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] <= ' ' || buf[i] > '~')
            n = 0;
    if (n == 0 || (size_t)n + 1 >= cap)
        return ax_fail(AX_E_FORMAT,
                       "token file %s: expected one line of 1..%zu printable "
                       "characters",
                       path, cap - 2);
    return AX_OK;
}

/* Sends "AXTOKEN <token>\n" when the URI (token=FILE) or AXON_TOKEN_FILE
 * names a token file. */
static int send_token(int fd, const ax_uri *uri)
{
    const char *file = ax_uri_get(uri, "token"), *env = getenv("AXON_TOKEN_FILE");
    if (!file && env && !*env)
        return ax_fail(AX_E_INVAL, "socket: AXON_TOKEN_FILE is empty");
    if (!file && !(file = env))
        return AX_OK;
    char tok[AX_TOKEN_MAX + 2], line[AX_TOKEN_MAX + 16];
    int r = ax_socket_token_read(file, tok, sizeof tok);
    if (r < 0)
        return r;
    int n = snprintf(line, sizeof line, "AXTOKEN %s\n", tok);
    if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n)
        return ax_fail(AX_E_DISCONNECTED, "socket: the server closed the connection");
    return AX_OK;
}

static int connect_unix(const char *path, int *fd)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path)
        return ax_fail(AX_E_INVAL, "socket: path too long: %s", path);
    strcpy(a.sun_path, path);
    *fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (*fd < 0)
        return ax_fail(AX_E_IO, "socket: %s", strerror(errno));
    if (connect(*fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        close(*fd);
        return ax_fail(AX_E_NODEV, "socket: no board at %s (%s; is axon-board running?)", path,
                       strerror(e));
    }
    return AX_OK;
}

static int connect_tcp(const char *hostport, int *fd)
{
    char host[128];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return ax_fail(AX_E_INVAL, "socket: expected HOST:PORT, got '%s'", hostport);
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return ax_fail(AX_E_NODEV, "socket: cannot resolve '%s'", hostport);
    int r = AX_E_NODEV;
    for (struct addrinfo *ai = res; ai && r < 0; ai = ai->ai_next) {
        *fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (*fd >= 0 && connect(*fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            int one = 1; /* commands are small: Nagle would hold every second one back */
            setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            r = AX_OK;
        } else if (*fd >= 0)
            close(*fd);
    }
    freeaddrinfo(res);
    if (r < 0)
        return ax_fail(r, "socket: no board at %s (is axon-board running?)", hostport);
    return AX_OK;
}

/* A busy server names who holds the board in a line after the greeting. */
static int busy(int fd, const char *where)
{
    char who[96] = "";
    size_t have = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (have + 1 < sizeof who && poll(&p, 1, 200) > 0) {
        ssize_t n = recv(fd, who + have, sizeof who - 1 - have, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    who[have] = '\0';
    who[strcspn(who, "\r\n")] = '\0';
    for (char *c = who; *c; c++)
        if (*c < ' ' || *c > '~')
            *c = '?';
    return ax_fail(AX_E_BUSY, "socket: board busy (%s) at %s", *who ? who : "another client",
                   where);
}

static int read_greeting(int fd, const char *where)
{
    char g[GREETING_BYTES];
    size_t have = 0;
    while (have < GREETING_BYTES) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, CONNECT_MS) <= 0)
            return ax_fail(AX_E_TIMEOUT, "socket: %s sent no greeting", where);
        ssize_t n = recv(fd, g + have, GREETING_BYTES - have, 0);
        if (n <= 0)
            return ax_fail(AX_E_DISCONNECTED, "socket: %s closed the connection", where);
        have += (size_t)n;
    }
    if (!memcmp(g, "AXBRD-BZ", GREETING_BYTES))
        return busy(fd, where);
    if (!memcmp(g, "AXBRD-NO", GREETING_BYTES))
        return ax_fail(AX_E_NODEV,
                       "socket: %s refused the token (missing or wrong: give "
                       "socket:HOST:PORT?token=FILE or AXON_TOKEN_FILE)",
                       where);
    if (memcmp(g, "AXBRD-OK", GREETING_BYTES))
        return ax_fail(AX_E_PROTO, "socket: %s is not an axon-board server", where);
    return AX_OK;
}

/* After the greeting: the server agrees to stamp the board's clock. */
static int read_clock_ok(int fd, const char *where)
{
    char g[GREETING_BYTES];
    size_t have = 0;
    while (have < GREETING_BYTES) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n = poll(&p, 1, CONNECT_MS) > 0 ? recv(fd, g + have, GREETING_BYTES - have, 0) : 0;
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    if (have < GREETING_BYTES || memcmp(g, "AXCLK-OK", GREETING_BYTES))
        return ax_fail(AX_E_PROTO,
                       "socket: %s does not report the board's clock "
                       "(an older axon-board? update it)",
                       where);
    return AX_OK;
}

static int socket_open(ax_transport *t, const ax_uri *uri)
{
    static const char *const keys[] = {"token", NULL};
    if (ax_uri_check_keys(uri, keys) < 0)
        return ax_fail(AX_E_INVAL, "socket: unknown option (known: token=FILE)");
    const char *where = uri->path[0] ? uri->path : ax_socket_default_path();
    int fd = -1, r;
    if (!uri->path[0] && (r = private_dir_ok(where)) < 0)
        return r;
    if (strchr(where, '/') || !strchr(where, ':'))
        r = connect_unix(where, &fd);
    else
        r = connect_tcp(where, &fd);
    if (r < 0)
        return r;
    r = send_token(fd, uri);
    /* A busy server may have closed already: its greeting says why. */
    bool asked = r == AX_OK && send(fd, "AXCLOCK\n", 8, MSG_NOSIGNAL) == 8;
    if (r == AX_OK)
        r = read_greeting(fd, where);
    if (r == AX_OK && !asked)
        r = ax_fail(AX_E_DISCONNECTED, "socket: %s closed the connection", where);
    if (r == AX_OK)
        r = read_clock_ok(fd, where);
    if (r < 0) {
        close(fd);
        return r;
    }
    skp(t)->fd = fd;
    return AX_OK;
}

static void socket_close(ax_transport *t)
{
    close(skp(t)->fd);
}

static int socket_write(ax_transport *t, const uint8_t *data, size_t len)
{
    int fd = skp(t)->fd;
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EPIPE || errno == ECONNRESET ? AX_E_DISCONNECTED : AX_E_IO;
        data += n;
        len -= (size_t)n;
    }
    return AX_OK;
}

static int recv_some(int fd, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int ms = (int)((timeout_us + 999u) / 1000u);
    int r = poll(&p, 1, ms);
    if (r < 0)
        return errno == EINTR ? 0 : AX_E_IO;
    if (r == 0)
        return 0;
    ssize_t n = recv(fd, buf, cap, 0);
    if (n == 0)
        return AX_E_DISCONNECTED;
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0
               : errno == ECONNRESET             ? AX_E_DISCONNECTED
                                                 : AX_E_IO;
    return (int)n;
}

/* Strips the chunk headers from n received bytes in place; returns the board
 * bytes left, or AX_E_PROTO for a chunk longer than any server sends. */
static int dechunk(socket_priv *s, uint8_t *buf, size_t n)
{
    size_t in = 0, out = 0;
    while (in < n) {
        if (s->chunk_left == 0) {
            s->hdr[s->hdr_have++] = buf[in++];
            if (s->hdr_have < CHUNK_HDR)
                continue;
            s->hdr_have = 0;
            s->chunk_left = ax_get_le32(s->hdr);
            s->board_us = ax_get_le64(s->hdr + 4);
            if (s->chunk_left > CHUNK_MAX)
                return ax_fail(AX_E_PROTO, "socket: a chunk of %u bytes from the server",
                               (unsigned)s->chunk_left);
            continue;
        }
        size_t k = n - in < s->chunk_left ? n - in : s->chunk_left;
        memmove(buf + out, buf + in, k);
        in += k;
        out += k;
        s->chunk_left -= (uint32_t)k;
    }
    return (int)out;
}

/* Waits (wall time) until board bytes arrive or timeout_us has passed. */
static int socket_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    socket_priv *s = skp(t);
    uint64_t start = ax_mono_us();
    for (;;) {
        uint64_t spent = ax_mono_us() - start;
        int n = recv_some(s->fd, buf, cap, spent >= timeout_us ? 0 : timeout_us - (uint32_t)spent);
        if (n <= 0)
            return n;
        if ((n = dechunk(s, buf, (size_t)n)) != 0 || ax_mono_us() - start >= timeout_us)
            return n;
    }
}

/* The board's time: the last stamp (it advances with every chunk). */
static uint64_t socket_board(ax_transport *t)
{
    return skp(t)->board_us;
}

static int socket_reset(ax_transport *t)
{
    uint8_t junk[4096];
    while (socket_read(t, junk, sizeof junk, 0) > 0)
        ;
    return AX_OK;
}

static void socket_list(void (*found)(void *, const char *, const char *), void *ctx)
{
    const char *path = ax_socket_default_path();
    if (access(path, F_OK) == 0) {
        char uri[256];
        snprintf(uri, sizeof uri, "socket:%s", path);
        found(ctx, uri, "axon-board server (Unix socket)");
    }
}

const ax_transport_ops ax_tr_socket_ops = {
    .scheme = "socket",
    .help = "socket:[PATH] (Unix socket of axon-board) or socket:HOST:PORT[?token=FILE] (TCP)",
    .priv_size = sizeof(socket_priv),
    .timeout_us = 20000,
    .open = socket_open,
    .close = socket_close,
    .write = socket_write,
    .read = socket_read,
    .reset = socket_reset,
    .board_us = socket_board,
    .list = socket_list,
};
