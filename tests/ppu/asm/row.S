# The row unit on hemisphere 0 of the small chip (one 32-column segment):
# loads rows 3 of weights, labels and both sensors, stores row 4, and the
# lane operations; results in buf (SRAM 0x2000), see test_ppu_core.c.
.macro VOP f7, rd, rs1, rs2
  .insn r 0x0b, 0, \f7, \rd, \rs1, \rs2
.endm
.text
.globl _start
_start:
  li x20, 0x2000            # buf
  li x5, 0x0003
  VOP 0x00, x1, x5, x0      # VLD v1, weights row 3
  VOP 0x0d, x0, x20, x1     # VSTM v1 -> buf + 0
  li x5, 0x1003
  VOP 0x00, x2, x5, x0      # VLD v2, labels row 3
  addi x21, x20, 32
  VOP 0x0d, x0, x21, x2
  li x5, 0x2003
  VOP 0x00, x3, x5, x0      # causal sensors row 3
  addi x21, x20, 64
  VOP 0x0d, x0, x21, x3
  li x5, 0x3003
  VOP 0x00, x4, x5, x0      # anti-causal sensors row 3
  addi x21, x20, 96
  VOP 0x0d, x0, x21, x4
  li x7, 200
  VOP 0x05, x5, x7, x0      # VSPLAT v5, 200
  li x7, 100
  VOP 0x05, x6, x7, x0      # VSPLAT v6, 100
  VOP 0x02, x7, x5, x6      # VADDS v7 = 200 + 100 -> 255
  addi x21, x20, 128
  VOP 0x0d, x0, x21, x7
  VOP 0x03, x7, x6, x5      # VSUBS v7 = 100 - 200 -> 0
  addi x21, x20, 160
  VOP 0x0d, x0, x21, x7
  VOP 0x04, x7, x5, x5      # VMULH v7 = 200 * 200 >> 8 = 156
  addi x21, x20, 192
  VOP 0x0d, x0, x21, x7
  VOP 0x02, x7, x1, x6      # weights + 100: stored clamped to 63
  li x5, 0x0004
  VOP 0x01, x0, x5, x7      # VST weights row 4
  li x7, 0xc5
  li x8, 0
  VOP 0x0b, x2, x7, x8      # VSET v2 lane 0 = 0xc5
  li x5, 0x1004
  VOP 0x01, x0, x5, x2      # VST labels row 4 (low 6 bits)
  li x7, 3
  VOP 0x08, x7, x6, x7      # VSHR v7 = 100 >> 3 = 12
  li x8, 5
  VOP 0x0a, x8, x7, x8      # VGET x8 = lane 5 of v7
  VOP 0x0e, x9, x1, x0      # VSUM x9 = sum of the weights of row 3
  VOP 0x06, x7, x1, x6      # VMIN v7 = min(w, 100) = w
  VOP 0x0e, x10, x7, x0
  VOP 0x07, x7, x1, x5      # VMAX v7 = max(w, 200) = 200
  VOP 0x0e, x11, x7, x0
  sw x11, 224(x20)
  sw x10, 228(x20)
  VOP 0x09, x7, x0, x0      # VRAND v7
  addi x21, x20, 256
  VOP 0x0d, x0, x21, x7
  VOP 0x0c, x6, x21, x0     # VLDM v6 from there: VSUM equal
  VOP 0x0e, x12, x6, x0
  VOP 0x0e, x13, x7, x0
  sub x12, x12, x13
  sw x12, 232(x20)
  li x5, 0x80000000
  sw x8, 4(x5)              # OUTBOX = 12
  mv a0, x9
  li a7, 93
  ecall
