/* Output files: atomic replace for regular files, direct writes otherwise. */
#define _XOPEN_SOURCE 700 /* mkstemp, fsync, realpath, lstat, readlink */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axon/outfile.h"
#include "axon/status.h"

struct ax_outfile {
    FILE *f;
    bool direct;             /* written in place (stdout, FIFO, device) */
    char path[PATH_MAX];     /* the file finally written (a symlink's target) */
    char tmp[PATH_MAX + 16]; /* the temporary beside it */
};

/* The folder part of path into dir ("." when there is none). */
static void dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

int ax_outfile_check(const char *path)
{
    if (!path || !*path)
        return ax_fail(AX_E_INVAL, "empty output path");
    if (!strcmp(path, "-"))
        return 0;
    if (strlen(path) >= PATH_MAX)
        return ax_fail(AX_E_INVAL, "%.60s...: output path longer than %d bytes", path, PATH_MAX);
    char dir[PATH_MAX];
    struct stat st;
    dir_of(path, dir, sizeof dir);
    if (stat(dir, &st) != 0)
        return ax_fail(AX_E_NOTFOUND, "%s: folder %s does not exist", path, dir);
    if (!S_ISDIR(st.st_mode))
        return ax_fail(AX_E_INVAL, "%s: %s is not a folder", path, dir);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ax_fail(AX_E_INVAL, "%s: is a folder, not a file", path);
    if (access(dir, W_OK) != 0 && access(path, W_OK) != 0)
        return ax_fail(AX_E_IO, "%s: cannot write there: %s", path, strerror(errno));
    return 0;
}

/* Resolves a symlink to the file it names (which is then replaced). */
static int resolve_target(const char *path, char *out)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char dir[PATH_MAX], real_dir[PATH_MAX];
        if (!realpath(path, out)) { /* a dangling link: create its target */
            ssize_t n = readlink(path, out, PATH_MAX - 1);
            if (n < 0)
                return ax_fail(AX_E_IO, "%s: %s", path, strerror(errno));
            out[n] = '\0';
            if (out[0] != '/') {
                dir_of(path, dir, sizeof dir);
                if (!realpath(dir, real_dir) ||
                    snprintf(dir, sizeof dir, "%s/%s", real_dir, out) >= (int)sizeof dir)
                    return ax_fail(AX_E_INVAL, "%s: cannot resolve the link", path);
                snprintf(out, PATH_MAX, "%s", dir);
            }
        }
        return 0;
    }
    snprintf(out, PATH_MAX, "%s", path);
    return 0;
}

/* The process's umask (reading it means setting it; set it straight back). */
static mode_t umask_now(void)
{
    mode_t m = umask(022);
    umask(m);
    return m;
}

static int open_temporary(ax_outfile *o)
{
    char dir[PATH_MAX];
    dir_of(o->path, dir, sizeof dir);
    const char *base = strrchr(o->path, '/') ? strrchr(o->path, '/') + 1 : o->path;
    if (snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", dir, base) >= (int)sizeof o->tmp)
        return ax_fail(AX_E_INVAL, "%s: output path too long", o->path);
    int fd = mkstemp(o->tmp);
    if (fd < 0)
        return ax_fail(AX_E_IO, "%s: cannot create a temporary file in %s: %s", o->path, dir,
                       strerror(errno));
    struct stat st;
    if (stat(o->path, &st) == 0) /* keep the replaced file's permissions */
        fchmod(fd, st.st_mode & 07777);
    else
        fchmod(fd, 0666 & ~umask_now());
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        return ax_fail(AX_E_IO, "%s: %s", o->path, strerror(errno));
    }
    return 0;
}

int ax_outfile_open(ax_outfile **out, const char *path)
{
    *out = NULL;
    int rc = ax_outfile_check(path);
    if (rc)
        return rc;
    ax_outfile *o = calloc(1, sizeof *o);
    if (!o)
        return ax_fail(AX_E_NOMEM, "%s: out of memory", path);
    struct stat st;
    if (!strcmp(path, "-")) {
        o->direct = true;
        o->f = stdout;
        snprintf(o->path, sizeof o->path, "standard output");
    } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->direct = true; /* FIFO, terminal, device: written as it is */
        snprintf(o->path, sizeof o->path, "%s", path);
        o->f = fopen(path, "wb");
        if (!o->f)
            rc = ax_fail(AX_E_IO, "%s: cannot open: %s", path, strerror(errno));
    } else {
        rc = resolve_target(path, o->path);
        if (!rc)
            rc = open_temporary(o);
    }
    if (rc) {
        free(o);
        return rc;
    }
    *out = o;
    return 0;
}

FILE *ax_outfile_stream(ax_outfile *o)
{
    return o->f;
}

int ax_outfile_commit(ax_outfile *o)
{
    int rc = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        rc = ax_fail(AX_E_IO, "cannot write to %s: %s", o->path, strerror(errno));
    if (!o->direct) {
        if (!rc && fsync(fileno(o->f)) != 0)
            rc = ax_fail(AX_E_IO, "cannot write to %s: %s", o->path, strerror(errno));
        if (fclose(o->f) != 0 && !rc)
            rc = ax_fail(AX_E_IO, "cannot write to %s: %s", o->path, strerror(errno));
        if (!rc && rename(o->tmp, o->path) != 0)
            rc = ax_fail(AX_E_IO, "cannot replace %s: %s", o->path, strerror(errno));
        if (rc)
            unlink(o->tmp);
    } else if (o->f != stdout && fclose(o->f) != 0 && !rc) {
        rc = ax_fail(AX_E_IO, "cannot write to %s: %s", o->path, strerror(errno));
    }
    free(o);
    return rc;
}

void ax_outfile_abort(ax_outfile *o)
{
    if (!o)
        return;
    if (!o->direct) {
        fclose(o->f);
        unlink(o->tmp);
    } else if (o->f != stdout) {
        fclose(o->f);
    }
    free(o);
}

bool ax_outfile_same(const char *a, const char *b)
{
    if (!strcmp(a, "-") || !strcmp(b, "-"))
        return !strcmp(a, b);
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ra[PATH_MAX], rb[PATH_MAX], da[PATH_MAX], db[PATH_MAX];
    /* Not both there yet: compare the resolved folders and the names. */
    dir_of(a, da, sizeof da);
    dir_of(b, db, sizeof db);
    const char *na = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
    const char *nb = strrchr(b, '/') ? strrchr(b, '/') + 1 : b;
    return realpath(da, ra) && realpath(db, rb) && !strcmp(ra, rb) && !strcmp(na, nb);
}
