/* axsim: the C API of the simulated board (the verilated RTL model).
 *
 * The harness is the USB bridge's side of the board's FIFO pins and nothing
 * more: bytes go in and come out exactly as a real bridge would carry them,
 * at the board variant's link rate relative to the 125 MHz chip clock. The
 * caller steps the clock; nothing runs on a thread of its own, so the same
 * options and the same byte stream give the same bytes back, bit for bit.
 * Functions return 0 (or a count) on success and a negative ax_status on error.
 */
#ifndef AXSIM_H
#define AXSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axsim_board axsim_board;

typedef enum axsim_variant {
    AXSIM_USB3 = 0, /* FT601-class 32-bit FIFO at 100 MHz (default) */
    AXSIM_USB2 = 1  /* FT232H/FT2232H 8-bit 245 sync FIFO at 60 MHz, ~40 MB/s */
} axsim_variant;

typedef enum axsim_size {
    AXSIM_FULL = 0, /* 512 neurons, 2 x 256 x 256 synapses (default) */
    AXSIM_SMALL = 1 /* reduced chip for unit tests: 2 x 32 neurons, 2 x 32 x 32 synapses */
} axsim_size;

typedef struct axsim_options {
    uint64_t die_seed;     /* fixed-pattern noise: two seeds are two chips */
    uint64_t run_seed;     /* temporal noise */
    axsim_variant variant; /* link bridge */
    axsim_size size;       /* chip size */
    double fpn_scale;      /* fixed-pattern noise scale: 1.0 nominal, 0 off (0..1.99) */
    double temporal_scale; /* temporal noise scale: 1.0 nominal, 0 off (0..1.99) */
} axsim_options;

/* Defaults: die seed 1, run seed 1, USB3, full chip, both noise scales 1.0. */
void axsim_options_default(axsim_options *opt);

/* Creates a board in its power-on state (reset applied and released). */
int axsim_create(const axsim_options *opt, axsim_board **out);
void axsim_destroy(axsim_board *b);

/* Queues host-to-board bytes in the bridge's transmit buffer; they cross the
 * link as the clock advances. Returns the number of bytes accepted (less than
 * len when the bridge buffer is full). */
int axsim_write(axsim_board *b, const uint8_t *data, size_t len);

/* Takes up to cap bytes that have crossed the link to the host. Returns the
 * number of bytes copied (0 when none are waiting). */
int axsim_read(axsim_board *b, uint8_t *buf, size_t cap);

/* Bytes waiting for axsim_read(). */
size_t axsim_readable(const axsim_board *b);

/* Advances the chip clock by the given number of cycles (8 ns each). */
int axsim_step(axsim_board *b, uint64_t cycles);

/* Advances until at least one byte is readable or max_cycles have passed;
 * returns the number of cycles advanced (>= 0) or a negative ax_status. */
int64_t axsim_step_until_readable(axsim_board *b, uint64_t max_cycles);

/* Chip cycles since power-on (the board's systime). */
uint64_t axsim_cycles(const axsim_board *b);

/* The options the board was created with. */
const axsim_options *axsim_get_options(const axsim_board *b);

/* DEBUG BACKDOOR for test assertions only; not part of the chip's interface
 * and never used by the driver. Reads neuron n's membrane state word. */
int axsim_debug_membrane(const axsim_board *b, unsigned neuron, int32_t *value);

#ifdef __cplusplus
}
#endif
#endif
