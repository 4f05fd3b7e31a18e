/* PNG plots written with zlib: learning curves and the Yin-Yang decision map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "axon/status.h"
#include "axon/ttfs_train.h"

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static int write_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t n)
{
    uint8_t hdr[8];
    put_be32(hdr, n);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (n)
        crc = crc32(crc, data, n);
    uint8_t c[4];
    put_be32(c, (uint32_t)crc);
    return fwrite(hdr, 1, 8, f) == 8 && (n == 0 || fwrite(data, 1, n, f) == n) &&
                   fwrite(c, 1, 4, f) == 4
               ? 0
               : AX_E_IO;
}

int ax_png_write_rgb(const char *path, const uint8_t *rgb, int width, int height)
{
    size_t row = (size_t)width * 3 + 1, raw_n = row * (size_t)height;
    uint8_t *raw = malloc(raw_n);
    uLongf z_n = compressBound((uLong)raw_n);
    uint8_t *z = malloc(z_n);
    int rc = raw && z ? 0 : AX_E_NOMEM;
    for (int y = 0; y < height && !rc; y++) {
        raw[y * row] = 0; /* filter: none */
        memcpy(raw + y * row + 1, rgb + (size_t)y * width * 3, (size_t)width * 3);
    }
    if (!rc && compress2(z, &z_n, raw, (uLong)raw_n, 6) != Z_OK)
        rc = AX_E_NOMEM;
    FILE *f = rc ? NULL : fopen(path, "wb");
    if (!rc && !f)
        rc = AX_E_IO;
    if (!rc) {
        static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        uint8_t ihdr[13];
        put_be32(ihdr, (uint32_t)width);
        put_be32(ihdr + 4, (uint32_t)height);
        ihdr[8] = 8; /* bit depth */
        ihdr[9] = 2; /* RGB */
        ihdr[10] = ihdr[11] = ihdr[12] = 0;
        if (fwrite(sig, 1, 8, f) != 8 || write_chunk(f, "IHDR", ihdr, 13) ||
            write_chunk(f, "IDAT", z, (uint32_t)z_n) || write_chunk(f, "IEND", NULL, 0))
            rc = AX_E_IO;
    }
    if (f && fclose(f) != 0)
        rc = AX_E_IO;
    free(raw);
    free(z);
    return rc;
}

/* ---------------------------------------------------------------------------
 * a tiny raster canvas */

struct canvas {
    uint8_t *rgb;
    int w, h;
};

static void plot_pixel(struct canvas *c, int x, int y, uint32_t color)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    uint8_t *p = c->rgb + ((size_t)y * c->w + x) * 3;
    p[0] = (uint8_t)(color >> 16);
    p[1] = (uint8_t)(color >> 8);
    p[2] = (uint8_t)color;
}

static void plot_line(struct canvas *c, int x0, int y0, int x1, int y1, uint32_t color)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) { /* Bresenham, drawn 2 pixels thick */
        plot_pixel(c, x0, y0, color);
        plot_pixel(c, x0, y0 + 1, color);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

/* One series scaled into the plot box [0, ymax]. */
static void plot_series(struct canvas *c, const double *v, int n, double ymax, uint32_t color)
{
    const int left = 40, right = c->w - 20, top = 20, bottom = c->h - 30;
    int px = -1, py = -1;
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        int x = left + (n > 1 ? (right - left) * i / (n - 1) : 0);
        double f = v[i] / ymax;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        int y = bottom - (int)lround(f * (bottom - top));
        if (px >= 0)
            plot_line(c, px, py, x, y, color);
        px = x;
        py = y;
    }
}

int ax_ttfs_plot_curves(const char *path, const double *loss, const double *train_acc,
                        const double *val_acc, int n)
{
    struct canvas c = {NULL, 640, 400};
    c.rgb = malloc((size_t)c.w * c.h * 3);
    if (!c.rgb)
        return AX_E_NOMEM;
    memset(c.rgb, 255, (size_t)c.w * c.h * 3);
    const int left = 40, right = c.w - 20, top = 20, bottom = c.h - 30;
    for (int k = 0; k <= 10; k++) { /* grid: accuracy in steps of 10 % */
        int y = bottom - (bottom - top) * k / 10;
        plot_line(&c, left, y, right, y, k == 0 ? 0x000000 : 0xdddddd);
    }
    plot_line(&c, left, top, left, bottom, 0x000000);
    double lmax = 0.0;
    for (int i = 0; i < n; i++)
        if (isfinite(loss[i]) && loss[i] > lmax)
            lmax = loss[i];
    plot_series(&c, loss, n, lmax > 0 ? lmax : 1.0, 0x2ca02c); /* loss: green, own scale */
    plot_series(&c, train_acc, n, 1.0, 0x1f77b4);              /* train accuracy: blue */
    plot_series(&c, val_acc, n, 1.0, 0xff7f0e);                /* validation: orange */
    int rc = ax_png_write_rgb(path, c.rgb, c.w, c.h);
    free(c.rgb);
    return rc;
}

int ax_ttfs_plot_yinyang(const char *path, struct ax_ttfs_net *net,
                         const struct ax_ttfs_config *cfg, const struct ax_ttfs_dataset *ds)
{
    enum { N = 240 };
    static const uint32_t light[4] = {0xaec7e8, 0xffbb78, 0x98df8a, 0xcccccc};
    static const uint32_t dark[3] = {0x1f4e9a, 0xc05000, 0x1a7a1a};
    double *x = malloc((size_t)N * N * 4 * sizeof *x);
    int *cls = malloc((size_t)N * N * sizeof *cls);
    struct canvas c = {malloc((size_t)N * N * 3), N, N};
    int rc = x && cls && c.rgb ? 0 : AX_E_NOMEM;
    double span = cfg->t_late - cfg->t_early;
    for (int py = 0; py < N && !rc; py++)
        for (int px = 0; px < N; px++) {
            double fx = (px + 0.5) / N, fy = 1.0 - (py + 0.5) / N, f[4] = {fx, fy, 1 - fx, 1 - fy};
            for (int k = 0; k < 4; k++)
                x[((size_t)py * N + px) * 4 + k] = cfg->t_early + f[k] * span;
        }
    if (!rc)
        rc = ax_ttfs_predict(net, x, N * N, net->max_batch, cls);
    for (int i = 0; i < N * N && !rc; i++)
        plot_pixel(&c, i % N, i / N, light[cls[i] < 0 ? 3 : cls[i]]);
    for (int s = 0; ds && s < ds->n && !rc; s++) {
        int px = (int)(ds->raw[s * 4] * N), py = (int)((1.0 - ds->raw[s * 4 + 1]) * N);
        for (int d = 0; d < 4; d++)
            plot_pixel(&c, px + d % 2, py + d / 2, dark[ds->labels[s]]);
    }
    if (!rc)
        rc = ax_png_write_rgb(path, c.rgb, N, N);
    free(x);
    free(cls);
    free(c.rgb);
    return rc;
}
