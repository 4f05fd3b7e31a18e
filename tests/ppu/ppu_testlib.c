/* Helpers for the plasticity-processor tests (ppu_testlib.h). */
#define _POSIX_C_SOURCE 200809L
#include "ppu_testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axon/program.h"

static void die(const char *what)
{
    fprintf(stderr, "ppu test: %s\n", what);
    exit(1);
}

void pt_check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "ppu test: %s: %s (%s)\n", what, ax_strerror(rc), ax_error_detail());
        exit(1);
    }
}

int pt_run_cmd(const char *cmd)
{
    return system(cmd);
}

void pt_assemble(const char *gcc, const char *src, const char *flags, pt_bin *b)
{
    char dir[] = "/tmp/ppu_test_XXXXXX";
    char path[512], cmd[2048];
    if (!mkdtemp(dir))
        die("mkdtemp failed");
    snprintf(path, sizeof path, "%s/p.S", dir);
    FILE *f = fopen(path, "w");
    if (!f || fputs(src, f) < 0 || fclose(f) != 0)
        die("cannot write the program source");
    /* objcopy lives next to gcc with the same prefix */
    size_t gl = strlen(gcc);
    if (gl < 3 || strcmp(gcc + gl - 3, "gcc") != 0)
        die("the compiler path does not end in gcc");
    snprintf(cmd, sizeof cmd,
             "%s -march=rv32im -mabi=ilp32 -misa-spec=2.2 -nostdlib -nostartfiles -Wl,-Ttext=0 "
             "-Wl,--no-relax -Wl,-N -Wl,--no-warn-rwx-segments %s -o %s/p.elf %s && %.*sobjcopy -O "
             "binary %s/p.elf %s/p.bin",
             gcc, flags, dir, path, (int)(gl - 3), gcc, dir, dir);
    if (pt_run_cmd(cmd) != 0)
        die("assembling the program failed");
    snprintf(path, sizeof path, "%s/p.bin", dir);
    f = fopen(path, "rb");
    if (!f)
        die("no binary");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (len <= 0 || len > 0x4000)
        die("binary empty or larger than SRAM");
    b->n = ((size_t)len + 3) / 4;
    b->w = calloc(b->n, 4);
    uint8_t *bytes = calloc(b->n, 4);
    if (!b->w || !bytes || fread(bytes, 1, (size_t)len, f) != (size_t)len)
        die("reading the binary failed");
    fclose(f);
    for (size_t i = 0; i < b->n; i++)
        b->w[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                  (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    free(bytes);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)pt_run_cmd(cmd);
}

void pt_bin_free(pt_bin *b)
{
    free(b->w);
    b->w = NULL;
    b->n = 0;
}

ax_device *pt_open(const char *uri)
{
    ax_device *d = NULL;
    pt_check(ax_open(uri, &d), "open");
    return d;
}

static void run(ax_device *d, ax_program *p)
{
    ax_result r;
    ax_result_init(&r);
    pt_check(ax_run(d, p, &r), "run");
    ax_result_free(&r);
}

void pt_load(ax_device *d, unsigned hemi, const pt_bin *b)
{
    ax_program *p = NULL;
    pt_check(ax_program_new(&p), "program");
    for (size_t i = 0; i < b->n; i += 200) {
        size_t k = b->n - i < 200 ? b->n - i : 200;
        pt_check(ax_program_write_block(p, PT_SRAM(hemi) + (uint32_t)i, b->w + i, k), "write");
    }
    run(d, p);
    ax_program_free(p);
}

void pt_cmd(ax_device *d, unsigned hemi, unsigned command, uint32_t start)
{
    ax_program *p = NULL;
    pt_check(ax_program_new(&p), "program");
    pt_check(ax_program_ppu(p, command, hemi, start), "ppu instruction");
    run(d, p);
    ax_program_free(p);
}

uint32_t pt_reg(ax_device *d, unsigned hemi, unsigned off)
{
    uint32_t v = 0;
    pt_check(ax_reg_read(d, PT_REG(hemi, off), &v), "register read");
    return v;
}

uint32_t pt_wait(ax_device *d, unsigned hemi, unsigned polls, int until_sleep)
{
    uint32_t s = 0;
    for (unsigned i = 0; i < polls; i++) {
        s = pt_reg(d, hemi, PT_STATUS);
        if (PT_STATE(s) != 1 && (until_sleep || PT_STATE(s) != 2))
            break;
    }
    return s;
}

void pt_read_sram(ax_device *d, unsigned hemi, uint32_t byte_addr, uint32_t *out, size_t n)
{
    for (size_t i = 0; i < n; i += 200) {
        size_t k = n - i < 200 ? n - i : 200;
        pt_check(ax_reg_read_block(d, PT_SRAM(hemi) + byte_addr / 4 + (uint32_t)i, out + i, k),
                 "SRAM read");
    }
}
