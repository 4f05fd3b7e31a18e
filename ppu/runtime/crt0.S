/* crt0: the stack below the host area, the thread pointer at the TLS block
 * (picolibc keeps errno there), .tbss and .bss cleared, main(), then
 * ppu_exit(main's result): the exit ecall (docs/ppu.md section 4).
 * A started core has sp = 0; a non-zero sp is Linux's stack under
 * qemu-riscv32 (whose image does not map the SRAM above the program), kept
 * so that a program that needs no chip registers runs there too. */
    .section .text.start, "ax"
    .globl _start
_start:
    bnez  sp, 1f
    la    sp, __stack_top
1:  la    tp, __tls_base
    la    t0, __bss_start
    la    t1, __bss_end
2:  bgeu  t0, t1, 3f
    sw    zero, 0(t0)
    addi  t0, t0, 4
    j     2b
3:  call  main
    tail  ppu_exit
