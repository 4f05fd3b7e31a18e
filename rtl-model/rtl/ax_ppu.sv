// ax_ppu: one hemisphere's plasticity processor (docs/ppu.md): the core
// (ax_ppu_core, with its SRAM and row unit), the core registers
// (0x8000_0000: mailbox, OUTBOX, CYCLE, INBOX, WAKE_AT, HEMI) and the host's
// registers (board word addresses 0x810000 + 0x100 h).
//
// Host port: from ax_chip's register front end, a one-cycle request for the
// SRAM (word address) or a register (offset); the answer is the pulse
// h_ack_o the cycle after. The PPU instruction arrives as a write of the
// link's own offset HrCtrl; start and stop reach the core one cycle later.
// Clock gating (simulation cost): the core's clock runs only in cycles with
// work for it (running, a request or answer pending, a start/stop, a host SRAM
// access, a wake), this block's only while the core runs or sleeps or the
// host accesses it. The enables are sampled at the falling edge, like a
// clock-gate latch, so the gated clocks rise with clk_i or not at all. A
// stopped or halted PPU evaluates nothing per cycle but the two enables.
module ax_ppu
  import ax_ppu_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256,
  parameter logic        Hemi           = 1'b0
) (
  input  logic         clk_i,
  input  logic         rst_ni,
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
  logic [31:0]  outbox_q, inbox_q, inbox_seq_q, wake_at_q, cyc_hi_q;
  logic [63:0]  cyc_q;
  logic         inbox_pend_q;
  logic [31:0]  wake_dt;
  logic         wake;
  logic         busy, core_en, regs_en, core_en_n, regs_en_n, core_clk, regs_clk;

  // from the core
  logic [31:0]  hs_rdata;
  logic         lr_re, lr_we, wake_ack;
  logic [5:0]   lr_addr;
  logic [31:0]  lr_wdata, lr_rdata;
  logic [1:0]   state;
  logic         exited, trapped;
  logic [3:0]   cause;
  logic [31:0]  pc, tval, exit_code, instret;

  // wfi ends at WAKE_AT (signed difference, 0xFFFFFFFF: never) or an INBOX write
  assign wake_dt = cyc_q[31:0] - wake_at_q;
  assign wake    = inbox_pend_q || ((wake_at_q != 32'hFFFFFFFF) && !wake_dt[31]);

  always_comb begin
    unique case (lr_addr)
      LrCycleLo:  lr_rdata = cyc_q[31:0];
      LrCycleHi:  lr_rdata = cyc_hi_q;
      LrInbox:    lr_rdata = inbox_q;
      LrInboxSeq: lr_rdata = inbox_seq_q;
      LrHemi:     lr_rdata = {31'd0, Hemi};
      default:    lr_rdata = 32'd0;
    endcase
  end

  assign core_en = busy || start_q || stop_q || (h_req_i && h_sram_i) ||
                   (state == StAsleep && wake);
  assign regs_en = core_en || h_req_i || h_ack_q || state == StRunning || state == StAsleep;

  always_ff @(negedge clk_i or negedge rst_ni) begin : p_gate
    if (!rst_ni) begin
      core_en_n <= 1'b1;
      regs_en_n <= 1'b1;
    end else begin
      core_en_n <= core_en;
      regs_en_n <= regs_en;
    end
  end
  assign core_clk = clk_i & core_en_n;
  assign regs_clk = clk_i & regs_en_n;

  always_ff @(posedge regs_clk or negedge rst_ni) begin : p_regs
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
      wake_at_q    <= 32'hFFFFFFFF;
      cyc_hi_q     <= 32'd0;
      cyc_q        <= 64'd0;
      inbox_pend_q <= 1'b0;
    end else begin
      if (start_q || stop_q) begin
        start_q <= 1'b0;
        stop_q  <= 1'b0;
      end
      if (h_ack_q) h_ack_q <= 1'b0;
      if (state == StRunning || state == StAsleep) cyc_q <= cyc_q + 64'd1;
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
            HrCycles:   rd = cyc_q[31:0];
            HrInstret:  rd = instret;
            HrInbox:    rd = inbox_q;
            HrOutbox:   rd = outbox_q;
            HrMboxLen:  rd = {mbox_drop_q, 22'd0, mbox_len_q};
            default:    rd = mbox_q[h_addr_i[5:0]];  // 0x40-0x7F (checked at receipt)
          endcase
          h_rdata_q <= rd;
        end
      end
      // the core
      if (lr_re && lr_addr == LrCycleLo) cyc_hi_q <= cyc_q[63:32];
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
          default:  wake_at_q <= lr_wdata;  // LrWakeAt (the core checked the offset)
        endcase
      end
      // a start resets the core's registers (after the writes above)
      if (start_q) begin
        mbox_len_q   <= 9'd0;
        mbox_drop_q  <= 1'b0;
        outbox_q     <= 32'd0;
        inbox_seq_q  <= 32'd0;
        inbox_pend_q <= 1'b0;
        wake_at_q    <= 32'hFFFFFFFF;
        cyc_q        <= 64'd0;
        cyc_hi_q     <= 32'd0;
      end
    end
  end

  ax_ppu_core #(
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi),
    .Hemi           (Hemi)
  ) u_core (
    .clk_i       (core_clk),
    .rst_ni      (rst_ni),
    .seed_i      (seed_q),
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
    .lr_rdata_i  (lr_rdata),
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
    .instret_o   (instret)
  );

  assign h_ack_o   = h_ack_q;
  assign h_rdata_o = h_sram_q ? hs_rdata : h_rdata_q;

endmodule
