// ax_ppu: one hemisphere's plasticity processor (docs/ppu.md): the core
// (ax_ppu_core, with its SRAM and row unit), the core registers
// (0x8000_0000: mailbox, OUTBOX, CYCLE, INBOX, WAKE_AT, HEMI) and the host's
// registers (board word addresses 0x810000 + 0x100 h).
//
// Host port: from ax_chip's register front end, a one-cycle request for the
// SRAM (word address) or a register (offset); the answer is the pulse
// h_ack_o the cycle after. The PPU instruction arrives as a write of the
// link's own offset HrCtrl; start and stop reach the core one cycle later.
// Clock gating (simulation cost): clk_i is ax_chip's gated PPU clock, which
// runs only in cycles where some PPU has work (clk_en_o: running, a request
// or answer pending, a start or stop, a host access, a wake). Nothing counts
// per cycle: CYCLE and CYCLES are now_i (the chip's free-running cycle count)
// minus the core's start (t0), frozen at its halt or stop (t_end); WAKE_AT is
// kept as an absolute time. A stopped, halted or sleeping PPU evaluates
// only clk_en_o per cycle.
module ax_ppu
  import ax_ppu_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256,
  parameter logic        Hemi           = 1'b0
) (
  input  logic         clk_i,        // gated (ax_chip)
  input  logic         rst_ni,
  input  logic [63:0]  now_i,        // chip cycles since reset
  output logic         clk_en_o,     // work for the next clock edge
  input  logic [63:0]  run_seed_i,
  // the host's accesses
  input  logic         h_req_i,
  input  logic         h_we_i,
  input  logic         h_sram_i,     // SRAM word h_addr_i, else register h_addr_i[7:0]
  input  logic [11:0]  h_addr_i,
  input  logic [31:0]  h_wdata_i,
  output logic         h_ack_o,
  output logic [31:0]  h_rdata_o,
  // chip-register window (to ax_chip's register bus arbiter)
  output logic         win_req_o,
  output logic         win_we_o,
  output logic [23:0]  win_addr_o,
  output logic [31:0]  win_wdata_o,
  input  logic         win_gnt_i,
  input  logic         win_ack_i,
  input  logic         win_err_i,
  input  logic [31:0]  win_rdata_i,
  // row port (to the synapse and neuron arrays)
  output logic         row_req_o,
  output logic         row_we_o,
  output logic [15:0]  row_sel_o,
  output logic [1023:0] row_wdata_o,
  input  logic          row_ack_i,
  input  logic [1023:0] row_syn_i,    // raw synapse or sensor words (ax_syn_array)
  input  logic [1023:0] row_v_i,      // raw membranes (ax_neuron_array)
  input  logic [63:0]   die_seed_i,   // for the conversions of the row unit
  input  logic [7:0]    fpn_scale_i
);
  logic         start_q, stop_q;
  logic [13:0]  start_pc_q;
  logic [31:0]  seed_q;
  logic         h_ack_q, h_sram_q;
  logic [31:0]  h_rdata_q;
  logic [31:0]  mbox_q [64];
  logic [8:0]   mbox_len_q;
  logic         mbox_drop_q;
  logic [31:0]  outbox_q, inbox_q, inbox_seq_q, cyc_hi_q, lr_rdata_q;
  logic [31:0]  wake_abs_q;   // WAKE_AT as now_i[31:0]
  logic         wake_on_q;    // WAKE_AT != 0xFFFFFFFF
  logic         inbox_pend_q;
  logic [31:0]  wake_dt;
  logic         wake, busy;
  logic [63:0]  t0, t_end;

  // from the core
  logic [31:0]  hs_rdata;
  logic         lr_re, lr_we, wake_ack;
  logic [5:0]   lr_addr;
  logic [31:0]  lr_wdata;
  logic [1:0]   state;
  logic         exited, trapped;
  logic [3:0]   cause;
  logic [31:0]  pc, tval, exit_code, instret;

  // wfi ends at WAKE_AT (signed difference, 0xFFFFFFFF: never) or an INBOX write
  assign wake_dt  = now_i[31:0] - wake_abs_q;
  assign wake     = inbox_pend_q || (wake_on_q && !wake_dt[31]);
  assign clk_en_o = busy || start_q || stop_q || h_req_i || h_ack_q || (state == StAsleep && wake);

  // cycles since the start, asleep included, frozen when halted or stopped
  function automatic logic [63:0] cycles(input logic [1:0] st, input logic [63:0] now,
                                         input logic [63:0] t_start, input logic [63:0] t_stop);
    cycles = ((st == StRunning || st == StAsleep) ? now : t_stop) - t_start;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin : p_regs
    logic [31:0] rd;
    if (!rst_ni) begin
      start_q      <= 1'b0;
      stop_q       <= 1'b0;
      start_pc_q   <= 14'd0;
      seed_q       <= 32'd1;
      h_ack_q      <= 1'b0;
      h_sram_q     <= 1'b0;
      h_rdata_q    <= 32'd0;
      mbox_len_q   <= 9'd0;
      mbox_drop_q  <= 1'b0;
      outbox_q     <= 32'd0;
      inbox_q      <= 32'd0;
      inbox_seq_q  <= 32'd0;
      cyc_hi_q     <= 32'd0;
      lr_rdata_q   <= 32'd0;
      wake_abs_q   <= 32'd0;
      wake_on_q    <= 1'b0;
      inbox_pend_q <= 1'b0;
    end else begin
      if (start_q || stop_q) begin
        start_q <= 1'b0;
        stop_q  <= 1'b0;
      end
      if (h_ack_q) h_ack_q <= 1'b0;
      if (wake_ack) inbox_pend_q <= 1'b0;
      // the host
      if (h_req_i) begin
        h_ack_q  <= 1'b1;
        h_sram_q <= h_sram_i;
        if (!h_sram_i && h_we_i) begin
          if (h_addr_i[7:0] == HrCtrl) begin  // the PPU instruction
            start_q    <= (h_wdata_i[17:16] == 2'd1);
            stop_q     <= (h_wdata_i[17:16] == 2'd2);
            start_pc_q <= h_wdata_i[13:0];
            rd = ax_chip_pkg::hash32(run_seed_i, 32'h50505530 | 32'(Hemi));
            seed_q     <= (rd == 32'd0) ? 32'd1 : rd;
          end else begin  // INBOX (the only other writable register)
            inbox_q      <= h_wdata_i;
            inbox_seq_q  <= inbox_seq_q + 32'd1;
            inbox_pend_q <= 1'b1;
          end
        end else if (!h_sram_i) begin
          unique case (h_addr_i[7:0])
            HrStatus:   rd = {20'd0, cause, 4'd0, trapped, exited, state};
            HrExitCode: rd = exit_code;
            HrPc:       rd = pc;
            HrTval:     rd = tval;
            HrCycles:   rd = 32'(cycles(state, now_i, t0, t_end));
            HrInstret:  rd = instret;
            HrInbox:    rd = inbox_q;
            HrOutbox:   rd = outbox_q;
            HrMboxLen:  rd = {mbox_drop_q, 22'd0, mbox_len_q};
            default:    rd = mbox_q[h_addr_i[5:0]];  // 0x40-0x7F (checked at receipt)
          endcase
          h_rdata_q <= rd;
        end
      end
      // the core: register reads answered the next cycle
      if (lr_re) begin
        rd = 32'(cycles(state, now_i, t0, t_end));
        unique case (lr_addr)
          LrCycleLo: begin
            lr_rdata_q <= rd;
            cyc_hi_q   <= 32'(cycles(state, now_i, t0, t_end) >> 32);
          end
          LrCycleHi:  lr_rdata_q <= cyc_hi_q;
          LrInbox:    lr_rdata_q <= inbox_q;
          LrInboxSeq: lr_rdata_q <= inbox_seq_q;
          default:    lr_rdata_q <= {31'd0, Hemi};  // LrHemi (the core checked the offset)
        endcase
      end
      if (lr_we) begin
        unique case (lr_addr)
          LrPutc: begin
            if (mbox_len_q[8]) begin
              mbox_drop_q <= 1'b1;
            end else begin
              mbox_q[mbox_len_q[7:2]][8 * mbox_len_q[1:0] +: 8] <= lr_wdata[7:0];
              mbox_len_q <= mbox_len_q + 9'd1;
            end
          end
          LrOutbox: outbox_q  <= lr_wdata;
          default: begin  // LrWakeAt (the core checked the offset)
            wake_abs_q <= lr_wdata + t0[31:0];
            wake_on_q  <= (lr_wdata != 32'hFFFFFFFF);
          end
        endcase
      end
      // a start resets the core's registers (after the writes above)
      if (start_q) begin
        mbox_len_q   <= 9'd0;
        mbox_drop_q  <= 1'b0;
        outbox_q     <= 32'd0;
        inbox_seq_q  <= 32'd0;
        inbox_pend_q <= 1'b0;
        wake_on_q    <= 1'b0;
        cyc_hi_q     <= 32'd0;
      end
    end
  end

  ax_ppu_core #(
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi),
    .Hemi           (Hemi)
  ) u_core (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .seed_i      (seed_q),
    .now_i       (now_i),
    .start_i     (start_q),
    .start_pc_i  (start_pc_q),
    .stop_i      (stop_q),
    .hs_req_i    (h_req_i && h_sram_i),
    .hs_we_i     (h_we_i),
    .hs_addr_i   (h_addr_i),
    .hs_wdata_i  (h_wdata_i),
    .hs_rdata_o  (hs_rdata),
    .lr_re_o     (lr_re),
    .lr_we_o     (lr_we),
    .lr_addr_o   (lr_addr),
    .lr_wdata_o  (lr_wdata),
    .lr_rdata_i  (lr_rdata_q),
    .wake_i      (wake),
    .wake_ack_o  (wake_ack),
    .win_req_o   (win_req_o),
    .win_we_o    (win_we_o),
    .win_addr_o  (win_addr_o),
    .win_wdata_o (win_wdata_o),
    .win_gnt_i   (win_gnt_i),
    .win_ack_i   (win_ack_i),
    .win_err_i   (win_err_i),
    .win_rdata_i (win_rdata_i),
    .row_req_o   (row_req_o),
    .row_we_o    (row_we_o),
    .row_sel_o   (row_sel_o),
    .row_wdata_o (row_wdata_o),
    .row_ack_i   (row_ack_i),
    .row_syn_i   (row_syn_i),
    .row_v_i     (row_v_i),
    .die_seed_i  (die_seed_i),
    .fpn_scale_i (fpn_scale_i),
    .busy_o      (busy),
    .state_o     (state),
    .exited_o    (exited),
    .trapped_o   (trapped),
    .cause_o     (cause),
    .pc_o        (pc),
    .tval_o      (tval),
    .exit_code_o (exit_code),
    .instret_o   (instret),
    .t0_o        (t0),
    .t_end_o     (t_end)
  );

  assign h_ack_o   = h_ack_q;
  assign h_rdata_o = h_sram_q ? hs_rdata : h_rdata_q;

endmodule
