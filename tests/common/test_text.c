/* ax_canvas_text: the pixels of known glyphs, lower case as capitals, an
 * unknown character as '?', the width, and clipping at the canvas edges. */
#include <stdio.h>
#include <string.h>

#include "axon/plot.h"

static int fails;
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

static int set(const ax_canvas *c, int x, int y)
{
    return c->rgb[3 * (y * c->w + x)] == 0;
}

static int count(const ax_canvas *c)
{
    int n = 0;
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++)
            n += set(c, x, y);
    return n;
}

/* The pixels s draws on a fresh canvas, as a string of 0/1 per pixel. */
static void render(const char *s, char *out, size_t cap)
{
    ax_canvas c;
    ax_canvas_init(&c, 40, 9, 0xffffff);
    ax_canvas_text(&c, 1, 1, s, 0x000000);
    size_t k = 0;
    for (int y = 0; y < c.h && k + 1 < cap; y++)
        for (int x = 0; x < c.w && k + 1 < cap; x++)
            out[k++] = (char)('0' + set(&c, x, y));
    out[k] = 0;
    ax_canvas_free(&c);
}

int main(void)
{
    ax_canvas c;
    CHECK(ax_canvas_init(&c, 20, 10, 0xffffff) == 0);
    ax_canvas_text(&c, 1, 1, "10", 0x000000);
    /* '1' = 04 0C 04 04 04 04 0E (10 pixels), '0' = 0E 11 13 15 19 11 0E (19) */
    CHECK(count(&c) == 29);
    CHECK(set(&c, 1 + 2, 1) && !set(&c, 1 + 1, 1) && !set(&c, 1 + 3, 1));
    CHECK(set(&c, 1 + 1, 2) && set(&c, 1 + 2, 2));
    CHECK(set(&c, 2, 7) && set(&c, 4, 7) && !set(&c, 1, 7) && !set(&c, 5, 7)); /* 0E: x 1..3 */
    CHECK(set(&c, 7 + 1, 1) && set(&c, 7 + 3, 1) && !set(&c, 7, 1) && !set(&c, 7 + 4, 1));
    CHECK(set(&c, 7 + 2, 4) && set(&c, 7, 4) && set(&c, 7 + 4, 4)); /* 15: x 0, 2, 4 */
    CHECK(!set(&c, 0, 0) && !set(&c, 13, 1));
    ax_canvas_free(&c);

    CHECK(ax_canvas_text_width("10") == 11);
    CHECK(ax_canvas_text_width("") == 0 && ax_canvas_text_width(NULL) == 0);

    char a[400], b[400];
    render("epoch", a, sizeof a);
    render("EPOCH", b, sizeof b);
    CHECK(!strcmp(a, b));
    render("#", a, sizeof a);
    render("?", b, sizeof b);
    CHECK(!strcmp(a, b) && strchr(a, '1'));
    render(" ", a, sizeof a);
    CHECK(!strchr(a, '1'));

    /* clipped at every edge, nothing written outside */
    CHECK(ax_canvas_init(&c, 8, 8, 0xffffff) == 0);
    ax_canvas_text(&c, -3, -3, "88", 0x000000);
    ax_canvas_text(&c, 5, 5, "88", 0x000000);
    CHECK(count(&c) > 0);
    ax_canvas_free(&c);
    if (fails)
        fprintf(stderr, "%d check(s) failed\n", fails);
    return fails != 0;
}
