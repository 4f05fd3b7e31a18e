/* usbfake: fake FT2232H, FT232H and FT601-class bridges in a umockdev testbed, bridged
 * to the simulated board (usbfake.h). The ioctl handler runs on umockdev's
 * worker thread; one mutex guards the board and the URB lists. */
#define _GNU_SOURCE
#include "usbfake.h"

#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <umockdev.h>

#include "axon/status.h"

#define SYSPATH "/devices/usb1"
#define DEVNODE "/dev/bus/usb/001/001"
/* While an IN URB waits, a reap runs the board: up to REAP_IDLE_CYCLES for
 * the first byte, then on in chunks until the URB is full, the board has been
 * quiet for REAP_QUIET_CYCLES or REAP_BUDGET_CYCLES have passed. */
#define REAP_IDLE_CYCLES   625u /* 5 us */
#define REAP_CHUNK_CYCLES  125u
#define REAP_QUIET_CYCLES  250u
#define REAP_BUDGET_CYCLES 125000u /* 1 ms */
#define WRITE_STEP_CYCLES  64u
#define WRITE_MAX_CYCLES   (10u * 1000u * 1000u)
#define FTDI_PACKET        512
#define FTDI_STATUS0       0x32 /* modem status: CTS, DSR (what FT2232H chips commonly send) */
#define FTDI_STATUS1       0x60 /* line status: THRE, TEMT */
#define FTDI_LATENCY_DFLT  16

/* FTDI vendor requests (bRequest of a 0x40/0xC0 control transfer). */
enum {
    SIO_RESET = 0x00,
    SIO_MODEM_CTRL = 0x01,
    SIO_FLOW_CTRL = 0x02,
    SIO_BAUDRATE = 0x03,
    SIO_DATA = 0x04,
    SIO_POLL_MODEM = 0x05,
    SIO_SET_EVENT_CHAR = 0x06,
    SIO_SET_ERROR_CHAR = 0x07,
    SIO_SET_LATENCY = 0x09,
    SIO_GET_LATENCY = 0x0A,
    SIO_SET_BITMODE = 0x0B,
    SIO_READ_PINS = 0x0C,
    SIO_READ_EEPROM = 0x90,
};

typedef struct fake_urb {
    struct fake_urb *next;
    UMockdevIoctlClient *client; /* whose URB (a reference) */
    unsigned long addr;          /* the client's struct usbdevfs_urb */
    uint8_t type, ep;
    int length;       /* buffer_length */
    int status;       /* on completion: 0 or -errno */
    int actual;       /* on completion */
    uint8_t *reply;   /* control IN / bulk IN bytes to copy at reap (NULL: none) */
    int nreply;       /* bytes of reply */
    int reply_offset; /* where in the buffer (8 for control: after the setup packet) */
    uint64_t t_submit_us;
} fake_urb;

struct usbfake {
    usbfake_kind kind;
    UMockdevTestbed *bed;
    UMockdevIoctlBase *handler;
    pthread_mutex_t lock;
    axsim_board *board;
    fake_urb *pending; /* submitted, not complete, submission order */
    fake_urb *done;    /* complete, not reaped, completion order */
    char serial[64];
    uint64_t unplug_after;         /* OUT bytes; 0: never */
    uint64_t unplug_after_in;      /* IN bytes; 0: never */
    bool frozen;                   /* usbfake_freeze */
    bool stall_requests;           /* usbfake_stall_requests */
    UMockdevIoctlClient *owner[2]; /* who claimed interface 0/1 (a reference), as usbfs keeps it */
    uint64_t rng;                  /* usbfake_corrupt: xorshift64 state */
    uint64_t flip_threshold;       /* a byte flips when the next draw is below this; 0 off */
    uint64_t ft601_sessions;       /* read requests not yet answered */
    usbfake_stats st;
};

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- descriptors ----------------------------------------------------------- */

static bool is_ftdi(usbfake_kind k)
{
    return k == USBFAKE_FT2232H || k == USBFAKE_FT232H;
}

static unsigned pid_of(usbfake_kind k)
{
    return k == USBFAKE_FT601 ? 0x601f : k == USBFAKE_FT232H ? 0x6014 : 0x6010;
}

/* bcdDevice: libftdi tells the chip types by it (0x700 FT2232H, 0x900 FT232H). */
static unsigned bcd_of(usbfake_kind k)
{
    return k == USBFAKE_FT601 ? 0x0000 : k == USBFAKE_FT232H ? 0x0900 : 0x0700;
}

static size_t put16(uint8_t *p, size_t at, unsigned v)
{
    p[at] = (uint8_t)v;
    p[at + 1] = (uint8_t)(v >> 8);
    return at + 2;
}

static size_t device_desc(usbfake_kind k, uint8_t *d)
{
    size_t n = 0;
    d[n++] = 18;
    d[n++] = 1; /* DEVICE */
    n = put16(d, n, k == USBFAKE_FT601 ? 0x0310 : 0x0200);
    d[n++] = 0, d[n++] = 0, d[n++] = 0;   /* class per interface */
    d[n++] = k == USBFAKE_FT601 ? 9 : 64; /* bMaxPacketSize0 (2^9 for SuperSpeed) */
    n = put16(d, n, 0x0403);
    n = put16(d, n, pid_of(k));
    n = put16(d, n, bcd_of(k));
    d[n++] = 1, d[n++] = 2, d[n++] = 3; /* strings */
    d[n++] = 1;                         /* one configuration */
    return n;
}

static size_t endpoint(uint8_t *d, size_t n, uint8_t addr, uint8_t attr, unsigned mps, bool ss)
{
    d[n++] = 7, d[n++] = 5, d[n++] = addr, d[n++] = attr;
    n = put16(d, n, mps);
    d[n++] = attr == 3 ? 9 : 0; /* bInterval */
    if (ss) {                   /* SuperSpeed endpoint companion */
        d[n++] = 6, d[n++] = 0x30, d[n++] = 0, d[n++] = 0, d[n++] = 0, d[n++] = 0;
    }
    return n;
}

static size_t interface(uint8_t *d, size_t n, uint8_t num, uint8_t neps)
{
    d[n++] = 9, d[n++] = 4, d[n++] = num, d[n++] = 0, d[n++] = neps;
    d[n++] = 0xFF, d[n++] = 0xFF, d[n++] = 0xFF, d[n++] = 2;
    return n;
}

static size_t config_desc(usbfake_kind k, uint8_t *d)
{
    size_t n = 9;
    if (k == USBFAKE_FT601) {
        /* Interface 0: bridge control (read requests on EP 0x01, notifications
         * on EP 0x81); interface 1: the FIFO channel, EP 0x02 out, 0x82 in. */
        n = interface(d, n, 0, 2);
        n = endpoint(d, n, 0x01, 2, 1024, true);
        n = endpoint(d, n, 0x81, 3, 16, true);
        n = interface(d, n, 1, 2);
        n = endpoint(d, n, 0x02, 2, 1024, true);
        n = endpoint(d, n, 0x82, 2, 1024, true);
    } else {
        /* Interface A (and B on the FT2232H): IN 0x81/0x83, OUT 0x02/0x04,
         * 512-byte bulk. */
        n = interface(d, n, 0, 2);
        n = endpoint(d, n, 0x81, 2, 512, false);
        n = endpoint(d, n, 0x02, 2, 512, false);
        if (k == USBFAKE_FT2232H) {
            n = interface(d, n, 1, 2);
            n = endpoint(d, n, 0x83, 2, 512, false);
            n = endpoint(d, n, 0x04, 2, 512, false);
        }
    }
    d[0] = 9, d[1] = 2;
    put16(d, 2, (unsigned)n);
    d[4] = k == USBFAKE_FT232H ? 1 : 2;           /* interfaces */
    d[5] = 1, d[6] = 0, d[7] = 0x80, d[8] = 0x32; /* bus powered, 100 mA */
    return n;
}

static const char *string_of(const usbfake *f, unsigned index)
{
    switch (index) {
    case 1:
        return "FTDI";
    case 2:
        return f->kind == USBFAKE_FT601    ? "FT601 32-bit FIFO IC (axon fake)"
               : f->kind == USBFAKE_FT232H ? "Single RS232-HS (axon fake)"
                                           : "Dual RS232-HS (axon fake)";
    case 3:
        return f->serial;
    default:
        return NULL;
    }
}

/* A GET_DESCRIPTOR answer into out (at most cap bytes); -1: stall. */
static int get_descriptor(const usbfake *f, unsigned value, uint8_t *out, int cap)
{
    uint8_t d[256];
    size_t n = 0;
    unsigned type = value >> 8, index = value & 0xFF;
    if (type == 1) {
        n = device_desc(f->kind, d);
    } else if (type == 2 && index == 0) {
        n = config_desc(f->kind, d);
    } else if (type == 3 && index == 0) {
        d[0] = 4, d[1] = 3, d[2] = 0x09, d[3] = 0x04; /* English (US) */
        n = 4;
    } else if (type == 3 && string_of(f, index)) {
        const char *s = string_of(f, index);
        n = 2;
        for (; *s && n + 2 <= sizeof d; s++)
            d[n++] = (uint8_t)*s, d[n++] = 0;
        d[0] = (uint8_t)n, d[1] = 3;
    } else {
        return -1;
    }
    int k = (int)n < cap ? (int)n : cap;
    memcpy(out, d, (size_t)k);
    return k;
}

/* ---- URB bookkeeping (lock held) --------------------------------------------- */

static void push_done(usbfake *f, fake_urb *u)
{
    u->next = NULL;
    fake_urb **pp = &f->done;
    while (*pp)
        pp = &(*pp)->next;
    *pp = u;
}

static void complete_pending(usbfake *f, fake_urb *u, int status, int actual)
{
    for (fake_urb **pp = &f->pending; *pp; pp = &(*pp)->next)
        if (*pp == u) {
            *pp = u->next;
            break;
        }
    u->status = status;
    u->actual = actual;
    push_done(f, u);
}

static void free_urb(fake_urb *u)
{
    g_object_unref(u->client);
    free(u->reply);
    free(u);
}

/* Drops the URBs and claims of clients that have closed their file (the
 * kernel releases a closed file's interfaces). */
static void drop_stale(usbfake *f)
{
    for (int i = 0; i < 2; i++)
        if (f->owner[i] && !umockdev_ioctl_client_get_connected(f->owner[i])) {
            g_clear_object(&f->owner[i]);
            f->st.claimed &= ~(1u << i);
        }
    fake_urb **lists[2] = {&f->pending, &f->done};
    for (int i = 0; i < 2; i++)
        for (fake_urb **pp = lists[i]; *pp;) {
            fake_urb *u = *pp;
            if (!umockdev_ioctl_client_get_connected(u->client)) {
                *pp = u->next;
                free_urb(u);
            } else {
                pp = &u->next;
            }
        }
}

static void unplug_locked(usbfake *f)
{
    if (f->st.unplugged)
        return;
    f->st.unplugged = true;
    while (f->pending)
        complete_pending(f, f->pending, -ENODEV, 0);
}

static uint64_t next_rand(usbfake *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return f->rng;
}

/* usbfake_corrupt: flips one bit in some of the n bytes at p. */
static void corrupt(usbfake *f, uint8_t *p, size_t n)
{
    for (size_t i = 0; f->flip_threshold && i < n; i++)
        if (next_rand(f) < f->flip_threshold) {
            p[i] ^= (uint8_t)(1u << (next_rand(f) & 7));
            f->st.flips++;
        }
}

/* Pushes host bytes into the board's bridge, stepping until it took them. */
static int board_write(usbfake *f, const uint8_t *p, size_t len)
{
    uint64_t spent = 0;
    while (len > 0) {
        int n = axsim_write(f->board, p, len);
        if (n < 0)
            return n;
        p += n;
        len -= (size_t)n;
        if (len > 0) {
            if (spent >= WRITE_MAX_CYCLES)
                return AX_E_TIMEOUT;
            axsim_step(f->board, WRITE_STEP_CYCLES);
            spent += WRITE_STEP_CYCLES;
        }
    }
    return AX_OK;
}

/* ---- control transfers -------------------------------------------------------- */

/* Handles a control URB whose buffer (setup + data) is buf. Returns the
 * number of IN data bytes written after the setup packet, or -errno. */
static int control(usbfake *f, uint8_t *buf, int buflen)
{
    if (buflen < 8)
        return -EINVAL;
    unsigned rt = buf[0], req = buf[1], value = buf[2] | buf[3] << 8u;
    unsigned index = buf[4] | buf[5] << 8u, wlen = buf[6] | buf[7] << 8u;
    uint8_t *data = buf + 8;
    int cap = buflen - 8 < (int)wlen ? buflen - 8 : (int)wlen;
    (void)index;
    f->st.ctrl++;
    if (rt == 0x80 && req == 6) { /* GET_DESCRIPTOR */
        int k = get_descriptor(f, value, data, cap);
        return k < 0 ? -EPIPE : k;
    }
    if (rt == 0x80 && req == 0 && cap >= 2) { /* GET_STATUS */
        data[0] = 0, data[1] = 0;
        return 2;
    }
    if (!is_ftdi(f->kind)) {
        f->st.bad_requests++;
        return -EPIPE;
    }
    if (rt == 0x40) {
        switch (req) {
        case SIO_RESET:
            if (value == 0) {
                f->st.bitmode = 0;
            } else {
                f->st.purges++;
                if (value == 2) { /* libftdi's TCIFLUSH: the device-to-host FIFO */
                    uint8_t junk[4096];
                    while (axsim_read(f->board, junk, sizeof junk) > 0) {
                    }
                }
            }
            return 0;
        case SIO_SET_LATENCY:
            f->st.latency_ms = value & 0xFF;
            return 0;
        case SIO_SET_BITMODE:
            f->st.bitmode = value >> 8;
            return 0;
        case SIO_MODEM_CTRL:
        case SIO_FLOW_CTRL:
        case SIO_BAUDRATE:
        case SIO_DATA:
        case SIO_SET_EVENT_CHAR:
        case SIO_SET_ERROR_CHAR:
            return 0;
        default:
            break;
        }
    } else if (rt == 0xC0) {
        switch (req) {
        case SIO_GET_LATENCY:
            if (cap < 1)
                break;
            data[0] = (uint8_t)f->st.latency_ms;
            return 1;
        case SIO_POLL_MODEM:
            if (cap < 2)
                break;
            data[0] = FTDI_STATUS0, data[1] = FTDI_STATUS1;
            return 2;
        case SIO_READ_PINS:
            if (cap < 1)
                break;
            data[0] = 0xFF;
            return 1;
        case SIO_READ_EEPROM: /* a blank EEPROM */
            if (cap < 2)
                break;
            data[0] = 0xFF, data[1] = 0xFF;
            return 2;
        default:
            break;
        }
    }
    f->st.bad_requests++;
    return -EPIPE;
}

/* ---- bulk ------------------------------------------------------------------- */

/* FT601: a 20-byte read request on EP 0x01 (index, pipe, command, length). */
static void ft601_request(usbfake *f, const uint8_t *b, int n)
{
    f->st.read_requests++;
    uint32_t len =
        (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    if (n != 20 || b[4] != 0x82 || b[5] != 1 || len == 0)
        f->st.bad_requests++;
    else
        f->ft601_sessions++;
}

static void bulk_out(usbfake *f, fake_urb *u, const uint8_t *b)
{
    int n = u->length;
    if (f->kind == USBFAKE_FT601 && u->ep == 0x01 && f->stall_requests) {
        complete_pending(f, u, -EPIPE, 0);
        return;
    } else if (f->kind == USBFAKE_FT601 && u->ep == 0x01) {
        ft601_request(f, b, n);
    } else if (u->ep == 0x02) {
        if (is_ftdi(f->kind) && f->st.bitmode != 0x40) {
            f->st.wrong_mode += (uint64_t)n;
        } else if (f->frozen) {
            f->st.dropped += (uint64_t)n;
        } else {
            /* The wire's copy: the URB's buffer goes back to the host as it was. */
            uint8_t *w = malloc((size_t)n);
            memcpy(w, b, (size_t)n);
            corrupt(f, w, (size_t)n);
            int r = board_write(f, w, (size_t)n);
            free(w);
            if (r < 0) {
                complete_pending(f, u, -EPROTO, 0);
                return;
            }
            f->st.out_bytes += (uint64_t)n;
        }
    } else {
        complete_pending(f, u, -EPIPE, 0);
        return;
    }
    complete_pending(f, u, 0, n);
}

/* Tries to complete the first pending bulk IN URB from the board; steps the
 * board a little while nothing is readable. */
static void bulk_in(usbfake *f)
{
    fake_urb *u = f->pending;
    while (u && !(u->type == USBDEVFS_URB_TYPE_BULK && (u->ep & 0x80)))
        u = u->next;
    if (!u)
        return;
    if (f->unplug_after_in && f->st.in_bytes >= f->unplug_after_in) {
        unplug_locked(f);
        return;
    }
    bool ftdi = is_ftdi(f->kind);
    if ((ftdi && u->ep != 0x81) || (!ftdi && u->ep != 0x82))
        return; /* nothing ever arrives on the other pipes */
    if (!ftdi && f->ft601_sessions == 0)
        return; /* the FT601 sends only what a read request asked for */
    if (!ftdi && f->frozen)
        return;
    if (ftdi && (f->st.bitmode != 0x40 || f->frozen)) {
        if (mono_us() - u->t_submit_us >= (uint64_t)f->st.latency_ms * 1000u) {
            u->reply = malloc(2);
            u->reply[0] = FTDI_STATUS0, u->reply[1] = FTDI_STATUS1;
            u->nreply = 2;
            f->st.status_only++;
            f->st.in_urbs++;
            complete_pending(f, u, 0, 2);
        }
        return;
    }
    /* Run the board until the transfer is full or the board has gone quiet:
     * a USB transaction through umockdev costs milliseconds of wall time, so
     * each one should carry what the board has to say. */
    size_t cap = ftdi ? (size_t)(u->length / FTDI_PACKET) * (FTDI_PACKET - 2) +
                            (size_t)(u->length % FTDI_PACKET > 2 ? u->length % FTDI_PACKET - 2 : 0)
                      : (size_t)u->length;
    if (axsim_readable(f->board) == 0)
        axsim_step_until_readable(f->board, REAP_IDLE_CYCLES);
    for (uint64_t spent = 0, quiet = 0;
         axsim_readable(f->board) > 0 && axsim_readable(f->board) < cap &&
         quiet < REAP_QUIET_CYCLES && spent < REAP_BUDGET_CYCLES;
         spent += REAP_CHUNK_CYCLES) {
        size_t before = axsim_readable(f->board);
        axsim_step(f->board, REAP_CHUNK_CYCLES);
        quiet = axsim_readable(f->board) == before ? quiet + REAP_CHUNK_CYCLES : 0;
    }
    size_t avail = axsim_readable(f->board);
    if (avail == 0 && !(ftdi && mono_us() - u->t_submit_us >= (uint64_t)f->st.latency_ms * 1000u))
        return;
    uint8_t *out = malloc((size_t)u->length);
    int n = 0;
    if (ftdi) {
        /* Packets of 512 bytes, each 2 status bytes and up to 510 of data;
         * a short packet ends the transfer. */
        while (n + 2 <= u->length) {
            out[n] = FTDI_STATUS0, out[n + 1] = FTDI_STATUS1;
            int room = u->length - n - 2 < FTDI_PACKET - 2 ? u->length - n - 2 : FTDI_PACKET - 2;
            int k = axsim_read(f->board, out + n + 2, (size_t)room);
            corrupt(f, out + n + 2, k > 0 ? (size_t)k : 0);
            n += 2 + (k > 0 ? k : 0);
            f->st.in_bytes += (uint64_t)(k > 0 ? k : 0);
            if (k < FTDI_PACKET - 2)
                break;
        }
        if (n == 2)
            f->st.status_only++;
    } else {
        int k = axsim_read(f->board, out, (size_t)u->length);
        n = k > 0 ? k : 0;
        corrupt(f, out, (size_t)n);
        f->st.in_bytes += (uint64_t)n;
        f->ft601_sessions--;
    }
    u->reply = out;
    u->nreply = n;
    f->st.in_urbs++;
    complete_pending(f, u, 0, n);
}

/* ---- the ioctl handler --------------------------------------------------------- */

static void finish(UMockdevIoctlClient *c, long r, int err)
{
    umockdev_ioctl_client_complete(c, r, err);
}

static void submit(usbfake *f, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    g_autoptr(UMockdevIoctlData) ud =
        umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    if (!ud) {
        finish(c, -1, EFAULT);
        return;
    }
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
    if (f->st.unplugged) {
        finish(c, -1, ENODEV);
        return;
    }
    if (urb->type != USBDEVFS_URB_TYPE_BULK && urb->type != USBDEVFS_URB_TYPE_CONTROL) {
        finish(c, -1, EINVAL);
        return;
    }
    bool in = urb->type == USBDEVFS_URB_TYPE_BULK && (urb->endpoint & 0x80);
    if (!in && f->unplug_after && urb->type == USBDEVFS_URB_TYPE_BULK &&
        f->st.out_bytes + (uint64_t)urb->buffer_length > f->unplug_after) {
        unplug_locked(f);
        finish(c, -1, ENODEV);
        return;
    }
    fake_urb *u = calloc(1, sizeof *u);
    u->client = g_object_ref(c);
    u->addr = ud->client_addr;
    u->type = urb->type;
    u->ep = urb->endpoint;
    u->length = urb->buffer_length;
    u->t_submit_us = mono_us();
    fake_urb **pp = &f->pending;
    while (*pp)
        pp = &(*pp)->next;
    *pp = u;
    if (!in && u->length > 0) {
        g_autoptr(UMockdevIoctlData) buf = umockdev_ioctl_data_resolve(
            ud, offsetof(struct usbdevfs_urb, buffer), (gsize)u->length, NULL);
        if (!buf) {
            complete_pending(f, u, -EFAULT, 0);
        } else if (u->type == USBDEVFS_URB_TYPE_CONTROL) {
            int k = control(f, buf->data, u->length);
            if (k > 0) {
                u->reply = malloc((size_t)k);
                memcpy(u->reply, buf->data + 8, (size_t)k);
                u->nreply = k;
                u->reply_offset = 8;
            }
            complete_pending(f, u, k < 0 ? k : 0, k < 0 ? 0 : k);
        } else {
            bulk_out(f, u, buf->data);
        }
    } else if (!in) {
        complete_pending(f, u, 0, 0);
    }
    finish(c, 0, 0);
}

/* Hands back the first completed URB of this client: writes its address to
 * the caller's pointer and its status, length and IN bytes to its memory. */
static void reap(usbfake *f, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    fake_urb **pp = &f->done;
    while (*pp && (*pp)->client != c)
        pp = &(*pp)->next;
    if (!*pp && !f->st.unplugged) {
        bulk_in(f);
        pp = &f->done;
        while (*pp && (*pp)->client != c)
            pp = &(*pp)->next;
    }
    if (!*pp) {
        finish(c, -1, f->st.unplugged ? ENODEV : EAGAIN);
        return;
    }
    fake_urb *u = *pp;
    *pp = u->next;
    g_autoptr(UMockdevIoctlData) ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
    *(unsigned long *)ptr->data = u->addr;
    g_autoptr(UMockdevIoctlData) ud =
        umockdev_ioctl_data_resolve(ptr, 0, sizeof(struct usbdevfs_urb), NULL);
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
    urb->status = u->status;
    urb->actual_length = u->actual;
    if (u->nreply > 0) {
        g_autoptr(UMockdevIoctlData) buf = umockdev_ioctl_data_resolve(
            ud, offsetof(struct usbdevfs_urb, buffer), (gsize)u->length, NULL);
        if (buf)
            memcpy(buf->data + u->reply_offset, u->reply, (size_t)u->nreply);
    }
    free_urb(u);
    finish(c, 0, 0);
}

static void discard(usbfake *f, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    unsigned long addr = *(unsigned long *)arg->data;
    for (fake_urb *u = f->pending; u; u = u->next)
        if (u->client == c && u->addr == addr) {
            complete_pending(f, u, -ENOENT, 0);
            f->st.cancelled++;
            finish(c, 0, 0);
            return;
        }
    finish(c, -1, f->st.unplugged ? ENODEV : EINVAL);
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data)
{
    (void)h;
    usbfake *f = data;
    unsigned long req = umockdev_ioctl_client_get_request(c);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
    pthread_mutex_lock(&f->lock);
    uint64_t t0 = mono_us();
    if (req == (unsigned long)USBDEVFS_SUBMITURB) {
        f->st.submits++;
        submit(f, c, arg);
    } else if (req == (unsigned long)USBDEVFS_REAPURBNDELAY ||
               req == (unsigned long)USBDEVFS_REAPURB) {
        f->st.reaps++;
        reap(f, c, arg);
    } else if (req == (unsigned long)USBDEVFS_DISCARDURB) {
        discard(f, c, arg);
    } else if (f->st.unplugged) {
        finish(c, -1, ENODEV);
    } else if (req == (unsigned long)USBDEVFS_GET_CAPABILITIES) {
        g_autoptr(UMockdevIoctlData) d =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), NULL);
        *(uint32_t *)d->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
                               USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                               USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        finish(c, 0, 0);
    } else if (req == (unsigned long)USBDEVFS_CLAIMINTERFACE ||
               req == (unsigned long)USBDEVFS_RELEASEINTERFACE) {
        g_autoptr(UMockdevIoctlData) d =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned), NULL);
        unsigned itf = *(unsigned *)d->data;
        bool claim = req == (unsigned long)USBDEVFS_CLAIMINTERFACE;
        drop_stale(f);
        if (itf > (f->kind == USBFAKE_FT232H ? 0u : 1u)) {
            finish(c, -1, EINVAL);
        } else if (claim && f->owner[itf] && f->owner[itf] != c) {
            f->st.busy++;
            finish(c, -1, EBUSY); /* another file has it */
        } else if (!claim && f->owner[itf] != c) {
            finish(c, -1, EINVAL);
        } else {
            if (claim && !f->owner[itf])
                f->owner[itf] = g_object_ref(c);
            else if (!claim)
                g_clear_object(&f->owner[itf]);
            f->st.claimed = (f->owner[0] ? 1u : 0u) | (f->owner[1] ? 2u : 0u);
            finish(c, 0, 0);
        }
    } else if (req == (unsigned long)USBDEVFS_GETDRIVER || req == (unsigned long)USBDEVFS_IOCTL) {
        finish(c, -1, ENODATA); /* no kernel driver bound */
    } else if (req == (unsigned long)USBDEVFS_CLEAR_HALT ||
               req == (unsigned long)USBDEVFS_RESETEP || req == (unsigned long)USBDEVFS_RESET ||
               req == (unsigned long)USBDEVFS_SETINTERFACE) {
        finish(c, 0, 0);
    } else {
        f->st.unknown_ioctls++;
        finish(c, -1, ENOTTY);
    }
    f->st.handler_us += mono_us() - t0;
    pthread_mutex_unlock(&f->lock);
    return TRUE;
}

static void on_connect(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data)
{
    (void)h;
    (void)c;
    usbfake *f = data;
    pthread_mutex_lock(&f->lock);
    drop_stale(f);
    pthread_mutex_unlock(&f->lock);
}

/* ---- testbed ------------------------------------------------------------------ */

static void hex(GString *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", p[i]);
}

int usbfake_start(usbfake_kind kind, const axsim_options *opt, const char *serial, usbfake **out)
{
    *out = NULL;
    const char *pre = getenv("LD_PRELOAD");
    if (!pre || !strstr(pre, "libumockdev-preload"))
        return AX_E_UNSUPPORTED;
    usbfake *f = calloc(1, sizeof *f);
    if (!f)
        return AX_E_NOMEM;
    f->kind = kind;
    f->st.latency_ms = FTDI_LATENCY_DFLT;
    snprintf(f->serial, sizeof f->serial, "%s", serial);
    pthread_mutex_init(&f->lock, NULL);
    int r = axsim_create(opt, &f->board);
    if (r < 0) {
        free(f);
        return r;
    }
    f->bed = umockdev_testbed_new();
    f->handler = umockdev_ioctl_base_new();
    g_signal_connect(f->handler, "handle-ioctl", G_CALLBACK(on_ioctl), f);
    g_signal_connect(f->handler, "client-connected", G_CALLBACK(on_connect), f);
    if (!umockdev_testbed_attach_ioctl(f->bed, DEVNODE, f->handler, NULL)) {
        usbfake_stop(f);
        return AX_E_IO;
    }
    uint8_t d[18], cfg[128];
    size_t nd = device_desc(kind, d), nc = config_desc(kind, cfg);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s,
                           "P: " SYSPATH "\nN: bus/usb/001/001\nE: SUBSYSTEM=usb\n"
                           "E: DEVTYPE=usb_device\nE: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=001\n"
                           "E: DEVNAME=" DEVNODE "\nE: PRODUCT=403/%x/%x\n"
                           "A: idVendor=0403\\n\nA: idProduct=%04x\\n\nA: bcdDevice=%04x\\n\n"
                           "A: busnum=1\\n\nA: devnum=1\\n\nA: bConfigurationValue=1\\n\n"
                           "A: bNumConfigurations=1\\n\nA: speed=%s\\n\nA: serial=%s\\n\n"
                           "A: manufacturer=FTDI\\n\nH: descriptors=",
                           pid_of(kind), bcd_of(kind), pid_of(kind), bcd_of(kind),
                           kind == USBFAKE_FT601 ? "5000" : "480", f->serial);
    hex(s, d, nd);
    hex(s, cfg, nc);
    g_string_append(s, "\n");
    GError *err = NULL;
    gboolean ok = umockdev_testbed_add_from_string(f->bed, s->str, &err);
    g_string_free(s, TRUE);
    if (!ok) {
        fprintf(stderr, "usbfake: %s\n", err ? err->message : "add_from_string failed");
        g_clear_error(&err);
        usbfake_stop(f);
        return AX_E_IO;
    }
    *out = f;
    return AX_OK;
}

void usbfake_unplug_after(usbfake *f, uint64_t out_bytes)
{
    pthread_mutex_lock(&f->lock);
    if (out_bytes == 0 || f->st.out_bytes >= out_bytes)
        unplug_locked(f);
    else
        f->unplug_after = out_bytes;
    bool gone = f->st.unplugged;
    pthread_mutex_unlock(&f->lock);
    if (gone)
        umockdev_testbed_remove_device(f->bed, "/sys" SYSPATH);
}

void usbfake_corrupt(usbfake *f, uint64_t seed, double p)
{
    pthread_mutex_lock(&f->lock);
    f->rng = seed ? seed : 1;
    f->flip_threshold = p <= 0 ? 0 : p >= 1 ? UINT64_MAX : (uint64_t)(p * 18446744073709551616.0);
    pthread_mutex_unlock(&f->lock);
}

void usbfake_stall_requests(usbfake *f, bool on)
{
    pthread_mutex_lock(&f->lock);
    f->stall_requests = on;
    pthread_mutex_unlock(&f->lock);
}

void usbfake_freeze(usbfake *f, bool frozen)
{
    pthread_mutex_lock(&f->lock);
    f->frozen = frozen;
    pthread_mutex_unlock(&f->lock);
}

void usbfake_unplug_after_in(usbfake *f, uint64_t in_bytes)
{
    pthread_mutex_lock(&f->lock);
    f->unplug_after_in = in_bytes;
    pthread_mutex_unlock(&f->lock);
}

void usbfake_get_stats(usbfake *f, usbfake_stats *s)
{
    pthread_mutex_lock(&f->lock);
    f->st.in_flight = 0; /* every client's, closed ones included */
    for (fake_urb *u = f->pending; u; u = u->next)
        f->st.in_flight++;
    for (fake_urb *u = f->done; u; u = u->next)
        f->st.in_flight++;
    *s = f->st;
    pthread_mutex_unlock(&f->lock);
}

uint64_t usbfake_board_cycles(usbfake *f)
{
    pthread_mutex_lock(&f->lock);
    uint64_t c = axsim_cycles(f->board);
    pthread_mutex_unlock(&f->lock);
    return c;
}

void usbfake_stop(usbfake *f)
{
    if (!f)
        return;
    if (f->bed) {
        umockdev_testbed_detach_ioctl(f->bed, DEVNODE, NULL);
        g_object_unref(f->bed);
    }
    if (f->handler)
        g_object_unref(f->handler);
    for (int i = 0; i < 2; i++)
        g_clear_object(&f->owner[i]);
    fake_urb *lists[2] = {f->pending, f->done};
    for (int i = 0; i < 2; i++)
        while (lists[i]) {
            fake_urb *u = lists[i];
            lists[i] = u->next;
            free_urb(u);
        }
    axsim_destroy(f->board);
    pthread_mutex_destroy(&f->lock);
    free(f);
}
