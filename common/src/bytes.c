/* Little-endian byte buffers and a bounded whole-file read (axon/bytes.h). */
#include "axon/bytes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/le.h"
#include "axon/status.h"

void ax_wbuf_put(struct ax_wbuf *b, const void *src, size_t n)
{
    if (b->failed)
        return;
    if (n > b->cap - b->n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->n < n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

void ax_wbuf_u16(struct ax_wbuf *b, uint16_t v)
{
    uint8_t x[2];
    ax_put_le16(x, v);
    ax_wbuf_put(b, x, 2);
}

void ax_wbuf_u32(struct ax_wbuf *b, uint32_t v)
{
    uint8_t x[4];
    ax_put_le32(x, v);
    ax_wbuf_put(b, x, 4);
}

void ax_wbuf_u64(struct ax_wbuf *b, uint64_t v)
{
    uint8_t x[8];
    ax_put_le64(x, v);
    ax_wbuf_put(b, x, 8);
}

void ax_wbuf_f64s(struct ax_wbuf *b, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &v[i], 8);
        ax_wbuf_u64(b, u);
    }
}

void ax_wbuf_free(struct ax_wbuf *b)
{
    free(b->p);
    *b = (struct ax_wbuf){0};
}

int ax_rbuf_get(struct ax_rbuf *r, void *dst, size_t n)
{
    if (r->n - r->off < n)
        return AX_E_TRUNC;
    memcpy(dst, r->p + r->off, n);
    r->off += n;
    return AX_OK;
}

int ax_rbuf_u16(struct ax_rbuf *r, uint16_t *v)
{
    uint8_t x[2];
    int rc = ax_rbuf_get(r, x, 2);
    if (rc == AX_OK)
        *v = ax_get_le16(x);
    return rc;
}

int ax_rbuf_u32(struct ax_rbuf *r, uint32_t *v)
{
    uint8_t x[4];
    int rc = ax_rbuf_get(r, x, 4);
    if (rc == AX_OK)
        *v = ax_get_le32(x);
    return rc;
}

int ax_rbuf_u64(struct ax_rbuf *r, uint64_t *v)
{
    uint8_t x[8];
    int rc = ax_rbuf_get(r, x, 8);
    if (rc == AX_OK)
        *v = ax_get_le64(x);
    return rc;
}

int ax_rbuf_f64s(struct ax_rbuf *r, double *v, size_t n)
{
    if ((r->n - r->off) / 8 < n)
        return AX_E_TRUNC;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = ax_get_le64(r->p + r->off);
        memcpy(&v[i], &u, 8);
        r->off += 8;
    }
    return AX_OK;
}

int ax_read_file(const char *path, size_t max, uint8_t **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? AX_E_NOTFOUND : AX_E_IO;
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf && len <= max) {
        if (len == cap) {
            uint8_t *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int rc = !buf ? AX_E_NOMEM : ferror(f) ? AX_E_IO : len > max ? AX_E_RANGE : AX_OK;
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *n = len;
    return AX_OK;
}
