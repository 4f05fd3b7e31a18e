/* ftdi: the USB2 board, an FT232H/FT2232H in 245 synchronous FIFO mode,
 * through libftdi1.
 *
 * URI: ftdi:[VID:PID][?serial=S&interface=A|B&index=N] (hex VID:PID, default
 * 0403:6014 FT232H; an FT2232H is 0403:6010, interface A). Open: reset the
 * bit mode, latency timer 2 ms, large chunk sizes, flush, BITMODE_SYNCFF; close:
 * BITMODE_RESET again. The chip inserts two modem-status bytes in every
 * 512-byte USB packet; libftdi strips them, so reads return payload only.
 * Debian's libftdi 1.5 fails ftdi_readstream unless usb_read_timeout is under
 * 1000 ms; this transport reads with ftdi_read_data and a 100 ms USB timeout,
 * and loops until the caller's timeout (wall time).
 * Tested through real libftdi/libusb against a umockdev FT2232H fake bridged
 * to the simulated board (tests/driver/usbfake.c), not yet against a board.
 */
#define _POSIX_C_SOURCE 200809L
#include <ftdi.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/clock.h"
#include "device.h"

#define FTDI_CHUNK      (64u * 1024u)
#define FTDI_LATENCY_MS 2
#define FTDI_USB_TO_MS  100 /* < 1000: libftdi 1.5 */

typedef struct ftdi_priv {
    struct ftdi_context *ftdi;
} ftdi_priv;

static ftdi_priv *ftp(ax_transport *t)
{
    return ax_transport_priv(t);
}

/* libftdi's negative codes at our border. libftdi 1.5 reports a failed bulk
 * write as -1 whatever libusb said (a read passes libusb's code through), so
 * after a failure a GET_STATUS request on the same handle tells an unplugged
 * board (LIBUSB_ERROR_NO_DEVICE) from other I/O errors. */
static int ftdi_status(struct ftdi_context *f, int r, const char *what)
{
    uint8_t st[2];
    bool gone = r == -666 || r == LIBUSB_ERROR_NO_DEVICE ||
                (f->usb_dev &&
                 libusb_control_transfer(f->usb_dev, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_STATUS,
                                         0, 0, st, 2, 100) == LIBUSB_ERROR_NO_DEVICE);
    int s = gone ? AX_E_DISCONNECTED : AX_E_IO;
    return ax_fail(s, "ftdi: %s: %s (libftdi: %s)", what, ax_strerror(s), ftdi_get_error_string(f));
}

static int parse_ids(const ax_uri *u, int *vid, int *pid)
{
    *vid = 0x0403;
    *pid = 0x6014;
    if (!u->path[0])
        return AX_OK;
    unsigned v, p;
    char end;
    if (sscanf(u->path, "%x:%x%c", &v, &p, &end) != 2 || v > 0xFFFF || p > 0xFFFF)
        return ax_fail(AX_E_INVAL, "ftdi: expected VID:PID in hex, got '%s'", u->path);
    *vid = (int)v;
    *pid = (int)p;
    return AX_OK;
}

static int configure(struct ftdi_context *f)
{
    if (ftdi_set_bitmode(f, 0xFF, BITMODE_RESET) < 0)
        return ftdi_status(f, -1, "BITMODE_RESET");
    if (ftdi_set_latency_timer(f, FTDI_LATENCY_MS) < 0)
        return ftdi_status(f, -1, "latency timer");
    ftdi_read_data_set_chunksize(f, FTDI_CHUNK);
    ftdi_write_data_set_chunksize(f, FTDI_CHUNK);
    if (ftdi_tcioflush(f) < 0)
        return ftdi_status(f, -1, "flush");
    if (ftdi_set_bitmode(f, 0xFF, BITMODE_SYNCFF) < 0)
        return ftdi_status(f, -1, "BITMODE_SYNCFF");
    f->usb_read_timeout = FTDI_USB_TO_MS;
    f->usb_write_timeout = 1000;
    return AX_OK;
}

static int ftdi_tr_open(ax_transport *t, const ax_uri *u)
{
    static const char *const keys[] = {"serial", "interface", "index", NULL};
    int vid, pid, r = ax_uri_check_keys(u, keys);
    if (r < 0)
        return ax_fail(AX_E_INVAL, "ftdi: unknown option (known: serial, interface, index)");
    if ((r = parse_ids(u, &vid, &pid)) < 0)
        return r;
    const char *itf = ax_uri_get(u, "interface");
    uint64_t index = 0;
    if ((itf && strcmp(itf, "A") && strcmp(itf, "B")) ||
        ax_uri_get_u64(u, "index", 0, 255, &index) < 0)
        return ax_fail(AX_E_INVAL, "ftdi: interface is A or B, index 0..255");
    struct ftdi_context *f = ftdi_new();
    if (!f)
        return ax_fail(AX_E_NOMEM, "ftdi: out of memory");
    ftdi_set_interface(f, itf && !strcmp(itf, "B") ? INTERFACE_B : INTERFACE_A);
    r = ftdi_usb_open_desc_index(f, vid, pid, NULL, ax_uri_get(u, "serial"), (unsigned)index);
    if (r < 0) {
        int s = r == -3 ? AX_E_NODEV : r == -5 ? AX_E_BUSY : AX_E_IO;
        const char *serial = ax_uri_get(u, "serial");
        if (s == AX_E_BUSY) /* the interface claim failed */
            ax_fail(s, "ftdi: %04x:%04x%s%s is busy: another program (or a kernel driver) has it",
                    vid, pid, serial ? " serial " : "", serial ? serial : "");
        else
            ax_fail(s, "ftdi: cannot open %04x:%04x%s%s: %s%s", vid, pid, serial ? " serial " : "",
                    serial ? serial : "", ftdi_get_error_string(f),
                    r == -4 || r == -8 ? " (permissions? see driver/udev/60-axon.rules)" : "");
        ftdi_free(f);
        return s;
    }
    if ((r = configure(f)) < 0) {
        ftdi_usb_close(f);
        ftdi_free(f);
        return r;
    }
    ftp(t)->ftdi = f;
    return AX_OK;
}

static void ftdi_tr_close(ax_transport *t)
{
    struct ftdi_context *f = ftp(t)->ftdi;
    ftdi_set_bitmode(f, 0xFF, BITMODE_RESET);
    ftdi_usb_close(f);
    ftdi_free(f);
}

static int ftdi_tr_write(ax_transport *t, const uint8_t *data, size_t len)
{
    struct ftdi_context *f = ftp(t)->ftdi;
    while (len > 0) {
        int chunk = len > FTDI_CHUNK ? (int)FTDI_CHUNK : (int)len;
        int n = ftdi_write_data(f, data, chunk);
        if (n < 0)
            return ftdi_status(f, n, "write");
        data += n;
        len -= (size_t)n;
    }
    return AX_OK;
}

static int ftdi_tr_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    struct ftdi_context *f = ftp(t)->ftdi;
    uint64_t start = ax_mono_us();
    int max = cap > FTDI_CHUNK ? (int)FTDI_CHUNK : (int)cap;
    for (;;) {
        int n = ftdi_read_data(f, buf, max);
        if (n != 0)
            return n > 0 ? n : ftdi_status(f, n, "read");
        if (ax_mono_us() - start >= timeout_us)
            return 0;
    }
}

static int ftdi_tr_reset(ax_transport *t)
{
    struct ftdi_context *f = ftp(t)->ftdi;
    return ftdi_tcioflush(f) < 0 ? ftdi_status(f, -1, "flush") : AX_OK;
}

static void ftdi_tr_list(void (*found)(void *, const char *, const char *), void *ctx)
{
    static const int pids[] = {0x6014, 0x6010};
    struct ftdi_context *f = ftdi_new();
    for (unsigned k = 0; f && k < 2; k++) {
        struct ftdi_device_list *list = NULL;
        if (ftdi_usb_find_all(f, &list, 0x0403, pids[k]) > 0)
            for (struct ftdi_device_list *l = list; l; l = l->next) {
                char serial[64] = "", uri[128];
                ftdi_usb_get_strings(f, l->dev, NULL, 0, NULL, 0, serial, sizeof serial);
                snprintf(uri, sizeof uri, "ftdi:0403:%04x?serial=%s", pids[k], serial);
                found(ctx, uri, "USB2 board (FTDI 245 synchronous FIFO)");
            }
        ftdi_list_free(&list);
    }
    ftdi_free(f);
}

const ax_transport_ops ax_tr_ftdi_ops = {
    .scheme = "ftdi",
    .help = "ftdi:[VID:PID][?serial=S&interface=A|B&index=N] (USB2 board, default 0403:6014)",
    .priv_size = sizeof(ftdi_priv),
    .timeout_us = 50000,
    .open = ftdi_tr_open,
    .close = ftdi_tr_close,
    .write = ftdi_tr_write,
    .read = ftdi_tr_read,
    .reset = ftdi_tr_reset,
    .list = ftdi_tr_list,
};
