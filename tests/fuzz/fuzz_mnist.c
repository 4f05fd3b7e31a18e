/* Fuzz target: the IDX/gzip MNIST reader (training/src/mnist.c). The input's
 * first byte picks the file it becomes (even: the test labels, odd: the test
 * images), the rest is that .gz file's bytes; the other file is a valid one
 * (all zeros). The harness decompresses what it wrote and lists its SHA-256 in
 * SHA256SUMS.uncompressed, so the reader's checks behind the checksum are
 * fuzzed too. Files in a temporary folder. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "axon/le.h"
#include "axon/sha256.h"
#include "axon/ttfs_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IMAGES "t10k-images-idx3-ubyte"
#define LABELS "t10k-labels-idx1-ubyte"
#define N_IMG  10000u

static char dir[64], sums[2][100];
static uint8_t *valid_gz[2]; /* the valid files' bytes, to put back */
static size_t valid_n[2];
static const size_t want[2] = {8 + N_IMG, 16 + (size_t)N_IMG * 784};

static void remove_dir(void)
{
    char p[128];
    const char *names[] = {IMAGES ".gz", LABELS ".gz", "SHA256SUMS.uncompressed"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* A valid file (zeros behind the header) and its sum line. */
static int write_valid(int which)
{
    const char *name = which ? IMAGES : LABELS;
    uint8_t *b = calloc(want[which], 1);
    char p[128], hex[65];
    if (!b)
        return -1;
    ax_put_be32(b, which ? 2051 : 2049);
    ax_put_be32(b + 4, N_IMG);
    if (which)
        ax_put_be32(b + 8, 28), ax_put_be32(b + 12, 28);
    snprintf(p, sizeof p, "%s/%s.gz", dir, name);
    gzFile g = gzopen(p, "wb1");
    int ok = g && gzwrite(g, b, (unsigned)want[which]) == (int)want[which];
    if (g)
        gzclose(g);
    ax_sha256_hex(b, want[which], hex);
    snprintf(sums[which], sizeof sums[which], "%s  %s\n", hex, name);
    free(b);
    FILE *f = ok ? fopen(p, "rb") : NULL;
    if (f && (valid_gz[which] = malloc(1u << 20)))
        valid_n[which] = fread(valid_gz[which], 1, 1u << 20, f);
    if (f)
        fclose(f);
    return valid_n[which] ? 0 : -1;
}

/* Puts the valid file back. */
static void restore(int which)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s.gz", dir, which ? IMAGES : LABELS);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(valid_gz[which], 1, valid_n[which], f);
        fclose(f);
    }
}

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/axon-fuzz-mnist-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    atexit(remove_dir);
    return write_valid(0) || write_valid(1) ? -1 : 0;
}

/* The sum of what path decompresses to (up to want + 1 bytes), as the line
 * SHA256SUMS lists for name. */
static void sum_of(const char *path, size_t n_want, const char *name, char *line, size_t cap)
{
    uint8_t *b = malloc(n_want + 1);
    int got = 0;
    gzFile g = b ? gzopen(path, "rb") : NULL;
    if (g) {
        got = gzread(g, b, (unsigned)(n_want + 1));
        gzclose(g);
    }
    char hex[65];
    ax_sha256_hex(b, got > 0 ? (size_t)got : 0, hex);
    snprintf(line, cap, "%s  %s\n", hex, name);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready = -1;
    if (ready < 0)
        ready = setup();
    if (ready < 0 || size < 1)
        return 0;
    int which = data[0] & 1;
    const char *name = which ? IMAGES : LABELS;
    char p[128], line[2][100];
    snprintf(p, sizeof p, "%s/%s.gz", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    memcpy(line, sums, sizeof line);
    sum_of(p, want[which], name, line[which], sizeof line[which]);
    snprintf(p, sizeof p, "%s/SHA256SUMS.uncompressed", dir);
    if (!(f = fopen(p, "w")))
        return 0;
    fputs(line[0], f);
    fputs(line[1], f);
    fclose(f);
    struct ax_ttfs_dataset ds;
    if (ax_ttfs_dataset_mnist(&ds, dir, AX_MNIST_TEST, (data[0] & 2) ? 16 : 28, 0.1, 2.0) == 0)
        ax_ttfs_dataset_free(&ds);
    restore(which); /* for the next input */
    return 0;
}
