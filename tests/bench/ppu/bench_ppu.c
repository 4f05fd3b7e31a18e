/* bench-ppu: the plasticity processors on the full simulated chip. One line:
 *   {"bench":"ppu","cpi":...,"mix":...,"model_cycles_per_s_running":...,
 *    "model_cycles_per_s_asleep":...,"model_cycles_per_s_stopped":...}
 * cpi: cycles per retired instruction of PPU 0 on a loop of 12 instructions
 * (7 ALU incl. shifts and the counter, 1 mul, 1 lw, 1 sw, 1 branch not
 * taken, 1 loop branch taken: see MIX). The simulation speeds are model
 * cycles per second of process CPU time over an otherwise idle chip with
 * both cores running a loop, both asleep in wfi, both stopped; medians of
 * 5 interleaved runs of 200000 cycles.
 * Usage: bench-ppu [cycles] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "axon/program.h"
#include "ppu_testlib.h"

#define RUNS 5

static const char MIX[] = ".globl _start\n_start:\n  li x10, 2000\n  li x11, 0x2000\n"
                          "loop:\n  add x5, x5, x10\n  xor x6, x5, x10\n  slli x7, x6, 3\n"
                          "  mul x8, x7, x5\n  lw x9, 0(x11)\n  add x9, x9, x8\n  sw x9, 0(x11)\n"
                          "  srai x12, x9, 5\n  beq x12, x0, 1f\n1:\n  or x13, x12, x5\n"
                          "  addi x10, x10, -1\n  bne x10, x0, loop\n  li a0, 0\n  li a7, 93\n"
                          "  ecall\n";

static double cycles_per_s(ax_device *d, uint64_t cycles)
{
    ax_program *p = NULL;
    ax_result r;
    pt_check(ax_program_new(&p), "program");
    pt_check(ax_program_timer_reset(p), "timer reset");
    pt_check(ax_program_wait_until(p, cycles), "wait");
    ax_result_init(&r);
    clock_t c0 = clock();
    pt_check(ax_run(d, p, &r), "run");
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    ax_result_free(&r);
    ax_program_free(p);
    return (double)cycles / (cpu > 0 ? cpu : 1e-9);
}

static void start_both(ax_device *d, const char *src)
{
    pt_bin b;
    pt_assemble(AX_RISCV_GCC_PATH, src, "", &b);
    for (unsigned h = 0; h < 2; h++) {
        pt_load(d, h, &b);
        pt_cmd(d, h, AX_PPU_START, 0);
    }
    pt_bin_free(&b);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    uint64_t cycles = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
    ax_device *d = pt_open("sim:?size=full");
    /* CPI of the mixed loop on PPU 0 */
    pt_bin b;
    pt_assemble(AX_RISCV_GCC_PATH, MIX, "", &b);
    pt_load(d, 0, &b);
    pt_bin_free(&b);
    pt_cmd(d, 0, AX_PPU_START, 0);
    uint32_t s = pt_wait(d, 0, 10000, 0);
    if (!PT_EXITED(s)) {
        fprintf(stderr, "bench-ppu: the mixed loop did not exit (status %#x)\n", s);
        return 1;
    }
    double cpi = (double)pt_reg(d, 0, PT_CYCLES) / (double)pt_reg(d, 0, PT_INSTRET);
    double v[3][RUNS];
    for (unsigned k = 0; k < RUNS; k++) {
        start_both(d, ".globl _start\n_start: addi x5, x5, 1\n xor x6, x6, x5\n j _start\n");
        v[0][k] = cycles_per_s(d, cycles);
        start_both(d, ".globl _start\n_start: wfi\n j _start\n");
        v[1][k] = cycles_per_s(d, cycles);
        for (unsigned h = 0; h < 2; h++)
            pt_cmd(d, h, AX_PPU_STOP, 0);
        v[2][k] = cycles_per_s(d, cycles);
    }
    for (unsigned i = 0; i < 3; i++)
        qsort(v[i], RUNS, sizeof v[i][0], cmp);
    printf(
        "{\"bench\":\"ppu\",\"cpi\":%.3f,\"mix\":\"alu 7, mul 1, lw 1, sw 1, branch 2 (1 taken)\","
        "\"model_cycles_per_s_running\":%.0f,\"model_cycles_per_s_asleep\":%.0f,"
        "\"model_cycles_per_s_stopped\":%.0f,\"cycles\":%llu}\n",
        cpi, v[0][RUNS / 2], v[1][RUNS / 2], v[2][RUNS / 2], (unsigned long long)cycles);
    ax_close(d);
    return 0;
}
