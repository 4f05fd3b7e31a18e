/* The results file and the per-die cache on the small chip, in a temporary
 * AXON_CALIB_DIR: a calibration is saved and found again (same id, same
 * codes); a truncated file, a flipped byte, another die's file and a file of
 * another model version are detected and recomputed, never applied. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axon/calib.h"

static int fails;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL: " __VA_ARGS__);                                                          \
            printf(" (%s)\n", ax_error_detail());                                                  \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

static struct ax_calib_targets tg = {.name = "test",
                                     .value = {300, 300, 325, 1.0, 1.0, 1.0, 0.05, 0.05, 5.0}};

static enum ax_calib_source get(ax_device *d, struct ax_calib_result *r)
{
    enum ax_calib_source s = AX_CALIB_CACHED;
    int rc = ax_calib_get(d, &tg, NULL, NULL, r, &s);
    CHECK(rc == AX_OK, "ax_calib_get: %d", rc);
    return s;
}

static void patch(const char *path, long off, int truncate_to)
{
    FILE *f = fopen(path, "r+b");
    if (!f) {
        printf("FAIL: open %s\n", path);
        fails++;
        return;
    }
    if (truncate_to >= 0) {
        fclose(f);
        if (truncate(path, truncate_to) < 0)
            fails++;
        return;
    }
    fseek(f, off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
}

int main(void)
{
    char dir[] = "/tmp/axon-calib-test-XXXXXX", path[4352], other[4352];
    if (!mkdtemp(dir))
        return 1;
    setenv("AXON_CALIB_DIR", dir, 1);
    ax_calib_targets_hash(&tg);
    ax_device *d, *d2;
    if (ax_open("sim:?size=small&die=1", &d) < 0 || ax_open("sim:?size=small&die=2", &d2) < 0) {
        printf("FAIL: open: %s\n", ax_error_detail());
        return 1;
    }
    ax_calib_cache_path(ax_device_ident(d), &tg, path, sizeof path);
    ax_calib_cache_path(ax_device_ident(d2), &tg, other, sizeof other);
    struct ax_calib_result r1, r2;
    CHECK(get(d, &r1) == AX_CALIB_MEASURED, "first lookup measures");
    CHECK(strlen(r1.id) == 16, "calibration id '%s'", r1.id);
    CHECK(get(d, &r2) == AX_CALIB_CACHED, "second lookup uses the cache");
    CHECK(!strcmp(r1.id, r2.id), "same id %s %s", r1.id, r2.id);
    CHECK(!memcmp(r1.codes, r2.codes, r1.neurons * AX_PARAM_COUNT * sizeof *r1.codes),
          "same codes");
    CHECK(r2.stat[0].std_after == r1.stat[0].std_after, "same statistics");
    ax_calib_result_free(&r2);

    /* a truncated file */
    patch(path, 0, 200);
    CHECK(ax_calib_load(path, &r2) == AX_E_TRUNC, "truncated file refused");
    CHECK(get(d, &r2) == AX_CALIB_RECOMPUTED, "truncated cache recomputed");
    ax_calib_result_free(&r2);
    /* one flipped byte in the codes */
    patch(path, 100, -1);
    CHECK(ax_calib_load(path, &r2) == AX_E_CRC, "flipped byte refused");
    CHECK(get(d, &r2) == AX_CALIB_RECOMPUTED, "damaged cache recomputed");
    ax_calib_result_free(&r2);
    /* die 1's file under die 2's name: foreign */
    CHECK(ax_calib_load(path, &r2) == AX_OK, "reload");
    CHECK(ax_calib_save(other, &r2) == AX_OK, "copy");
    ax_calib_result_free(&r2);
    CHECK(ax_calib_load(other, &r2) == AX_OK, "the copy is a valid file");
    CHECK(ax_calib_apply(d2, &r2) == AX_E_STATE, "another die's calibration is not applied");
    ax_calib_result_free(&r2);
    CHECK(get(d2, &r2) == AX_CALIB_RECOMPUTED, "foreign cache recomputed");
    CHECK(r2.die_seed == ax_device_ident(d2)->die_seed, "die 2's own calibration");
    ax_calib_result_free(&r2);
    /* a file of another model version (valid in itself) */
    CHECK(ax_calib_load(path, &r2) == AX_OK, "reload");
    r2.model_version += 1;
    CHECK(ax_calib_save(path, &r2) == AX_OK, "save as another model");
    ax_calib_result_free(&r2);
    CHECK(get(d, &r2) == AX_CALIB_RECOMPUTED, "stale model version recomputed");
    CHECK(r2.model_version == ax_device_ident(d)->model_version, "this model's calibration");
    ax_calib_result_free(&r2);
    /* a file of a newer format version */
    patch(path, 8, -1);
    CHECK(ax_calib_load(path, &r2) == AX_E_VERSION, "other file version refused");
    CHECK(get(d, &r2) == AX_CALIB_RECOMPUTED, "other file version recomputed");
    ax_calib_result_free(&r2);
    /* other targets: another file */
    tg.value[AX_PARAM_GAIN_E] = 0.04;
    ax_calib_targets_hash(&tg);
    CHECK(get(d, &r2) == AX_CALIB_MEASURED, "other targets: a new calibration");
    ax_calib_result_free(&r2);
    ax_calib_result_free(&r1);
    ax_close(d);
    ax_close(d2);
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fails++;
    if (!fails)
        printf("calib.file: all checks passed\n");
    return fails != 0;
}
