/* axon/bytes.h: what the write buffer puts reads back field by field, little
 * endian; a read past the end is AX_E_TRUNC and moves nothing; a whole-file
 * read stops at its limit (also on an endless source). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/bytes.h"
#include "axon/status.h"

static int fails;
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                           \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

static void test_round_trip(void)
{
    struct ax_wbuf b = {0};
    const double d[2] = {-1.5, 1e300};
    ax_wbuf_put(&b, "AX", 2);
    ax_wbuf_u16(&b, 0xBEEF);
    ax_wbuf_u32(&b, 0x01020304u);
    ax_wbuf_u64(&b, 0x1122334455667788ull);
    ax_wbuf_f64s(&b, d, 2);
    for (int i = 0; i < 1000; i++) /* grows past the first 4096 bytes */
        ax_wbuf_u64(&b, (uint64_t)i);
    CHECK(!b.failed && b.n == 2 + 2 + 4 + 8 + 16 + 8000);
    CHECK(b.p[2] == 0xEF && b.p[3] == 0xBE && b.p[4] == 0x04 && b.p[7] == 0x01 && b.p[8] == 0x88);

    struct ax_rbuf r = {b.p, b.n, 0};
    char m[2];
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    double e[2] = {0, 0};
    CHECK(ax_rbuf_get(&r, m, 2) == AX_OK && m[0] == 'A' && m[1] == 'X');
    CHECK(ax_rbuf_u16(&r, &u16) == AX_OK && u16 == 0xBEEF);
    CHECK(ax_rbuf_u32(&r, &u32) == AX_OK && u32 == 0x01020304u);
    CHECK(ax_rbuf_u64(&r, &u64) == AX_OK && u64 == 0x1122334455667788ull);
    CHECK(ax_rbuf_f64s(&r, e, 2) == AX_OK && e[0] == -1.5 && e[1] == 1e300);
    for (int i = 0; i < 1000; i++)
        CHECK(ax_rbuf_u64(&r, &u64) == AX_OK && u64 == (uint64_t)i);
    CHECK(r.off == r.n);

    /* 3 bytes left: every read that needs more fails and moves nothing */
    r.off = r.n - 3;
    u32 = 7;
    CHECK(ax_rbuf_u32(&r, &u32) == AX_E_TRUNC && u32 == 7 && r.off == r.n - 3);
    CHECK(ax_rbuf_u64(&r, &u64) == AX_E_TRUNC && r.off == r.n - 3);
    CHECK(ax_rbuf_f64s(&r, e, 1) == AX_E_TRUNC && r.off == r.n - 3);
    CHECK(ax_rbuf_u16(&r, &u16) == AX_OK && r.off == r.n - 1);
    ax_wbuf_free(&b);
    CHECK(b.p == NULL && b.n == 0 && !b.failed);
}

static void test_read_file(void)
{
    char path[] = "/tmp/axon-test-bytes-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    for (int i = 0; i < 100000; i++)
        fputc(i & 0xFF, f);
    fclose(f);
    uint8_t *data = NULL;
    size_t n = 0;
    CHECK(ax_read_file(path, 100000, &data, &n) == AX_OK && n == 100000 && data[99999] == 0x9F);
    free(data);
    data = NULL;
    CHECK(ax_read_file(path, 99999, &data, &n) == AX_E_RANGE && data == NULL);
    CHECK(ax_read_file("/dev/zero", 1 << 20, &data, &n) == AX_E_RANGE && data == NULL);
    remove(path);
    CHECK(ax_read_file(path, 100, &data, &n) == AX_E_NOTFOUND);
}

int main(void)
{
    test_round_trip();
    test_read_file();
    if (fails)
        printf("%d check(s) failed\n", fails);
    else
        printf("test_bytes: ok\n");
    return fails != 0;
}
