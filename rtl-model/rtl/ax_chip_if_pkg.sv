// ax_chip_if_pkg: the interface between the link part (ax_link, the FPGA
// logic) and the chip (ax_chip, or the stand-in tb/ax_chip_loopback.sv), as
// two packed bundles: chip_req_t from the link to the chip and chip_rsp_t back.
// The chip's reset (chip_rst_no of the link) and the straps are separate ports.
//
// INTERFACE CONTRACT (fixed; the chip's body is its own):
// - bus: one request at a time. The link raises bus.req for one cycle with
//   we/addr/wdata; the chip answers with exactly one bus.ack pulse some cycles
//   later (rdata valid with it; err set for an access that failed).
//   Addresses and values reaching the bus were validated at receipt with
//   ax_chip_pkg::chip_addr_ok / chip_value_ok, so err is for runtime faults.
// - inj: valid/ready handshake (inj_ready), up to InjSlots input events a
//   cycle: slot b holds an event for event bus b (its label's bits [7:6] are
//   b), so the events of one cycle are on distinct buses.
// - nrst: one-cycle pulse; resets the neurons selected by block/mask (or all).
// - spk: spikes leaving the chip, at most one per cycle, in non-decreasing
//   order of spk.cycle. No back-pressure: the chip reports spikes it had to
//   drop internally with spk_drop (one pulse per lost spike), and the events
//   a full delay-line slot dropped with ev_drop (one pulse per event).
// - madc: one sample per pulse, with the cycle it was taken.
// - idle: no event waits in any queue, delay line or arbiter (BARRIER).
package ax_chip_if_pkg;

  // register bus, link to chip
  typedef struct packed {
    logic        req;    // one-cycle request
    logic        we;     // write (else read)
    logic [23:0] addr;   // chip word address
    logic [31:0] wdata;
  } chip_bus_req_t;

  // register bus, chip to link
  typedef struct packed {
    logic        ack;    // one pulse per request
    logic        err;    // the access failed at run time
    logic [31:0] rdata;  // valid with ack
  } chip_bus_rsp_t;

  // input events, one slot per event bus (the chip answers with inj_ready)
  localparam int unsigned InjSlots = 4;
  typedef struct packed {
    logic [InjSlots-1:0]       valid;
    logic [InjSlots-1:0][15:0] label;  // slot b: label[7:6] == b
  } chip_inj_t;

  // neuron reset: all neurons, or 32 * block + i for the set bits i of mask
  typedef struct packed {
    logic        valid;
    logic        all;
    logic [3:0]  block;
    logic [31:0] mask;
  } chip_nrst_t;

  // a spike leaving the chip
  typedef struct packed {
    logic        valid;
    logic [15:0] label;
    logic [8:0]  neuron;
    logic [55:0] cycle;  // experiment time of the spike
    logic [3:0]  frac;   // and its fraction, 1/16 cycle
  } chip_spk_t;

  // a membrane ADC sample
  typedef struct packed {
    logic        valid;
    logic [9:0]  sample;
    logic [55:0] cycle;  // experiment time it was taken
  } chip_madc_t;

  // link to chip
  typedef struct packed {
    logic [55:0]   now;   // experiment time in cycles (playback executor)
    chip_bus_req_t bus;
    chip_inj_t     inj;
    chip_nrst_t    nrst;
  } chip_req_t;

  // chip to link
  typedef struct packed {
    chip_bus_rsp_t bus;
    logic          inj_ready;
    chip_spk_t     spk;
    logic          spk_drop;  // one pulse per spike the chip lost
    logic          ev_drop;   // one pulse per event dropped at a full delay-line slot
    chip_madc_t    madc;
    logic          idle;      // event paths idle
  } chip_rsp_t;

endpackage
