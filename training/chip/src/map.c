/* The ttfs mapper: a two-layer time-to-first-spike network as a
 * libaxon_net description, and its weights as 6-bit codes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "axon/ttfs_chip.h"

const char *ax_ttfs_chip_layout_name(enum ax_ttfs_chip_layout l)
{
    return l == AX_TTFS_CHIP_LAYOUT_SPLIT    ? "split"
           : l == AX_TTFS_CHIP_LAYOUT_JOINED ? "joined"
                                             : "auto";
}

/* The description in m's layout. The bias is one source into the layers
 * of bias_in: one event (with both hemisphere bits in the split layout)
 * reaches the hidden and the output neurons at the same time. */
static int build(struct ax_ttfs_chip_map *m)
{
    ax_net *n = m->net;
    int rc;
    bool joined = m->layout == AX_TTFS_CHIP_LAYOUT_JOINED, bias = m->bias_in[0] || m->bias_in[1];
    unsigned flags = AX_NET_ONCE | AX_NET_RECORD | (joined ? AX_NET_JOINED : 0u);
    int n_feat = m->n_in - (bias ? 1 : 0);
    if ((rc = m->pop_in = ax_net_source(n, "input", (unsigned)n_feat)) < 0 ||
        (rc = ax_net_set_duplicates(n, m->pop_in, (unsigned)m->duplicates)) < 0 ||
        (rc = m->pop_hidden = ax_net_population(n, "hidden", (unsigned)m->n_hidden, 0, flags)) <
            0 ||
        (rc = m->pop_out =
             ax_net_population(n, "output", (unsigned)m->n_out, joined ? 0 : 1, flags)) < 0)
        return rc;
    m->pop_bias = -1;
    if (bias && ((rc = m->pop_bias = ax_net_source(n, "bias", 1)) < 0 ||
                 (rc = ax_net_set_duplicates(n, m->pop_bias, (unsigned)m->bias_duplicates)) < 0))
        return rc;
    if ((rc = m->proj[0] = ax_net_project(n, m->pop_in, m->pop_hidden)) < 0 ||
        (rc = m->proj[1] = ax_net_project(n, m->pop_hidden, m->pop_out)) < 0)
        return rc;
    const int post[2] = {m->pop_hidden, m->pop_out};
    for (int l = 0; l < 2; l++) {
        m->proj_bias[l] = -1;
        if (m->bias_in[l] && (rc = m->proj_bias[l] = ax_net_project(n, m->pop_bias, post[l])) < 0)
            return rc;
    }
    return ax_net_map(n);
}

/* Drivers of each input and of the bias in m's layout. */
static void set_duplicates(struct ax_ttfs_chip_map *m, int duplicates, unsigned rows_per_hemi)
{
    bool bias = m->bias_in[0] || m->bias_in[1];
    int n_feat = m->n_in - (bias ? 1 : 0), drivers = (int)rows_per_hemi / 2;
    if (m->layout == AX_TTFS_CHIP_LAYOUT_JOINED) { /* the drivers of both hemispheres */
        int fit = 2 * drivers / (n_feat > 0 ? n_feat : 1);
        m->duplicates = fit < 1 ? 1 : fit < duplicates ? fit : duplicates;
        m->bias_duplicates = 1;
        return;
    }
    m->duplicates = duplicates;
    /* the bias (both hemispheres) takes what the inputs leave of hemisphere
     * 0's drivers and the hidden neurons of hemisphere 1's, up to `duplicates` */
    int spare = drivers - m->n_hidden, spare0 = drivers - n_feat * duplicates;
    spare = spare0 < spare ? spare0 : spare;
    m->bias_duplicates = spare < 1 ? 1 : spare < duplicates ? spare : duplicates;
}

/* A net of m's layout, placed. */
static int place(struct ax_ttfs_chip_map *m, int duplicates, unsigned nph, unsigned rows)
{
    set_duplicates(m, duplicates, rows);
    int rc = ax_net_new(&m->net, nph, rows);
    if (rc == 0)
        rc = build(m);
    if (rc < 0) {
        ax_net_free(m->net);
        m->net = NULL;
    }
    return rc;
}

int ax_ttfs_chip_map_create(struct ax_ttfs_chip_map *m, const struct ax_ttfs_layer_spec *spec,
                            int n_layers, unsigned bias, double psp_e, double psp_i, int duplicates,
                            enum ax_ttfs_chip_layout layout, unsigned neurons_per_hemi,
                            unsigned rows_per_hemi)
{
    memset(m, 0, sizeof *m);
    if (n_layers != 2)
        return ax_fail(AX_E_RANGE,
                       "chip mapper: %d weight layers; it maps two (inputs -> hidden -> outputs)",
                       n_layers);
    if (spec[1].n_in != spec[0].n_out + (bias ? 1 : 0))
        return ax_fail(AX_E_INVAL, "chip mapper: layer sizes do not chain");
    if (spec[0].delay != spec[1].delay ||
        (spec[0].delay != AX_TTFS_DELAY_NONE && spec[0].delay != AX_TTFS_DELAY_AXONAL))
        return ax_fail(AX_E_UNSUPPORTED,
                       "chip mapper: %s delays: a delay belongs to a synapse driver, which "
                       "carries one source, so only axonal delays (one per source) map",
                       spec[0].delay == AX_TTFS_DELAY_SYNAPTIC    ? "synaptic"
                       : spec[0].delay == AX_TTFS_DELAY_DENDRITIC ? "dendritic"
                                                                  : "mixed");
    if (spec[0].tau_ratio != spec[1].tau_ratio)
        return ax_fail(AX_E_RANGE, "chip mapper: both layers need the same tau_ratio");
    if (!(psp_e > 0) || !(psp_i > 0) || duplicates < 1)
        return ax_fail(AX_E_INVAL, "chip mapper: bad psp or duplicates");
    m->n_in = spec[0].n_in;
    m->n_hidden = spec[0].n_out;
    m->n_out = spec[1].n_out;
    m->bias_in[0] = bias & 1u;
    m->bias_in[1] = bias >> 1 & 1u;
    m->scale_e = spec[0].threshold * psp_e;
    m->scale_i = spec[0].threshold * psp_i;
    if (spec[1].threshold != spec[0].threshold)
        return ax_fail(AX_E_RANGE, "chip mapper: both layers need the same threshold");
    m->layout = layout == AX_TTFS_CHIP_LAYOUT_JOINED ? layout : AX_TTFS_CHIP_LAYOUT_SPLIT;
    int rc = place(m, duplicates, neurons_per_hemi, rows_per_hemi);
    if (rc == AX_E_RANGE && layout == AX_TTFS_CHIP_LAYOUT_AUTO) {
        char split[256];
        snprintf(split, sizeof split, "%s", ax_error_detail());
        m->layout = AX_TTFS_CHIP_LAYOUT_JOINED;
        rc = place(m, duplicates, neurons_per_hemi, rows_per_hemi);
        if (rc == AX_E_RANGE)
            rc = ax_fail(AX_E_RANGE, "chip mapper: neither layout fits: split: %s; joined: %s",
                         split, ax_error_detail());
    }
    if (rc < 0) {
        ax_ttfs_chip_map_free(m);
        return rc;
    }
    m->codes[0] = calloc((size_t)m->n_hidden * m->n_in, sizeof(int));
    m->codes[1] = calloc((size_t)m->n_out * (m->n_hidden + 1), sizeof(int));
    m->codes_bias[0] = calloc((size_t)m->n_hidden, sizeof(int));
    m->codes_bias[1] = calloc((size_t)m->n_out, sizeof(int));
    m->delays = spec[0].delay == AX_TTFS_DELAY_AXONAL;
    for (int l = 0; l < 2 && m->delays; l++)
        if (!(m->delay_cycles[l] = calloc((size_t)spec[l].n_in, sizeof *m->delay_cycles[l]))) {
            ax_ttfs_chip_map_free(m);
            return AX_E_NOMEM;
        }
    if (!m->codes[0] || !m->codes[1] || !m->codes_bias[0] || !m->codes_bias[1]) {
        ax_ttfs_chip_map_free(m);
        return AX_E_NOMEM;
    }
    return AX_OK;
}

void ax_ttfs_chip_map_free(struct ax_ttfs_chip_map *m)
{
    ax_net_free(m->net);
    free(m->codes[0]);
    free(m->codes[1]);
    free(m->codes_bias[0]);
    free(m->codes_bias[1]);
    free(m->delay_cycles[0]);
    free(m->delay_cycles[1]);
    memset(m, 0, sizeof *m);
}

/* One weight to a signed code, with the rounding residual of the neuron's
 * earlier inputs (*carry, in weight units) added first: error diffusion
 * along a neuron's inputs keeps the sum of its quantised weights within half
 * a step of the sum of the float weights. So a change smaller than a step
 * spread over many weights (an Adam step, a weight bump) still reaches the
 * chip, where independent rounding would hide it until it is a whole step
 * on every weight at once. A clipped weight passes no residual on. */
static int quantise(const struct ax_ttfs_chip_map *m, double w, int max, int l, double *carry,
                    struct ax_ttfs_chip_clip *clip)
{
    double a = fabs(w);
    if (a > clip->max_abs[l])
        clip->max_abs[l] = a;
    double x = w + *carry;
    double scale = x > 0 ? m->scale_e : m->scale_i;
    double q = fabs(x) / scale;
    int c;
    if (!(q < max + 0.5)) {                                           /* also NaN */
        if (a / (w > 0 ? m->scale_e : m->scale_i) > max * (1 + 1e-9)) /* not at the clamp */
            clip->clipped[l]++;
        c = max;
        *carry = 0;
    } else {
        c = (int)lround(q);
        *carry = x - (x < 0 ? -c : c) * scale;
    }
    if (c == 0 && a > 0)
        clip->zero[l]++;
    return x < 0 ? -c : c;
}

/* One layer's weights w (n_out, n_prev + bias) into the codes of its
 * projection from the previous layer and, with a bias, of the bias's. */
static void layer_codes(const struct ax_ttfs_chip_map *m, int l, const double *w, int n_prev,
                        int n_out, int max, struct ax_ttfs_chip_clip *clip)
{
    bool bias = m->pop_bias >= 0;
    int n1 = n_prev + bias;
    for (int j = 0; j < n_out; j++) {
        double carry = 0;
        for (int i = 0; i < n_prev; i++)
            m->codes[l][(size_t)j * n_prev + i] =
                quantise(m, w[(size_t)j * n1 + i], max, l, &carry, clip);
        if (bias && m->bias_in[l])
            m->codes_bias[l][j] = quantise(m, w[(size_t)j * n1 + n_prev],
                                           AX_WEIGHT_MAX * m->bias_duplicates, l, &carry, clip);
    }
}

int ax_ttfs_chip_map_weights(struct ax_ttfs_chip_map *m, const double *const w[2],
                             struct ax_ttfs_chip_clip *clip)
{
    memset(clip, 0, sizeof *clip);
    int max0 = AX_WEIGHT_MAX * m->duplicates, max1 = AX_WEIGHT_MAX;
    int bias = m->pop_bias >= 0;
    layer_codes(m, 0, w[0], m->n_in - bias, m->n_hidden, max0, clip);
    layer_codes(m, 1, w[1], m->n_hidden, m->n_out, max1, clip);
    double smin = fmin(m->scale_e, m->scale_i);
    clip->range[0] = max0 * smin;
    clip->range[1] = max1 * smin;
    int rc = ax_net_set_codes(m->net, m->proj[0], m->codes[0]);
    if (rc == 0)
        rc = ax_net_set_codes(m->net, m->proj[1], m->codes[1]);
    for (int l = 0; l < 2 && rc == 0 && bias; l++)
        if (m->bias_in[l])
            rc = ax_net_set_codes(m->net, m->proj_bias[l], m->codes_bias[l]);
    return rc;
}

/* Layer l's delays d (n values, the bias last with a bias) in cycles into
 * out; AX_E_RANGE naming the first that the registers do not reach. */
static int delay_cycles(const struct ax_ttfs_chip_map *m, int l, const double *d, int n,
                        uint16_t *out)
{
    for (int i = 0; i < n; i++) {
        double c = d[i] * m->tau_s_cycles;
        if (!(c > -0.5 && c < AX_DELAY_MAX + 0.5)) /* also NaN */
            return ax_fail(AX_E_RANGE,
                           "chip mapper: layer %d input %d: delay %g tau_s = %.0f cycles, the "
                           "drivers reach 0..%d cycles (%g tau_s)",
                           l + 1, i, d[i], c, (int)AX_DELAY_MAX,
                           (double)AX_DELAY_MAX / m->tau_s_cycles);
        out[i] = (uint16_t)lround(c);
    }
    return AX_OK;
}

int ax_ttfs_chip_map_delays(struct ax_ttfs_chip_map *m, const double *const d[2])
{
    if (!m->delays)
        return ax_fail(AX_E_STATE, "chip mapper: the network has no delays");
    if (!(m->tau_s_cycles > 0))
        return ax_fail(AX_E_INVAL, "chip mapper: tau_s in cycles not set");
    int bias = m->pop_bias >= 0, n[2] = {m->n_in, m->n_hidden + bias};
    uint16_t *tmp[2] = {malloc((size_t)n[0] * sizeof **tmp), malloc((size_t)n[1] * sizeof **tmp)};
    int rc = tmp[0] && tmp[1] ? AX_OK : AX_E_NOMEM;
    for (int l = 0; l < 2 && rc == 0; l++)
        rc = delay_cycles(m, l, d[l], n[l], tmp[l]);
    if (rc == 0) { /* every delay is in range: now set them all */
        const int pops[2] = {m->pop_in, m->pop_hidden};
        for (int l = 0; l < 2 && rc == 0; l++) {
            memcpy(m->delay_cycles[l], tmp[l], (size_t)n[l] * sizeof **tmp);
            rc = ax_net_set_delays(m->net, pops[l], tmp[l]);
            if (rc == 0 && bias && m->bias_in[l])
                rc = ax_net_set_delays_hemi(m->net, m->pop_bias, (unsigned)l, &tmp[l][n[l] - 1]);
        }
    }
    free(tmp[0]);
    free(tmp[1]);
    return rc;
}
