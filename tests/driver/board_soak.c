/* Soak of axon-board: 8 well-behaved clients (each in its own process) queue
 * for one simulated board (busy: retry after a short random pause) and, once
 * served, check a SCRATCH write/read and a record-stream program against the
 * fault-free run; 2 hostile clients meanwhile send garbage and half frames,
 * and hold the board while never reading. For a bounded time, on a Unix
 * socket in a temporary folder. The server's VmRSS/VmHWM are read from /proc
 * at the start and the end. One JSON line; exit 1 on any wrong result, any
 * failed run of a well-behaved client, a client never served or a server
 * that grew by more than 32 MiB. A well-behaved client is served or told
 * busy: any other open error (the first of each client printed) fails too.
 *
 * usage: board_soak AXON_BOARD [--seconds S]   (default 20) */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "axon/clock.h"
#include "axon/codec.h"
#include "streamprog.h"

#define GOOD    8
#define HOSTILE 2

typedef struct tally {
    long hostile, sessions, runs, wrong, failed, busy, opens_failed;
} tally;

static char sock_path[96], curi[128];

static void pause_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* One served session: SCRATCH and two stream runs, compared. */
static void session(ax_device *d, ax_program *p, const ax_result *gold, uint32_t tag, tally *t)
{
    ax_result res;
    ax_result_init(&res);
    uint32_t v = 0;
    t->sessions++;
    if (stream_setup(d) != AX_OK || ax_reg_write(d, AX_REG_SCRATCH, tag) != AX_OK ||
        ax_reg_read(d, AX_REG_SCRATCH, &v) != AX_OK) {
        t->failed++;
        return;
    }
    t->wrong += v != tag;
    for (int i = 0; i < 2; i++, t->runs++) {
        if (ax_run(d, p, &res) != AX_OK)
            t->failed++;
        else
            t->wrong += !same_records(&res, gold);
    }
    ax_result_free(&res);
}

static void good_client(int id, const ax_result *gold, double until, int out)
{
    tally t = {0};
    ax_program *p;
    ax_program_new(&p);
    stream_program(p);
    srand((unsigned)id * 7919u);
    for (uint32_t n = 0; (double)ax_mono_us() / 1e6 < until; n++) {
        ax_device *d;
        int r = ax_open(curi, &d);
        if (r == AX_OK) {
            session(d, p, gold, (uint32_t)id << 24 | n, &t);
            ax_close(d);
        } else {
            t.busy += r == AX_E_BUSY;
            if (r != AX_E_BUSY && t.opens_failed++ == 0)
                fprintf(stderr, "board_soak: client %d: %s\n", id, ax_error_detail());
        }
        pause_ms(5 + rand() % 30);
    }
    ax_program_free(p);
    (void)!write(out, &t, sizeof t);
}

static int connect_board(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    char g[8];
    if (fd >= 0 && (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
                    recv(fd, g, 8, MSG_WAITALL) != 8 || memcmp(g, "AXBRD-OK", 8))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* kind 0: garbage and half frames, then gone; kind 1: HELLOs for 0.5 s
 * without reading a byte. */
static void hostile_client(int kind, double until, int out)
{
    tally t = {.hostile = 1};
    uint8_t junk[2048], hello[64];
    ax_frame f = {.type = AX_FT_HELLO};
    int hn = ax_frame_encode(&f, hello, sizeof hello);
    srand(4242u + (unsigned)kind);
    while ((double)ax_mono_us() / 1e6 < until) {
        int fd = connect_board();
        if (fd >= 0) {
            t.sessions++;
            for (size_t i = 0; i < sizeof junk; i++)
                junk[i] = (uint8_t)rand();
            memcpy(junk + 1000, "AXON\x01\x00\x00\x01", 8); /* a CMD of 256 words, cut off */
            for (int i = 0; kind == 0 && i < 4; i++)
                (void)!send(fd, junk, sizeof junk, MSG_NOSIGNAL);
            for (int i = 0; kind == 1 && hn > 0 && i < 500; i++, pause_ms(1))
                (void)!send(fd, hello, (size_t)hn, MSG_NOSIGNAL | MSG_DONTWAIT);
            close(fd);
        }
        pause_ms(kind == 0 ? 20 : 100);
    }
    (void)!write(out, &t, sizeof t);
}

/* VmRSS and VmHWM of pid in kB. */
static void mem_kb(pid_t pid, long *rss, long *hwm)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    *rss = *hwm = -1;
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "VmRSS: %ld", rss);
        sscanf(line, "VmHWM: %ld", hwm);
    }
    if (f)
        fclose(f);
}

static pid_t start_board(const char *bin)
{
    pid_t b = fork();
    if (b == 0) {
        if (!getenv("AX_SOAK_VERBOSE"))
            (void)!freopen("/dev/null", "w", stderr);
        execl(bin, bin, "--listen", sock_path, "--board", "sim:?size=small&noise=0",
              "--idle-timeout", "1", (char *)NULL);
        _exit(127);
    }
    ax_device *d = NULL;
    for (int i = 0; i < 250 && ax_open(curi, &d) != AX_OK; i++)
        pause_ms(20);
    ax_close(d); /* served once: the board is open, its memory counted */
    return b;
}

static int reference(ax_result *gold)
{
    ax_device *d;
    ax_program *p;
    ax_program_new(&p);
    stream_program(p);
    int r = ax_open("sim:?size=small&noise=0", &d);
    if (r == AX_OK && (r = stream_setup(d)) == AX_OK)
        r = ax_run(d, p, gold);
    if (r == AX_OK)
        ax_close(d);
    ax_program_free(p);
    return r;
}

static void add(tally *a, const tally *b)
{
    a->sessions += b->sessions, a->runs += b->runs, a->wrong += b->wrong;
    a->failed += b->failed, a->busy += b->busy, a->opens_failed += b->opens_failed;
}

int main(int argc, char **argv)
{
    double secs = argc == 4 && !strcmp(argv[2], "--seconds") ? atof(argv[3]) : 20.0;
    if ((argc != 2 && argc != 4) || secs <= 0)
        return fprintf(stderr, "usage: board_soak AXON_BOARD [--seconds S]\n"), 2;
    ax_result gold;
    ax_result_init(&gold);
    if (reference(&gold) != AX_OK)
        return fprintf(stderr, "board_soak: no reference run: %s\n", ax_error_detail()), 1;
    char dir[] = "/tmp/axon-soak-XXXXXX";
    int fds[2];
    if (!mkdtemp(dir) || pipe(fds) < 0)
        return perror("board_soak"), 1;
    snprintf(sock_path, sizeof sock_path, "%s/b.sock", dir);
    snprintf(curi, sizeof curi, "socket:%s", sock_path);
    pid_t board = start_board(argv[1]);
    long rss0, hwm0, rss1, hwm1;
    mem_kb(board, &rss0, &hwm0);
    double until = (double)ax_mono_us() / 1e6 + secs;
    pid_t kids[GOOD + HOSTILE];
    for (int i = 0; i < GOOD + HOSTILE; i++)
        if ((kids[i] = fork()) == 0) {
            close(fds[0]);
            if (i < GOOD)
                good_client(i, &gold, until, fds[1]);
            else
                hostile_client(i - GOOD, until, fds[1]);
            _exit(0);
        }
    close(fds[1]);
    tally good = {0}, bad = {0}, t;
    int got = 0, starved = 0;
    for (; got < GOOD + HOSTILE && read(fds[0], &t, sizeof t) == (ssize_t)sizeof t; got++) {
        starved += !t.hostile && t.runs == 0;
        add(t.hostile ? &bad : &good, &t);
    }
    for (int i = 0; i < GOOD + HOSTILE; i++)
        waitpid(kids[i], NULL, 0);
    mem_kb(board, &rss1, &hwm1);
    kill(board, SIGTERM);
    waitpid(board, NULL, 0);
    rmdir(dir);
    printf("{\"bench\":\"board_soak\",\"seconds\":%.0f,\"clients\":%d,\"hostile\":%d,"
           "\"sessions\":%ld,\"runs\":%ld,\"wrong\":%ld,\"failed\":%ld,\"busy_retries\":%ld,"
           "\"open_errors\":%ld,\"starved\":%d,\"hostile_sessions\":%ld,\"rss_kb_start\":%ld,"
           "\"rss_kb_end\":%ld,\"hwm_kb_start\":%ld,\"hwm_kb_end\":%ld}\n",
           secs, GOOD, HOSTILE, good.sessions, good.runs, good.wrong, good.failed, good.busy,
           good.opens_failed, starved, bad.sessions, rss0, rss1, hwm0, hwm1);
    ax_result_free(&gold);
    return good.wrong || good.failed || good.opens_failed || starved || got != GOOD + HOSTILE ||
                   good.runs == 0 || rss1 - rss0 > 32768
               ? 1
               : 0;
}
