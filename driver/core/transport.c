/* Transport objects, the table of built-in transports, and discovery. */
#define _POSIX_C_SOURCE 200809L
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "axon/clock.h"
#include "device.h"

#define PRIV_OFFSET                                                                                \
    ((sizeof(ax_transport) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

ax_transport *ax_transport_alloc(const ax_transport_ops *ops)
{
    ax_transport *t = calloc(1, PRIV_OFFSET + ops->priv_size);
    if (t) {
        t->ops = ops;
        t->timeout_us = ops->timeout_us;
    }
    return t;
}

void ax_transport_free(ax_transport *t)
{
    free(t);
}

void *ax_transport_priv(ax_transport *t)
{
    return (char *)t + PRIV_OFFSET;
}

/* A transport that is not compiled in: opening it says so. */
__attribute__((unused)) static int absent_open(ax_transport *t, const ax_uri *uri)
{
    (void)uri;
    return ax_fail(AX_E_UNSUPPORTED, "the %s: transport is not built into this libaxon (%s)",
                   t->ops->scheme, t->ops->help);
}

#define AX_ABSENT(name, why)                                                                       \
    static const ax_transport_ops absent_##name = {                                                \
        .scheme = #name, .help = why, .open = absent_open}

#ifdef AX_HAVE_AXSIM
#define SIM_OPS &ax_tr_sim_ops
#else
AX_ABSENT(sim, "built without the simulated board library axsim");
#define SIM_OPS &absent_sim
#endif
#ifdef AX_HAVE_LIBUSB
#define USB_OPS &ax_tr_usb_ops
#else
AX_ABSENT(usb, "built without libusb-1.0");
#define USB_OPS &absent_usb
#endif
#ifdef AX_HAVE_LIBFTDI
#define FTDI_OPS &ax_tr_ftdi_ops
#else
AX_ABSENT(ftdi, "built without libftdi1");
#define FTDI_OPS &absent_ftdi
#endif

const ax_transport_ops *const ax_transports[] = {SIM_OPS, &ax_tr_socket_ops, USB_OPS, FTDI_OPS,
                                                 NULL};

/* Options every device URI takes (docs/driver.md): faults=P puts the fault
 * injector (tr_fault.c) between host and board, each frame in each direction
 * flipped, dropped, duplicated, cut short or swapped with the next with
 * probability P/5 each, from fault_seed; a way to see that the link recovers
 * under a real workload. They are taken out of u before the transport sees it. */
static int take_fault_opts(ax_uri *u, ax_fault_config *fc)
{
    double p = 0.0;
    uint64_t seed = 1;
    int r = ax_uri_get_double(u, "faults", 0.0, 0.5, &p);
    if (r == AX_OK)
        r = ax_uri_get_u64(u, "fault_seed", 0, UINT64_MAX, &seed);
    if (r < 0)
        return ax_fail(r, "faults: a probability per frame 0 .. 0.5; fault_seed: an integer");
    unsigned k = 0;
    for (unsigned i = 0; i < u->nopts; i++)
        if (strcmp(u->opt[i].key, "faults") && strcmp(u->opt[i].key, "fault_seed"))
            u->opt[k++] = u->opt[i];
    u->nopts = k;
    *fc = (ax_fault_config){.seed = seed,
                            .p_flip = p / 5,
                            .p_drop = p / 5,
                            .p_dup = p / 5,
                            .p_trunc = p / 5,
                            .p_reorder = p / 5};
    return AX_OK;
}

int ax_transport_open(const ax_uri *uri_in, ax_transport **out)
{
    *out = NULL;
    ax_uri u = *uri_in, *uri = &u;
    ax_fault_config fc;
    int fr = take_fault_opts(uri, &fc);
    if (fr < 0)
        return fr;
    bool faults = fc.p_flip > 0.0;
    for (const ax_transport_ops *const *o = ax_transports; *o; o++) {
        if (strcmp((*o)->scheme, uri->scheme))
            continue;
        ax_transport *t = ax_transport_alloc(*o);
        if (!t)
            return ax_fail(AX_E_NOMEM, "out of memory");
        int r = (*o)->open(t, uri);
        if (r < 0) {
            ax_transport_free(t);
            return r;
        }
        return faults ? ax_fault_wrap(t, &fc, out) : (*out = t, AX_OK);
    }
    return ax_fail(AX_E_NODEV, "unknown device type '%s:' (known: sim:, socket:, usb:, ftdi:)",
                   uri->scheme);
}

void ax_transport_close(ax_transport *t)
{
    if (!t)
        return;
    t->ops->close(t);
    ax_transport_free(t);
}

uint64_t ax_transport_now_us(ax_transport *t)
{
    if (t->ops->now_us)
        return t->ops->now_us(t);
    return ax_mono_us();
}

uint64_t ax_transport_board_us(ax_transport *t)
{
    if (t->ops->board_us)
        return t->ops->board_us(t);
    return ax_transport_now_us(t);
}

struct list_ctx {
    void (*found)(void *, const char *, const char *);
    void *ctx;
    int n;
};

static void count_found(void *ctx, const char *uri, const char *desc)
{
    struct list_ctx *c = ctx;
    c->n++;
    c->found(c->ctx, uri, desc);
}

int ax_list(void (*found)(void *ctx, const char *uri, const char *desc), void *ctx)
{
    if (!found)
        return AX_E_INVAL;
    struct list_ctx c = {found, ctx, 0};
    for (const ax_transport_ops *const *o = ax_transports; *o; o++)
        if ((*o)->list)
            (*o)->list(count_found, &c); /* a transport that cannot list adds nothing */
    return c.n;
}

const char *ax_transport_help(void)
{
    static char buf[1024];
    if (!buf[0]) {
        size_t n = 0;
        for (const ax_transport_ops *const *o = ax_transports; *o && n < sizeof buf; o++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "  %-7s %s\n", (*o)->scheme, (*o)->help);
    }
    return buf;
}
