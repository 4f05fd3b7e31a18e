/* LD_PRELOAD shim for driver_board_listen: listen() waits 500 ms first, so a
 * server that creates its socket file before it listens shows the window in
 * which a client is refused (ECONNREFUSED). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/socket.h>
#include <time.h>

int listen(int fd, int backlog)
{
    int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
    nanosleep(&(struct timespec){0, 500000000}, NULL);
    return real(fd, backlog);
}
