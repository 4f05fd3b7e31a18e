// ax_chip (loopback stub) and a permissive ax_chip_pkg: a stand-in chip that
// makes the link part testable on its own (tests/model/test_link_*.c link
// the axsim_loopback library, built from this file instead of the real chip).
// Never part of the real board.
//
// - Register bus: 256 scratch words at any chip address (addr[7:0]); ack one
//   cycle after the request. Special addresses:
//     0x01FF00 write: MADC sample period in cycles (0 off); sample = time[9:0]
//     0x01FF01 write: one spk_drop pulse (a spike the chip lost)
//     0x01FF02 write: one ev_drop pulse (an event a delay-line slot dropped)
//     0x01FFEE read or write: fails (bus.err)
// - Every injected event with label L becomes, one cycle later, a spike with
//   label L from neuron L[8:0] at the injection's experiment time, frac L[3:0]
//   (of several injected in one cycle, the one of the lowest slot).
// - idle is low while an injected event has not left as a spike.
// - The scratch words double as the debug membrane array (dbg_membrane, read
//   by axsim_debug_membrane), so the backdoor's plumbing can be tested.
package ax_chip_pkg;
  function automatic logic chip_addr_ok(input logic [23:0] addr, input logic we);
    logic unused_we;
    unused_we    = we;
    chip_addr_ok = (addr >= 24'h010000) && (addr < 24'h800000);
  endfunction

  function automatic logic chip_value_ok(input logic [23:0] addr, input logic [31:0] data);
    // 0x01FF00 (MADC period) takes at most 16 bits.
    chip_value_ok = (addr != 24'h01FF00) || (data < 32'h10000);
  endfunction
endpackage

module ax_chip
  import ax_chip_if_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] die_seed_i,
  input  logic [63:0] run_seed_i,
  input  logic [7:0]  fpn_scale_i,
  input  logic [7:0]  temporal_scale_i,
  input  chip_req_t   chip_req_i,
  output chip_rsp_t   chip_rsp_o
);
  chip_bus_req_t bus;
  assign bus = chip_req_i.bus;

  logic signed [31:0] dbg_membrane [256] /*verilator public_flat_rd*/;
  logic        ack_q, err_q, drop_q, evdrop_q, spk_q, madc_q;
  logic [1:0]  inj_slot;  // the lowest slot with an injected event
  always_comb begin
    inj_slot = 2'd0;
    for (int k = InjSlots - 1; k >= 0; k--) begin
      if (chip_req_i.inj.valid[k]) inj_slot = 2'(k);
    end
  end
  logic [31:0] rdata_q;
  logic [15:0] label_q, period_q, madc_cnt_q;
  logic [55:0] cycle_q, madc_cycle_q;
  logic [9:0]  madc_sample_q;

  logic unused;
  assign unused = ^{die_seed_i, run_seed_i, fpn_scale_i, temporal_scale_i, chip_req_i.nrst,
                    32'(NeuronsPerHemi), 32'(RowsPerHemi)};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q         <= 1'b0;
      err_q         <= 1'b0;
      drop_q        <= 1'b0;
      evdrop_q      <= 1'b0;
      rdata_q       <= '0;
      spk_q         <= 1'b0;
      label_q       <= '0;
      cycle_q       <= '0;
      period_q      <= '0;
      madc_cnt_q    <= '0;
      madc_q        <= 1'b0;
      madc_cycle_q  <= '0;
      madc_sample_q <= '0;
    end else begin
      ack_q   <= bus.req;
      err_q   <= bus.req && bus.addr == 24'h01FFEE;
      drop_q  <= bus.req && bus.we && bus.addr == 24'h01FF01;
      evdrop_q <= bus.req && bus.we && bus.addr == 24'h01FF02;
      rdata_q <= dbg_membrane[bus.addr[7:0]];
      if (bus.req && bus.we && bus.addr == 24'h01FF00) period_q <= bus.wdata[15:0];
      spk_q   <= chip_req_i.inj.valid != '0;
      label_q <= chip_req_i.inj.label[inj_slot];
      cycle_q <= chip_req_i.now;
      madc_q  <= 1'b0;
      if (period_q != 16'd0) begin
        madc_cnt_q <= madc_cnt_q + 16'd1;
        if (madc_cnt_q + 16'd1 >= period_q) begin
          madc_cnt_q    <= '0;
          madc_q        <= 1'b1;
          madc_cycle_q  <= chip_req_i.now;
          madc_sample_q <= chip_req_i.now[9:0];
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (bus.req && bus.we) dbg_membrane[bus.addr[7:0]] <= bus.wdata;
  end

  assign chip_rsp_o = '{
    bus:       '{ack: ack_q, err: err_q, rdata: rdata_q},
    inj_ready: 1'b1,
    spk:       '{valid: spk_q, label: label_q, neuron: label_q[8:0], cycle: cycle_q,
                 frac: label_q[3:0]},
    spk_drop:  drop_q,
    ev_drop:   evdrop_q,
    madc:      '{valid: madc_q, sample: madc_sample_q, cycle: madc_cycle_q},
    idle:      !spk_q && (chip_req_i.inj.valid == '0)
  };
endmodule
