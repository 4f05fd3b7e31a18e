/* bench-ppu: the plasticity processors on the full simulated chip. One line:
 *   {"bench":"ppu","cpi":...,"mix":...,"model_cycles_per_s_running":...,
 *    "model_cycles_per_s_asleep":...,"model_cycles_per_s_stopped":...}
 * cpi: cycles per retired instruction of PPU 0 on a loop of 12 instructions
 * (7 ALU incl. shifts and the counter, 1 mul, 1 lw, 1 sw, 1 branch not
 * taken, 1 loop branch taken: see MIX). The simulation speeds are model
 * cycles per second of process CPU time over an otherwise idle chip with
 * both cores running a loop, both asleep in wfi, both stopped; medians of
 * 5 interleaved runs of 200000 cycles. op_cycles: cycles of one instruction of
 * each class, timed with CYCLE_LO around 64 copies. stdp_sweep_cycles and
 * stdp_sweep_cycles_scalar: one STDP update of all 256 x 256 synapses of
 * hemisphere 0 by stdp.elf (row unit) and stdp_scalar.elf (bench_stdp.c).
 * Usage: bench-ppu [cycles] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "axon/program.h"
#include "bench_stdp.h"
#include "ppu_testlib.h"

#define RUNS 5

static const char MIX[] = ".globl _start\n_start:\n  li x10, 2000\n  li x11, 0x2000\n"
                          "loop:\n  add x5, x5, x10\n  xor x6, x5, x10\n  slli x7, x6, 3\n"
                          "  mul x8, x7, x5\n  lw x9, 0(x11)\n  add x9, x9, x8\n  sw x9, 0(x11)\n"
                          "  srai x12, x9, 5\n  beq x12, x0, 1f\n1:\n  or x13, x12, x5\n"
                          "  addi x10, x10, -1\n  bne x10, x0, loop\n  li a0, 0\n  li a7, 93\n"
                          "  ecall\n";

/* Cycles of one instruction: 64 copies of body between two reads of
 * CYCLE_LO (which differ by the bodies' cycles + 3: a load of CYCLE_LO takes 3
 * cycles and reads in its second), on PPU 0. */
static double op_cycles(ax_device *d, const char *body)
{
    char src[8192];
    size_t n = (size_t)snprintf(src, sizeof src,
                                ".globl _start\n_start: li x5, 0x80000000\n li x20, 0xC0040004\n"
                                " li x21, 3\n li x8, 1000\n li x9, 7\n lw x11, 8(x5)\n");
    for (unsigned i = 0; i < 64; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, " %s\n", body);
    snprintf(src + n, sizeof src - n, " lw x12, 8(x5)\n sub a0, x12, x11\n li a7, 93\n ecall\n");
    pt_bin b;
    pt_assemble(AX_RISCV_GCC_PATH, src, "", &b);
    pt_load(d, 0, &b);
    pt_bin_free(&b);
    pt_cmd(d, 0, AX_PPU_START, 0);
    uint32_t s = pt_wait(d, 0, 1000, 0);
    if (!PT_EXITED(s)) {
        fprintf(stderr, "bench-ppu: timing of '%s' did not exit (status %#x)\n", body, s);
        exit(1);
    }
    return ((double)pt_reg(d, 0, PT_EXIT_CODE) - 3.0) / 64.0;
}

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
    double t_alu = op_cycles(d, "add x7, x7, x8"), t_lw = op_cycles(d, "lw x7, 0x100(x0)"),
           t_mul = op_cycles(d, "mul x7, x8, x9"), t_div = op_cycles(d, "div x7, x8, x9"),
           t_win = op_cycles(d, "lw x7, 0(x20)"), t_loc = op_cycles(d, "lw x7, 0x14(x5)"),
           t_vld = op_cycles(d, ".insn r 0x0b, 0, 0, x1, x21, x0"),
           t_vst = op_cycles(d, ".insn r 0x0b, 0, 1, x0, x21, x1"),
           t_vop = op_cycles(d, ".insn r 0x0b, 0, 2, x1, x1, x2");
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
    uint32_t sweep = 0, sweep_scalar = 0;
    if (bench_stdp_sweep(d, AX_PPU_DIR_PATH, &sweep, &sweep_scalar) < 0) {
        fprintf(stderr, "bench-ppu: stdp sweep: %s\n", ax_error_detail());
        return 1;
    }
    printf(
        "{\"bench\":\"ppu\",\"cpi\":%.3f,\"mix\":\"alu 7, mul 1, lw 1, sw 1, branch 2 (1 taken)\","
        "\"model_cycles_per_s_running\":%.0f,\"model_cycles_per_s_asleep\":%.0f,"
        "\"model_cycles_per_s_stopped\":%.0f,\"cycles\":%llu,\"op_cycles\":{\"alu\":%.2f,"
        "\"lw_sram\":%.2f,\"mul\":%.2f,\"div\":%.2f,\"lw_core_reg\":%.2f,"
        "\"lw_chip_window\":%.2f,\"vld\":%.2f,\"vst\":%.2f,\"vadds\":%.2f},"
        "\"stdp_sweep_cycles\":%u,\"stdp_sweep_cycles_scalar\":%u,\"stdp_sweep_speedup\":%.1f}\n",
        cpi, v[0][RUNS / 2], v[1][RUNS / 2], v[2][RUNS / 2], (unsigned long long)cycles, t_alu,
        t_lw, t_mul, t_div, t_loc, t_win, t_vld, t_vst, t_vop, sweep, sweep_scalar,
        sweep ? (double)sweep_scalar / sweep : 0.0);
    ax_close(d);
    return 0;
}
