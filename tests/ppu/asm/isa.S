# Every RV32IM instruction with its edge cases; exits 0, or the number of
# the first failed check (a0), the expected value in OUTBOX.
.macro CHK n, r, v
  li x31, \v
  li x3, \n
  beq \r, x31, 1f
  j fail
1:
.endm
.text
.globl _start
_start:
  lui x5, 0x12345
  CHK 1, x5, 0x12345000
  lui x5, 0xfffff
  CHK 2, x5, 0xfffff000
2: auipc x5, 0
  la x6, 2b
  li x3, 3
  bne x5, x6, fail
3: auipc x5, 1
  la x6, 3b
  sub x5, x5, x6
  CHK 4, x5, 0x1000
  li x5, 0x7fffffff
  li x6, 1
  add x7, x5, x6
  CHK 5, x7, 0x80000000
  sub x7, x0, x6
  CHK 6, x7, 0xffffffff
  addi x7, x5, -1
  CHK 7, x7, 0x7ffffffe
  li x5, -1
  slt x7, x5, x6
  CHK 8, x7, 1
  sltu x7, x5, x6
  CHK 9, x7, 0
  slti x7, x5, 0
  CHK 10, x7, 1
  sltiu x7, x6, -1
  CHK 11, x7, 1
  slti x7, x6, -1
  CHK 12, x7, 0
  li x5, 0xf0f0f0f0
  li x6, 0x0ff00ff0
  xor x7, x5, x6
  CHK 13, x7, 0xff00ff00
  or x7, x5, x6
  CHK 14, x7, 0xfff0fff0
  and x7, x5, x6
  CHK 15, x7, 0x00f000f0
  xori x7, x5, -1
  CHK 16, x7, 0x0f0f0f0f
  ori x7, x5, 0x0f
  CHK 17, x7, 0xf0f0f0ff
  andi x7, x5, 0x7f0
  CHK 18, x7, 0xf0
  andi x7, x5, -16
  CHK 19, x7, 0xf0f0f0f0
  li x5, 0x80000001
  li x6, 33
  sll x7, x5, x6
  CHK 20, x7, 2
  srl x7, x5, x6
  CHK 21, x7, 0x40000000
  sra x7, x5, x6
  CHK 22, x7, 0xc0000000
  li x6, 32
  sll x7, x5, x6
  CHK 23, x7, 0x80000001
  sra x7, x5, x6
  CHK 24, x7, 0x80000001
  slli x7, x5, 31
  CHK 25, x7, 0x80000000
  srli x7, x5, 31
  CHK 26, x7, 1
  srai x7, x5, 31
  CHK 27, x7, 0xffffffff
  srai x7, x5, 0
  CHK 28, x7, 0x80000001
  addi x0, x0, 5
  CHK 29, x0, 0
  lui x0, 1
  CHK 30, x0, 0
  li x5, 7
  add x0, x5, x5
  CHK 31, x0, 0
  # M extension
  li x5, -3
  li x6, 7
  mul x7, x5, x6
  CHK 40, x7, 0xffffffeb
  mulh x7, x5, x6
  CHK 41, x7, 0xffffffff
  mulhu x7, x5, x6
  CHK 42, x7, 6
  mulhsu x7, x5, x6
  CHK 43, x7, 0xffffffff
  mulhsu x7, x6, x5
  CHK 44, x7, 6
  li x5, 0x80000000
  mv x6, x5
  mulh x7, x5, x6
  CHK 45, x7, 0x40000000
  mulhu x7, x5, x6
  CHK 46, x7, 0x40000000
  mulhsu x7, x5, x6
  CHK 47, x7, 0xc0000000
  mul x7, x5, x6
  CHK 48, x7, 0
  li x5, -1
  li x6, -1
  mulhu x7, x5, x6
  CHK 49, x7, 0xfffffffe
  mulh x7, x5, x6
  CHK 50, x7, 0
  mulhsu x7, x5, x6
  CHK 51, x7, 0xffffffff
  mul x7, x5, x6
  CHK 52, x7, 1
  li x5, 20
  li x6, -3
  div x7, x5, x6
  CHK 60, x7, 0xfffffffa
  rem x7, x5, x6
  CHK 61, x7, 2
  divu x7, x5, x6
  CHK 62, x7, 0
  remu x7, x5, x6
  CHK 63, x7, 20
  li x5, -20
  li x6, 3
  div x7, x5, x6
  CHK 64, x7, 0xfffffffa
  rem x7, x5, x6
  CHK 65, x7, 0xfffffffe
  divu x7, x5, x6
  CHK 66, x7, 0x5555554e
  remu x7, x5, x6
  CHK 67, x7, 2
  li x6, 0
  div x7, x5, x6
  CHK 68, x7, 0xffffffff
  divu x7, x5, x6
  CHK 69, x7, 0xffffffff
  rem x7, x5, x6
  CHK 70, x7, 0xffffffec
  remu x7, x5, x6
  CHK 71, x7, 0xffffffec
  li x5, 0x80000000
  li x6, -1
  div x7, x5, x6
  CHK 72, x7, 0x80000000
  rem x7, x5, x6
  CHK 73, x7, 0
  divu x7, x5, x6
  CHK 74, x7, 0
  remu x7, x5, x6
  CHK 75, x7, 0x80000000
  li x5, 0xfffffffe
  li x6, 0x10000
  divu x7, x5, x6
  CHK 76, x7, 0xffff
  remu x7, x5, x6
  CHK 77, x7, 0xfffe
  li x5, -7
  li x6, -2
  div x7, x5, x6
  CHK 78, x7, 3
  rem x7, x5, x6
  CHK 79, x7, 0xffffffff
  div x0, x5, x6
  CHK 80, x0, 0
  # loads and stores
  la x5, data
  li x6, 0x8081f2f3
  sw x6, 0(x5)
  lb x7, 0(x5)
  CHK 90, x7, 0xfffffff3
  lbu x7, 0(x5)
  CHK 91, x7, 0xf3
  lb x7, 3(x5)
  CHK 92, x7, 0xffffff80
  lbu x7, 3(x5)
  CHK 93, x7, 0x80
  lh x7, 0(x5)
  CHK 94, x7, 0xfffff2f3
  lhu x7, 0(x5)
  CHK 95, x7, 0xf2f3
  lh x7, 2(x5)
  CHK 96, x7, 0xffff8081
  lhu x7, 2(x5)
  CHK 97, x7, 0x8081
  lw x7, 0(x5)
  CHK 98, x7, 0x8081f2f3
  li x6, 0x55
  sb x6, 1(x5)
  lw x7, 0(x5)
  CHK 99, x7, 0x808155f3
  li x6, 0xab1234
  sh x6, 2(x5)
  lw x7, 0(x5)
  CHK 100, x7, 0x123455f3
  addi x8, x5, 8
  sw x6, -4(x8)
  lw x7, 4(x5)
  CHK 101, x7, 0xab1234
  lb x0, 0(x5)
  CHK 102, x0, 0
  lbu x7, 2(x5)
  CHK 103, x7, 0x34
  # branches, both ways
  li x5, -1
  li x6, 1
  li x3, 110
  beq x5, x6, fail
  beq x5, x5, 1f
  j fail
1: li x3, 111
  bne x5, x5, fail
  bne x5, x6, 1f
  j fail
1: li x3, 112
  blt x6, x5, fail
  blt x5, x6, 1f
  j fail
1: li x3, 113
  bge x5, x6, fail
  bge x6, x5, 1f
  j fail
1: bge x5, x5, 1f
  j fail
1: li x3, 114
  bltu x5, x6, fail
  bltu x6, x5, 1f
  j fail
1: li x3, 115
  bgeu x6, x5, fail
  bgeu x5, x6, 1f
  j fail
1: bgeu x6, x6, 1f
  j fail
1: li x3, 116
  # backward branch: a loop of 5
  li x7, 0
  li x8, 5
1: addi x7, x7, 1
  blt x7, x8, 1b
  CHK 117, x7, 5
  # jal / jalr
  jal x1, 4f
5: j fail
4: la x6, 5b
  li x3, 120
  bne x1, x6, fail
  la x5, 6f
  addi x5, x5, 1
  jalr x1, 0(x5)
7: j fail
6: la x6, 7b
  li x3, 121
  bne x1, x6, fail
  la x5, 8f
  jalr x5, 0(x5)
9: j fail
8: la x6, 9b
  li x3, 122
  bne x5, x6, fail
  la x5, 10f
  jalr x0, -4(x5)
  j fail
  j 11f
10: j fail
11: jal x0, 12f
  j fail
12: fence
  li x3, 0
  li a0, 0
  li a7, 93
  ecall
fail:
  li x30, 0x80000004
  sw x31, 0(x30)
  mv a0, x3
  li a7, 93
  ecall
.data
.balign 4
data: .word 0, 0, 0, 0
