/* bench-joined: how strong a joined neuron's bottom-array synapses are
 * against its top-array ones on a calibrated die (the calibration measures
 * each neuron's input strength on its own array only). mnist-16x16-chip
 * (joined layout) on the simulated board of its [chip] section (default die
 * 1, temporal noise off unless DEVICE says otherwise): every hidden neuron
 * gets code 8 from 16 pixels of hemisphere 0 and from 16 of hemisphere 1;
 * half the trials send the top pixels, half the bottom ones. Per neuron and
 * array the factor k that makes the exact software neuron (weights x k, the
 * inputs as the chip got them) spike when the chip did: k is the array's
 * strength relative to the calibration's target. Prints one JSON line:
 *   {"bench":"joined","k_top":{"mean":..,"sd":..},"k_bottom":{..},"ratio":{..},...}
 * usage: bench-joined [DEVICE] (default "sim:?die=1&noise=0") */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"

#define NPIX 16
#define CODE 8

/* The factor on w that makes the software neuron spike at T (bisection;
 * NAN when the chip did not spike). */
static double fit(const double *t_in, const double *w, int n, double T)
{
    if (!isfinite(T))
        return NAN;
    double lo = 0.25, hi = 4.0, *wk = malloc((size_t)n * sizeof *wk);
    for (int it = 0; it < 50; it++) {
        double k = 0.5 * (lo + hi);
        for (int i = 0; i < n; i++)
            wk[i] = w[i] * k;
        double ts = ax_ttfs_neuron_spike(1, 1.0, t_in, wk, n);
        if (ts > T) /* too weak: spikes later */
            lo = k;
        else
            hi = k;
    }
    free(wk);
    return 0.5 * (lo + hi);
}

struct stat {
    double sum, sq;
    int n;
};
static void add(struct stat *s, double x)
{
    if (isfinite(x)) {
        s->sum += x;
        s->sq += x * x;
        s->n++;
    }
}
static double mean(const struct stat *s)
{
    return s->n ? s->sum / s->n : NAN;
}
static double sd(const struct stat *s)
{
    double m = mean(s);
    return s->n > 1 ? sqrt(fmax(0, s->sq / s->n - m * m)) : NAN;
}

int main(int argc, char **argv)
{
    char path[512];
    snprintf(path, sizeof path, "%s/training/configs/mnist-16x16-chip.cfg", ax_source_dir());
    struct ax_ttfs_config cfg;
    if (ax_ttfs_config_load(&cfg, path) < 0)
        goto fail;
    snprintf(cfg.chip.device, sizeof cfg.chip.device, "%s",
             argc > 1 ? argv[1] : "sim:?die=1&noise=0");
    const int B = 20;
    struct ax_ttfs_chip chip;
    struct ax_ttfs_net net;
    if (ax_ttfs_chip_open(&chip, &cfg, B, NULL, NULL) < 0 || ax_ttfs_net_create(&net, &cfg, B) < 0)
        goto fail;
    int n0 = net.spec[0].n_in, nh = net.spec[0].n_out;
    memset(net.params, 0, net.n_params * sizeof(double));
    double w = CODE * chip.map.scale_e;
    for (int j = 0; j < nh; j++)
        for (int i = 0; i < NPIX; i++) {
            net.params[net.w_off[0] + (size_t)j * n0 + i] = w;       /* hemisphere 0 */
            net.params[net.w_off[0] + (size_t)j * n0 + 128 + i] = w; /* hemisphere 1 */
        }
    double *x = malloc((size_t)B * 256 * sizeof *x);
    for (int b = 0; b < B; b++)
        for (int i = 0; i < 256; i++)
            x[b * 256 + i] = (b % 2 ? i >= 128 && i < 128 + NPIX : i < NPIX) ? 0.5 : INFINITY;
    net.backend = chip.backend;
    if (ax_ttfs_net_forward(&net, x, B) < 0)
        goto fail;
    struct stat k[2] = {{0}}, ratio = {0};
    for (int j = 0; j < nh; j++) {
        double kj[2] = {0, 0};
        for (int h = 0; h < 2; h++) { /* the mean over the trials of one array */
            struct stat s = {0};
            for (int b = h; b < B; b += 2)
                add(&s,
                    fit(net.t_in[0] + (size_t)b * n0, net.params + net.w_off[0] + (size_t)j * n0,
                        n0, net.t_out[0][(size_t)b * nh + j]));
            kj[h] = mean(&s);
            add(&k[h], kj[h]);
        }
        add(&ratio, kj[1] / kj[0]);
    }
    printf("{\"bench\":\"joined\",\"device\":\"%s\",\"calibration_id\":\"%s\",\"neurons\":%d,"
           "\"pixels\":%d,\"code\":%d,\"k_top\":{\"mean\":%.4f,\"sd\":%.4f},"
           "\"k_bottom\":{\"mean\":%.4f,\"sd\":%.4f},\"ratio\":{\"mean\":%.4f,\"sd\":%.4f,"
           "\"n\":%d}}\n",
           cfg.chip.device, chip.calib.id, nh, NPIX, CODE, mean(&k[0]), sd(&k[0]), mean(&k[1]),
           sd(&k[1]), mean(&ratio), sd(&ratio), ratio.n);
    free(x);
    ax_ttfs_net_free(&net);
    ax_ttfs_chip_close(&chip);
    return 0;
fail:
    fprintf(stderr, "bench-joined: %s\n", ax_error_detail());
    return 1;
}
