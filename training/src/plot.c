/* The trainer's plots: learning curves and the Yin-Yang decision map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/plot.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"

/* A colour swatch and its label at (x, y); returns the x after it. */
static int legend(ax_canvas *c, int x, int y, uint32_t color, const char *label)
{
    ax_canvas_rect(c, x, y + 2, x + 10, y + 4, color);
    ax_canvas_text(c, x + 14, y, label, 0x000000);
    return x + 14 + ax_canvas_text_width(label) + 16;
}

int ax_ttfs_plot_curves(const char *path, const double *loss, const double *train_acc,
                        const double *val_acc, int n)
{
    ax_canvas c;
    int rc = ax_canvas_init(&c, 640, 400, 0xffffff);
    if (rc)
        return rc;
    const ax_plot_box box = {40, c.w - 20, 24, c.h - 34};
    char t[64];
    for (int k = 0; k <= 10; k++) { /* grid: accuracy in steps of 10 % */
        int y = box.bottom - (box.bottom - box.top) * k / 10;
        ax_canvas_line(&c, box.left, y, box.right, y, k == 0 ? 0x000000 : 0xdddddd);
        snprintf(t, sizeof t, "%d%%", 10 * k);
        ax_canvas_text(&c, box.left - 6 - ax_canvas_text_width(t), y - 3, t, 0x000000);
    }
    ax_canvas_line(&c, box.left, box.top, box.left, box.bottom, 0x000000);
    double lmax = 0.0;
    for (int i = 0; i < n; i++)
        if (isfinite(loss[i]) && loss[i] > lmax)
            lmax = loss[i];
    ax_canvas_series(&c, &box, loss, n, 0.0, lmax > 0 ? lmax : 1.0, 0x2ca02c); /* own scale */
    ax_canvas_series(&c, &box, train_acc, n, 0.0, 1.0, 0x1f77b4); /* train accuracy: blue */
    ax_canvas_series(&c, &box, val_acc, n, 0.0, 1.0, 0xff7f0e);   /* validation: orange */
    int x = legend(&c, box.left, 6, 0x1f77b4, "train accuracy");
    x = legend(&c, x, 6, 0xff7f0e, "validation accuracy");
    snprintf(t, sizeof t, "loss (0 .. %.3g)", lmax > 0 ? lmax : 1.0);
    legend(&c, x, 6, 0x2ca02c, t);
    ax_canvas_text(&c, box.left, box.bottom + 6, "1", 0x000000);
    snprintf(t, sizeof t, "%d", n);
    ax_canvas_text(&c, box.right - ax_canvas_text_width(t), box.bottom + 6, t, 0x000000);
    ax_canvas_text(&c, (box.left + box.right - ax_canvas_text_width("epoch")) / 2, box.bottom + 16,
                   "epoch", 0x000000);
    rc = ax_canvas_write_png(&c, path);
    ax_canvas_free(&c);
    return rc;
}

int ax_ttfs_plot_yinyang(const char *path, struct ax_ttfs_net *net,
                         const struct ax_ttfs_config *cfg, const struct ax_ttfs_dataset *ds)
{
    return ax_ttfs_plot_yinyang_grid(path, net, cfg, ds, 240);
}

/* The image is N pixels wide whatever the grid: a coarse grid (a chip's
 * forward passes cost time) paints cells of N / grid pixels. */
int ax_ttfs_plot_yinyang_grid(const char *path, struct ax_ttfs_net *net,
                              const struct ax_ttfs_config *cfg, const struct ax_ttfs_dataset *ds,
                              int grid)
{
    enum { N = 240 };
    int G = grid < 1 ? 1 : grid > N ? N : grid;
    static const uint32_t light[4] = {0xaec7e8, 0xffbb78, 0x98df8a, 0xcccccc};
    static const uint32_t dark[3] = {0x1f4e9a, 0xc05000, 0x1a7a1a};
    double *x = malloc((size_t)G * G * 4 * sizeof *x);
    int *cls = malloc((size_t)G * G * sizeof *cls);
    ax_canvas c;
    int rc = ax_canvas_init(&c, N, N, 0xffffff);
    if (!rc && !(x && cls))
        rc = AX_E_NOMEM;
    double span = cfg->t_late - cfg->t_early;
    for (int py = 0; py < G && !rc; py++)
        for (int px = 0; px < G; px++) {
            double fx = (px + 0.5) / G, fy = 1.0 - (py + 0.5) / G, f[4] = {fx, fy, 1 - fx, 1 - fy};
            for (int k = 0; k < 4; k++)
                x[((size_t)py * G + px) * 4 + k] = cfg->t_early + f[k] * span;
        }
    if (!rc)
        rc = ax_ttfs_predict(net, x, G * G, net->max_batch, cls);
    for (int i = 0; i < N * N && !rc; i++) {
        int k = cls[(i / N) * G / N * G + (i % N) * G / N];
        ax_canvas_pixel(&c, i % N, i / N, light[k < 0 ? 3 : k]);
    }
    for (int s = 0; ds && s < ds->n && !rc; s++) {
        int px = (int)(ds->raw[s * 4] * N), py = (int)((1.0 - ds->raw[s * 4 + 1]) * N);
        for (int d = 0; d < 4; d++)
            ax_canvas_pixel(&c, px + d % 2, py + d / 2, dark[ds->labels[s]]);
    }
    if (!rc)
        rc = ax_canvas_write_png(&c, path);
    free(x);
    free(cls);
    ax_canvas_free(&c);
    return rc;
}
