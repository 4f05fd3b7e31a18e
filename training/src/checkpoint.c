/* Checkpoints: everything needed to resume a run bit-exactly, little-endian,
 * closed by a SHA-256 of all preceding bytes. Layout (docs/training.md):
 *   "AXTTFSCK" u32 version u32 0 u64 config_hash u64 seed u32 epoch u32 n_layers
 *   u32 sizes[n_layers + 1]
 *   (version 3:) u32 on_chip u64 die_seed u8 calibration_id[16] i32 model_version
 *   i32 protocol_major i32 protocol_minor u64 mapping_id
 *   u64 adam_step f64 bump i32 bump_layer u64 rng[4]
 *   u64 n_params f64 params[n] f64 m[n] f64 v[n] f64 history[3][epoch]
 *   u32 best_epoch f64 best_params[n] u8 sha256[32] */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/bytes.h"
#include "axon/outfile.h"
#include "axon/sha256.h"
#include "axon/status.h"
#include "axon/ttfs_train.h"

static const char MAGIC[8] = {'A', 'X', 'T', 'T', 'F', 'S', 'C', 'K'};

/* Where the forward pass ran: the die, calibration, versions and mapping of
 * a board (on_chip 0 and zeros for the software backend). */
static void put_board(struct ax_wbuf *b, const struct ax_ttfs_backend *be)
{
    const struct ax_provenance *p = be->provenance;
    bool chip = p && p->has_die_seed;
    char id[AX_TTFS_CALIB_ID_LEN] = {0};
    if (chip && p->calibration_id)
        memcpy(id, p->calibration_id, strnlen(p->calibration_id, sizeof id));
    ax_wbuf_u32(b, chip);
    ax_wbuf_u64(b, chip ? p->die_seed : 0);
    ax_wbuf_put(b, id, sizeof id);
    ax_wbuf_u32(b, (uint32_t)(chip ? p->model_version : 0));
    ax_wbuf_u32(b, (uint32_t)(chip ? p->protocol_major : 0));
    ax_wbuf_u32(b, (uint32_t)(chip ? p->protocol_minor : 0));
    ax_wbuf_u64(b, chip ? be->mapping_id : 0);
}

int ax_ttfs_checkpoint_save(const struct ax_ttfs_trainer *tr, const char *path)
{
    const struct ax_ttfs_net *net = &tr->net;
    struct ax_wbuf b = {0};
    ax_wbuf_put(&b, MAGIC, 8);
    ax_wbuf_u32(&b, AX_TTFS_CHECKPOINT_VERSION);
    ax_wbuf_u32(&b, 0);
    ax_wbuf_u64(&b, tr->cfg.hash);
    ax_wbuf_u64(&b, tr->cfg.seed);
    ax_wbuf_u32(&b, (uint32_t)tr->epoch);
    ax_wbuf_u32(&b, (uint32_t)net->n_layers);
    for (int l = 0; l <= net->n_layers; l++)
        ax_wbuf_u32(&b, (uint32_t)tr->cfg.sizes[l]);
    put_board(&b, &net->backend);
    ax_wbuf_u64(&b, tr->step);
    ax_wbuf_f64s(&b, &tr->bump, 1);
    ax_wbuf_u32(&b, (uint32_t)(int32_t)tr->bump_layer);
    for (int i = 0; i < 4; i++)
        ax_wbuf_u64(&b, tr->rng.s[i]);
    ax_wbuf_u64(&b, net->n_params);
    ax_wbuf_f64s(&b, net->params, net->n_params);
    ax_wbuf_f64s(&b, net->m, net->n_params);
    ax_wbuf_f64s(&b, net->v, net->n_params);
    ax_wbuf_f64s(&b, tr->hist_loss, (size_t)tr->epoch);
    ax_wbuf_f64s(&b, tr->hist_train, (size_t)tr->epoch);
    ax_wbuf_f64s(&b, tr->hist_val, (size_t)tr->epoch);
    ax_wbuf_u32(&b, (uint32_t)tr->best_epoch);
    ax_wbuf_f64s(&b, tr->best_params, net->n_params);
    uint8_t sum[32];
    if (!b.failed)
        ax_sha256(b.p, b.n, sum);
    ax_wbuf_put(&b, sum, 32);
    if (b.failed) {
        free(b.p);
        return ax_fail(AX_E_NOMEM, "%s: %s", path, ax_strerror(AX_E_NOMEM));
    }
    /* Through a temporary beside it, renamed when complete: a crash or a full
     * disk never leaves half a checkpoint, and a user's PATH.tmp is untouched. */
    ax_outfile *o;
    int rc = ax_outfile_open(&o, path);
    if (!rc && fwrite(b.p, 1, b.n, ax_outfile_stream(o)) != b.n) {
        ax_outfile_abort(o);
        rc = ax_fail(AX_E_IO, "cannot write to %s", path);
    } else if (!rc) {
        rc = ax_outfile_commit(o);
    }
    if (rc)
        ax_fail(rc, "cannot write checkpoint: %s", ax_error_detail()); /* names the path */
    free(b.p);
    return rc;
}

/* ---------------------------------------------------------------------------
 * reading, with a length check before every field */

/* The header as written, for any trainer; the detail gets the reason. */
static int parse_header(struct ax_rbuf *r, struct ax_ttfs_checkpoint_info *in)
{
    char magic[8];
    uint32_t flags, n_layers, v[3];
    memset(in, 0, sizeof *in);
    if (ax_rbuf_get(r, magic, 8) || memcmp(magic, MAGIC, 8))
        return ax_fail(AX_E_FORMAT, "not an axon TTFS checkpoint");
    if (ax_rbuf_u32(r, &in->version) || in->version < 2 || in->version > AX_TTFS_CHECKPOINT_VERSION)
        return ax_fail(AX_E_VERSION, "version %u, expected 2 to %d", in->version,
                       AX_TTFS_CHECKPOINT_VERSION);
    if (ax_rbuf_u32(r, &flags) || ax_rbuf_u64(r, &in->config_hash) || ax_rbuf_u64(r, &in->seed) ||
        ax_rbuf_u32(r, &in->epoch) || ax_rbuf_u32(r, &n_layers))
        return ax_fail(AX_E_TRUNC, "truncated header");
    if (n_layers < 1 || n_layers > AX_TTFS_MAX_LAYERS)
        return ax_fail(AX_E_FORMAT, "%u layers", n_layers);
    in->n_layers = (int)n_layers;
    for (uint32_t l = 0; l <= n_layers; l++) {
        uint32_t size;
        if (ax_rbuf_u32(r, &size) || size > 1u << 20)
            return ax_fail(AX_E_FORMAT, "bad layer size");
        in->sizes[l] = (int)size;
    }
    if (in->version < 3)
        return 0;
    uint32_t chip;
    if (ax_rbuf_u32(r, &chip) || ax_rbuf_u64(r, &in->die_seed) ||
        ax_rbuf_get(r, in->calibration_id, AX_TTFS_CALIB_ID_LEN) || ax_rbuf_u32(r, &v[0]) ||
        ax_rbuf_u32(r, &v[1]) || ax_rbuf_u32(r, &v[2]) || ax_rbuf_u64(r, &in->mapping_id) ||
        chip > 1)
        return ax_fail(AX_E_FORMAT, "bad board block");
    in->on_chip = chip;
    in->model_version = (int)v[0];
    in->protocol_major = (int)v[1];
    in->protocol_minor = (int)v[2];
    return 0;
}

/* The board a checkpoint was made on against the trainer's backend: another
 * die or mapping is refused (the weights fit that chip's fixed pattern). */
static int check_board(const struct ax_ttfs_checkpoint_info *in, const struct ax_ttfs_backend *be)
{
    const struct ax_provenance *p = be->provenance;
    bool chip = p && p->has_die_seed;
    if (in->version < 3)
        return 0; /* made before boards were recorded */
    if (in->on_chip && chip && in->die_seed != p->die_seed)
        return ax_fail(AX_E_FORMAT, "made on die %llu, this board is die %llu",
                       (unsigned long long)in->die_seed, (unsigned long long)p->die_seed);
    if (in->on_chip && chip && in->mapping_id != be->mapping_id)
        return ax_fail(AX_E_FORMAT,
                       "made with another mapping of the network (%016llx, now %016llx)",
                       (unsigned long long)in->mapping_id, (unsigned long long)be->mapping_id);
    if (in->on_chip != chip)
        return ax_fail(AX_E_FORMAT, "made %s, resuming %s",
                       in->on_chip ? "on a chip" : "with the software backend",
                       chip ? "on a chip" : "with the software backend");
    return 0;
}

/* Checks the header against the running trainer. */
static int check_header(struct ax_rbuf *r, const struct ax_ttfs_trainer *tr, uint32_t *epoch)
{
    struct ax_ttfs_checkpoint_info in;
    int rc = parse_header(r, &in);
    if (rc)
        return rc;
    *epoch = in.epoch;
    if (in.config_hash != tr->cfg.hash)
        return ax_fail(AX_E_FORMAT, "made with a different config (hash %016llx)",
                       (unsigned long long)in.config_hash);
    if (in.seed != tr->cfg.seed)
        return ax_fail(AX_E_FORMAT, "made with seed %llu, not %llu", (unsigned long long)in.seed,
                       (unsigned long long)tr->cfg.seed);
    if (in.n_layers != tr->net.n_layers)
        return ax_fail(AX_E_FORMAT, "layer count differs");
    for (int l = 0; l <= in.n_layers; l++)
        if (in.sizes[l] != tr->cfg.sizes[l])
            return ax_fail(AX_E_FORMAT, "network sizes differ");
    if (in.epoch > (uint32_t)(tr->cfg.epochs > 0 ? tr->cfg.epochs : 1))
        return ax_fail(AX_E_RANGE, "already has %u epochs, more than the %d asked for", in.epoch,
                       tr->cfg.epochs);
    return check_board(&in, &tr->net.backend);
}

static int read_state(struct ax_rbuf *r, struct ax_ttfs_trainer *tr, uint32_t epoch)
{
    struct ax_ttfs_net *net = &tr->net;
    uint64_t step, n_params;
    uint32_t bump_layer, best_epoch = 0;
    int rc = ax_rbuf_u64(r, &step);
    if (!rc)
        rc = ax_rbuf_f64s(r, &tr->bump, 1);
    if (!rc)
        rc = ax_rbuf_u32(r, &bump_layer);
    for (int i = 0; i < 4 && !rc; i++)
        rc = ax_rbuf_u64(r, &tr->rng.s[i]);
    if (!rc)
        rc = ax_rbuf_u64(r, &n_params);
    if (!rc && n_params != net->n_params)
        return AX_E_FORMAT;
    if (!rc)
        rc = ax_rbuf_f64s(r, net->params, net->n_params);
    if (!rc)
        rc = ax_rbuf_f64s(r, net->m, net->n_params);
    if (!rc)
        rc = ax_rbuf_f64s(r, net->v, net->n_params);
    if (!rc)
        rc = ax_rbuf_f64s(r, tr->hist_loss, epoch);
    if (!rc)
        rc = ax_rbuf_f64s(r, tr->hist_train, epoch);
    if (!rc)
        rc = ax_rbuf_f64s(r, tr->hist_val, epoch);
    if (!rc)
        rc = ax_rbuf_u32(r, &best_epoch);
    if (!rc && best_epoch > epoch)
        rc = AX_E_FORMAT;
    if (!rc)
        rc = ax_rbuf_f64s(r, tr->best_params, net->n_params);
    if (!rc && r->off != r->n)
        rc = AX_E_FORMAT;
    if (!rc) {
        tr->step = step;
        tr->bump_layer = (int32_t)bump_layer;
        tr->epoch = (int)epoch;
        tr->best_epoch = (int)best_epoch;
        ax_ttfs_net_map_delays(net);
    }
    return rc;
}

/* The file with its checksum verified: body (without the sum) in *data, *n. */
static int read_checked(const char *path, size_t max, uint8_t **data, size_t *n, const char *what)
{
    int rc = ax_read_file(path, max, data, n);
    if (rc == AX_E_RANGE)
        return ax_fail(rc, "%s: larger than %zu bytes, not a %s of this network", path, max, what);
    if (rc)
        return ax_fail(rc, "%s: cannot read %s: %s", path, what, ax_strerror(rc));
    uint8_t sum[32];
    if (*n < 8 + 32) {
        rc = ax_fail(AX_E_TRUNC, "%s: bad %s: too short (%zu bytes)", path, what, *n);
    } else {
        ax_sha256(*data, *n - 32, sum);
        if (memcmp(sum, *data + *n - 32, 32))
            rc = ax_fail(AX_E_CRC, "%s: bad %s: checksum mismatch (corrupt or truncated)", path,
                         what);
    }
    if (rc) {
        free(*data);
        *data = NULL;
        return rc;
    }
    *n -= 32;
    return 0;
}

int ax_ttfs_checkpoint_info(const char *path, struct ax_ttfs_checkpoint_info *info)
{
    uint8_t *data = NULL;
    size_t n = 0;
    int rc = read_checked(path, (size_t)1 << 30, &data, &n, "checkpoint");
    if (rc)
        return rc;
    struct ax_rbuf r = {data, n, 0};
    if ((rc = parse_header(&r, info)))
        ax_fail(rc, "%s: bad checkpoint: %s", path, ax_error_detail());
    free(data);
    return rc;
}

int ax_ttfs_checkpoint_load(struct ax_ttfs_trainer *tr, const char *path)
{
    uint8_t *data = NULL;
    size_t n = 0;
    /* Parameters, gradient moments and best parameters, plus a history of up
     * to a million epochs: far above any real checkpoint of this network. */
    size_t max = (size_t)tr->net.n_params * 8 * 4 + (size_t)3 * 8 * 1000000 + 65536;
    int rc = read_checked(path, max, &data, &n, "checkpoint");
    if (rc)
        return rc;
    struct ax_rbuf r = {data, n, 0};
    uint32_t epoch = 0;
    rc = check_header(&r, tr, &epoch);
    if (!rc && (rc = read_state(&r, tr, epoch)))
        ax_fail(rc, "parameter block does not match the network");
    if (rc) /* the reason set above */
        ax_fail(rc, "%s: bad checkpoint: %s", path, ax_error_detail());
    free(data);
    return rc;
}

/* ---------------------------------------------------------------------------
 * exports: a trained network for evaluation on any board (docs/training.md)
 *   "AXTTFSNT" u32 version u32 0 u32 config_len u8 config[config_len]
 *   u64 seed u32 epoch f64 test_accuracy u32 revision_len u8 revision[]
 *   (board block as in checkpoints) u64 n_params f64 params[n] u8 sha256[32] */

static const char NET_MAGIC[8] = {'A', 'X', 'T', 'T', 'F', 'S', 'N', 'T'};

int ax_ttfs_export_save(const struct ax_ttfs_trainer *tr, const char *config_text, int epoch,
                        double test_accuracy, const char *revision, const char *path)
{
    const struct ax_ttfs_net *net = &tr->net;
    struct ax_wbuf b = {0};
    ax_wbuf_put(&b, NET_MAGIC, 8);
    ax_wbuf_u32(&b, AX_TTFS_EXPORT_VERSION);
    ax_wbuf_u32(&b, 0);
    ax_wbuf_u32(&b, (uint32_t)strlen(config_text));
    ax_wbuf_put(&b, config_text, strlen(config_text));
    ax_wbuf_u64(&b, tr->cfg.seed);
    ax_wbuf_u32(&b, (uint32_t)epoch);
    ax_wbuf_f64s(&b, &test_accuracy, 1);
    ax_wbuf_u32(&b, (uint32_t)strlen(revision));
    ax_wbuf_put(&b, revision, strlen(revision));
    put_board(&b, &net->backend);
    ax_wbuf_u64(&b, net->n_params);
    ax_wbuf_f64s(&b, net->params, net->n_params);
    uint8_t sum[32];
    if (!b.failed)
        ax_sha256(b.p, b.n, sum);
    ax_wbuf_put(&b, sum, 32);
    int rc = b.failed ? ax_fail(AX_E_NOMEM, "%s: %s", path, ax_strerror(AX_E_NOMEM)) : 0;
    ax_outfile *o;
    if (!rc && !(rc = ax_outfile_open(&o, path))) {
        if (fwrite(b.p, 1, b.n, ax_outfile_stream(o)) != b.n) {
            ax_outfile_abort(o);
            rc = ax_fail(AX_E_IO, "cannot write to %s", path);
        } else {
            rc = ax_outfile_commit(o);
        }
    }
    if (rc)
        ax_fail(rc, "cannot write the network: %s", ax_error_detail());
    free(b.p);
    return rc;
}

static int read_export(struct ax_rbuf *r, struct ax_ttfs_export *e)
{
    char magic[8];
    uint32_t version, flags, len, on_chip, v[3];
    if (ax_rbuf_get(r, magic, 8) || memcmp(magic, NET_MAGIC, 8))
        return ax_fail(AX_E_FORMAT, "not an axon trained network (AXTTFSNT)");
    if (ax_rbuf_u32(r, &version) || version != AX_TTFS_EXPORT_VERSION)
        return ax_fail(AX_E_VERSION, "version %u, expected %d", version, AX_TTFS_EXPORT_VERSION);
    if (ax_rbuf_u32(r, &flags) || ax_rbuf_u32(r, &len) || len > r->n - r->off || len > (1u << 20))
        return ax_fail(AX_E_FORMAT, "bad config block");
    if (!(e->config_text = malloc(len + 1)))
        return AX_E_NOMEM;
    ax_rbuf_get(r, e->config_text, len);
    e->config_text[len] = 0;
    if (ax_rbuf_u64(r, &e->seed) || ax_rbuf_u32(r, &e->epoch) ||
        ax_rbuf_f64s(r, &e->test_accuracy, 1) || ax_rbuf_u32(r, &len) ||
        len >= sizeof e->revision || ax_rbuf_get(r, e->revision, len))
        return ax_fail(AX_E_FORMAT, "bad provenance block");
    struct ax_ttfs_checkpoint_info *b = &e->board;
    if (ax_rbuf_u32(r, &on_chip) || on_chip > 1 || ax_rbuf_u64(r, &b->die_seed) ||
        ax_rbuf_get(r, b->calibration_id, AX_TTFS_CALIB_ID_LEN) || ax_rbuf_u32(r, &v[0]) ||
        ax_rbuf_u32(r, &v[1]) || ax_rbuf_u32(r, &v[2]) || ax_rbuf_u64(r, &b->mapping_id) ||
        ax_rbuf_u64(r, &e->n_params))
        return ax_fail(AX_E_FORMAT, "bad board block");
    b->on_chip = on_chip;
    b->model_version = (int)v[0];
    b->protocol_major = (int)v[1];
    b->protocol_minor = (int)v[2];
    if (e->n_params != (r->n - r->off) / 8 || (r->n - r->off) % 8)
        return ax_fail(AX_E_FORMAT, "parameter block of %zu bytes for %llu parameters",
                       r->n - r->off, (unsigned long long)e->n_params);
    if (!(e->params = malloc(e->n_params * sizeof *e->params + 1)))
        return AX_E_NOMEM;
    return ax_rbuf_f64s(r, e->params, e->n_params);
}

int ax_ttfs_export_load(struct ax_ttfs_export *e, const char *path)
{
    memset(e, 0, sizeof *e);
    uint8_t *data = NULL;
    size_t n = 0;
    int rc = read_checked(path, (size_t)1 << 30, &data, &n, "network file");
    if (rc)
        return rc;
    struct ax_rbuf r = {data, n, 0};
    if ((rc = read_export(&r, e))) {
        ax_fail(rc, "%s: bad network file: %s", path, ax_error_detail());
        ax_ttfs_export_free(e);
    }
    free(data);
    return rc;
}

void ax_ttfs_export_free(struct ax_ttfs_export *e)
{
    free(e->config_text);
    free(e->params);
    memset(e, 0, sizeof *e);
}
