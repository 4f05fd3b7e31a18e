/* Data sets: the Yin-Yang generator reproduces the published set exactly;
 * SHA-256 against known vectors; MNIST errors name where they looked. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "axon/sha256.h"
#include "axon/status.h"
#include "axon/ttfs_data.h"
#include "axon/ttfs_train.h"

#include "ttfs_testutil.h"

static void test_mt19937(void)
{
    /* numpy: RandomState(5489).randint(2**32, dtype=uint64) ... the reference MT19937
     * output for init_genrand(5489): 3499211612, 581869302, 3890346734. */
    struct ax_mt19937 r;
    ax_mt19937_seed(&r, 5489);
    uint32_t a = ax_mt19937_next(&r), b = ax_mt19937_next(&r), c = ax_mt19937_next(&r);
    CHECK(a == 3499211612u && b == 581869302u && c == 3890346734u, "%u %u %u", a, b, c);
}

static void test_yinyang(void)
{
    static const int counts[3][3] = {{1681, 1702, 1617}, {316, 336, 348}, {350, 316, 334}};
    for (int s = 0; s < 3; s++) {
        enum ax_yinyang_split split = (enum ax_yinyang_split)s;
        int n = ax_yinyang_split_size(split);
        double *xy = malloc((size_t)n * 4 * sizeof *xy);
        int *labels = malloc((size_t)n * sizeof *labels), c[3] = {0, 0, 0};
        ax_yinyang_generate(xy, labels, n, ax_yinyang_split_seed(split));
        for (int i = 0; i < n; i++)
            c[labels[i]]++;
        CHECK(c[0] == counts[s][0] && c[1] == counts[s][1] && c[2] == counts[s][2],
              "split %d counts %d/%d/%d", s, c[0], c[1], c[2]);
        if (s == 0) {
            CHECK(xy[0] == 0.6803075385877797 && xy[1] == 0.45049925196954299 && labels[0] == 2,
                  "first sample %.17g %.17g %d", xy[0], xy[1], labels[0]);
            CHECK(xy[2] == 1.0 - xy[0] && xy[3] == 1.0 - xy[1], "mirrored coordinates");
        }
        free(xy);
        free(labels);
    }
    CHECK(ax_yinyang_class(0.75, 0.5) == 2 && ax_yinyang_class(0.25, 0.5) == 2, "dots");
    struct ax_ttfs_dataset ds;
    CHECK(ax_ttfs_dataset_yinyang(&ds, AX_YINYANG_TRAIN, 0.15, 2.0) == 0, "dataset");
    CHECK(fabs(ds.t[0] - (0.15 + 0.6803075385877797 * 1.85)) < 1e-15, "encoding t = %.17g",
          ds.t[0]);
    ax_ttfs_dataset_free(&ds);
}

static void test_sha256(void)
{
    char hex[65];
    ax_sha256_hex("abc", 3, hex);
    CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "%s",
          hex);
    ax_sha256_hex("", 0, hex);
    CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "%s",
          hex);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ax_sha256_hex(m, strlen(m), hex);
    CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), "%s",
          hex);
}

/* n zero bytes, gzip-compressed, at path. */
static void write_gz_zeros(const char *path, size_t n)
{
    static const char zeros[65536];
    gzFile g = gzopen(path, "wb");
    for (size_t done = 0; g && done < n; done += sizeof zeros)
        gzwrite(g, zeros, (unsigned)(n - done < sizeof zeros ? n - done : sizeof zeros));
    if (g)
        gzclose(g);
}

static void test_mnist_errors(void)
{
    char out[256];
    ax_error_clear();
    int rc = ax_ttfs_find_data_dir("/nonexistent-data", out, sizeof out);
    CHECK(rc == AX_E_NOTFOUND && strstr(ax_error_detail(), "/nonexistent-data"), "--data error: %s",
          ax_error_detail());
    struct ax_ttfs_dataset ds;
    rc = ax_ttfs_dataset_mnist(&ds, "/nonexistent-data", AX_MNIST_TEST, 16, 0.15, 2.0);
    CHECK(rc == AX_E_NOTFOUND &&
              strstr(ax_error_detail(), "/nonexistent-data/t10k-images-idx3-ubyte.gz"),
          "load error: %s", ax_error_detail());
    /* A data folder with a corrupt file of the right size: the checksum must catch it. */
    char dir[] = "/tmp/axon-test-mnist-XXXXXX";
    if (!mkdtemp(dir))
        return;
    char path[300], sums[300];
    snprintf(sums, sizeof sums, "%s/SHA256SUMS.uncompressed", dir);
    FILE *f = fopen(sums, "w");
    fputs("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  "
          "t10k-images-idx3-ubyte\n",
          f);
    fclose(f);
    snprintf(path, sizeof path, "%s/t10k-images-idx3-ubyte.gz", dir);
    const size_t want = 16 + 10000 * 784;
    write_gz_zeros(path, want);
    rc = ax_ttfs_dataset_mnist(&ds, dir, AX_MNIST_TEST, 28, 0.15, 2.0);
    CHECK(rc == AX_E_CRC && strstr(ax_error_detail(), "SHA-256 mismatch"), "corrupt file: %d %s",
          rc, ax_error_detail());
    /* A gzip bomb (60 MB of zeros in 60 kB) stops at the file's known size. */
    write_gz_zeros(path, want + 50000000);
    rc = ax_ttfs_dataset_mnist(&ds, dir, AX_MNIST_TEST, 28, 0.15, 2.0);
    CHECK(rc == AX_E_FORMAT &&
              strstr(ax_error_detail(), "decompresses to more than the 7840016 bytes"),
          "gzip bomb: %d %s", rc, ax_error_detail());
    write_gz_zeros(path, 1000); /* and a short file says so */
    rc = ax_ttfs_dataset_mnist(&ds, dir, AX_MNIST_TEST, 28, 0.15, 2.0);
    CHECK(rc == AX_E_FORMAT &&
              strstr(ax_error_detail(), "decompresses to fewer than the 7840016 bytes"),
          "short file: %d %s", rc, ax_error_detail());
    remove(sums);
    remove(path);
    remove(dir);
}

int main(void)
{
    test_mt19937();
    test_yinyang();
    test_sha256();
    test_mnist_errors();
    return check_summary();
}
