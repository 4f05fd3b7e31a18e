/* The plasticity processors (docs/ppu.md): load an RV32IM program into the
 * SRAM of a hemisphere's core, start and stop it, wait for its exit, read its
 * status, mailbox and outbox, write its inbox.
 *
 * Program images come from ELF files, checked before anything is sent: a
 * 32-bit little-endian RISC-V executable (no compressed instructions, no
 * float or RV32E ABI) whose loadable segments lie inside the 16 KiB SRAM. A
 * bad file gets AX_E_FORMAT and a detail naming the problem.
 *
 * Every device call checks hemi (0 or 1: AX_E_INVAL) and the board's
 * capability (IDENT word 9 bit 0: AX_E_UNSUPPORTED on a board without the
 * processors) before it sends anything. */
#ifndef AXON_PPU_H
#define AXON_PPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axon/export.h"
#include "axon/axon.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AX_PPU_SRAM_BYTES    0x4000u    /* 16 KiB per core, at core address 0 */
#define AX_PPU_MAILBOX_BYTES 256u       /* bytes the mailbox keeps */
#define AX_PPU_FILE_MAX      (1u << 20) /* ELF files larger than this are refused */
/* Board word addresses (docs/ppu.md section 3). */
#define AX_PPU_SRAM_ADDR(h) (0x800000u + 0x1000u * (h))
#define AX_PPU_REG_ADDR(h)  (0x810000u + 0x100u * (h))
enum ax_ppu_reg { /* offsets from AX_PPU_REG_ADDR(h) */
                  AX_PPU_STATUS = 0x00,
                  AX_PPU_EXIT_CODE = 0x01,
                  AX_PPU_PC = 0x02,
                  AX_PPU_TVAL = 0x03,
                  AX_PPU_CYCLES = 0x04,
                  AX_PPU_INSTRET = 0x05,
                  AX_PPU_INBOX = 0x06,
                  AX_PPU_OUTBOX = 0x07,
                  AX_PPU_MBOX_LEN = 0x08,
                  AX_PPU_MBOX = 0x40,
};
enum ax_ppu_state { AX_PPU_STOPPED = 0, AX_PPU_RUNNING = 1, AX_PPU_ASLEEP = 2, AX_PPU_HALTED = 3 };

/* A program as the core sees it: the SRAM contents from address 0 up to
 * end (segments copied, the rest, .bss included, zero) and the entry point. */
typedef struct ax_ppu_image {
    uint32_t entry; /* byte address, 4-aligned, inside a loaded segment */
    uint32_t end;   /* bytes of sram to load: the end of the highest segment */
    uint8_t sram[AX_PPU_SRAM_BYTES];
} ax_ppu_image;

/* Checks an ELF file held in memory (n bytes) and builds its image. */
AX_API int ax_ppu_image_parse(const void *elf, size_t n, ax_ppu_image *img);
/* The same for a file (at most AX_PPU_FILE_MAX bytes); the detail starts
 * with the path. AX_E_NOTFOUND / AX_E_IO when it cannot be read. */
AX_API int ax_ppu_image_read(const char *path, ax_ppu_image *img);

/* AX_OK if d has the processors, else AX_E_UNSUPPORTED with a detail. */
AX_API int ax_ppu_check(ax_device *d);

/* Stops core hemi and writes img to its SRAM (bytes 0 .. img->end), in one
 * playback program of write bursts. */
AX_API int ax_ppu_load(ax_device *d, unsigned hemi, const ax_ppu_image *img);
/* Resets core hemi and runs it from byte address pc (4-aligned, < 16 KiB:
 * else AX_E_RANGE, nothing sent). */
AX_API int ax_ppu_start(ax_device *d, unsigned hemi, uint32_t pc);
AX_API int ax_ppu_stop(ax_device *d, unsigned hemi);

struct ax_ppu_status {
    unsigned state; /* enum ax_ppu_state */
    bool exited;    /* ended with the exit ecall: exit_code is valid */
    bool trapped;   /* halted by a trap: cause, pc and tval tell which */
    unsigned cause; /* RISC-V mcause number (ax_ppu_cause_name) */
    uint32_t exit_code, pc, tval;
    uint32_t cycles, instret; /* since start, low 32 bits */
    uint32_t outbox;
    unsigned mbox_len;  /* mailbox bytes, 0 .. AX_PPU_MAILBOX_BYTES */
    bool mbox_overflow; /* the program wrote more, the rest was dropped */
};
AX_API int ax_ppu_status(ax_device *d, unsigned hemi, struct ax_ppu_status *st);

/* Polls core hemi until it is neither running nor asleep (exited, trapped
 * or stopped) and fills st. After timeout_s seconds (wall clock; > 0) it
 * stops the core and returns AX_E_TIMEOUT, detail "ppu N: no exit within S s
 * (pc 0x...)", st holding the status read before the stop. */
AX_API int ax_ppu_wait(ax_device *d, unsigned hemi, double timeout_s, struct ax_ppu_status *st);

/* Copies up to cap bytes of the mailbox to buf (no terminating NUL); *len =
 * the mailbox's length, which may exceed cap. */
AX_API int ax_ppu_mailbox(ax_device *d, unsigned hemi, char *buf, size_t cap, size_t *len);
/* n bytes at SRAM byte address addr of core hemi (addr and n multiples of 4,
 * inside the 16 KiB: else AX_E_RANGE, nothing sent), little-endian words as
 * the core sees them: a program's parameters in the host area (0x3C00,
 * docs/ppu.md section 6) after ax_ppu_load, or its results after it ends. */
#define AX_PPU_HOST_AREA 0x3C00u
AX_API int ax_ppu_sram_write(ax_device *d, unsigned hemi, uint32_t addr, const void *data,
                             size_t n);
AX_API int ax_ppu_sram_read(ax_device *d, unsigned hemi, uint32_t addr, void *data, size_t n);

/* INBOX: a word for the core (wakes it if asleep); OUTBOX: the core's word. */
AX_API int ax_ppu_inbox_write(ax_device *d, unsigned hemi, uint32_t value);
AX_API int ax_ppu_outbox_read(ax_device *d, unsigned hemi, uint32_t *value);

/* "illegal instruction", "load access fault", ... (never NULL). */
AX_API const char *ax_ppu_cause_name(unsigned cause);

#ifdef __cplusplus
}
#endif
#endif
