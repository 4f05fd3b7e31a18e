/* Helpers for the plasticity-processor tests: assemble a program with the
 * RISC-V toolchain into a flat binary (linked at SRAM address 0), load it
 * into a PPU's SRAM through the driver, start it, wait for it to halt, read
 * its registers (docs/ppu.md). */
#ifndef PPU_TESTLIB_H
#define PPU_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include "axon/axon.h"

#define PT_SRAM(h)     (0x800000u + 0x1000u * (h))
#define PT_REG(h, off) (0x810000u + 0x100u * (h) + (off))
enum {
    PT_STATUS = 0x00,
    PT_EXIT_CODE = 0x01,
    PT_PC = 0x02,
    PT_TVAL = 0x03,
    PT_CYCLES = 0x04,
    PT_INSTRET = 0x05,
    PT_INBOX = 0x06,
    PT_OUTBOX = 0x07,
    PT_MBOX_LEN = 0x08,
    PT_MBOX = 0x40
};
#define PT_STATE(s)   ((s)&3u)
#define PT_EXITED(s)  (((s) >> 2) & 1u)
#define PT_TRAPPED(s) (((s) >> 3) & 1u)
#define PT_CAUSE(s)   (((s) >> 8) & 15u)

typedef struct pt_bin {
    uint32_t *w; /* words of the flat binary (at SRAM 0) */
    size_t n;
} pt_bin;

/* Assembles src (GNU as syntax, rv32im) with extra gcc flags (may be "")
 * into b; exits the test with a message on failure. gcc is the compiler path. */
void pt_assemble(const char *gcc, const char *src, const char *flags, pt_bin *b);
void pt_bin_free(pt_bin *b);
/* Runs gcc on a file and returns 0 or the failing step's status. */
int pt_run_cmd(const char *cmd);

ax_device *pt_open(const char *uri);
void pt_check(int rc, const char *what); /* exits on a driver error */
void pt_load(ax_device *d, unsigned hemi, const pt_bin *b);
void pt_cmd(ax_device *d, unsigned hemi, unsigned command, uint32_t start);
uint32_t pt_reg(ax_device *d, unsigned hemi, unsigned off);
/* Polls STATUS until the core is no longer running (or asleep, with
 * until_sleep), at most polls times; returns the last STATUS. */
uint32_t pt_wait(ax_device *d, unsigned hemi, unsigned polls, int until_sleep);
void pt_read_sram(ax_device *d, unsigned hemi, uint32_t byte_addr, uint32_t *out, size_t n);

#endif
