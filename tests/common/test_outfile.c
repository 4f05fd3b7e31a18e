/* Output files: what a careless or unlucky user does to them. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "axon/outfile.h"
#include "axon/status.h"

static int fails;
static char dir[] = "/tmp/axon-test-outfile-XXXXXX";

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL: %s (%s)\n", what, ax_error_detail());
        fails++;
    }
}

static int write_text(const char *path, const char *text)
{
    ax_outfile *o;
    int rc = ax_outfile_open(&o, path);
    if (rc)
        return rc;
    fputs(text, ax_outfile_stream(o));
    return ax_outfile_commit(o);
}

static int file_is(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return !strcmp(buf, text);
}

static int entries(void) /* files in the test folder: no temporaries left behind */
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    if (d)
        closedir(d);
    return n;
}

static void path_in(char *out, const char *name)
{
    snprintf(out, 512, "%s/%s", dir, name);
}

static void test_regular(void)
{
    char p[512], tmp[512];
    path_in(p, "out.csv");
    path_in(tmp, "out.csv.tmp");
    check(write_text(tmp, "the user's own file\n") == 0, "write the user's PATH.tmp");
    check(write_text(p, "first\n") == 0 && file_is(p, "first\n"), "a new file");
    chmod(p, 0600);
    check(write_text(p, "second\n") == 0 && file_is(p, "second\n"), "replaced");
    struct stat st;
    check(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600, "permissions kept");
    check(file_is(tmp, "the user's own file\n"), "the user's PATH.tmp untouched");
    ax_outfile *o;
    check(ax_outfile_open(&o, p) == 0, "open");
    fputs("half a fi", ax_outfile_stream(o));
    ax_outfile_abort(o); /* an interrupted run */
    check(file_is(p, "second\n"), "abort keeps the old file");
    check(entries() == 2, "no temporary left behind");
}

static void test_symlink(void)
{
    char p[512], link[512];
    path_in(p, "target.txt");
    path_in(link, "link.txt");
    check(write_text(p, "old\n") == 0 && symlink("target.txt", link) == 0, "make a link");
    check(write_text(link, "new\n") == 0, "write through the link");
    struct stat st;
    check(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link is still a link");
    check(file_is(p, "new\n"), "its target replaced");
    unlink(link);
    unlink(p);
}

static void test_special(void)
{
    struct stat st;
    check(write_text("/dev/null", "x") == 0, "a device is written directly");
    check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), "/dev/null still a device");
    check(write_text("/dev/full", "x\n") == AX_E_IO && strstr(ax_error_detail(), "/dev/full"),
          "a full disk is an error naming the file");
    char p[512];
    path_in(p, "fifo");
    check(mkfifo(p, 0600) == 0, "mkfifo");
    if (fork() == 0) { /* the reader */
        FILE *f = fopen(p, "rb");
        char buf[64] = "";
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        _exit(n == 6 && !memcmp(buf, "piped\n", 6) ? 0 : 1);
    }
    check(write_text(p, "piped\n") == 0, "write into a FIFO");
    int status = 1;
    wait(&status);
    check(status == 0, "the reader got the bytes");
    check(stat(p, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO is still a FIFO");
    unlink(p);
}

static void test_bad_paths(void)
{
    char p[512], longp[5000];
    path_in(p, "missing/out.csv");
    check(ax_outfile_check(p) == AX_E_NOTFOUND && strstr(ax_error_detail(), "does not exist"),
          "a missing folder is found before the work");
    check(ax_outfile_check(dir) == AX_E_INVAL, "a folder is not a file");
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    check(ax_outfile_check(longp) == AX_E_INVAL, "a too long path is refused, not cut");
    check(ax_outfile_check("") == AX_E_INVAL, "an empty path is refused");
    path_in(p, "same.txt");
    char q[600];
    snprintf(q, sizeof q, "%s/./same.txt", dir);
    check(ax_outfile_same(p, q), "the same file under two names (not there yet)");
    check(write_text(p, "x") == 0 && ax_outfile_same(q, p), "the same file (there)");
    check(!ax_outfile_same(p, "-") && ax_outfile_same("-", "-"), "stdout");
    unlink(p);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_regular();
    test_symlink();
    test_special();
    test_bad_paths();
    char p[512];
    path_in(p, "out.csv");
    unlink(p);
    path_in(p, "out.csv.tmp");
    unlink(p);
    rmdir(dir);
    if (!fails)
        printf("outfile: all checks passed\n");
    return fails != 0;
}
