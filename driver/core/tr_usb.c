/* usb: the USB3 board's FT601-class 32-bit FIFO bridge, through libusb.
 *
 * URI: usb:[VID:PID][?serial=S] (hex, default 0403:601f). Interface 0 takes
 * the bridge's control requests (EP 0x01), interface 1 the data (EP 0x02 out,
 * EP 0x82 in). Every IN transfer is announced by a 20-byte read request on
 * EP 0x01 (index, pipe 0x82, command 1, length), as the public FT60x
 * reverse engineering describes it. USB_IN_FLIGHT transfers of 64 KiB are in
 * flight at all times; one event thread completes them into a ring the
 * caller's read() waits on (wall time). close() cancels every transfer, waits
 * until all have come back, then stops and joins the thread.
 * Tested through real libusb against a umockdev FT601 fake bridged to the
 * simulated board (tests/driver/usbfake.c), not yet against a board: the
 * read-request format needs checking on hardware (docs/driver.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <libusb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon/le.h"
#include "device.h"

#define USB_IN_FLIGHT 4
#define USB_XFER      (64u * 1024u)
#define USB_RING      (4u * 1024u * 1024u)
#define EP_CTRL_OUT   0x01
#define EP_DATA_OUT   0x02
#define EP_DATA_IN    0x82

typedef struct usb_slot {
    struct libusb_transfer *in, *req;
    uint8_t reqbuf[20];
    uint8_t buf[USB_XFER];
} usb_slot;

typedef struct usb_priv {
    libusb_context *ctx;
    libusb_device_handle *h;
    pthread_t thread;
    bool thread_up;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int pending;     /* transfers submitted and not yet completed */
    int error;       /* sticky: AX_E_DISCONNECTED, AX_E_IO or AX_E_OVERFLOW */
    const char *why; /* what failed, for the caller's error detail */
    bool stopping;
    uint32_t req_index;
    usb_slot *slots;
    uint8_t *ring; /* bytes from the board */
    size_t head, n;
} usb_priv;

static usb_priv *up(ax_transport *t)
{
    return ax_transport_priv(t);
}

static int usb_status(int e)
{
    return e == LIBUSB_ERROR_NO_DEVICE ? AX_E_DISCONNECTED
           : e == LIBUSB_ERROR_TIMEOUT ? AX_E_TIMEOUT
           : e == LIBUSB_ERROR_BUSY    ? AX_E_BUSY
           : e == LIBUSB_ERROR_NO_MEM  ? AX_E_NOMEM
                                       : AX_E_IO;
}

static void LIBUSB_CALL on_req(struct libusb_transfer *x);
static void LIBUSB_CALL on_in(struct libusb_transfer *x);

/* Submits slot s: its read request, then its IN transfer. Lock held. */
static int submit(usb_priv *p, usb_slot *s)
{
    memset(s->reqbuf, 0, sizeof s->reqbuf);
    ax_put_le32(s->reqbuf, p->req_index++);
    s->reqbuf[4] = EP_DATA_IN;
    s->reqbuf[5] = 1; /* read */
    ax_put_le32(s->reqbuf + 8, USB_XFER);
    libusb_fill_bulk_transfer(s->req, p->h, EP_CTRL_OUT, s->reqbuf, sizeof s->reqbuf, on_req, p,
                              1000);
    libusb_fill_bulk_transfer(s->in, p->h, EP_DATA_IN, s->buf, USB_XFER, on_in, s, 0);
    int e = libusb_submit_transfer(s->req);
    if (e == 0)
        p->pending++;
    if (e == 0 && (e = libusb_submit_transfer(s->in)) == 0)
        p->pending++;
    return e;
}

/* Runs on the event thread: the reason is kept for the reader's detail. */
static void fail_locked(usb_priv *p, int status, const char *why)
{
    if (!p->error) {
        p->error = status;
        p->why = why;
    }
    pthread_cond_broadcast(&p->cond);
}

/* A read request that did not reach the bridge leaves its IN transfer
 * waiting for data that never comes: that is an error, not silence. */
static void LIBUSB_CALL on_req(struct libusb_transfer *x)
{
    usb_priv *p = x->user_data;
    pthread_mutex_lock(&p->lock);
    p->pending--;
    if (x->status == LIBUSB_TRANSFER_NO_DEVICE)
        fail_locked(p, AX_E_DISCONNECTED, "the board is gone");
    else if (x->status != LIBUSB_TRANSFER_COMPLETED && x->status != LIBUSB_TRANSFER_CANCELLED)
        fail_locked(p, AX_E_IO,
                    x->status == LIBUSB_TRANSFER_STALL       ? "a read request on EP 0x01 stalled"
                    : x->status == LIBUSB_TRANSFER_TIMED_OUT ? "a read request on EP 0x01 timed out"
                                                             : "a read request on EP 0x01 failed");
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void LIBUSB_CALL on_in(struct libusb_transfer *x)
{
    usb_slot *s = x->user_data;
    usb_priv *p = s->req->user_data;
    pthread_mutex_lock(&p->lock);
    p->pending--;
    if (x->status == LIBUSB_TRANSFER_COMPLETED) {
        size_t k = (size_t)x->actual_length;
        if (p->n + k > USB_RING) /* the host stopped reading */
            fail_locked(p, AX_E_OVERFLOW, "4 MiB from the board were never read");
        for (size_t i = 0; i < k && !p->error; i++)
            p->ring[(p->head + p->n++) % USB_RING] = s->buf[i];
    } else if (x->status == LIBUSB_TRANSFER_NO_DEVICE) {
        fail_locked(p, AX_E_DISCONNECTED, "the board is gone");
    } else if (x->status != LIBUSB_TRANSFER_CANCELLED && x->status != LIBUSB_TRANSFER_TIMED_OUT) {
        fail_locked(p, AX_E_IO,
                    x->status == LIBUSB_TRANSFER_STALL      ? "an IN transfer on EP 0x82 stalled"
                    : x->status == LIBUSB_TRANSFER_OVERFLOW ? "an IN transfer on EP 0x82 overflowed"
                                                            : "an IN transfer on EP 0x82 failed");
    }
    if (!p->stopping && !p->error && submit(p, s) != 0)
        fail_locked(p, AX_E_IO, "cannot resubmit an IN transfer");
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void *event_thread(void *arg)
{
    usb_priv *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        bool done = p->stopping && p->pending == 0;
        pthread_mutex_unlock(&p->lock);
        if (done)
            return NULL;
        struct timeval tv = {0, 100000};
        libusb_handle_events_timeout_completed(p->ctx, &tv, NULL);
    }
}

static int parse_ids(const ax_uri *u, unsigned *vid, unsigned *pid)
{
    *vid = 0x0403;
    *pid = 0x601f;
    char end;
    if (u->path[0] &&
        (sscanf(u->path, "%x:%x%c", vid, pid, &end) != 2 || *vid > 0xFFFF || *pid > 0xFFFF))
        return ax_fail(AX_E_INVAL, "usb: expected VID:PID in hex, got '%s'", u->path);
    return AX_OK;
}

/* Opens the first device with vid:pid (and serial, if given). */
static int find_device(usb_priv *p, unsigned vid, unsigned pid, const char *serial)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(p->ctx, &list);
    int r = AX_E_NODEV, e;
    for (ssize_t i = 0; i < n && r == AX_E_NODEV; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) < 0 || dd.idVendor != vid ||
            dd.idProduct != pid)
            continue;
        if ((e = libusb_open(list[i], &p->h)) < 0) {
            r = ax_fail(usb_status(e), "usb: cannot open %04x:%04x: %s%s", vid, pid,
                        libusb_strerror(e),
                        e == LIBUSB_ERROR_ACCESS ? " (see driver/udev/60-axon.rules)" : "");
            break;
        }
        unsigned char s[128] = "";
        if (serial && dd.iSerialNumber)
            libusb_get_string_descriptor_ascii(p->h, dd.iSerialNumber, s, sizeof s);
        if (!serial || !strcmp((const char *)s, serial)) {
            r = AX_OK;
        } else {
            libusb_close(p->h);
            p->h = NULL;
        }
    }
    if (n >= 0)
        libusb_free_device_list(list, 1);
    if (r == AX_E_NODEV)
        ax_fail(r, "usb: no board %04x:%04x%s%s", vid, pid, serial ? " with serial " : "",
                serial ? serial : "");
    return r;
}

static int start(usb_priv *p)
{
    int e = libusb_claim_interface(p->h, 0);
    if (e == 0)
        e = libusb_claim_interface(p->h, 1);
    if (e < 0)
        return ax_fail(usb_status(e), "usb: cannot claim the bridge: %s%s", libusb_strerror(e),
                       e == LIBUSB_ERROR_BUSY ? " (the board is busy: another program has it open)"
                                              : "");
    p->slots = calloc(USB_IN_FLIGHT, sizeof *p->slots);
    p->ring = malloc(USB_RING);
    if (!p->slots || !p->ring)
        return AX_E_NOMEM;
    for (int i = 0; i < USB_IN_FLIGHT; i++)
        if (!(p->slots[i].in = libusb_alloc_transfer(0)) ||
            !(p->slots[i].req = libusb_alloc_transfer(0)))
            return AX_E_NOMEM;
    if (pthread_create(&p->thread, NULL, event_thread, p) != 0)
        return ax_fail(AX_E_IO, "usb: cannot start the event thread");
    p->thread_up = true;
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < USB_IN_FLIGHT && e == 0; i++)
        e = submit(p, &p->slots[i]);
    pthread_mutex_unlock(&p->lock);
    return e < 0 ? ax_fail(usb_status(e), "usb: cannot submit: %s", libusb_strerror(e)) : AX_OK;
}

/* Cancels every transfer, waits for them, joins the thread, frees. */
static void stop(usb_priv *p)
{
    if (p->thread_up) {
        pthread_mutex_lock(&p->lock);
        p->stopping = true;
        for (int i = 0; i < USB_IN_FLIGHT; i++) {
            libusb_cancel_transfer(p->slots[i].in);
            libusb_cancel_transfer(p->slots[i].req);
        }
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL); /* returns once nothing is pending */
    }
    for (int i = 0; p->slots && i < USB_IN_FLIGHT; i++) {
        libusb_free_transfer(p->slots[i].in);
        libusb_free_transfer(p->slots[i].req);
    }
    if (p->h) {
        libusb_release_interface(p->h, 1);
        libusb_release_interface(p->h, 0);
        libusb_close(p->h);
    }
    free(p->slots);
    free(p->ring);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    libusb_exit(p->ctx);
}

static int usb_open(ax_transport *t, const ax_uri *u)
{
    static const char *const keys[] = {"serial", NULL};
    usb_priv *p = up(t);
    unsigned vid, pid;
    if (ax_uri_check_keys(u, keys) < 0)
        return ax_fail(AX_E_INVAL, "usb: unknown option (known: serial)");
    int r = parse_ids(u, &vid, &pid);
    if (r < 0)
        return r;
    int e = libusb_init(&p->ctx);
    if (e < 0)
        return ax_fail(AX_E_IO, "usb: libusb_init: %s", libusb_strerror(e));
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&p->lock, NULL);
    r = find_device(p, vid, pid, ax_uri_get(u, "serial"));
    if (r == AX_OK)
        r = start(p);
    if (r < 0)
        stop(p);
    return r;
}

static void usb_close(ax_transport *t)
{
    stop(up(t));
}

static int usb_write(ax_transport *t, const uint8_t *data, size_t len)
{
    usb_priv *p = up(t);
    while (len > 0) {
        int done = 0, chunk = len > USB_XFER ? (int)USB_XFER : (int)len;
        int e = libusb_bulk_transfer(p->h, EP_DATA_OUT, (unsigned char *)data, chunk, &done, 1000);
        if (e < 0 && !(e == LIBUSB_ERROR_TIMEOUT && done > 0))
            return ax_fail(usb_status(e), "usb: bulk OUT on EP 0x02: %s", libusb_strerror(e));
        data += done;
        len -= (size_t)done;
    }
    return AX_OK;
}

static int usb_read(ax_transport *t, uint8_t *buf, size_t cap, uint32_t timeout_us)
{
    usb_priv *p = up(t);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_us / 1000000u;
    until.tv_nsec += (long)(timeout_us % 1000000u) * 1000;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    while (p->n == 0 && !p->error && timeout_us > 0)
        if (pthread_cond_timedwait(&p->cond, &p->lock, &until) != 0)
            break;
    size_t k = p->n < cap ? p->n : cap;
    for (size_t i = 0; i < k; i++)
        buf[i] = p->ring[(p->head + i) % USB_RING];
    p->head = (p->head + k) % USB_RING;
    p->n -= k;
    int r = k > 0 ? (int)k : p->error;
    const char *why = p->why;
    pthread_mutex_unlock(&p->lock);
    if (r < 0 && why)
        return ax_fail(r, "usb: %s", why);
    return r;
}

static void usb_list(void (*found)(void *, const char *, const char *), void *ctx)
{
    libusb_context *c;
    libusb_device **list;
    if (libusb_init(&c) < 0)
        return;
    ssize_t n = libusb_get_device_list(c, &list);
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.idVendor == 0x0403 &&
            (dd.idProduct == 0x601f || dd.idProduct == 0x601e)) {
            /* With its serial when we may open it: the URI then names this
             * board among several. */
            unsigned char serial[128] = "";
            libusb_device_handle *h;
            if (dd.iSerialNumber && libusb_open(list[i], &h) == 0) {
                if (libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, serial, sizeof serial) <
                    0)
                    serial[0] = 0;
                libusb_close(h);
            }
            char uri[200];
            snprintf(uri, sizeof uri, "usb:0403:%04x%s%s", dd.idProduct,
                     serial[0] ? "?serial=" : "", (const char *)serial);
            found(ctx, uri, "USB3 board (FT60x 32-bit FIFO bridge)");
        }
    }
    if (n >= 0)
        libusb_free_device_list(list, 1);
    libusb_exit(c);
}

const ax_transport_ops ax_tr_usb_ops = {
    .scheme = "usb",
    .help = "usb:[VID:PID][?serial=S] (USB3 board, FT60x bridge, default 0403:601f)",
    .priv_size = sizeof(usb_priv),
    .timeout_us = 20000,
    .open = usb_open,
    .close = usb_close,
    .write = usb_write,
    .read = usb_read,
    .list = usb_list,
};
