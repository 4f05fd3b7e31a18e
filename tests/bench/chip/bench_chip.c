/* bench-chip: batched chip access against one call per register, row or
 * conversion, on the small simulated chip (sim:?size=small, 2 x 32 neurons,
 * 2 x 32 rows). One JSON line per kind of access:
 *   {"bench":"chip","op":...,"items":N,"single_frames":F1,"single_ms":T1,
 *    "batched_frames":F2,"batched_ms":T2,"speedup":T1/T2}
 * frames: CMD frames sent (ax_link_get_stats), one per ax_run of a short
 * program; ms: wall time (median of REPS). The same results both ways are
 * checked by tests/driver/test_chip.c, and here again (exit 1 if not).
 * usage: bench-chip [URI] (default sim:?size=small&noise=0: temporal noise off,
 * so the MADC samples of resting membranes compare exactly) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/clock.h"

#define REPS 5
#define NP   (AX_PARAM_COUNT * 64)

static ax_device *dev;
static unsigned npr, rows;
static ax_capmem_cell cells[NP];
static uint16_t codes_a[NP], codes_b[NP];
static uint8_t mat_a[2 * 32 * 32 * 2], mat_b[2 * 32 * 32 * 2];
static uint16_t madc_a[64 * 8], madc_b[64 * 8];
static uint16_t neurons[64];
static int failed;

static uint64_t frames(void)
{
    ax_link_stats st;
    ax_link_get_stats(dev, &st);
    return st.cmd_frames;
}

static void ck(int r, const char *what)
{
    if (r < 0) {
        fprintf(stderr, "bench-chip: %s: %s\n", what, ax_strerror(r));
        exit(1);
    }
}

static void params_single(void)
{
    for (unsigned i = 0; i < NP; i++)
        ck(ax_chip_get_param(dev, cells[i].param, cells[i].neuron, &codes_a[i], 1), "get_param");
}
static void params_batched(void)
{
    ck(ax_chip_get_params_many(dev, cells, codes_b, NP), "get_params_many");
}
static void matrix_single(void)
{
    for (unsigned h = 0; h < 2; h++)
        for (unsigned r = 0; r < rows; r++) {
            uint8_t *w = mat_a + (h * rows + r) * npr;
            ck(ax_chip_get_row(dev, h, r, w, w + 2 * rows * npr), "get_row");
        }
}
static void matrix_batched(void)
{
    for (unsigned h = 0; h < 2; h++) /* one run per hemisphere */
        ck(ax_chip_get_matrix(dev, h, 0, rows, mat_b + h * rows * npr,
                              mat_b + 2 * rows * npr + h * rows * npr),
           "get_matrix");
}
static void corr_single(void)
{
    for (unsigned r = 0; r < rows; r++) {
        ck(ax_chip_cadc(dev, 0, AX_CADC_CAUSAL, r, mat_a + r * npr), "cadc");
        ck(ax_chip_cadc(dev, 0, AX_CADC_ANTICAUSAL, r, mat_a + (rows + r) * npr), "cadc");
    }
}
static void corr_batched(void)
{
    ck(ax_chip_corr_read_many(dev, 0, 0, rows, mat_b, mat_b + rows * npr), "corr_read_many");
}

/* MADC one neuron at a time: select it, then record 8 samples (two runs). */
static void madc_single(void)
{
    for (unsigned i = 0; i < 2 * npr; i++) {
        ck(ax_chip_madc(dev, true, neurons[i], 4), "madc");
        ax_program *p;
        ax_result r;
        ax_result_init(&r);
        ck(ax_program_new(&p), "program");
        ax_program_record(p, AX_RECORD_MADC);
        ax_program_timer_reset(p);
        ax_program_wait_until(p, 8 + 8 * 4);
        ax_program_record(p, 0);
        ck(ax_run(dev, p, &r), "run");
        for (unsigned k = 0; k < 8; k++)
            madc_a[i * 8 + k] = k < r.nsamples ? r.samples[k].value : 0xFFFF;
        ax_result_free(&r);
        ax_program_free(p);
    }
    ck(ax_chip_madc(dev, false, 0, 8), "madc");
}
static void madc_batched(void)
{
    ck(ax_chip_madc_sweep(dev, neurons, 2 * npr, 4, 8, madc_b), "madc_sweep");
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median wall time (ms) and frames of one call of fn. */
static double measure(void (*fn)(void), uint64_t *nframes)
{
    double t[REPS];
    for (int k = 0; k < REPS; k++) {
        uint64_t f0 = frames();
        double t0 = ax_mono_seconds();
        fn();
        t[k] = (ax_mono_seconds() - t0) * 1e3;
        *nframes = frames() - f0;
    }
    qsort(t, REPS, sizeof *t, cmp_d);
    return t[REPS / 2];
}

static void line(const char *op, unsigned items, void (*single)(void), void (*batched)(void),
                 const void *a, const void *b, size_t bytes)
{
    uint64_t fs, fb;
    double ts = measure(single, &fs), tb = measure(batched, &fb);
    if (memcmp(a, b, bytes) != 0) {
        fprintf(stderr, "bench-chip: %s: batched and single results differ\n", op);
        if (a == madc_a)
            for (int i = 0; i < 64 * 8; i++)
                if (madc_a[i] != madc_b[i])
                    fprintf(stderr, "%d: %u %u\n", i, madc_a[i], madc_b[i]);
        failed = 1;
    }
    printf("{\"bench\":\"chip\",\"op\":\"%s\",\"items\":%u,\"single_frames\":%llu,"
           "\"single_ms\":%.2f,\"batched_frames\":%llu,\"batched_ms\":%.2f,\"speedup\":%.1f}\n",
           op, items, (unsigned long long)fs, ts, (unsigned long long)fb, tb, ts / tb);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "sim:?size=small&noise=0";
    ck(ax_open(uri, &dev), "open");
    uint32_t ver;
    ck(ax_chip_info(dev, &ver, &npr, &rows), "info");
    if (npr != 32 || rows != 32) {
        fprintf(stderr, "bench-chip: wants the small chip (32 x 32)\n");
        return 1;
    }
    for (unsigned i = 0; i < NP; i++) {
        cells[i] = (ax_capmem_cell){(uint16_t)(i % AX_PARAM_COUNT), (uint16_t)(i / AX_PARAM_COUNT)};
        codes_a[i] = (uint16_t)((i * 37 + 11) % 1023);
    }
    ck(ax_chip_set_params_many(dev, cells, codes_a, NP), "set_params_many");
    /* resting membranes for the MADC: leak below threshold, default others */
    uint16_t leak[64], thr[64];
    for (unsigned i = 0; i < 64; i++)
        leak[i] = (uint16_t)(150 + 9 * i), thr[i] = 800, neurons[i] = (uint16_t)((i * 5) % 64);
    ck(ax_chip_set_param(dev, AX_PARAM_LEAK, 0, leak, 64), "set_param");
    ck(ax_chip_set_param(dev, AX_PARAM_THRESHOLD, 0, thr, 64), "set_param");
    for (unsigned i = 0; i < 2 * 32 * 32; i++)
        mat_a[i] = (uint8_t)(i * 7 % 64), mat_a[2 * 32 * 32 + i] = (uint8_t)(i * 13 % 64);
    for (unsigned h = 0; h < 2; h++)
        ck(ax_chip_set_matrix(dev, h, 0, 32, mat_a + h * 32 * 32, mat_a + 2048 + h * 32 * 32),
           "set_matrix");
    line("capmem_read", NP, params_single, params_batched, codes_a, codes_b, sizeof codes_a);
    line("syn_matrix_read", 2 * rows, matrix_single, matrix_batched, mat_a, mat_b, sizeof mat_a);
    line("corr_sensor_read", 2 * rows, corr_single, corr_batched, mat_a, mat_b, 2 * rows * npr);
    line("madc_sweep", 2 * npr, madc_single, madc_batched, madc_a, madc_b, sizeof madc_a);
    ax_close(dev);
    return failed;
}
