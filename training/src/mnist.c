/* MNIST from the standard IDX gzip files, verified against SHA256SUMS.uncompressed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "axon/le.h"
#include "axon/sha256.h"
#include "axon/status.h"
#include "axon/ttfs_data.h"

/* The decompressed content of a gzip file that must hold exactly `want`
 * bytes: at most want + 1 bytes are ever decompressed, so a gzip bomb costs
 * no more memory than a real file. */
static int read_gz(const char *path, size_t want, uint8_t **out)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return ax_fail(AX_E_NOTFOUND, "%s: cannot open: %s", path, strerror(errno));
    uint8_t *buf = malloc(want + 1);
    size_t len = 0;
    int rc = 0, got = 1;
    if (!buf)
        rc = ax_fail(AX_E_NOMEM, "%s: out of memory for %zu bytes", path, want + 1);
    while (!rc && len <= want && got > 0) {
        size_t ask = want + 1 - len;
        got = gzread(f, buf + len, (unsigned)(ask > (1u << 30) ? (1u << 30) : ask));
        if (got < 0)
            rc = ax_fail(AX_E_FORMAT, "%s: not a valid gzip file", path);
        len += got > 0 ? (size_t)got : 0;
    }
    gzclose(f);
    if (!rc && len != want)
        rc = ax_fail(AX_E_FORMAT, "%s: %s than the %zu bytes this MNIST file has", path,
                     len > want ? "decompresses to more" : "decompresses to fewer", want);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    return 0;
}

/* Looks up `name` in dir/SHA256SUMS.uncompressed and compares. */
static int check_sum(const char *dir, const char *name, const uint8_t *data, size_t n)
{
    char path[1024], line[512], hex[65];
    snprintf(path, sizeof path, "%s/SHA256SUMS.uncompressed", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return ax_fail(AX_E_NOTFOUND, "%s: cannot open: %s", path, strerror(errno));
    int rc = AX_E_NOTFOUND;
    ax_sha256_hex(data, n, hex);
    while (fgets(line, sizeof line, f)) {
        char sum[80], file[256];
        if (sscanf(line, "%79s %255s", sum, file) != 2 || strcmp(file, name))
            continue;
        rc = strcmp(sum, hex) ? AX_E_CRC : 0;
        break;
    }
    fclose(f);
    if (rc == AX_E_NOTFOUND)
        return ax_fail(rc, "%s: no checksum for %s", path, name);
    if (rc)
        return ax_fail(rc, "%s/%s.gz: SHA-256 mismatch (got %s)", dir, name, hex);
    return 0;
}

/* Reads and verifies one IDX file; checks magic and sizes. */
static int load_idx(const char *dir, const char *name, uint32_t magic, uint32_t count,
                    uint8_t **data, size_t *header)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.gz", dir, name);
    size_t hdr = magic == 2051 ? 16 : 8;
    size_t n = hdr + (size_t)count * (magic == 2051 ? 784 : 1);
    int rc = read_gz(path, n, data);
    if (rc)
        return rc;
    rc = check_sum(dir, name, *data, n);
    if (!rc && (n < hdr || ax_get_be32(*data) != magic || ax_get_be32(*data + 4) != count))
        rc = ax_fail(AX_E_FORMAT, "%s: bad IDX header (magic or count)", path);
    if (!rc && magic == 2051 &&
        (ax_get_be32(*data + 8) != 28 || ax_get_be32(*data + 12) != 28 ||
         n != hdr + (size_t)count * 784))
        rc = ax_fail(AX_E_FORMAT, "%s: expected %u images of 28x28", path, count);
    if (!rc && magic == 2049 && n != hdr + count)
        rc = ax_fail(AX_E_FORMAT, "%s: expected %u labels", path, count);
    if (rc) {
        free(*data);
        *data = NULL;
    }
    *header = hdr;
    return rc;
}

/* Area weights of output pixel o when 24 source pixels map onto 16. */
static void area_average_16(const double *src24, double *dst16)
{
    const double scale = 24.0 / 16.0;
    double tmp[24 * 16];
    for (int r = 0; r < 24; r++) /* rows of source, columns resampled */
        for (int o = 0; o < 16; o++) {
            double lo = o * scale, hi = lo + scale, acc = 0.0;
            for (int i = (int)lo; i < (int)ceil(hi) && i < 24; i++) {
                double a = fmin(hi, i + 1.0) - fmax(lo, (double)i);
                acc += a * src24[r * 24 + i];
            }
            tmp[r * 16 + o] = acc / scale;
        }
    for (int o = 0; o < 16; o++)
        for (int c = 0; c < 16; c++) {
            double lo = o * scale, hi = lo + scale, acc = 0.0;
            for (int i = (int)lo; i < (int)ceil(hi) && i < 24; i++) {
                double a = fmin(hi, i + 1.0) - fmax(lo, (double)i);
                acc += a * tmp[i * 16 + c];
            }
            dst16[o * 16 + c] = acc / scale;
        }
}

static void encode_image(const uint8_t *img, int size, double *raw, double *t, double t_early,
                         double t_late)
{
    int nf = size * size;
    if (size == 28) {
        for (int i = 0; i < 784; i++)
            raw[i] = img[i] / 255.0;
    } else {
        double crop[24 * 24];
        for (int r = 0; r < 24; r++)
            for (int c = 0; c < 24; c++)
                crop[r * 24 + c] = img[(r + 2) * 28 + c + 2] / 255.0;
        area_average_16(crop, raw);
    }
    for (int i = 0; i < nf; i++)
        t[i] = raw[i] > 0.0 ? t_early + (1.0 - raw[i]) * (t_late - t_early) : INFINITY;
}

/* dir itself or dir/mnist, whichever holds the files. */
static void resolve_dir(const char *dir, char *out, size_t n)
{
    snprintf(out, n, "%s/mnist/train-images-idx3-ubyte.gz", dir);
    FILE *f = fopen(out, "rb");
    if (f) {
        fclose(f);
        snprintf(out, n, "%s/mnist", dir);
    } else {
        snprintf(out, n, "%s", dir);
    }
}

int ax_ttfs_dataset_mnist(struct ax_ttfs_dataset *ds, const char *dir_in, enum ax_mnist_part part,
                          int size, double t_early, double t_late)
{
    char dir[1024];
    memset(ds, 0, sizeof *ds);
    if (size != 28 && size != 16)
        return ax_fail(AX_E_INVAL, "mnist: size must be 28 or 16");
    resolve_dir(dir_in, dir, sizeof dir);
    int test = part == AX_MNIST_TEST;
    uint32_t count = test ? 10000 : 60000;
    uint8_t *img = NULL, *lab = NULL;
    size_t hi, hl;
    int rc = load_idx(dir, test ? "t10k-images-idx3-ubyte" : "train-images-idx3-ubyte", 2051, count,
                      &img, &hi);
    if (!rc)
        rc = load_idx(dir, test ? "t10k-labels-idx1-ubyte" : "train-labels-idx1-ubyte", 2049, count,
                      &lab, &hl);
    int first = part == AX_MNIST_VALIDATION ? 50000 : 0;
    int n = part == AX_MNIST_TRAIN ? 50000 : 10000;
    int nf = size * size;
    if (!rc) {
        ds->n = n;
        ds->n_features = nf;
        ds->n_classes = 10;
        ds->width = size;
        ds->t = malloc((size_t)n * nf * sizeof *ds->t);
        ds->raw = malloc((size_t)n * nf * sizeof *ds->raw);
        ds->labels = malloc((size_t)n * sizeof *ds->labels);
        if (!ds->t || !ds->raw || !ds->labels)
            rc = ax_fail(AX_E_NOMEM, "%s: out of memory for %d samples", dir, n);
    }
    for (int s = 0; s < n && !rc; s++) {
        const uint8_t *im = img + hi + (size_t)(first + s) * 784;
        encode_image(im, size, ds->raw + (size_t)s * nf, ds->t + (size_t)s * nf, t_early, t_late);
        ds->labels[s] = lab[hl + first + s];
        if (ds->labels[s] > 9)
            rc = ax_fail(AX_E_FORMAT, "%s: label %d out of range", dir, ds->labels[s]);
    }
    free(img);
    free(lab);
    if (rc)
        ax_ttfs_dataset_free(ds);
    return rc;
}
