/* A tiny raster canvas for the project's plots. */
#include <math.h>
#include <stdlib.h>

#include "axon/plot.h"
#include "axon/status.h"

int ax_canvas_init(ax_canvas *c, int w, int h, uint32_t background)
{
    c->rgb = NULL;
    c->w = c->h = 0;
    if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
        return AX_E_INVAL;
    c->rgb = malloc((size_t)w * h * 3);
    if (!c->rgb)
        return AX_E_NOMEM;
    c->w = w;
    c->h = h;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        c->rgb[i * 3] = (uint8_t)(background >> 16);
        c->rgb[i * 3 + 1] = (uint8_t)(background >> 8);
        c->rgb[i * 3 + 2] = (uint8_t)background;
    }
    return 0;
}

void ax_canvas_free(ax_canvas *c)
{
    free(c->rgb);
    c->rgb = NULL;
}

void ax_canvas_pixel(ax_canvas *c, int x, int y, uint32_t color)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    uint8_t *p = c->rgb + ((size_t)y * c->w + x) * 3;
    p[0] = (uint8_t)(color >> 16);
    p[1] = (uint8_t)(color >> 8);
    p[2] = (uint8_t)color;
}

void ax_canvas_line(ax_canvas *c, int x0, int y0, int x1, int y1, uint32_t color)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) { /* Bresenham, drawn 2 pixels thick */
        ax_canvas_pixel(c, x0, y0, color);
        ax_canvas_pixel(c, x0, y0 + 1, color);
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

void ax_canvas_rect(ax_canvas *c, int x0, int y0, int x1, int y1, uint32_t color)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            ax_canvas_pixel(c, x, y, color);
}

void ax_canvas_series(ax_canvas *c, const ax_plot_box *box, const double *v, int n, double ymin,
                      double ymax, uint32_t color)
{
    int px = -1, py = -1;
    double span = ymax > ymin ? ymax - ymin : 1.0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        int x = box->left + (n > 1 ? (box->right - box->left) * i / (n - 1) : 0);
        double f = (v[i] - ymin) / span;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        int y = box->bottom - (int)lround(f * (box->bottom - box->top));
        if (px >= 0)
            ax_canvas_line(c, px, py, x, y, color);
        px = x;
        py = y;
    }
}

int ax_canvas_write_png(const ax_canvas *c, const char *path)
{
    return ax_png_write_rgb(path, c->rgb, c->w, c->h);
}
