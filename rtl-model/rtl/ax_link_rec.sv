// ax_link_rec: the recorder. Turns spikes, MADC samples, executor records,
// receive-time ERROR records and losses into the record stream
// (docs/protocol.md section 4) and keeps it in the record FIFO until the
// DATA framer takes it.
//
// - Spikes wait in a 32-entry staging FIFO, MADC samples in a one-sample
//   slot; what does not fit there is lost and counted (22-bit, saturating,
//   with the time of the first loss), as are the spikes the chip dropped
//   itself (spk_drop) and the events a full delay-line slot dropped
//   (ev_drop, OVERFLOW source 0; both counted whether or not anything is
//   recorded). Each count is reported by an OVERFLOW record (with the time
//   of its first loss) before the executor's next record (TRIAL, READ, LATE,
//   END), so no loss is silent and a trial's losses are filed with it; until
//   then the report waits while a spike or MADC sample waits.
// - First-spike-only: a per-neuron flag is set by a neuron's first spike and
//   cleared by TIMER_RESET (trial_i); later spikes of a flagged neuron are not
//   recorded (a filtered spike is not a loss).
// - One record is written at a time, one word a cycle, and becomes visible to
//   the framer only when complete, so a DATA frame never splits a record.
//   Each record's first word carries its length (and whether it ends a
//   frame: END, READ) beside it in the FIFO.
// - Timed records (SPIKE, MADC) carry deltas to a running reference time; a
//   delta that does not fit is preceded by a TIME record; TRIAL resets it.
module ax_link_rec
  import ax_link_pkg::*;
  import ax_chip_if_pkg::*;
#(
  parameter int unsigned FifoWords = 2048
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  input  logic [55:0] time_i,
  // switches from the executor
  input  logic        rec_spikes_i,
  input  logic        rec_first_i,
  input  logic        rec_madc_i,
  input  logic        trial_i,
  // from the chip (ax_chip_if_pkg): spikes, lost spikes, MADC samples
  input  chip_rsp_t   chip_rsp_i,
  // executor records
  input  logic        xrec_valid_i,
  input  ext_sub_e    xrec_sub_i,
  input  logic [23:0] xrec_arg_i,
  input  logic [31:0] xrec_w1_i,
  input  logic [31:0] xrec_w2_i,
  input  logic [31:0] xrec_w3_i,
  input  logic [8:0]  xrec_n_i,
  output logic        xrec_take_o,
  output logic [7:0]  rbuf_raddr_o,
  input  logic [31:0] rbuf_rdata_i,
  // receive-time ERROR records
  input  logic        erec_valid_i,
  input  err_code_e   erec_code_i,
  input  logic [15:0] erec_seq_i,
  input  logic [8:0]  erec_off_i,
  input  logic [31:0] erec_word_i,
  output logic        erec_take_o,
  // record FIFO, read side (the DATA framer)
  output logic [11:0] rf_count_o,     // complete-record words waiting
  output logic [31:0] rf_word_o,
  output logic [8:0]  rf_len_o,       // record length at a record's first word, else 0
  output logic        rf_flush_o,     // this record ends a DATA frame
  output logic [7:0]  rf_flush_cnt_o, // frame-ending records waiting
  input  logic        rf_pop_i,
  // records or losses wait somewhere before or in the record FIFO
  output logic        busy_o
);
  // The chip's spikes and MADC samples (chip_rsp_i), as named signals. Keep
  // them: with the bundle's fields read directly in the blocks below, the
  // verilated model orders the chip's logic differently (Verilator 5.006),
  // the neuron loop lands in another C++ function and bench-model loses
  // about 10 % (docs/chip.md section 9).
  logic        spk_valid, spk_drop, ev_drop, madc_valid;
  logic [15:0] spk_label;
  logic [8:0]  spk_neuron;
  logic [55:0] spk_cycle, madc_cycle;
  logic [3:0]  spk_frac;
  logic [9:0]  madc_sample;
  assign spk_valid   = chip_rsp_i.spk.valid;
  assign spk_label   = chip_rsp_i.spk.label;
  assign spk_neuron  = chip_rsp_i.spk.neuron;
  assign spk_cycle   = chip_rsp_i.spk.cycle;
  assign spk_frac    = chip_rsp_i.spk.frac;
  assign spk_drop    = chip_rsp_i.spk_drop;
  assign ev_drop     = chip_rsp_i.ev_drop;
  assign madc_valid  = chip_rsp_i.madc.valid;
  assign madc_sample = chip_rsp_i.madc.sample;
  assign madc_cycle  = chip_rsp_i.madc.cycle;

  localparam int unsigned SpkDepth = 32;
  localparam int unsigned FifoAw   = $clog2(FifoWords);

  typedef enum logic {WIdle, WCopy} w_state_e;

  // ---- spike staging ----------------------------------------------------------------
  logic [15:0] sp_label_q [SpkDepth];
  logic [55:0] sp_cycle_q [SpkDepth];
  logic [3:0]  sp_frac_q  [SpkDepth];
  logic [5:0]  sp_wp_d, sp_wp_q, sp_rp_d, sp_rp_q;
  logic        sp_push, sp_pop, sp_full, sp_empty;
  logic        spk_want;

  logic [511:0] first_d, first_q;  // neuron has spiked in this trial

  assign sp_full  = (sp_wp_q - sp_rp_q) == 6'(SpkDepth);
  assign sp_empty = (sp_wp_q == sp_rp_q);

  always_comb begin
    first_d  = first_q;
    spk_want = 1'b0;
    if (trial_i) first_d = '0;
    if (spk_valid && rec_spikes_i) begin
      spk_want = !(rec_first_i && first_q[spk_neuron]);
      if (rec_first_i) first_d[spk_neuron] = 1'b1;
    end
  end
  assign sp_push = spk_want && !sp_full && !clear_i;

  always_ff @(posedge clk_i) begin
    if (sp_push) begin
      sp_label_q[sp_wp_q[4:0]] <= spk_label;
      sp_cycle_q[sp_wp_q[4:0]] <= spk_cycle;
      sp_frac_q[sp_wp_q[4:0]]  <= spk_frac;
    end
  end

  // ---- MADC slot ------------------------------------------------------------------
  logic        md_valid_d, md_valid_q;
  logic [9:0]  md_sample_d, md_sample_q;
  logic [55:0] md_cycle_d, md_cycle_q;
  logic        md_pop, md_lost;

  // ---- losses ---------------------------------------------------------------------
  logic [21:0] lost_q [4];        // index: ovf_source_e
  logic [55:0] lost_time_q [4];
  logic [21:0] lost_d [4];
  logic [55:0] lost_time_d [4];
  logic [3:0]  lost_new;
  logic [55:0] lost_new_time [4];
  logic [3:0]  lost_clr;
  logic        lost_any;

  // ---- record FIFO ----------------------------------------------------------------
  logic [31:0] rf_mem_q  [FifoWords];
  logic [9:0]  rf_side_q [FifoWords];   // {flush, len}
  logic [FifoAw:0] wp_d, wp_q;          // committed write pointer
  logic [FifoAw:0] ws_d, ws_q;          // next word of the record being written
  logic [FifoAw:0] rp_d, rp_q;
  logic [FifoAw:0] used;
  logic [FifoAw:0] free;
  logic        rf_we;
  logic [FifoAw-1:0] rf_waddr;
  logic [31:0] rf_wdata;
  logic [9:0]  rf_wside;
  logic [7:0]  flush_cnt_d, flush_cnt_q;

  assign used       = wp_q - rp_q;
  assign free       = (FifoAw+1)'(FifoWords) - (ws_q - rp_q);
  assign rf_count_o = 12'(used);
  assign rf_word_o  = rf_mem_q[rp_q[FifoAw-1:0]];
  assign rf_len_o   = rf_side_q[rp_q[FifoAw-1:0]][8:0];
  assign rf_flush_o = rf_side_q[rp_q[FifoAw-1:0]][9];
  assign rf_flush_cnt_o = flush_cnt_q;
  assign lost_any = (lost_q[OvfSpikes] != '0) || (lost_q[OvfMadc] != '0) ||
                    (lost_q[OvfChip] != '0) || (lost_q[OvfEvents] != '0);
  assign busy_o = (w_state_q != WIdle) || !sp_empty || md_valid_q || (wp_q != rp_q) || lost_any;

  always_ff @(posedge clk_i) begin
    if (rf_we) begin
      rf_mem_q[rf_waddr]  <= rf_wdata;
      rf_side_q[rf_waddr] <= rf_wside;
    end
  end

  // ---- record writer --------------------------------------------------------------
  w_state_e    w_state_d, w_state_q;
  logic [31:0] hw_d [4], hw_q [4];      // header words of the record being written
  logic [9:0]  hs_d [4], hs_q [4];      // their side fields
  logic [2:0]  hlen_d, hlen_q;          // header words
  logic [8:0]  total_d, total_q;        // all words
  logic [8:0]  k_d, k_q;                // next word
  logic        flush_d, flush_q;
  logic [1:0]  src_d, src_q;            // 1 executor, 2 receiver, 0 other
  logic [55:0] ref_d, ref_q;            // reference time of the deltas

  // Plan of the record chosen this cycle.
  logic        p_go;
  logic [31:0] p_w [4];
  logic [9:0]  p_s [4];
  logic [2:0]  p_hlen;
  logic [8:0]  p_total;
  logic        p_flush;
  logic [1:0]  p_src;
  logic [55:0] p_ref;
  logic [1:0]  p_ovf;                   // OVERFLOW source reported (if p_ovf_v)
  logic        p_ovf_v;

  // The timed record next in line (a staged spike before the MADC sample):
  // its time, whether its delta to the reference time fits the record's
  // delta field, and the record word (delta 0 when it does not fit: it then
  // follows a TIME record).
  logic        tm_spike;
  logic [55:0] tm_cycle, tm_delta;
  logic        tm_fits;
  logic [31:0] tm_word;

  assign tm_spike = !sp_empty;
  assign tm_cycle = tm_spike ? sp_cycle_q[sp_rp_q[4:0]] : md_cycle_q;
  assign tm_delta = tm_cycle - ref_q;
  assign tm_fits  = tm_spike ? (tm_delta[55:9] == '0) || (tm_delta[55:9] == '1)
                             : (tm_delta[55:15] == '0) || (tm_delta[55:15] == '1);
  assign tm_word  = tm_spike ? {TagSpike, sp_label_q[sp_rp_q[4:0]], tm_fits ? tm_delta[9:0] : 10'd0,
                                sp_frac_q[sp_rp_q[4:0]]}
                             : {TagMadc, 4'h0, md_sample_q, tm_fits ? tm_delta[15:0] : 16'h0};

  always_comb begin
    p_go    = 1'b0;
    p_w     = '{default: '0};
    p_s     = '{default: '0};
    p_hlen  = 3'd1;
    p_total = 9'd1;
    p_flush = 1'b0;
    p_src   = 2'd0;
    p_ref   = ref_q;
    p_ovf   = 2'd0;
    p_ovf_v = 1'b0;
    sp_pop  = 1'b0;
    md_pop  = 1'b0;
    if (w_state_q == WIdle && !clear_i) begin
      // OVERFLOW before the next executor record (a trial's losses are filed
      // with it), else only when no spike or MADC sample waits: a 3-word
      // report ahead of waiting data made more losses, and with an MADC sample
      // every cycle the reports alone kept the writer busy.
      if (lost_any && (xrec_valid_i || (sp_empty && !md_valid_q))) begin
        p_ovf = (lost_q[OvfSpikes] != '0) ? OvfSpikes :
                (lost_q[OvfMadc] != '0) ? OvfMadc :
                (lost_q[OvfChip] != '0) ? OvfChip : OvfEvents;
        p_go    = (free >= 3);
        p_ovf_v = p_go;
        p_w[0]  = {TagExt, ExtOverflow, p_ovf, lost_q[p_ovf]};
        p_w[1]  = lost_time_q[p_ovf][31:0];
        p_w[2]  = {8'h0, lost_time_q[p_ovf][55:32]};
        p_s[0]  = {1'b0, 9'd3};
        p_hlen  = 3'd3;
        p_total = 9'd3;
      end else if (xrec_valid_i) begin
        p_src  = 2'd1;
        p_w[0] = {TagExt, xrec_sub_i, xrec_arg_i};
        p_w[1] = xrec_w1_i;
        p_w[2] = xrec_w2_i;
        p_w[3] = xrec_w3_i;
        unique case (xrec_sub_i)
          ExtTrial: begin
            p_hlen  = 3'd1;
            p_total = 9'd1;
            p_ref   = '0;
          end
          ExtRead: begin
            p_hlen  = 3'd4;
            p_total = 9'd4 + xrec_n_i;
            p_flush = 1'b1;
          end
          ExtEnd: begin
            p_hlen  = 3'd3;
            p_total = 9'd3;
            p_flush = 1'b1;
          end
          default: begin  // LATE, ERROR
            p_hlen  = 3'd3;
            p_total = 9'd3;
          end
        endcase
        p_s[0] = {p_flush, p_total};
        p_go   = (free >= (FifoAw+1)'(p_total));
        if (!p_go) p_ref = ref_q;
      end else if (erec_valid_i) begin
        p_src   = 2'd2;
        p_w[0]  = {TagExt, ExtError, erec_seq_i, erec_code_i};
        p_w[1]  = {23'h0, erec_off_i};
        p_w[2]  = erec_word_i;
        p_s[0]  = {1'b0, 9'd3};
        p_hlen  = 3'd3;
        p_total = 9'd3;
        p_go    = (free >= 3);
      end else if (!sp_empty || md_valid_q) begin  // a spike, else the MADC sample (tm_*)
        p_go = (free >= 3);
        if (tm_fits) begin
          p_w[0] = tm_word;
          p_s[0] = {1'b0, 9'd1};
        end else begin
          p_w[0]  = {TagExt, ExtTime, tm_cycle[55:32]};
          p_w[1]  = tm_cycle[31:0];
          p_w[2]  = tm_word;
          p_s[0]  = {1'b0, 9'd2};
          p_s[2]  = {1'b0, 9'd1};
          p_hlen  = 3'd3;
          p_total = 9'd3;
        end
        if (p_go) begin
          sp_pop = tm_spike;
          md_pop = !tm_spike;
          p_ref  = tm_cycle;
        end
      end
    end
  end

  always_comb begin
    w_state_d   = w_state_q;
    hw_d        = hw_q;
    hs_d        = hs_q;
    hlen_d      = hlen_q;
    total_d     = total_q;
    k_d         = k_q;
    flush_d     = flush_q;
    src_d       = src_q;
    ref_d       = ref_q;
    wp_d        = wp_q;
    ws_d        = ws_q;
    rp_d        = rf_pop_i ? rp_q + 1'b1 : rp_q;
    flush_cnt_d = flush_cnt_q;
    rf_we       = 1'b0;
    rf_waddr    = ws_q[FifoAw-1:0];
    rf_wdata    = p_w[0];
    rf_wside    = p_s[0];
    xrec_take_o = 1'b0;
    erec_take_o = 1'b0;
    rbuf_raddr_o = 8'(k_q - 9'(hlen_q));
    lost_clr    = '0;

    if (rf_pop_i && rf_side_q[rp_q[FifoAw-1:0]][9] && rf_side_q[rp_q[FifoAw-1:0]][8:0] != '0) begin
      flush_cnt_d = flush_cnt_d - 8'd1;
    end

    unique case (w_state_q)
      WIdle: begin
        if (p_go) begin
          rf_we = 1'b1;
          ref_d = p_ref;
          if (p_ovf_v) lost_clr[p_ovf] = 1'b1;
          if (p_total == 9'd1) begin
            wp_d = ws_q + 1'b1;
            ws_d = ws_q + 1'b1;
            if (p_src == 2'd1) xrec_take_o = 1'b1;
          end else begin
            ws_d      = ws_q + 1'b1;
            hw_d      = p_w;
            hs_d      = p_s;
            hlen_d    = p_hlen;
            total_d   = p_total;
            flush_d   = p_flush;
            src_d     = p_src;
            k_d       = 9'd1;
            w_state_d = WCopy;
          end
        end
      end
      WCopy: begin
        rf_we    = 1'b1;
        rf_wdata = (k_q < 9'(hlen_q)) ? hw_q[k_q[1:0]] : rbuf_rdata_i;
        rf_wside = (k_q < 9'(hlen_q)) ? hs_q[k_q[1:0]] : 10'h0;
        ws_d     = ws_q + 1'b1;
        k_d      = k_q + 9'd1;
        if (k_q + 9'd1 == total_q) begin
          wp_d      = ws_q + 1'b1;
          w_state_d = WIdle;
          if (flush_q) flush_cnt_d = flush_cnt_d + 8'd1;
          if (src_q == 2'd1) xrec_take_o = 1'b1;
          if (src_q == 2'd2) erec_take_o = 1'b1;
        end
      end
      default: w_state_d = WIdle;
    endcase

    if (clear_i) begin
      w_state_d   = WIdle;
      wp_d        = '0;
      ws_d        = '0;
      rp_d        = '0;
      flush_cnt_d = '0;
      ref_d       = '0;
    end
  end

  // ---- staging pointers, MADC slot and loss counters --------------------------------
  assign md_lost = madc_valid && rec_madc_i && md_valid_q && !md_pop;

  always_comb begin
    sp_wp_d     = sp_push ? sp_wp_q + 6'd1 : sp_wp_q;
    sp_rp_d     = sp_pop ? sp_rp_q + 6'd1 : sp_rp_q;
    md_valid_d  = md_valid_q && !md_pop;
    md_sample_d = md_sample_q;
    md_cycle_d  = md_cycle_q;
    if (madc_valid && rec_madc_i && !md_lost) begin
      md_valid_d  = 1'b1;
      md_sample_d = madc_sample;
      md_cycle_d  = madc_cycle;
    end

    lost_new         = {spk_drop, md_lost, spk_want && sp_full, ev_drop};
    lost_new_time[0] = time_i;
    lost_new_time[1] = spk_cycle;
    lost_new_time[2] = madc_cycle;
    lost_new_time[3] = time_i;
    for (int s = 0; s < 4; s++) begin
      lost_d[s]      = lost_clr[s] ? '0 : lost_q[s];
      lost_time_d[s] = lost_time_q[s];
      if (lost_new[s]) begin
        if (lost_d[s] == '0) lost_time_d[s] = lost_new_time[s];
        if (lost_d[s] != '1) lost_d[s] = lost_d[s] + 22'd1;
      end
    end

    if (clear_i) begin
      sp_wp_d    = '0;
      sp_rp_d    = '0;
      md_valid_d = 1'b0;
      for (int s = 0; s < 4; s++) lost_d[s] = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      first_q     <= '0;
      sp_wp_q     <= '0;
      sp_rp_q     <= '0;
      md_valid_q  <= 1'b0;
      md_sample_q <= '0;
      md_cycle_q  <= '0;
      lost_q      <= '{default: '0};
      lost_time_q <= '{default: '0};
      wp_q        <= '0;
      ws_q        <= '0;
      rp_q        <= '0;
      flush_cnt_q <= '0;
      w_state_q   <= WIdle;
      hw_q        <= '{default: '0};
      hs_q        <= '{default: '0};
      hlen_q      <= 3'd1;
      total_q     <= 9'd1;
      k_q         <= '0;
      flush_q     <= 1'b0;
      src_q       <= '0;
      ref_q       <= '0;
    end else begin
      first_q     <= first_d;
      sp_wp_q     <= sp_wp_d;
      sp_rp_q     <= sp_rp_d;
      md_valid_q  <= md_valid_d;
      md_sample_q <= md_sample_d;
      md_cycle_q  <= md_cycle_d;
      lost_q      <= lost_d;
      lost_time_q <= lost_time_d;
      wp_q        <= wp_d;
      ws_q        <= ws_d;
      rp_q        <= rp_d;
      flush_cnt_q <= flush_cnt_d;
      w_state_q   <= w_state_d;
      hw_q        <= hw_d;
      hs_q        <= hs_d;
      hlen_q      <= hlen_d;
      total_q     <= total_d;
      k_q         <= k_d;
      flush_q     <= flush_d;
      src_q       <= src_d;
      ref_q       <= ref_d;
    end
  end

  // the executor takes the register bus answers, inj_ready and idle
  logic unused_rsp;
  assign unused_rsp = ^{chip_rsp_i.bus, chip_rsp_i.inj_ready, chip_rsp_i.idle};

`ifdef AX_ASSERT
  // The record FIFO and the spike queue never overrun; a record is written
  // only when it fits whole.
  assert property (@(posedge clk_i) disable iff (!rst_ni) (ws_q - rp_q) <= (FifoAw+1)'(FifoWords));
  assert property (@(posedge clk_i) disable iff (!rst_ni) (sp_wp_q - sp_rp_q) <= 6'(SpkDepth));
  assert property (@(posedge clk_i) disable iff (!rst_ni) !rf_pop_i || used != '0);
`endif
endmodule
