/* Fuzz target: the checkpoint loader (training/src/checkpoint.c) of a small
 * trainer. The input is a checkpoint's body: the harness appends its SHA-256
 * so the parser behind the checksum is what gets fuzzed, and writes it to a
 * temporary file. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axon/sha256.h"
#include "axon/ttfs_data.h"
#include "axon/ttfs_train.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ax_ttfs_trainer tr;
static struct ax_ttfs_dataset train_set, val_set;
static char path[64];
static int ready = -1;

static void remove_file(void)
{
    unlink(path);
}

/* The trainer of yinyang-delgrad-h30ws (its checkpoints are the seeds). */
static int setup(void)
{
    struct ax_ttfs_config cfg;
    snprintf(path, sizeof path, "/tmp/axon-fuzz-ckpt-%d", (int)getpid());
    atexit(remove_file);
    if (ax_ttfs_config_load(&cfg, AX_SOURCE_DIR "/training/configs/yinyang-delgrad-h30ws.cfg") ||
        ax_ttfs_dataset_yinyang(&train_set, AX_YINYANG_TRAIN, 0.15, 2.0) ||
        ax_ttfs_dataset_yinyang(&val_set, AX_YINYANG_VALIDATION, 0.15, 2.0) ||
        ax_ttfs_trainer_create(&tr, &cfg, &train_set, &val_set))
        return -1;
    /* AX_FUZZ_SAVE_SEED=FILE: write this trainer's checkpoint body (a seed). */
    const char *seed = getenv("AX_FUZZ_SAVE_SEED");
    struct stat st;
    if (seed && ax_ttfs_checkpoint_save(&tr, seed) == 0 && stat(seed, &st) == 0 &&
        st.st_size > 32 && truncate(seed, st.st_size - 32) < 0)
        return -1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ready < 0)
        ready = setup();
    if (ready < 0)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    uint8_t sum[32];
    ax_sha256(data, size, sum);
    fwrite(data, 1, size, f);
    fwrite(sum, 1, sizeof sum, f);
    fclose(f);
    ax_ttfs_checkpoint_load(&tr, path);
    return 0;
}
