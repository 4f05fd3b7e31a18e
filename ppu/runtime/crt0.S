/* crt0: the stack below the host area, the thread pointer at the TLS block
 * (picolibc keeps errno there), .tbss and .bss cleared, main(), then
 * ppu_exit(main's result): the exit ecall (docs/ppu.md section 4). */
    .section .text.start, "ax"
    .globl _start
_start:
    la    sp, __stack_top
    la    tp, __tls_base
    la    t0, __bss_start
    la    t1, __bss_end
1:  bgeu  t0, t1, 2f
    sw    zero, 0(t0)
    addi  t0, t0, 4
    j     1b
2:  call  main
    tail  ppu_exit
