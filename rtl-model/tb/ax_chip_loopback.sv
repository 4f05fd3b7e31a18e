// ax_chip (loopback stub) and a permissive ax_chip_pkg: a stand-in chip that
// makes the link part testable on its own (tests/model/test_link_*.c link
// the axsim_loopback library, built from this file instead of the real chip).
// Never part of the real board.
//
// - Register bus: 256 scratch words at any chip address (addr[7:0]); ack one
//   cycle after the request. Special addresses:
//     0x01FF00 write: MADC sample period in cycles (0 off); sample = time[9:0]
//     0x01FF01 write: one spk_drop_o pulse (a spike the chip lost)
//     0x01FFEE read or write: fails (reg_err_o)
// - Every injected event with label L becomes, one cycle later, a spike with
//   label L from neuron L[8:0] at the injection's experiment time, frac L[3:0].
// - idle_o is low while an injected event has not left as a spike.
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

module ax_chip #(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] die_seed_i,
  input  logic [63:0] run_seed_i,
  input  logic [7:0]  fpn_scale_i,
  input  logic [7:0]  temporal_scale_i,
  input  logic [55:0] time_i,
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [23:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic        reg_ack_o,
  output logic        reg_err_o,
  output logic [31:0] reg_rdata_o,
  input  logic        inj_valid_i,
  input  logic [15:0] inj_label_i,
  output logic        inj_ready_o,
  input  logic        nrst_valid_i,
  input  logic        nrst_all_i,
  input  logic [3:0]  nrst_block_i,
  input  logic [31:0] nrst_mask_i,
  output logic        spk_valid_o,
  output logic [15:0] spk_label_o,
  output logic [8:0]  spk_neuron_o,
  output logic [55:0] spk_cycle_o,
  output logic [3:0]  spk_frac_o,
  output logic        spk_drop_o,
  output logic        madc_valid_o,
  output logic [9:0]  madc_sample_o,
  output logic [55:0] madc_cycle_o,
  output logic        idle_o
);
  logic signed [31:0] dbg_membrane [256] /*verilator public_flat_rd*/;
  logic        ack_q, err_q, drop_q, spk_q, madc_q;
  logic [31:0] rdata_q;
  logic [15:0] label_q, period_q, madc_cnt_q;
  logic [55:0] cycle_q, madc_cycle_q;
  logic [9:0]  madc_sample_q;

  logic unused;
  assign unused = ^{die_seed_i, run_seed_i, fpn_scale_i, temporal_scale_i, nrst_valid_i,
                    nrst_all_i, nrst_block_i, nrst_mask_i, 32'(NeuronsPerHemi),
                    32'(RowsPerHemi)};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q         <= 1'b0;
      err_q         <= 1'b0;
      drop_q        <= 1'b0;
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
      ack_q   <= reg_req_i;
      err_q   <= reg_req_i && reg_addr_i == 24'h01FFEE;
      drop_q  <= reg_req_i && reg_we_i && reg_addr_i == 24'h01FF01;
      rdata_q <= dbg_membrane[reg_addr_i[7:0]];
      if (reg_req_i && reg_we_i && reg_addr_i == 24'h01FF00) period_q <= reg_wdata_i[15:0];
      spk_q   <= inj_valid_i;
      label_q <= inj_label_i;
      cycle_q <= time_i;
      madc_q  <= 1'b0;
      if (period_q != 16'd0) begin
        madc_cnt_q <= madc_cnt_q + 16'd1;
        if (madc_cnt_q + 16'd1 >= period_q) begin
          madc_cnt_q    <= '0;
          madc_q        <= 1'b1;
          madc_cycle_q  <= time_i;
          madc_sample_q <= time_i[9:0];
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (reg_req_i && reg_we_i) dbg_membrane[reg_addr_i[7:0]] <= reg_wdata_i;
  end

  assign reg_ack_o     = ack_q;
  assign reg_err_o     = err_q;
  assign reg_rdata_o   = rdata_q;
  assign inj_ready_o   = 1'b1;
  assign spk_valid_o   = spk_q;
  assign spk_label_o   = label_q;
  assign spk_neuron_o  = label_q[8:0];
  assign spk_cycle_o   = cycle_q;
  assign spk_frac_o    = label_q[3:0];
  assign spk_drop_o    = drop_q;
  assign madc_valid_o  = madc_q;
  assign madc_sample_o = madc_sample_q;
  assign madc_cycle_o  = madc_cycle_q;
  assign idle_o        = !spk_q && !inj_valid_i;
endmodule
