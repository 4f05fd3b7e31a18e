/* axon TTFS data sets: Yin-Yang (generated bit-identically to the published
 * set) and MNIST (IDX, gzip), encoded as input spike times in units of tau_s. */
#ifndef AXON_TTFS_DATA_H
#define AXON_TTFS_DATA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* numpy's legacy RandomState: MT19937 seeded with init_genrand. */
struct ax_mt19937 {
    uint32_t mt[624];
    int mti;
};
void ax_mt19937_seed(struct ax_mt19937 *r, uint32_t seed);
uint32_t ax_mt19937_next(struct ax_mt19937 *r);
/* RandomState.random_sample(): (a * 2^26 + b) / 2^53, a = u32 >> 5, b = u32 >> 6. */
double ax_mt19937_double(struct ax_mt19937 *r);

enum ax_yinyang_split { AX_YINYANG_TRAIN, AX_YINYANG_VALIDATION, AX_YINYANG_TEST };

/* Sizes and seeds of the published splits: 5000/42, 1000/41, 1000/40. */
int ax_yinyang_split_size(enum ax_yinyang_split split);
uint32_t ax_yinyang_split_seed(enum ax_yinyang_split split);

/* Class of a point (r_small 0.1, r_big 0.5): 2 for the dots, else 1 where the
 * published rule's is_yin holds, else 0. */
int ax_yinyang_class(double x, double y);

/* n samples of the Yin-Yang set from seed: xy (n, 4) = (x, y, 1-x, 1-y),
 * labels (n). Identical to yin_yang_data_set's YinYangDataset(size=n, seed). */
void ax_yinyang_generate(double *xy, int *labels, int n, uint32_t seed);

/* A labelled data set as spike times. */
struct ax_ttfs_dataset {
    int n;          /* samples */
    int n_features; /* input neurons, without the bias input */
    int n_classes;
    int width;   /* image data: features form width x width pixels, row-major; 0: not an image */
    double *t;   /* (n, n_features) spike times in tau_s, INFINITY: no spike */
    int *labels; /* (n) */
    double *raw; /* (n, n_features) features in [0, 1] before encoding */
};
void ax_ttfs_dataset_free(struct ax_ttfs_dataset *ds);

/* Yin-Yang split encoded as t = t_early + x (t_late - t_early). */
int ax_ttfs_dataset_yinyang(struct ax_ttfs_dataset *ds, enum ax_yinyang_split split, double t_early,
                            double t_late);

enum ax_mnist_part { AX_MNIST_TRAIN, AX_MNIST_VALIDATION, AX_MNIST_TEST };

/* MNIST from the IDX gzip files in dir (or dir/mnist), checked against the
 * SHA-256 sums in SHA256SUMS.uncompressed there. Train: first 50k training
 * images; validation: the last 10k; test: t10k. size 28 (full) or 16 (centre
 * crop 24, area-averaged to 16x16). Ink spikes early:
 * t = t_early + (1 - p)(t_late - t_early); p = 0 never spikes. Errors are
 * negative ax_status codes with one line naming the file in ax_error_detail(). */
int ax_ttfs_dataset_mnist(struct ax_ttfs_dataset *ds, const char *dir, enum ax_mnist_part part,
                          int size, double t_early, double t_late);

#ifdef __cplusplus
}
#endif
#endif
