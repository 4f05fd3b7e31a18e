/* sim: the simulated board (axsim, the verilated RTL) in this process.
 *
 * Nothing runs on its own: write() queues bytes in the bridge, read() steps
 * the model until bytes arrive or the timeout has passed in MODEL time, so a
 * run is deterministic and a timeout costs simulation, never sleep.
 * URI: sim:?die=N&run=N&variant=usb3|usb2&size=full|small&fpn=X&noise=X
 */
#include <string.h>

#include "axsim.h"
#include "device.h"

#define WRITE_STEP_CYCLES 64u
#define WRITE_MAX_CYCLES  (10u * 1000u * 1000u)

typedef struct sim_priv {
    axsim_board *board;
} sim_priv;

static sim_priv *sp(ax_transport *t)
{
    return ax_transport_priv(t);
}

static int parse_choice(const ax_uri *u, const char *key, const char *a, const char *b, int *v)
{
    const char *s = ax_uri_get(u, key);
    if (!s)
        return AX_OK;
    if (!strcmp(s, a))
        *v = 0;
    else if (!strcmp(s, b))
        *v = 1;
    else
        return ax_fail(AX_E_INVAL, "sim: option %s=%s: expected %s or %s", key, s, a, b);
    return AX_OK;
}

static int sim_options(const ax_uri *u, axsim_options *o)
{
    static const char *const keys[] = {"die", "run", "variant", "size", "fpn", "noise", NULL};
    axsim_options_default(o);
    if (u->path[0])
        return ax_fail(AX_E_INVAL, "sim: takes no path, only options (sim:?die=7&size=small)");
    if (ax_uri_check_keys(u, keys) < 0)
        return ax_fail(AX_E_INVAL, "sim: unknown option (known: die, run, variant, size, fpn, "
                                   "noise)");
    int variant = 0, size = 0;
    if (ax_uri_get_u64(u, "die", 0, UINT64_MAX, &o->die_seed) < 0 ||
        ax_uri_get_u64(u, "run", 0, UINT64_MAX, &o->run_seed) < 0 ||
        ax_uri_get_double(u, "fpn", 0.0, 1.99, &o->fpn_scale) < 0 ||
        ax_uri_get_double(u, "noise", 0.0, 1.99, &o->temporal_scale) < 0)
        return ax_fail(AX_E_INVAL, "sim: bad option value (die/run: integers, fpn/noise: 0..1.99)");
    int r = parse_choice(u, "variant", "usb3", "usb2", &variant);
    if (r == AX_OK)
        r = parse_choice(u, "size", "full", "small", &size);
    o->variant = variant ? AXSIM_USB2 : AXSIM_USB3;
    o->size = size ? AXSIM_SMALL : AXSIM_FULL;
    return r;
}

static int sim_open(ax_transport *t, const ax_uri *uri)
{
    axsim_options o;
    int r = sim_options(uri, &o);
    if (r < 0)
        return r;
    r = axsim_create(&o, &sp(t)->board);
    if (r < 0)
        return ax_fail(r, "sim: cannot create the simulated board: %s", ax_strerror(r));
    return AX_OK;
}

static void sim_close(ax_transport *t)
{
    axsim_destroy(sp(t)->board);
}

static int sim_write(ax_transport *t, const uint8_t *data, size_t len)
{
    axsim_board *b = sp(t)->board;
    uint64_t spent = 0;
    while (len > 0) {
        int n = axsim_write(b, data, len);
        if (n < 0)
            return n;
        data += n;
        len -= (size_t)n;
        if (len == 0)
            break;
        if (spent >= WRITE_MAX_CYCLES)
            return AX_E_TIMEOUT; /* the board took nothing for 80 ms of model time */
        int r = axsim_step(b, WRITE_STEP_CYCLES);
        if (r < 0)
            return r;
        spent += WRITE_STEP_CYCLES;
    }
    return AX_OK;
}

static int sim_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    axsim_board *b = sp(t)->board;
    if (axsim_readable(b) == 0 && timeout_us > 0) {
        int64_t r = axsim_step_until_readable(b, (uint64_t)timeout_us * AX_CYCLES_PER_US);
        if (r < 0)
            return (int)r;
    }
    return axsim_read(b, buf, cap);
}

static int sim_reset(ax_transport *t)
{
    axsim_board *b = sp(t)->board;
    uint8_t junk[4096];
    while (axsim_readable(b) > 0)
        if (axsim_read(b, junk, sizeof junk) <= 0)
            break;
    return AX_OK;
}

static uint64_t sim_now(ax_transport *t)
{
    return axsim_cycles(sp(t)->board) / AX_CYCLES_PER_US;
}

static void sim_list(void (*found)(void *, const char *, const char *), void *ctx)
{
    found(ctx, "sim:", "simulated board (in-process, verilated RTL)");
}

const ax_transport_ops ax_tr_sim_ops = {
    .scheme = "sim",
    .help = "sim:?die=N&run=N&variant=usb3|usb2&size=full|small&fpn=X&noise=X",
    .priv_size = sizeof(sim_priv),
    .timeout_us = 100,
    .open = sim_open,
    .close = sim_close,
    .write = sim_write,
    .read = sim_read,
    .reset = sim_reset,
    .now_us = sim_now,
    .list = sim_list,
};
