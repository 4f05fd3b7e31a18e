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

#include "axon/bytes.h"
#include "axon/outfile.h"
#include "axon/sha256.h"
#include "cal.h"

static const char MAGIC[8] = {'A', 'X', 'C', 'A', 'L', 'I', 'B', 0};

static void id_of(const uint8_t sum[32], char id[17])
{
    for (int i = 0; i < 8; i++)
        snprintf(id + 2 * i, 3, "%02x", sum[i]);
}

int ax_calib_save(const char *path, struct ax_calib_result *r)
{
    struct ax_wbuf b = {0};
    ax_wbuf_put(&b, MAGIC, 8);
    ax_wbuf_u32(&b, AX_CALIB_FILE_VERSION);
    ax_wbuf_u32(&b, r->neurons);
    ax_wbuf_u64(&b, r->die_seed);
    ax_wbuf_u32(&b, r->chip_id);
    ax_wbuf_u32(&b, r->model_version);
    ax_wbuf_put(&b, r->targets_sha256, 32);
    ax_wbuf_f64s(&b, &r->seconds, 1);
    ax_wbuf_u64(&b, r->cycles);
    for (unsigned n = 0; n < r->neurons; n++) {
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++)
            ax_wbuf_u16(&b, r->codes[n * AX_PARAM_COUNT + p]);
        ax_wbuf_u32(&b, r->flags[n]);
        ax_wbuf_f64s(&b, &r->before[n * AX_PARAM_COUNT], AX_PARAM_COUNT);
        ax_wbuf_f64s(&b, &r->after[n * AX_PARAM_COUNT], AX_PARAM_COUNT);
    }
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        const struct ax_calib_stat *s = &r->stat[p];
        const double v[5] = {s->target, s->mean_before, s->std_before, s->mean_after, s->std_after};
        ax_wbuf_f64s(&b, v, 5);
    }
    uint8_t sum[32];
    if (!b.failed)
        ax_sha256(b.p, b.n, sum);
    ax_wbuf_put(&b, sum, 32);
    if (b.failed) {
        ax_wbuf_free(&b);
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
    ax_wbuf_free(&b);
    return rc;
}

/* The calibration file's size limit: the full chip's file is about 0.2 MiB. */
#define CAL_FILE_MAX (64u << 20)

int ax_calib_load(const char *path, struct ax_calib_result *res)
{
    memset(res, 0, sizeof *res);
    uint8_t *data = NULL;
    size_t n = 0;
    int rc = ax_read_file(path, CAL_FILE_MAX, &data, &n);
    if (rc == AX_E_RANGE)
        return ax_fail(AX_E_FORMAT, "%s: too large for a calibration file", path);
    if (rc < 0)
        return ax_fail(rc, "%s: %s", path, rc == AX_E_NOMEM ? "out of memory" : strerror(errno));
    struct ax_rbuf r = {data, n, 0};
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
    /* the sizes are checked before the fields are read: no get can fail */
    uint32_t version = 0, neurons = 0;
    ax_rbuf_u32(&r, &version);
    ax_rbuf_u32(&r, &neurons);
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
    ax_rbuf_u64(&r, &res->die_seed);
    ax_rbuf_u32(&r, &res->chip_id);
    ax_rbuf_u32(&r, &res->model_version);
    ax_rbuf_get(&r, res->targets_sha256, 32);
    ax_rbuf_f64s(&r, &res->seconds, 1);
    ax_rbuf_u64(&r, &res->cycles);
    for (unsigned i = 0; i < neurons; i++) {
        for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
            uint16_t c = 0;
            ax_rbuf_u16(&r, &c);
            if (c > AX_CAPMEM_MAX) {
                rc = ax_fail(AX_E_FORMAT, "%s: neuron %u: code %u out of range", path, i, c);
                goto out;
            }
            res->codes[i * AX_PARAM_COUNT + p] = c;
        }
        ax_rbuf_u32(&r, &res->flags[i]);
        res->flagged += res->flags[i] != 0;
        ax_rbuf_f64s(&r, &res->before[i * AX_PARAM_COUNT], AX_PARAM_COUNT);
        ax_rbuf_f64s(&r, &res->after[i * AX_PARAM_COUNT], AX_PARAM_COUNT);
    }
    for (unsigned p = 0; p < AX_PARAM_COUNT; p++) {
        struct ax_calib_stat *s = &res->stat[p];
        double v[5] = {0};
        ax_rbuf_f64s(&r, v, 5);
        s->target = v[0], s->mean_before = v[1], s->std_before = v[2];
        s->mean_after = v[3], s->std_after = v[4];
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
