/* PNG writer: 8-bit RGB, one IDAT chunk, compressed with zlib, written
 * through ax_outfile (never a half-written image). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "axon/le.h"
#include "axon/outfile.h"
#include "axon/plot.h"
#include "axon/status.h"

static int write_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t n)
{
    uint8_t hdr[8];
    ax_put_be32(hdr, n);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (n)
        crc = crc32(crc, data, n);
    uint8_t c[4];
    ax_put_be32(c, (uint32_t)crc);
    return fwrite(hdr, 1, 8, f) == 8 && (n == 0 || fwrite(data, 1, n, f) == n) &&
                   fwrite(c, 1, 4, f) == 4
               ? 0
               : AX_E_IO;
}

static int write_png_file(const char *path, const uint8_t *z, uLongf z_n, int width, int height)
{
    ax_outfile *o;
    int rc = ax_outfile_open(&o, path);
    if (rc)
        return rc;
    FILE *f = ax_outfile_stream(o);
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13];
    ax_put_be32(ihdr, (uint32_t)width);
    ax_put_be32(ihdr + 4, (uint32_t)height);
    ihdr[8] = 8; /* bit depth */
    ihdr[9] = 2; /* RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    if (fwrite(sig, 1, 8, f) != 8 || write_chunk(f, "IHDR", ihdr, 13) ||
        write_chunk(f, "IDAT", z, (uint32_t)z_n) || write_chunk(f, "IEND", NULL, 0)) {
        ax_outfile_abort(o);
        return ax_fail(AX_E_IO, "cannot write to %s", path);
    }
    return ax_outfile_commit(o);
}

int ax_png_write_rgb(const char *path, const uint8_t *rgb, int width, int height)
{
    if (width <= 0 || height <= 0)
        return AX_E_INVAL;
    size_t row = (size_t)width * 3 + 1, raw_n = row * (size_t)height;
    uint8_t *raw = malloc(raw_n);
    uLongf z_n = compressBound((uLong)raw_n);
    uint8_t *z = malloc(z_n);
    int rc = raw && z ? 0 : AX_E_NOMEM;
    for (int y = 0; y < height && !rc; y++) {
        raw[y * row] = 0; /* filter: none */
        memcpy(raw + y * row + 1, rgb + (size_t)y * width * 3, (size_t)width * 3);
    }
    if (!rc && compress2(z, &z_n, raw, (uLong)raw_n, 6) != Z_OK)
        rc = AX_E_NOMEM;
    if (!rc)
        rc = write_png_file(path, z, z_n, width, height);
    free(raw);
    free(z);
    return rc;
}
