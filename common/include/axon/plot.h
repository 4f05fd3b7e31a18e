/* PNG images and a small raster canvas for plots (learning curves, maps,
 * histograms). Written with zlib; no other dependency. Colours are 0xRRGGBB. */
#ifndef AXON_PLOT_H
#define AXON_PLOT_H

#include <stdint.h>

#include "axon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes an 8-bit RGB image (width * height * 3 bytes, rows top down). */
AX_API int ax_png_write_rgb(const char *path, const uint8_t *rgb, int width, int height);

typedef struct ax_canvas {
    uint8_t *rgb; /* (h, w, 3) */
    int w, h;
} ax_canvas;

/* The plotting area of a chart inside its margins, in pixels. */
typedef struct ax_plot_box {
    int left, right, top, bottom;
} ax_plot_box;

/* Allocates a w x h canvas filled with background. AX_E_NOMEM, AX_E_INVAL. */
AX_API int ax_canvas_init(ax_canvas *c, int w, int h, uint32_t background);
AX_API void ax_canvas_free(ax_canvas *c);
/* Pixels outside the canvas are ignored. */
AX_API void ax_canvas_pixel(ax_canvas *c, int x, int y, uint32_t color);
/* A line two pixels thick (Bresenham). */
AX_API void ax_canvas_line(ax_canvas *c, int x0, int y0, int x1, int y1, uint32_t color);
/* A filled rectangle [x0, x1] x [y0, y1]. */
AX_API void ax_canvas_rect(ax_canvas *c, int x0, int y0, int x1, int y1, uint32_t color);
/* n values as a polyline across the box, value ymin at the bottom and ymax at
 * the top (clamped); non-finite values are skipped. */
AX_API void ax_canvas_series(ax_canvas *c, const ax_plot_box *box, const double *v, int n,
                             double ymin, double ymax, uint32_t color);
AX_API int ax_canvas_write_png(const ax_canvas *c, const char *path);

/* Text in a 5 x 7 pixel font (digits, letters drawn as capitals, . , : ; % -
 * + ( ) / = _; anything else as ?), the top-left pixel of its first character
 * at (x, y), characters AX_CANVAS_CHAR_W pixels apart, 7 pixels high. */
#define AX_CANVAS_CHAR_W 6
#define AX_CANVAS_CHAR_H 7
AX_API void ax_canvas_text(ax_canvas *c, int x, int y, const char *s, uint32_t color);
/* Width in pixels of s as ax_canvas_text draws it. */
AX_API int ax_canvas_text_width(const char *s);

#ifdef __cplusplus
}
#endif
#endif
