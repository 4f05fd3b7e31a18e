// ax_chip: the chip part of the board (neurons, synapses, drivers, routing,
// CapMem, CADC, MADC, correlation sensors, noise). The link part (ax_link_*)
// talks to it only through these ports. See docs/chip.md.
//
// INTERFACE CONTRACT (fixed; the body is the chip's own):
// - reg_*: one request at a time. The link raises reg_req_i for one cycle with
//   we/addr/wdata; the chip answers with exactly one reg_ack_o pulse some
//   cycles later (rdata valid with it; err set for an access that failed).
//   Addresses and values reaching the bus were validated at receipt with
//   ax_chip_pkg::chip_addr_ok / chip_value_ok, so err is for runtime faults.
// - inj_*: valid/ready handshake, one input event per cycle at most.
// - nrst_*: one-cycle pulse; resets the neurons selected by block/mask.
// - spk_*: spikes leaving the chip, at most one per cycle, in non-decreasing
//   order of spk_cycle_o. No back-pressure: the chip reports spikes it had to
//   drop internally with spk_drop_o (one pulse per lost spike).
// - madc_*: one sample per pulse, with the cycle it was taken.
// - idle_o: no event waits in any queue, delay line or arbiter (BARRIER).
module ax_chip #(
  parameter int unsigned NeuronsPerHemi = 256,  // columns per hemisphere
  parameter int unsigned RowsPerHemi    = 256   // synapse rows per hemisphere
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // straps, constant while out of reset
  input  logic [63:0] die_seed_i,         // fixed-pattern noise seed
  input  logic [63:0] run_seed_i,         // temporal noise seed
  input  logic [7:0]  fpn_scale_i,        // 128 = nominal fixed-pattern noise, 0 = off
  input  logic [7:0]  temporal_scale_i,   // 128 = nominal temporal noise, 0 = off
  // experiment time in cycles, from the playback executor
  input  logic [55:0] time_i,
  // register bus
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [23:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic        reg_ack_o,
  output logic        reg_err_o,
  output logic [31:0] reg_rdata_o,
  // input events from the link
  input  logic        inj_valid_i,
  input  logic [15:0] inj_label_i,
  output logic        inj_ready_o,
  // neuron reset
  input  logic        nrst_valid_i,
  input  logic        nrst_all_i,
  input  logic [3:0]  nrst_block_i,
  input  logic [31:0] nrst_mask_i,
  // spikes leaving the chip
  output logic        spk_valid_o,
  output logic [15:0] spk_label_o,
  output logic [8:0]  spk_neuron_o,
  output logic [55:0] spk_cycle_o,
  output logic [3:0]  spk_frac_o,
  output logic        spk_drop_o,
  // membrane ADC stream
  output logic        madc_valid_o,
  output logic [9:0]  madc_sample_o,
  output logic [55:0] madc_cycle_o,
  // event paths idle
  output logic        idle_o
);
  // Body: the chip engineer's. (Placeholder until then.)
endmodule
