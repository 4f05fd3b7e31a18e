/* The trainer: learns Yin-Yang in a few epochs, is bit-reproducible per seed,
 * resumes exactly from a checkpoint, rejects bad configs and checkpoints with
 * clear messages. Also checks the losses' gradients by finite differences. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/sha256.h"
#include "axon/status.h"
#include "axon/ttfs_eval.h"
#include "axon/ttfs_run.h"
#include "axon/ttfs_train.h"

#include "ttfs_testutil.h"

/* test_error_paths asks for more memory than any allocator has: under ASan,
 * malloc must then return NULL as it does without, not stop the program. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static char tmpdir[64] = "/tmp/axon-test-train-XXXXXX";
static struct ax_ttfs_dataset train_set, val_set;

static int load_config(struct ax_ttfs_config *cfg, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/training/configs/%s.cfg", AX_SOURCE_DIR, name);
    int rc = ax_ttfs_config_load(cfg, path);
    CHECK(rc == 0, "%s", ax_error_detail());
    return rc;
}

static int run_epochs(struct ax_ttfs_trainer *tr, int n, struct ax_ttfs_epoch_stats *st)
{
    int rc = 0;
    for (int e = 0; e < n && !rc; e++)
        rc = ax_ttfs_trainer_epoch(tr, st, NULL, NULL);
    return rc;
}

static void test_learns_yinyang(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    cfg.epochs = 10;
    struct ax_ttfs_trainer tr;
    CHECK(ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set) == 0, "create");
    struct ax_ttfs_epoch_stats st;
    CHECK(run_epochs(&tr, 10, &st) == 0, "train");
    printf("DelGrad H30_WS after 10 epochs: validation accuracy %.4f, loss %.5f\n", st.val_accuracy,
           st.loss);
    CHECK(st.val_accuracy > 0.85, "validation accuracy %.4f after 10 epochs", st.val_accuracy);
    ax_ttfs_trainer_free(&tr);

    if (load_config(&cfg, "yinyang-fastdeep"))
        return;
    cfg.epochs = 6;
    CHECK(ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set) == 0, "create");
    CHECK(run_epochs(&tr, 6, &st) == 0, "train");
    printf("Fast & Deep after 6 epochs: validation accuracy %.4f\n", st.val_accuracy);
    CHECK(st.val_accuracy > 0.75, "validation accuracy %.4f after 6 epochs", st.val_accuracy);
    ax_ttfs_trainer_free(&tr);
}

/* Same seed: identical bits; resume from a checkpoint after 2 of 4 epochs:
 * identical bits to the uninterrupted run. */
/* Checkpoint version 3 records the board: a checkpoint of die 1 resumes on
 * die 1 only, with the same mapping, never with the software backend; the
 * same file as version 2 (no board block) still loads anywhere. */
static void write_as_v2(const char *from, const char *to, int n_layers)
{
    static uint8_t buf[1 << 20];
    FILE *f = fopen(from, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    size_t at = 40 + (size_t)(n_layers + 1) * 4, block = 4 + 8 + 16 + 12 + 8;
    CHECK(n > at + block + 32, "v3 file of %zu bytes", n);
    memmove(buf + at, buf + at + block, n - at - block);
    n -= block + 32;
    buf[8] = 2;
    ax_sha256(buf, n, buf + n);
    f = fopen(to, "wb");
    fwrite(buf, 1, n + 32, f);
    fclose(f);
}

static void test_checkpoint_board(const struct ax_ttfs_config *cfg, struct ax_ttfs_trainer *b,
                                  const char *path)
{
    struct ax_provenance p1, p2;
    ax_provenance_init(&p1, "test", 1);
    p1.has_die_seed = true;
    p1.die_seed = 1;
    p1.calibration_id = "0123456789abcdef";
    p1.model_version = 4;
    p2 = p1;
    p2.die_seed = 2;
    struct ax_ttfs_backend soft = b->net.backend, chip1 = soft, chip2;
    chip1.provenance = &p1;
    chip1.mapping_id = 77;
    chip2 = chip1;
    chip2.provenance = &p2;
    char p3[160], pv2[160];
    snprintf(p3, sizeof p3, "%s.v3", path);
    snprintf(pv2, sizeof pv2, "%s.v2", path);
    b->net.backend = chip1;
    CHECK(ax_ttfs_checkpoint_save(b, p3) == 0, "save v3: %s", ax_error_detail());
    b->net.backend = soft;
    struct ax_ttfs_checkpoint_info in;
    CHECK(ax_ttfs_checkpoint_info(p3, &in) == 0 && in.version == 3 && in.on_chip &&
              in.die_seed == 1 && !strcmp(in.calibration_id, "0123456789abcdef") &&
              in.model_version == 4 && in.mapping_id == 77 && (int)in.epoch == b->epoch,
          "info: %s", ax_error_detail());
    struct ax_ttfs_trainer t;
    ax_ttfs_trainer_create(&t, cfg, &train_set, &val_set);
    t.net.backend = chip2;
    int rc = ax_ttfs_checkpoint_load(&t, p3);
    CHECK(rc == AX_E_FORMAT && strstr(ax_error_detail(), "made on die 1, this board is die 2"),
          "other die: %s", ax_error_detail());
    t.net.backend = chip1;
    t.net.backend.mapping_id = 78;
    rc = ax_ttfs_checkpoint_load(&t, p3);
    CHECK(rc == AX_E_FORMAT && strstr(ax_error_detail(), "another mapping"), "other mapping: %s",
          ax_error_detail());
    t.net.backend = soft;
    rc = ax_ttfs_checkpoint_load(&t, p3);
    CHECK(rc == AX_E_FORMAT && strstr(ax_error_detail(), "made on a chip"), "software: %s",
          ax_error_detail());
    CHECK(t.epoch == 0, "a refused checkpoint changed the trainer (epoch %d)", t.epoch);
    t.net.backend = chip1;
    CHECK(ax_ttfs_checkpoint_load(&t, p3) == 0 && t.epoch == b->epoch, "same die: %s",
          ax_error_detail());
    write_as_v2(p3, pv2, t.net.n_layers);
    ax_ttfs_trainer_free(&t);
    ax_ttfs_trainer_create(&t, cfg, &train_set, &val_set);
    CHECK(ax_ttfs_checkpoint_load(&t, pv2) == 0 && t.epoch == b->epoch, "version 2: %s",
          ax_error_detail());
    CHECK(!memcmp(t.net.params, b->net.params, t.net.n_params * sizeof(double)),
          "version 2: parameters differ");
    CHECK(ax_ttfs_checkpoint_info(pv2, &in) == 0 && in.version == 2 && !in.on_chip,
          "version 2 info: %s", ax_error_detail());
    ax_ttfs_trainer_free(&t);
    remove(p3);
    remove(pv2);
}

/* Network files: what is saved loads back bit for bit; a corrupt or foreign
 * file is refused with one line naming it. */
static void test_export_round_trip(const struct ax_ttfs_trainer *b, const char *path)
{
    char p[160];
    snprintf(p, sizeof p, "%s.axnet", path);
    CHECK(ax_ttfs_export_save(b, "[data]\nset = \"yinyang\"\n", 3, 0.875, "abc", p) == 0,
          "export: %s", ax_error_detail());
    struct ax_ttfs_export e;
    CHECK(ax_ttfs_export_load(&e, p) == 0, "load export: %s", ax_error_detail());
    CHECK(e.n_params == b->net.n_params &&
              !memcmp(e.params, b->net.params, e.n_params * sizeof(double)) && e.epoch == 3 &&
              e.test_accuracy == 0.875 && !strcmp(e.revision, "abc") &&
              !strcmp(e.config_text, "[data]\nset = \"yinyang\"\n") && !e.board.on_chip,
          "export round trip");
    ax_ttfs_export_free(&e);
    FILE *f = fopen(p, "r+b");
    fseek(f, 20, SEEK_SET);
    fputc('X', f);
    fclose(f);
    int rc = ax_ttfs_export_load(&e, p);
    CHECK(rc == AX_E_CRC && strstr(ax_error_detail(), p) && !strchr(ax_error_detail(), '\n'),
          "corrupt export: %s", ax_error_detail());
    rc = ax_ttfs_export_load(&e, path); /* a checkpoint is not a network file */
    CHECK(rc == AX_E_FORMAT && strstr(ax_error_detail(), "not an axon trained network"),
          "checkpoint as export: %s", ax_error_detail());
    remove(p);
}

static void test_reproducible_and_resume(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    cfg.epochs = 4;
    struct ax_ttfs_trainer a, b, c;
    struct ax_ttfs_epoch_stats st;
    char path[128];
    snprintf(path, sizeof path, "%s/run.ckpt", tmpdir);
    ax_ttfs_trainer_create(&a, &cfg, &train_set, &val_set);
    ax_ttfs_trainer_create(&b, &cfg, &train_set, &val_set);
    run_epochs(&a, 4, &st);
    run_epochs(&b, 2, &st);
    CHECK(ax_ttfs_checkpoint_save(&b, path) == 0, "save: %s", ax_error_detail());
    run_epochs(&b, 2, &st);
    size_t bytes = a.net.n_params * sizeof(double);
    CHECK(!memcmp(a.net.params, b.net.params, bytes), "same seed, different parameters");

    ax_ttfs_trainer_create(&c, &cfg, &train_set, &val_set);
    CHECK(ax_ttfs_checkpoint_load(&c, path) == 0, "load: %s", ax_error_detail());
    CHECK(c.epoch == 2, "resumed at epoch %d", c.epoch);
    run_epochs(&c, 2, &st);
    CHECK(!memcmp(a.net.params, c.net.params, bytes) && !memcmp(a.net.m, c.net.m, bytes) &&
              !memcmp(a.net.v, c.net.v, bytes),
          "resumed run differs from the uninterrupted one");
    CHECK(c.hist_val[0] == a.hist_val[0] && c.hist_val[3] == a.hist_val[3], "history");
    CHECK(c.best_epoch == a.best_epoch && !memcmp(a.best_params, c.best_params, bytes),
          "resumed run lost the best-validation parameters");

    /* A different seed changes the run. */
    struct ax_ttfs_config cfg2 = cfg;
    cfg2.seed = 2;
    struct ax_ttfs_trainer d;
    ax_ttfs_trainer_create(&d, &cfg2, &train_set, &val_set);
    CHECK(memcmp(a.net.params, d.net.params, bytes) != 0, "seed has no effect");
    /* ... and a checkpoint of another seed is refused. */
    ax_error_clear();
    int rc = ax_ttfs_checkpoint_load(&d, path);
    CHECK(rc == AX_E_FORMAT && strstr(ax_error_detail(), "seed"), "seed mismatch: %s",
          ax_error_detail());
    ax_ttfs_trainer_free(&d);

    test_checkpoint_board(&cfg, &b, path);
    test_export_round_trip(&b, path);

    /* Corrupt one byte: the checksum catches it. */
    FILE *f = fopen(path, "r+b");
    fseek(f, 100, SEEK_SET);
    fputc(0x5a, f);
    fclose(f);
    rc = ax_ttfs_checkpoint_load(&c, path);
    CHECK(rc == AX_E_CRC && strstr(ax_error_detail(), path) &&
              strstr(ax_error_detail(), "checksum"),
          "corrupt: %s", ax_error_detail());
    /* Truncated and garbage files. */
    f = fopen(path, "wb");
    fputs("AXTT", f);
    fclose(f);
    rc = ax_ttfs_checkpoint_load(&c, path);
    CHECK(rc == AX_E_TRUNC && strstr(ax_error_detail(), "too short"), "short: %s",
          ax_error_detail());
    rc = ax_ttfs_checkpoint_load(&c, "/nonexistent.ckpt");
    CHECK(rc == AX_E_NOTFOUND && strstr(ax_error_detail(), "/nonexistent.ckpt"), "missing: %s",
          ax_error_detail());
    rc = ax_ttfs_checkpoint_load(&c, "/dev/zero"); /* endless: refused */
    CHECK(rc == AX_E_RANGE && strstr(ax_error_detail(), "/dev/zero: larger than"), "endless: %s",
          ax_error_detail());
    remove(path);
    ax_ttfs_trainer_free(&a);
    ax_ttfs_trainer_free(&b);
    ax_ttfs_trainer_free(&c);
}

/* Is row (w x w) the image src moved by (dx, dy), silent where it came from outside? */
static int is_shifted(const double *row, const double *src, int w, int dx, int dy)
{
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++) {
            int sx = x - dx, sy = y - dy;
            double want = sx >= 0 && sx < w && sy >= 0 && sy < w ? src[sy * w + sx] : INFINITY;
            if (row[y * w + x] != want)
                return 0;
        }
    return 1;
}

/* data.train_shift: every training image is moved by up to train_shift pixels
 * in x and y (drawn from the run's generator), the data set is not touched. */
static void test_train_shift(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "mnist-16x16"))
        return;
    enum { W = 5, N = 12 };
    static double t[N * W * W];
    static int labels[N];
    for (int i = 0; i < N * W * W; i++)
        t[i] = 0.2 + 0.001 * i; /* every pixel distinct: the shift can be read back */
    for (int s = 0; s < N; s++)
        labels[s] = s % 10;
    struct ax_ttfs_dataset ds = {
        .n = N, .n_features = W * W, .n_classes = 10, .width = W, .t = t, .labels = labels};
    cfg.sizes[0] = W * W;
    cfg.sizes[1] = 6;
    cfg.batch_size = N;
    cfg.train_noise = 0.0;
    cfg.train_shift = 2;
    cfg.epochs = 1;
    struct ax_ttfs_trainer tr;
    struct ax_ttfs_epoch_stats st;
    if (ax_ttfs_trainer_create(&tr, &cfg, &ds, NULL)) {
        CHECK(0, "create");
        return;
    }
    CHECK(run_epochs(&tr, 1, &st) == 0, "train");
    int found = 0, moved = 0, seen[5][5] = {{0}};
    for (int b = 0; b < N; b++) {
        const double *row = tr.xbatch + (size_t)b * W * W, *src = t + (size_t)tr.order[b] * W * W;
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
                if (is_shifted(row, src, W, dx, dy)) {
                    found++;
                    moved += dx || dy;
                    seen[dy + 2][dx + 2] = 1;
                }
    }
    int kinds = 0;
    for (int i = 0; i < 25; i++)
        kinds += seen[i / 5][i % 5];
    CHECK(found == N && moved >= N / 2 && kinds >= 6,
          "shifted images: %d of %d are shifts, %d moved, %d different shifts", found, N, moved,
          kinds);
    CHECK(t[0] == 0.2 && t[N * W * W - 1] == 0.2 + 0.001 * (N * W * W - 1),
          "the data set was changed");
    ax_ttfs_trainer_free(&tr);
}

/* select = "best_val": the run ends with the parameters of its best validation
 * epoch (the latest among equals), which reproduce that epoch's accuracy. */
static void test_select_best_val(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    cfg.epochs = 8;
    cfg.select = AX_TTFS_SELECT_BEST_VAL;
    cfg.seed = 4;
    struct ax_ttfs_trainer tr;
    struct ax_ttfs_epoch_stats st;
    CHECK(ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set) == 0, "create");
    CHECK(run_epochs(&tr, 8, &st) == 0, "train");
    int best = 1;
    for (int e = 2; e <= 8; e++)
        if (tr.hist_val[e - 1] >= tr.hist_val[best - 1])
            best = e;
    double *last = malloc(tr.net.n_params * sizeof(double));
    memcpy(last, tr.net.params, tr.net.n_params * sizeof(double));
    int selected = ax_ttfs_trainer_select(&tr);
    double acc = -1.0;
    ax_ttfs_evaluate(&tr.net, &val_set, cfg.batch_size, &acc);
    printf("best_val: epoch %d of 8 selected (validation %.4f; last epoch %.4f)\n", selected, acc,
           tr.hist_val[7]);
    CHECK(selected == best, "selected epoch %d, best validation at epoch %d", selected, best);
    /* Seed 4's best epoch (6 of 8) is not the last, so the restore path is exercised. */
    CHECK(best < 8, "best epoch is the last one: the test no longer exercises the restore");
    CHECK(acc == tr.hist_val[best - 1], "selected parameters give %.4f, epoch %d gave %.4f", acc,
          best, tr.hist_val[best - 1]);
    CHECK(memcmp(last, tr.net.params, tr.net.n_params * sizeof(double)) != 0,
          "parameters not replaced");
    /* select = "last" keeps the last epoch's parameters. */
    tr.cfg.select = AX_TTFS_SELECT_LAST;
    memcpy(tr.net.params, last, tr.net.n_params * sizeof(double));
    CHECK(ax_ttfs_trainer_select(&tr) == 8 &&
              !memcmp(last, tr.net.params, tr.net.n_params * sizeof(double)),
          "select = last changed the parameters");
    free(last);
    ax_ttfs_trainer_free(&tr);
}

static void expect_config_error(const char *text, const char *message)
{
    char path[128];
    snprintf(path, sizeof path, "%s/bad.cfg", tmpdir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    struct ax_ttfs_config cfg;
    ax_error_clear();
    int rc = ax_ttfs_config_load(&cfg, path);
    CHECK(rc < 0, "config should fail: %s", text);
    CHECK(strstr(ax_error_detail(), path) && strstr(ax_error_detail(), message),
          "got '%s', want '%s'", ax_error_detail(), message);
    remove(path);
}

static void test_bad_configs(void)
{
    const char *base = "[data]\nset = \"yinyang\"\n[network]\nsizes = [4, 10, 3]\n";
    char text[512];
    snprintf(text, sizeof text, "%s[train]\nepochs = 5\nlearning_rate = 0.1\n", base);
    expect_config_error(text, ":7: unknown key 'learning_rate' in [train]");
    snprintf(text, sizeof text, "%s[train]\nbatch_size = \"big\"\n", base);
    expect_config_error(text, ":6: train.batch_size: expected an integer, got a string");
    snprintf(text, sizeof text, "%s[train]\ngamma = 1.5\n", base);
    expect_config_error(text, ":6: train.gamma: 1.5 is out of range");
    snprintf(text, sizeof text, "%stau_ratio = 3\n", base);
    expect_config_error(text, ":5: network.tau_ratio: 3 is out of range");
    snprintf(text, sizeof text, "%sdelay = \"somatic\"\n", base);
    expect_config_error(text, ":5: network.delay: \"somatic\" is not one of");
    expect_config_error(
        "[data]\nset = \"yinyang\"\ntrain_shift = 1\n[network]\nsizes = [4, 10, 3]\n",
        "data.train_shift: only image data sets");
    snprintf(text, sizeof text, "%s[train]\nselect = \"best\"\n", base);
    expect_config_error(text, ":6: train.select: \"best\" is not one of");
    snprintf(text, sizeof text, "%s[train]\nmissing_threshold = [0.3, 0.0, 0.1]\n", base);
    expect_config_error(text, ":6: train.missing_threshold: expected 2 to 2 values, got 3");
    expect_config_error("[data]\nset = \"yinyang\"\n[network]\nsizes = [4, 10, 2]\n",
                        "network.sizes: the data set needs 4 inputs and 3 outputs");
    expect_config_error("[network]\nsizes = [4, 10, 3]\n", "data.set: missing");
    expect_config_error(
        "[data]\nset = \"yinyang\"\nbias_layers = [3]\n[network]\nsizes = [4, 10, 3]\n",
        "data.bias_layers: the network has 2 weight layers");
    expect_config_error("[data]\nset = \"yinyang\"\n[nework]\nsizes = [4, 10, 3]\n",
                        "network.sizes: missing");
}

/* data.bias_layers = [2]: the bias reaches only the output layer; layer 1's
 * bias weights are 0 from the start and stay 0 through steps and bumps,
 * while the output layer's bias weights train. */
static void test_bias_layers(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-fastdeep"))
        return;
    CHECK(cfg.bias_layers == ~0u, "default: the bias into every layer");
    cfg.bias_layers = 2u;
    struct ax_ttfs_trainer tr;
    struct ax_ttfs_epoch_stats st;
    CHECK(ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set) == 0, "create");
    const struct ax_ttfs_net *net = &tr.net;
    int n0 = net->spec[0].n_in, n1 = net->spec[1].n_in, nonzero0 = 0, moved1 = 0;
    double before[3];
    for (int j = 0; j < 3; j++)
        before[j] = net->params[net->w_off[1] + (size_t)j * n1 + n1 - 1];
    CHECK(run_epochs(&tr, 2, &st) == 0, "train");
    for (int j = 0; j < net->spec[0].n_out; j++)
        nonzero0 += net->params[net->w_off[0] + (size_t)j * n0 + n0 - 1] != 0.0;
    for (int j = 0; j < 3; j++)
        moved1 += net->params[net->w_off[1] + (size_t)j * n1 + n1 - 1] != before[j];
    CHECK(nonzero0 == 0, "%d hidden neurons got a bias weight", nonzero0);
    CHECK(moved1 == net->spec[1].n_out, "%d of %d output bias weights trained", moved1,
          net->spec[1].n_out);
    /* learning (chance: 1/3), if slower than with the hidden layer's bias */
    CHECK(st.val_accuracy > 0.45, "validation accuracy %.3f after 2 epochs", st.val_accuracy);
    printf("bias only into the outputs: validation %.4f after 2 epochs\n", st.val_accuracy);
    ax_ttfs_trainer_free(&tr);
    const char *text = "[data]\nset = \"mnist16\"\nbias_layers = [2]\n[network]\n"
                       "sizes = [256, 20, 10]\n";
    CHECK(ax_ttfs_config_load_string(&cfg, text, "b.cfg") == 0, "%s", ax_error_detail());
    CHECK(cfg.bias_layers == 2u, "bias_layers = [2] read as %#x", cfg.bias_layers);
}

/* ax_ttfs_trainer_init_from (axon train --init-from): a second trainer
 * starts from the exported parameters of the first, with the optimiser at
 * epoch 0; an export of another network is refused naming the difference
 * and changes nothing; a bias weight the config holds at 0 stays 0. */
static void test_init_from(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-fastdeep"))
        return;
    char path[128], text[4096];
    snprintf(path, sizeof path, "%s/init.axnet", tmpdir);
    struct ax_ttfs_trainer a, b;
    struct ax_ttfs_epoch_stats st;
    ax_ttfs_trainer_create(&a, &cfg, &train_set, &val_set);
    run_epochs(&a, 1, &st);
    FILE *f = fopen(AX_SOURCE_DIR "/training/configs/yinyang-fastdeep.cfg", "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = 0;
    if (f)
        fclose(f);
    CHECK(ax_ttfs_export_save(&a, text, 1, 0.5, "abc", path) == 0, "export");
    cfg.seed = 7; /* other initial weights */
    ax_ttfs_trainer_create(&b, &cfg, &train_set, &val_set);
    size_t bytes = a.net.n_params * sizeof(double);
    CHECK(memcmp(a.net.params, b.net.params, bytes) != 0, "other seed, other weights");
    CHECK(ax_ttfs_trainer_init_from(&b, path) == 0, "init from: %s", ax_error_detail());
    CHECK(!memcmp(a.net.params, b.net.params, bytes) && b.epoch == 0 && b.step == 0,
          "the exported parameters, epoch 0");
    ax_ttfs_trainer_free(&b);
    cfg.bias_layers = 2u; /* the layer-1 bias weights are held at 0 */
    ax_ttfs_trainer_create(&b, &cfg, &train_set, &val_set);
    CHECK(ax_ttfs_trainer_init_from(&b, path) == AX_E_INVAL &&
              strstr(ax_error_detail(), "data.bias / data.bias_layers"),
          "another bias: %s", ax_error_detail());
    ax_ttfs_trainer_free(&b);
    cfg.bias_layers = ~0u;
    cfg.sizes[1] = 60;
    ax_ttfs_trainer_create(&b, &cfg, &train_set, &val_set);
    double w0 = b.net.params[0];
    CHECK(ax_ttfs_trainer_init_from(&b, path) == AX_E_INVAL &&
              strstr(ax_error_detail(), "network differs from the config's (network.sizes)") &&
              b.net.params[0] == w0,
          "another size, nothing changed: %s", ax_error_detail());
    ax_ttfs_trainer_free(&b);
    ax_ttfs_trainer_free(&a);
    remove(path);
}

/* data.train_noise: a step sees noisy input times (reflected at 0, silent
 * inputs stay silent), drawn from the run's generator: the same seed repeats
 * the run, and the data set itself is not touched. */
static void test_train_noise(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    cfg.epochs = 1;
    struct ax_ttfs_trainer a, b, c;
    struct ax_ttfs_epoch_stats st;
    double first = train_set.t[0];
    ax_ttfs_trainer_create(&a, &cfg, &train_set, &val_set);
    cfg.train_noise = 0.3;
    ax_ttfs_trainer_create(&b, &cfg, &train_set, &val_set);
    ax_ttfs_trainer_create(&c, &cfg, &train_set, &val_set);
    run_epochs(&a, 1, &st);
    run_epochs(&b, 1, &st);
    size_t bytes = a.net.n_params * sizeof(double);
    CHECK(memcmp(a.net.params, b.net.params, bytes) != 0, "train_noise has no effect");
    run_epochs(&c, 1, &st);
    CHECK(!memcmp(b.net.params, c.net.params, bytes), "noisy runs of one seed differ");
    CHECK(train_set.t[0] == first, "the data set was changed");
    int nf = train_set.n_features, B = cfg.batch_size, neg = 0, moved = 0;
    int last = train_set.n % B ? train_set.n % B : B, first_row = train_set.n - last;
    for (int i = 0; i < last * nf; i++) { /* the last batch's inputs as the network saw them */
        double x = b.xbatch[i];
        int s = b.order[first_row + i / nf];
        neg += x < 0.0;
        moved += x != train_set.t[(size_t)s * nf + i % nf];
    }
    CHECK(neg == 0 && moved == last * nf, "noisy inputs: %d negative, %d of %d moved", neg, moved,
          last * nf);
    ax_ttfs_trainer_free(&a);
    ax_ttfs_trainer_free(&b);
    ax_ttfs_trainer_free(&c);
}

/* train.max_dw_mode: "clip" (default) caps in the trainer, "skip" (the
 * reference's rule) hands max_dw_norm to the layers' backward pass. */
static void test_max_dw_mode(void)
{
    const char *modes[2] = {"", "max_dw_mode = \"skip\"\n"};
    for (int m = 0; m < 2; m++) {
        char path[128], text[256];
        snprintf(path, sizeof path, "%s/dw.cfg", tmpdir);
        snprintf(text, sizeof text,
                 "[data]\nset = \"yinyang\"\n[network]\nsizes = [4, 10, 3]\n[train]\n"
                 "max_dw_norm = 0.3\n%s",
                 modes[m]);
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        struct ax_ttfs_config cfg;
        struct ax_ttfs_net net;
        int rc = ax_ttfs_config_load(&cfg, path);
        CHECK(rc == 0, "%s", ax_error_detail());
        remove(path);
        if (rc || ax_ttfs_net_create(&net, &cfg, 4))
            continue;
        CHECK(cfg.max_dw_mode == (m ? AX_TTFS_DW_SKIP : AX_TTFS_DW_CLIP), "mode %d", m);
        for (int l = 0; l < net.n_layers; l++)
            CHECK(net.spec[l].max_dw == (m ? 0.3 : 0.0), "mode %d: layer %d max_dw %g", m, l,
                  net.spec[l].max_dw);
        ax_ttfs_net_free(&net);
    }
    expect_config_error("[data]\nset = \"yinyang\"\n[network]\nsizes = [4, 10, 3]\n[train]\n"
                        "max_dw_mode = \"drop\"\n",
                        ":6: train.max_dw_mode: \"drop\" is not one of");
}

/* Loss `kind` (0 Fast & Deep, 1 shift MSE, 2 shift hinge) on B samples. */
static double loss_of(int kind, double *g, const double *t, const int *labels, int B)
{
    static const struct ax_ttfs_loss_fastdeep p = {0.2, 0.005, 1.0};
    if (kind == 0)
        return ax_ttfs_loss_fastdeep(g, t, labels, B, 3, &p);
    if (kind == 1)
        return ax_ttfs_loss_shift_mse(g, t, labels, B, 3, 0.2);
    return ax_ttfs_loss_shift_hinge(g, t, labels, B, 3, 0.2);
}

/* dL/dt of the three losses against central differences. */
static void test_loss_gradients(void)
{
    /* Sample 0 (label 1): the wrong neurons spike 0.4 and 1.2 after the label
     * neuron, both beyond dt = 0.2. Sample 1 (label 2): wrong neuron 0 spikes
     * 0.3 before the label neuron, neuron 1 is silent. */
    double t[2 * 3] = {1.1, 0.7, 1.9, 0.5, INFINITY, 0.8}, g[6], gp[6];
    int labels[2] = {1, 2};
    for (int kind = 0; kind < 3; kind++) {
        loss_of(kind, g, t, labels, 2);
        CHECK(g[4] == 0.0, "silent neuron got gradient %g", g[4]);
        for (int i = 0; i < 6; i++) {
            if (!isfinite(t[i]))
                continue;
            double x0 = t[i], h = 1e-6;
            t[i] = x0 + h;
            double lp = loss_of(kind, gp, t, labels, 2);
            t[i] = x0 - h;
            double lm = loss_of(kind, gp, t, labels, 2);
            t[i] = x0;
            double num = (lp - lm) / (2 * h); /* mean over 2 samples = the /B of g */
            CHECK(fabs(num - g[i]) < 1e-7, "loss %d, t[%d]: analytic %.10g numeric %.10g", kind, i,
                  g[i], num);
        }
    }
    /* Fast & Deep value by hand for sample 0: log(e^{-5.5}+e^{-3.5}+e^{-9.5}) + 3.5 + 0.005 e^0.7
     */
    double one = loss_of(0, g, t, labels, 1);
    double want = log(exp(-5.5) + exp(-3.5) + exp(-9.5)) + 3.5 + 0.005 * exp(0.7);
    CHECK(fabs(one - want) < 1e-12, "loss %.15g want %.15g", one, want);
    /* Shift MSE, sample 0: 1/2 (0.4 - 0.2)^2 + 1/2 (1.2 - 0.2)^2 = 0.52. The
     * hinge drops both terms (both wrong neurons are >= dt late): 0, no gradient. */
    one = loss_of(1, g, t, labels, 1);
    CHECK(fabs(one - 0.52) < 1e-12, "shift MSE %.15g want 0.52", one);
    one = loss_of(2, g, t, labels, 1);
    CHECK(one == 0.0 && g[0] == 0.0 && g[1] == 0.0 && g[2] == 0.0, "hinge %g, g %g %g %g", one,
          g[0], g[1], g[2]);
    /* Sample 1 alone: neuron 0 at 0.5 is 0.5 early: both give 1/2 (0.5 - 0.8 - 0.2)^2 = 0.125. */
    double mse = loss_of(1, g, t + 3, labels + 1, 1), hinge = loss_of(2, gp, t + 3, labels + 1, 1);
    CHECK(fabs(mse - 0.125) < 1e-12 && fabs(hinge - 0.125) < 1e-12, "mse %.15g hinge %.15g", mse,
          hinge);
    CHECK(g[0] == gp[0] && g[2] == gp[2] && fabs(gp[0] + 0.5) < 1e-12, "gradients %g/%g %g/%g",
          g[0], gp[0], g[2], gp[2]);
}

/* Two threads over the batch: identical spike times, gradients equal up to the
 * summation order. */
static void test_threads_match(const char *name)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, name))
        return;
    struct ax_ttfs_trainer one, two;
    cfg.threads = 1;
    ax_ttfs_trainer_create(&one, &cfg, &train_set, &val_set);
    cfg.threads = 2;
    ax_ttfs_trainer_create(&two, &cfg, &train_set, &val_set);
    struct ax_ttfs_trainer *tr[2] = {&one, &two};
    int B = cfg.batch_size, C = cfg.sizes[cfg.n_layers];
    for (int k = 0; k < 2; k++) {
        struct ax_ttfs_net *net = &tr[k]->net;
        CHECK(ax_ttfs_net_forward(net, train_set.t, B) == 0, "forward");
        ax_ttfs_loss_shift_mse(net->dt_out[net->n_layers - 1], ax_ttfs_net_output(net),
                               train_set.labels, B, C, 0.2);
        ax_ttfs_net_zero_grad(net);
        CHECK(ax_ttfs_net_backward(net, B) == 0, "backward");
    }
    CHECK(!memcmp(ax_ttfs_net_output(&one.net), ax_ttfs_net_output(&two.net),
                  (size_t)B * C * sizeof(double)),
          "%s: spike times differ between 1 and 2 threads", name);
    double worst = 0.0, norm = 0.0;
    for (size_t i = 0; i < one.net.n_params; i++) {
        double d = fabs(one.net.grads[i] - two.net.grads[i]);
        worst = d > worst ? d : worst;
        norm = fabs(one.net.grads[i]) > norm ? fabs(one.net.grads[i]) : norm;
    }
    CHECK(norm > 0.0 && worst <= 1e-12 * norm, "%s: gradients differ by %g (max %g)", name, worst,
          norm);
    ax_ttfs_trainer_free(&one);
    ax_ttfs_trainer_free(&two);
}

/* ---------------------------------------------------------------------------
 * a network-level backend: the software math, wrapped to count its calls and
 * to shift the hidden layer's spikes as a chip's measurement might */

struct shifting_backend {
    struct ax_ttfs_net *net; /* whose software forward pass it wraps */
    double shift;            /* added to every hidden spike time */
    int calls, rows;
};

static int shifting_forward(void *ctx, const struct ax_ttfs_stack *s, int B)
{
    struct shifting_backend *sb = ctx;
    int rc = ax_ttfs_software_forward(sb->net, s, B);
    for (size_t i = 0; i < (size_t)B * s->spec[0].n_out; i++)
        s->t_out[0][i] += sb->shift;
    sb->calls++;
    sb->rows += B;
    return rc;
}

static void set_shifting_backend(struct ax_ttfs_trainer *tr, struct shifting_backend *sb,
                                 double shift)
{
    *sb = (struct shifting_backend){&tr->net, shift, 0, 0};
    struct ax_ttfs_backend b = {.name = "shifting", .forward = shifting_forward, .ctx = sb};
    ax_ttfs_trainer_set_backend(tr, &b);
}

/* One forward and backward pass of the first B training samples. */
static void forward_backward(struct ax_ttfs_net *net, int B, int C, int overwrite_hidden,
                             double shift)
{
    CHECK(ax_ttfs_net_forward(net, train_set.t, B) == 0, "forward");
    if (overwrite_hidden) { /* what the shifting backend would have returned */
        struct ax_ttfs_stack s = {.n_layers = 2, .bias = net->bias, .bias_time = net->bias_time};
        s.spec[0] = net->spec[0];
        s.spec[1] = net->spec[1];
        s.t_out[0] = net->t_out[0];
        s.t_in[1] = net->t_in[1];
        for (size_t i = 0; i < (size_t)B * net->spec[0].n_out; i++)
            net->t_out[0][i] += shift;
        ax_ttfs_stack_fill_inputs(&s, 1, 0, B);
    }
    ax_ttfs_loss_shift_mse(net->dt_out[net->n_layers - 1], ax_ttfs_net_output(net),
                           train_set.labels, B, C, 0.2);
    ax_ttfs_net_zero_grad(net);
    CHECK(ax_ttfs_net_backward(net, B) == 0, "backward");
}

/* The backend's times are the ones the host uses: the hidden layer's as it
 * returned them, the next layer's inputs derived from them, the backward
 * pass on them; with 1 and 2 threads. */
static void test_backend_times_used(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    const double shift = 0.05;
    int B = cfg.batch_size, C = cfg.sizes[cfg.n_layers], H = cfg.sizes[1];
    for (cfg.threads = 1; cfg.threads <= 2; cfg.threads++) {
        struct ax_ttfs_trainer plain, shifted;
        struct shifting_backend sb;
        ax_ttfs_trainer_create(&plain, &cfg, &train_set, &val_set);
        ax_ttfs_trainer_create(&shifted, &cfg, &train_set, &val_set);
        set_shifting_backend(&shifted, &sb, shift);
        forward_backward(&plain.net, B, C, 0, 0.0);
        int j = 0; /* a hidden neuron that spikes for the first sample */
        while (j < H - 1 && !isfinite(plain.net.t_out[0][j]))
            j++;
        double t_hidden = plain.net.t_out[0][j];
        forward_backward(&shifted.net, B, C, 0, 0.0);
        CHECK(sb.calls == 1 && sb.rows == B, "backend called %d times for %d rows", sb.calls,
              sb.rows);
        CHECK(isfinite(t_hidden) && shifted.net.t_out[0][j] == t_hidden + shift &&
                  shifted.net.t_in[1][j] == t_hidden + shift &&
                  shifted.net.t_in[1][H] == cfg.bias_time,
              "threads %d: hidden spike %.17g, as the next input %.17g (unshifted %.17g)",
              cfg.threads, shifted.net.t_out[0][j], shifted.net.t_in[1][j], t_hidden);
        /* The plain net given the same hidden times computes the same gradients. */
        forward_backward(&plain.net, B, C, 1, shift);
        size_t bytes = plain.net.n_params * sizeof(double);
        CHECK(!memcmp(plain.net.grads, shifted.net.grads, bytes),
              "threads %d: the backward pass did not use the backend's times", cfg.threads);
        forward_backward(&plain.net, B, C, 0, 0.0);
        CHECK(memcmp(plain.net.grads, shifted.net.grads, bytes) != 0,
              "threads %d: the shift has no effect on the gradients", cfg.threads);
        ax_ttfs_trainer_free(&plain);
        ax_ttfs_trainer_free(&shifted);
    }
}

/* Training through a backend: one call per batch for the whole network; a
 * pass-through wrapper trains bit for bit like the built-in software backend
 * (1 and 2 threads), a shifting one trains differently. */
static void test_backend_training(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    cfg.epochs = 1;
    int batches = (train_set.n + cfg.batch_size - 1) / cfg.batch_size +
                  (val_set.n + cfg.batch_size - 1) / cfg.batch_size;
    for (cfg.threads = 1; cfg.threads <= 2; cfg.threads++) {
        struct ax_ttfs_trainer ref, same, shifted;
        struct shifting_backend sb_same, sb_shifted;
        struct ax_ttfs_epoch_stats st;
        ax_ttfs_trainer_create(&ref, &cfg, &train_set, &val_set);
        ax_ttfs_trainer_create(&same, &cfg, &train_set, &val_set);
        ax_ttfs_trainer_create(&shifted, &cfg, &train_set, &val_set);
        set_shifting_backend(&same, &sb_same, 0.0);
        set_shifting_backend(&shifted, &sb_shifted, 0.05);
        run_epochs(&ref, 1, &st);
        run_epochs(&same, 1, &st);
        run_epochs(&shifted, 1, &st);
        CHECK(sb_same.calls == batches && sb_same.rows == train_set.n + val_set.n,
              "threads %d: %d calls for %d rows, want %d for %d", cfg.threads, sb_same.calls,
              sb_same.rows, batches, train_set.n + val_set.n);
        size_t bytes = ref.net.n_params * sizeof(double);
        CHECK(!memcmp(ref.net.params, same.net.params, bytes) && ref.step == same.step,
              "threads %d: the wrapped software backend trains differently", cfg.threads);
        CHECK(memcmp(ref.net.params, shifted.net.params, bytes) != 0,
              "threads %d: training ignored the backend's times", cfg.threads);
        ax_ttfs_trainer_free(&ref);
        ax_ttfs_trainer_free(&same);
        ax_ttfs_trainer_free(&shifted);
    }
}

/* The library's failures below its parsers (files it cannot write, memory it
 * cannot get, a run that stops early) leave a message in the thread's error
 * detail, as the parse errors do. */
static void test_error_paths(void)
{
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-delgrad-h30ws"))
        return;
    struct ax_ttfs_trainer tr;
    ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set);
    ax_error_clear();
    int rc = ax_ttfs_checkpoint_save(&tr, "/nonexistent-dir/run.ckpt");
    CHECK(rc == AX_E_NOTFOUND &&
              !strcmp(ax_error_detail(), "cannot write checkpoint: /nonexistent-dir/run.ckpt: "
                                         "folder /nonexistent-dir does not exist"),
          "save: %d '%s'", rc, ax_error_detail());
    ax_ttfs_trainer_free(&tr);

    /* A network whose buffers no address space holds: out of memory, said so. */
    struct ax_ttfs_eval ev = {
        .n_layers = 1, .sizes = {1 << 24, 1 << 24}, .tau_ratio = 1, .threshold = 1.0};
    struct ax_ttfs_eval_out out;
    ax_error_clear();
    rc = ax_ttfs_eval_out_create(&out, &ev);
    CHECK(rc == AX_E_NOMEM && !strcmp(ax_error_detail(), "out of memory"), "eval out: %d '%s'", rc,
          ax_error_detail());
    if (!rc)
        ax_ttfs_eval_out_free(&out);

    /* ax_ttfs_run: each stage's failure is the run's detail. */
    struct ax_ttfs_run_opts o;
    ax_ttfs_run_opts_init(&o, "yinyang-delgrad-h30ws");
    o.epochs = 0;
    o.metrics_path = "/nonexistent-dir/m.jsonl";
    ax_error_clear();
    rc = ax_ttfs_run(&o, NULL);
    CHECK(rc == AX_E_NOTFOUND &&
              !strcmp(ax_error_detail(), "--metrics /nonexistent-dir/m.jsonl: "
                                         "folder /nonexistent-dir does not exist"),
          "run metrics (checked before the run): %d '%s'", rc, ax_error_detail());
    ax_ttfs_run_opts_init(&o, "mnist-16x16");
    o.data_dir = "/nonexistent-data";
    ax_error_clear();
    rc = ax_ttfs_run(&o, NULL);
    CHECK(rc == AX_E_NOTFOUND && strstr(ax_error_detail(), "MNIST not found: looked in --data "
                                                           "/nonexistent-data"),
          "run data: %d '%s'", rc, ax_error_detail());
    ax_ttfs_run_opts_init(&o, "no-such-config");
    ax_error_clear();
    rc = ax_ttfs_run(&o, NULL);
    CHECK(rc == AX_E_NOTFOUND && strstr(ax_error_detail(), "no-such-config.cfg: cannot open"),
          "run config: %d '%s'", rc, ax_error_detail());

    /* The eval reader's "name:line: field: message", whole even with a long name. */
    char name[401];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    FILE *f = tmpfile();
    fputs("ttfs-eval 1\nsizes 2 1\nweights 1 0.5\n", f);
    rewind(f);
    ax_error_clear();
    rc = ax_ttfs_eval_read(&ev, f, name);
    fclose(f);
    const char *d = ax_error_detail();
    CHECK(rc == AX_E_TRUNC && !strncmp(d, name, sizeof name - 1) &&
              !strcmp(d + sizeof name - 1, ":3: weights: expected 2 values, file ended after 1"),
          "eval read: %d '%s'", rc, d);

    /* A network too big to train is refused by its config, with the reason. */
    char path[600];
    snprintf(path, sizeof path, "%s/huge.cfg", tmpdir);
    f = fopen(path, "w");
    fputs("[data]\nset = \"yinyang\"\n[network]\nsizes = [100000, 100000, 10]\n", f);
    fclose(f);
    struct ax_ttfs_config huge;
    ax_error_clear();
    rc = ax_ttfs_config_load(&huge, path);
    CHECK(rc == AX_E_RANGE && strstr(ax_error_detail(), "network.sizes: 10001100010 weights; at "
                                                        "most 67108864"),
          "huge network: %d '%s'", rc, ax_error_detail());
    remove(path);
}

/* One step of a 4-4-3 Yin-Yang net whose output neuron 0 cannot spike, on
 * samples labelled labels[]; returns the output layer's bumps and sets dw0 to
 * neuron 0's largest and dw12 to neurons 1 and 2's largest weight change. */
static int bump_step(enum ax_ttfs_bump_outputs mode, const int *labels, double *dw0, double *dw12)
{
    enum { N = 6 };
    static const double x[N * 4] = {0.2, 1.8, 0.4, 1.6, 0.9, 1.1, 1.3, 0.7, 1.7, 0.3, 0.5, 1.5,
                                    0.6, 1.4, 1.2, 0.8, 1.0, 1.0, 0.3, 1.7, 1.5, 0.5, 0.8, 1.2};
    struct ax_ttfs_dataset ds = {
        .n = N, .n_features = 4, .n_classes = 3, .t = (double *)x, .labels = (int *)labels};
    struct ax_ttfs_config cfg;
    if (load_config(&cfg, "yinyang-fastdeep"))
        return -1;
    cfg.sizes[1] = 4;
    cfg.batch_size = N;
    cfg.missing_threshold[0] = cfg.missing_threshold[1] = 0.0;
    cfg.bump_outputs = mode;
    struct ax_ttfs_trainer tr;
    if (ax_ttfs_trainer_create(&tr, &cfg, &ds, NULL))
        return -1;
    struct ax_ttfs_net *net = &tr.net;
    int n_in0 = net->spec[0].n_in, n_in1 = net->spec[1].n_in; /* with the bias */
    for (int i = 0; i < 4 * n_in0; i++)
        net->params[net->w_off[0] + (size_t)i] = 1.5; /* every hidden neuron spikes */
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < n_in1; i++)
            net->params[net->w_off[1] + (size_t)j * n_in1 + (size_t)i] = j == 0 ? -1.0 : 1.0;
    double before[3 * 8];
    memcpy(before, net->params + net->w_off[1], (size_t)3 * n_in1 * sizeof *before);
    struct ax_ttfs_epoch_stats st;
    int rc = run_epochs(&tr, 1, &st);
    *dw0 = *dw12 = 0.0;
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < n_in1; i++) {
            double d = fabs(net->params[net->w_off[1] + (size_t)j * n_in1 + (size_t)i] -
                            before[j * n_in1 + i]);
            double *m = j == 0 ? dw0 : dw12;
            *m = d > *m ? d : *m;
        }
    int bumps = rc ? -1 : st.bumps_by_layer[1];
    ax_ttfs_trainer_free(&tr);
    return bumps;
}

/* train.bump_outputs: "any" bumps a silent wrong-class output (the
 * reference), "label" only a silent label neuron; a bump adds exactly
 * weight_bump to the silent neuron's inputs and skips the step. */
static void test_bump_outputs(void)
{
    static const int no_zero[6] = {1, 2, 1, 2, 2, 1}, one_zero[6] = {1, 2, 0, 2, 2, 1};
    double dw0, dw12;
    int b = bump_step(AX_TTFS_BUMP_ANY, no_zero, &dw0, &dw12);
    CHECK(b == 1 && fabs(dw0 - 5e-4) < 1e-12 && dw12 == 0.0,
          "any, neuron 0 silent: %d bumps, neuron 0 moved %g, others %g", b, dw0, dw12);
    b = bump_step(AX_TTFS_BUMP_LABEL, no_zero, &dw0, &dw12);
    CHECK(b == 0 && dw12 > 0.0, "label, neuron 0 silent but never the label: %d bumps, %g moved", b,
          dw12);
    b = bump_step(AX_TTFS_BUMP_LABEL, one_zero, &dw0, &dw12);
    CHECK(b == 1 && fabs(dw0 - 5e-4) < 1e-12 && dw12 == 0.0,
          "label, neuron 0 silent as a label: %d bumps, neuron 0 moved %g, others %g", b, dw0,
          dw12);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    if (ax_ttfs_dataset_yinyang(&train_set, AX_YINYANG_TRAIN, 0.15, 2.0) ||
        ax_ttfs_dataset_yinyang(&val_set, AX_YINYANG_VALIDATION, 0.15, 2.0))
        return 1;
    test_loss_gradients();
    test_bad_configs();
    test_max_dw_mode();
    test_train_noise();
    test_bias_layers();
    test_init_from();
    test_train_shift();
    test_bump_outputs();
    test_reproducible_and_resume();
    test_select_best_val();
    test_threads_match("yinyang-delgrad-h30ws");
    test_threads_match("yinyang-fastdeep");
    test_backend_times_used();
    test_backend_training();
    test_learns_yinyang();
    test_error_paths();
    ax_ttfs_dataset_free(&train_set);
    ax_ttfs_dataset_free(&val_set);
    remove(tmpdir);
    return check_summary();
}
