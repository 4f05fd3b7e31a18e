/* Layer stacks: the one forward and backward pass of a feed-forward network,
 * layer by layer over the kernels of neuron.c, on rows [r0, r1) of a batch. */
#include <string.h>

#include "axon/ttfs.h"

void ax_ttfs_stack_fill_inputs(const struct ax_ttfs_stack *s, int l, int r0, int r1)
{
    int n = s->spec[l - 1].n_out, stride = s->spec[l].n_in;
    const double *src = s->t_out[l - 1];
    double *dst = s->t_in[l];
    for (int b = r0; b < r1; b++) {
        memcpy(dst + (size_t)b * stride, src + (size_t)b * n, (size_t)n * sizeof(double));
        if (s->bias)
            dst[(size_t)b * stride + n] = s->bias_time;
    }
}

void ax_ttfs_stack_forward(const struct ax_ttfs_stack *s, int r0, int r1, ax_ttfs_work *work)
{
    for (int l = 0; l < s->n_layers; l++) {
        const struct ax_ttfs_layer_spec *sp = &s->spec[l];
        ax_ttfs_layer_forward(s->t_out[l] + (size_t)r0 * sp->n_out,
                              s->t_in[l] + (size_t)r0 * sp->n_in, s->w[l], s->d[l], sp, r1 - r0,
                              work);
        if (l + 1 < s->n_layers)
            ax_ttfs_stack_fill_inputs(s, l + 1, r0, r1);
    }
}

void ax_ttfs_stack_backward(const struct ax_ttfs_stack *s, double *const dw[], double *const dd[],
                            int r0, int r1, ax_ttfs_work *work)
{
    int rows = r1 - r0;
    for (int l = s->n_layers - 1; l >= 0; l--) {
        const struct ax_ttfs_layer_spec *sp = &s->spec[l];
        size_t in0 = (size_t)r0 * sp->n_in, out0 = (size_t)r0 * sp->n_out;
        double *dt_in = s->dt_in[l] ? s->dt_in[l] + in0 : NULL;
        if (dt_in)
            memset(dt_in, 0, (size_t)rows * sp->n_in * sizeof(double));
        ax_ttfs_layer_backward(dw[l], dd[l], dt_in, s->dt_out[l] + out0, s->t_in[l] + in0,
                               s->t_out[l] + out0, s->w[l], s->d[l], sp, rows, work);
        if (l == 0)
            break;
        /* The previous layer's spikes are the first n_prev inputs (the bias,
         * when there is one, comes after them and has no neuron to pass to). */
        int n_prev = s->spec[l - 1].n_out;
        for (int b = 0; b < rows; b++)
            memcpy(s->dt_out[l - 1] + (size_t)(r0 + b) * n_prev, dt_in + (size_t)b * sp->n_in,
                   (size_t)n_prev * sizeof(double));
    }
}
