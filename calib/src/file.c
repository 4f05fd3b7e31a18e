/* The results file and the per-die cache (docs/calibration.md, "Formats").
 *
 * File (little-endian):
 *   "AXCALIB\0" u32 version u32 neurons u64 die_seed u32 chip_id
 *   u32 model_version u8 targets_sha256[32] f64 seconds u64 cycles
 *   per neuron: u16 codes[9] u32 flags f64 before[9] f64 after[9]
 *   per parameter: f64 target mean_before std_before mean_after std_after
 *   u8 sha256[32] of everything before it.
 * The calibration id is the first 16 hex digits of that SHA-256. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "axon/outfile.h"
#include "axon/sha256.h"
#include "cal.h"

static const char MAGIC[8] = {'A', 'X', 'C', 'A', 'L', 'I', 'B', 0};

struct wbuf {
    uint8_t *p;
    size_t n, cap;
    bool failed;
};

static void put_bytes(struct wbuf *b, const void *src, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->failed = true;
            return;
        }
        b->p = q, b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void put_u(struct wbuf *b, uint64_t v, unsigned bytes)
{
    uint8_t x[8];
    for (unsigned i = 0; i < bytes; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    put_bytes(b, x, bytes);
}

static void put_f64(struct wbuf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u(b, u, 8);
}

static void id_of(const uint8_t sum[32], char id[17])
{
    for (int i = 0; i < 8; i++)
        snprintf(id + 2 * i, 3, "%02x", sum[i]);
}

int ax_calib_save(const char *path, struct ax_calib_result *r)
{
    struct wbuf b = {0};
    put_bytes(&b, MAGIC, 8);
    put_u(&b, AX_CALIB_FILE_VERSION, 4);
    put_u(&b, r->neurons, 4);
    put_u(&b, r->die_seed, 8);
    put_u(&b, r->chip_id, 4);
    put_u(&b, r->model_version, 4);
    put_bytes(&b, r->targets_sha256, 32);
    put_f64(&b, r->seconds);
    put_u(&b, r->cycles, 8);
    for (unsigned n = 0; n < r->neurons; n++) {
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            put_u(&b, r->codes[n * AX_PARAM_COUNT + p], 2);
        put_u(&b, r->flags[n], 4);
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            put_f64(&b, r->before[n * AX_PARAM_COUNT + p]);
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            put_f64(&b, r->after[n * AX_PARAM_COUNT + p]);
    }
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        const struct ax_calib_stat *s = &r->stat[p];
        put_f64(&b, s->target);
        put_f64(&b, s->mean_before);
        put_f64(&b, s->std_before);
        put_f64(&b, s->mean_after);
        put_f64(&b, s->std_after);
    }
    uint8_t sum[32];
    if (!b.failed)
        ax_sha256(b.p, b.n, sum);
    put_bytes(&b, sum, 32);
    if (b.failed) {
        free(b.p);
        return ax_fail(AX_E_NOMEM, "%s: out of memory", path);
    }
    ax_outfile *o;
    int rc = ax_outfile_open(&o, path);
    if (!rc && fwrite(b.p, 1, b.n, ax_outfile_stream(o)) != b.n) {
        ax_outfile_abort(o);
        rc = ax_fail(AX_E_IO, "cannot write to %s", path);
    } else if (!rc) {
        rc = ax_outfile_commit(o);
    }
    if (rc)
        ax_fail(rc, "cannot write calibration: %s", ax_error_detail());
    else
        id_of(sum, r->id);
    free(b.p);
    return rc;
}

struct rbuf {
    const uint8_t *p;
    size_t n, off;
};

static uint64_t get_u(struct rbuf *r, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->off + i] << (8 * i);
    r->off += bytes;
    return v;
}

static double get_f64(struct rbuf *r)
{
    uint64_t u = get_u(r, 8);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

static int read_all(const char *path, uint8_t **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ax_fail(errno == ENOENT ? AX_E_NOTFOUND : AX_E_IO, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, k = 0;
    uint8_t *p = malloc(cap);
    for (;;) {
        if (!p) {
            fclose(f);
            return ax_fail(AX_E_NOMEM, "%s: out of memory", path);
        }
        k += fread(p + k, 1, cap - k, f);
        if (k < cap)
            break;
        uint8_t *q = cap < (64u << 20) ? realloc(p, cap * 2) : NULL;
        if (!q) {
            free(p);
            fclose(f);
            return ax_fail(AX_E_FORMAT, "%s: too large for a calibration file", path);
        }
        p = q, cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(p);
        return ax_fail(AX_E_IO, "%s: read error", path);
    }
    *data = p, *n = k;
    return AX_OK;
}

int ax_calib_load(const char *path, struct ax_calib_result *res)
{
    memset(res, 0, sizeof *res);
    uint8_t *data = NULL;
    size_t n = 0;
    int rc = read_all(path, &data, &n);
    if (rc < 0)
        return rc;
    struct rbuf r = {data, n, 0};
    const size_t head = 8 + 4 + 4 + 8 + 4 + 4 + 32 + 8 + 8;
    const size_t per = AX_PARAM_COUNT * 2 + 4 + 2 * AX_PARAM_COUNT * 8;
    const size_t tail = AX_PARAM_COUNT * 5 * 8 + 32;
    if (n < head + tail) {
        rc = ax_fail(AX_E_TRUNC, "%s: truncated calibration file (%zu bytes)", path, n);
        goto out;
    }
    if (memcmp(data, MAGIC, 8)) {
        rc = ax_fail(AX_E_FORMAT, "%s: not a calibration file", path);
        goto out;
    }
    r.off = 8;
    uint32_t version = (uint32_t)get_u(&r, 4), neurons = (uint32_t)get_u(&r, 4);
    if (version != AX_CALIB_FILE_VERSION) {
        rc = ax_fail(AX_E_VERSION, "%s: calibration file version %u, expected %d", path, version,
                     AX_CALIB_FILE_VERSION);
        goto out;
    }
    if (neurons == 0 || neurons > CAL_NMAX || n != head + (size_t)neurons * per + tail) {
        rc = ax_fail(n < head + (size_t)neurons * per + tail ? AX_E_TRUNC : AX_E_FORMAT,
                     "%s: %zu bytes for %u neurons", path, n, neurons);
        goto out;
    }
    uint8_t sum[32];
    ax_sha256(data, n - 32, sum);
    if (memcmp(sum, data + n - 32, 32)) {
        rc = ax_fail(AX_E_CRC, "%s: SHA-256 mismatch (damaged calibration file)", path);
        goto out;
    }
    res->neurons = neurons;
    res->codes = calloc((size_t)neurons * AX_PARAM_COUNT, sizeof *res->codes);
    res->flags = calloc(neurons, sizeof *res->flags);
    res->before = calloc((size_t)neurons * AX_PARAM_COUNT, sizeof *res->before);
    res->after = calloc((size_t)neurons * AX_PARAM_COUNT, sizeof *res->after);
    if (!res->codes || !res->flags || !res->before || !res->after) {
        rc = ax_fail(AX_E_NOMEM, "%s: out of memory", path);
        goto out;
    }
    res->die_seed = get_u(&r, 8);
    res->chip_id = (uint32_t)get_u(&r, 4);
    res->model_version = (uint32_t)get_u(&r, 4);
    memcpy(res->targets_sha256, data + r.off, 32);
    r.off += 32;
    res->seconds = get_f64(&r);
    res->cycles = get_u(&r, 8);
    for (unsigned i = 0; i < neurons; i++) {
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            uint16_t c = (uint16_t)get_u(&r, 2);
            if (c > AX_CAPMEM_MAX) {
                rc = ax_fail(AX_E_FORMAT, "%s: neuron %u: code %u out of range", path, i, c);
                goto out;
            }
            res->codes[i * AX_PARAM_COUNT + p] = c;
        }
        res->flags[i] = (uint32_t)get_u(&r, 4);
        res->flagged += res->flags[i] != 0;
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            res->before[i * AX_PARAM_COUNT + p] = get_f64(&r);
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            res->after[i * AX_PARAM_COUNT + p] = get_f64(&r);
    }
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        struct ax_calib_stat *s = &res->stat[p];
        s->target = get_f64(&r);
        s->mean_before = get_f64(&r);
        s->std_before = get_f64(&r);
        s->mean_after = get_f64(&r);
        s->std_after = get_f64(&r);
    }
    id_of(sum, res->id);
out:
    free(data);
    if (rc < 0)
        ax_calib_result_free(res);
    return rc;
}

int ax_calib_cache_dir(char *buf, size_t n)
{
    const char *e = getenv("AXON_CALIB_DIR");
    int k;
    if (e && *e)
        k = snprintf(buf, n, "%s", e);
    else if ((e = getenv("XDG_CACHE_HOME")) && *e)
        k = snprintf(buf, n, "%s/axon/calib", e);
    else if ((e = getenv("HOME")) && *e)
        k = snprintf(buf, n, "%s/.cache/axon/calib", e);
    else
        return ax_fail(AX_E_NOTFOUND,
                       "no calibration cache folder: set AXON_CALIB_DIR, XDG_CACHE_HOME or HOME");
    if (k < 0 || (size_t)k >= n)
        return ax_fail(AX_E_RANGE, "calibration cache folder name too long");
    return AX_OK;
}

int ax_calib_cache_path(const ax_ident *id, const struct ax_calib_targets *t, char *buf, size_t n)
{
    char dir[4096], th[65];
    int rc = ax_calib_cache_dir(dir, sizeof dir);
    if (rc < 0)
        return rc;
    for (int i = 0; i < 8; i++)
        snprintf(th + 2 * i, 3, "%02x", t->sha256[i]);
    int k = snprintf(buf, n, "%s/die-%016llx-chip%u-model%u-n%u-t%s.axcal", dir,
                     (unsigned long long)id->die_seed, id->chip_id, id->model_version,
                     2u * id->neurons_per_hemi, th);
    if (k < 0 || (size_t)k >= n)
        return ax_fail(AX_E_RANGE, "calibration cache path too long");
    return AX_OK;
}

/* mkdir -p of the cache folder. */
static int make_dirs(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1;; s++) {
        bool end = *s == 0;
        if (*s == '/' || end) {
            *s = 0;
            if (mkdir(p, 0777) < 0 && errno != EEXIST)
                return ax_fail(AX_E_IO, "cannot create %s: %s", p, strerror(errno));
            if (end)
                break;
            *s = '/';
        }
    }
    return AX_OK;
}

int ax_calib_matches(ax_device *d, const struct ax_calib_targets *t,
                     const struct ax_calib_result *r)
{
    const ax_ident *id = ax_device_ident(d);
    if (r->die_seed != id->die_seed || r->chip_id != id->chip_id ||
        r->model_version != id->model_version || r->neurons != 2u * id->neurons_per_hemi)
        return ax_fail(AX_E_STATE,
                       "calibration %s is for die %#llx chip %u model %u (%u neurons), not this "
                       "board (die %#llx chip %u model %u, %u neurons)",
                       r->id, (unsigned long long)r->die_seed, r->chip_id, r->model_version,
                       r->neurons, (unsigned long long)id->die_seed, id->chip_id, id->model_version,
                       2u * id->neurons_per_hemi);
    if (t && memcmp(t->sha256, r->targets_sha256, 32))
        return ax_fail(AX_E_STATE, "calibration %s was made for other targets", r->id);
    return AX_OK;
}

int ax_calib_cache_save(ax_device *d, const struct ax_calib_targets *t, struct ax_calib_result *r)
{
    char path[4352], dir[4096];
    int rc = ax_calib_cache_path(ax_device_ident(d), t, path, sizeof path);
    if (rc == AX_OK)
        rc = ax_calib_cache_dir(dir, sizeof dir);
    if (rc == AX_OK)
        rc = make_dirs(dir);
    return rc < 0 ? rc : ax_calib_save(path, r);
}

int ax_calib_get(ax_device *d, const struct ax_calib_targets *t, ax_calib_progress_fn progress,
                 void *ctx, struct ax_calib_result *r, enum ax_calib_source *source)
{
    char path[4352];
    int rc = ax_calib_cache_path(ax_device_ident(d), t, path, sizeof path);
    if (rc < 0)
        return rc;
    *source = AX_CALIB_MEASURED;
    rc = ax_calib_load(path, r);
    if (rc == AX_OK) {
        if (ax_calib_matches(d, t, r) == AX_OK && ax_calib_apply(d, r) == AX_OK) {
            *source = AX_CALIB_CACHED;
            return AX_OK;
        }
        ax_calib_result_free(r);
    }
    if (rc != AX_E_NOTFOUND)
        *source = AX_CALIB_RECOMPUTED; /* stale, foreign or damaged: never applied */
    if ((rc = ax_calib_run(d, t, progress, ctx, r)) < 0)
        return rc;
    if ((rc = ax_calib_cache_save(d, t, r)) < 0)
        ax_calib_result_free(r);
    return rc;
}
