/* The Yin-Yang data set (Kriener et al. 2021), generated bit-identically to the
 * published Python code, which draws from numpy's legacy RandomState. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_data.h"

/* ---------------------------------------------------------------------------
 * MT19937, as seeded by RandomState(seed) (init_genrand) */

void ax_mt19937_seed(struct ax_mt19937 *r, uint32_t seed)
{
    r->mt[0] = seed;
    for (int i = 1; i < 624; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->mti = 624;
}

static void mt_refill(struct ax_mt19937 *r)
{
    for (int i = 0; i < 624; i++) {
        uint32_t y = (r->mt[i] & 0x80000000u) | (r->mt[(i + 1) % 624] & 0x7fffffffu);
        r->mt[i] = r->mt[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    r->mti = 0;
}

uint32_t ax_mt19937_next(struct ax_mt19937 *r)
{
    if (r->mti >= 624)
        mt_refill(r);
    uint32_t y = r->mt[r->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double ax_mt19937_double(struct ax_mt19937 *r)
{
    uint32_t a = ax_mt19937_next(r) >> 5, b = ax_mt19937_next(r) >> 6;
    return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

/* RandomState.randint(3): masked rejection sampling on 32-bit draws. */
static int mt_randint3(struct ax_mt19937 *r)
{
    for (;;) {
        uint32_t v = ax_mt19937_next(r) & 3u;
        if (v < 3u)
            return (int)v;
    }
}

/* ---------------------------------------------------------------------------
 * The set */

#define R_SMALL 0.1
#define R_BIG   0.5

int ax_yinyang_split_size(enum ax_yinyang_split split)
{
    return split == AX_YINYANG_TRAIN ? 5000 : 1000;
}

uint32_t ax_yinyang_split_seed(enum ax_yinyang_split split)
{
    return split == AX_YINYANG_TRAIN ? 42u : split == AX_YINYANG_VALIDATION ? 41u : 40u;
}

int ax_yinyang_class(double x, double y)
{
    double d_right = sqrt((x - 1.5 * R_BIG) * (x - 1.5 * R_BIG) + (y - R_BIG) * (y - R_BIG));
    double d_left = sqrt((x - 0.5 * R_BIG) * (x - 0.5 * R_BIG) + (y - R_BIG) * (y - R_BIG));
    if (d_right < R_SMALL || d_left < R_SMALL)
        return 2; /* the dots */
    int yin = d_right <= R_SMALL || (d_left > R_SMALL && d_left <= 0.5 * R_BIG) ||
              (y > R_BIG && d_right > 0.5 * R_BIG);
    return yin;
}

void ax_yinyang_generate(double *xy, int *labels, int n, uint32_t seed)
{
    struct ax_mt19937 rng;
    ax_mt19937_seed(&rng, seed);
    for (int s = 0; s < n; s++) {
        int goal = mt_randint3(&rng);
        double x, y;
        for (;;) { /* rejection sampling keeps the classes balanced */
            x = ax_mt19937_double(&rng) * 2.0 * R_BIG;
            y = ax_mt19937_double(&rng) * 2.0 * R_BIG;
            if (sqrt((x - R_BIG) * (x - R_BIG) + (y - R_BIG) * (y - R_BIG)) > R_BIG)
                continue;
            if (ax_yinyang_class(x, y) == goal)
                break;
        }
        double *row = xy + (size_t)s * 4;
        row[0] = x;
        row[1] = y;
        row[2] = 1.0 - x;
        row[3] = 1.0 - y;
        labels[s] = goal;
    }
}

void ax_ttfs_dataset_free(struct ax_ttfs_dataset *ds)
{
    if (!ds)
        return;
    free(ds->t);
    free(ds->labels);
    free(ds->raw);
    ds->t = ds->raw = NULL;
    ds->labels = NULL;
    ds->n = 0;
}

int ax_ttfs_dataset_yinyang(struct ax_ttfs_dataset *ds, enum ax_yinyang_split split, double t_early,
                            double t_late)
{
    int n = ax_yinyang_split_size(split);
    memset(ds, 0, sizeof *ds);
    ds->n = n;
    ds->n_features = 4;
    ds->n_classes = 3;
    ds->t = malloc((size_t)n * 4 * sizeof *ds->t);
    ds->raw = malloc((size_t)n * 4 * sizeof *ds->raw);
    ds->labels = malloc((size_t)n * sizeof *ds->labels);
    if (!ds->t || !ds->raw || !ds->labels) {
        ax_ttfs_dataset_free(ds);
        return AX_E_NOMEM;
    }
    ax_yinyang_generate(ds->raw, ds->labels, n, ax_yinyang_split_seed(split));
    for (size_t i = 0; i < (size_t)n * 4; i++)
        ds->t[i] = t_early + ds->raw[i] * (t_late - t_early);
    return 0;
}
