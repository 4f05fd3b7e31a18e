// ax_link_tx: everything the board sends.
//
// - Control responses (ACK, NACK, IDENT) wait in a 4-entry queue; an ACK is
//   not queued behind another ACK (its fields are taken when it is sent).
// - The DATA framer packs whole records from the record FIFO into the next
//   replay slot (seq mod 8) when 256 words are waiting, a frame-ending record
//   (END, READ) is waiting, or records have waited 256 cycles. At most 8
//   frames are unacknowledged; then no new DATA frame is built.
// - The sender sends a control response first, else the next unsent DATA
//   frame, from the slot, so a replayed frame is bit-identical (its ack field
//   is the one it was built with). The CRC is computed while sending.
// - The host's cumulative ack frees slots; a REPLAY rewinds the next frame to
//   send, answers ACK when there is nothing to resend and NACK REPLAY when the
//   frame is gone.
module ax_link_tx
  import ax_link_pkg::*;
#(
  parameter int unsigned HostWidth      = 32,
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         clear_i,
  // from the receiver
  input  logic         ctl_valid_i,
  input  ctl_kind_e    ctl_kind_i,
  input  nack_reason_e ctl_reason_i,
  input  logic [15:0]  ctl_seq_i,
  output logic         ctl_ready_o,
  input  logic         hack_valid_i,
  input  logic [15:0]  hack_i,
  input  logic [15:0]  expect_i,
  input  logic [13:0]  pb_free_i,
  input  logic         pending_i,    // instructions or records wait before the framer
  // identification
  input  logic [31:0]  chip_id_i,
  input  logic [63:0]  die_seed_i,
  // record FIFO
  input  logic [11:0]  rf_count_i,
  input  logic [31:0]  rf_word_i,
  input  logic [8:0]   rf_len_i,
  input  logic         rf_flush_i,
  input  logic [7:0]   rf_flush_cnt_i,
  output logic         rf_pop_o,
  // words to the FIFO port
  output logic         tx_valid_o,
  output logic [31:0]  tx_word_o,
  input  logic         tx_ready_i
);
  localparam logic [7:0] Variant   = (HostWidth == 32) ? 8'd0 : 8'd1;
  localparam logic [7:0] PortBytes = 8'(HostWidth / 8);
  localparam int unsigned QDepth   = 4;

  typedef enum logic [1:0] {SIdle, SCtrl, SData} s_state_e;
  typedef enum logic {BIdle, BBuild} b_state_e;

  // ---- control queue ----------------------------------------------------------------
  ctl_kind_e    q_kind_q   [QDepth];
  nack_reason_e q_reason_q [QDepth];
  logic [15:0]  q_seq_q    [QDepth];
  logic [2:0]   q_wp_d, q_wp_q, q_rp_d, q_rp_q;
  logic         q_push;
  ctl_kind_e    q_push_kind;
  nack_reason_e q_push_reason;
  logic [15:0]  q_push_seq;
  logic [2:0]   q_used;
  logic         q_last_ack_d, q_last_ack_q;  // newest queued entry is an ACK

  // ---- sequence state and slots ------------------------------------------------------
  logic [15:0] next_d, next_q;    // seq of the next DATA frame to build
  logic [15:0] acked_d, acked_q;  // oldest unacknowledged seq
  logic [15:0] send_d, send_q;    // next seq to send
  logic        rewound_d, rewound_q;
  logic [8:0]  slot_len_q [ReplayFrames];
  logic [15:0] slot_ack_q [ReplayFrames];
  logic        slot_we;
  logic [2:0]  slot_waddr;
  logic [8:0]  slot_wlen;
  logic [31:0] mem_q [ReplayFrames * MaxPayload];
  logic        mem_we;
  logic [10:0] mem_waddr;

  // ---- builder ----------------------------------------------------------------------
  b_state_e    b_state_d, b_state_q;
  logic [8:0]  b_plen_d, b_plen_q;
  logic [8:0]  b_left_d, b_left_q;
  logic        b_fin_d, b_fin_q;
  logic [8:0]  age_d, age_q;
  logic        slot_ok;

  // ---- sender -----------------------------------------------------------------------
  s_state_e     s_state_d, s_state_q;
  logic [8:0]   s_k_d, s_k_q;
  logic [31:0]  crc_d, crc_q;
  logic [31:0]  crc_next;
  logic         crc_en;
  ctl_kind_e    c_kind_d, c_kind_q;
  nack_reason_e c_reason_d, c_reason_q;
  logic [15:0]  c_seq_d, c_seq_q;
  logic [15:0]  c_expect_d, c_expect_q;
  logic [15:0]  c_next_d, c_next_q;
  logic [13:0]  c_free_d, c_free_q;
  logic         c_pending_d, c_pending_q;
  logic [15:0]  cur_d, cur_q;      // DATA seq being sent

  logic [7:0]   f_type;
  logic [8:0]   f_len;
  logic [31:0]  f_seqack;
  logic [31:0]  f_payload;
  logic [31:0]  ident [IdentWords];

  assign ident[0] = ProtocolVersion;
  assign ident[1] = ModelVersion;
  assign ident[2] = chip_id_i;
  assign ident[3] = die_seed_i[31:0];
  assign ident[4] = die_seed_i[63:32];
  assign ident[5] = {16'h0, PortBytes, Variant};
  assign ident[6] = {16'(RowsPerHemi), 16'(NeuronsPerHemi)};
  assign ident[7] = 32'(PlaybackWords);
  assign ident[8] = {16'(MaxPayload), 16'(ReplayFrames)};
  assign ident[9] = 32'h1;  // capabilities: bit 0 PPU present (protocol 1.2)

  assign q_used      = q_wp_q - q_rp_q;
  assign ctl_ready_o = (q_used != 3'(QDepth));  // from registers only: no loop with the receiver

  // ---- frame word generator ------------------------------------------------------------
  always_comb begin
    f_type    = FtData;
    f_len     = slot_len_q[cur_q[2:0]];
    f_seqack  = {slot_ack_q[cur_q[2:0]], cur_q};
    f_payload = mem_q[{cur_q[2:0], 8'(s_k_q - 9'd3)}];
    if (s_state_q == SCtrl) begin
      unique case (c_kind_q)
        CtlNack: begin
          f_type    = FtNack;
          f_len     = 9'd1;
          f_seqack  = {c_expect_q, c_next_q};
          f_payload = {c_seq_q, 8'h0, c_reason_q};
        end
        CtlIdent: begin
          f_type    = FtIdent;
          f_len     = 9'(IdentWords);
          f_seqack  = 32'h0;
          f_payload = ident[4'(s_k_q - 9'd3)];
        end
        default: begin
          f_type    = FtAck;
          f_len     = 9'd1;
          f_seqack  = {c_expect_q, c_next_q};
          f_payload = {15'h0, c_pending_q, 2'h0, c_free_q};
        end
      endcase
    end
    unique case (s_k_q)
      9'd0:    tx_word_o = SyncWord;
      9'd1:    tx_word_o = {7'h0, f_len, 8'h0, f_type};
      9'd2:    tx_word_o = f_seqack;
      default: tx_word_o = (s_k_q == f_len + 9'd3) ? ~crc_q : f_payload;
    endcase
  end

  assign tx_valid_o = (s_state_q != SIdle);
  assign crc_en     = tx_valid_o && tx_ready_i;

  ax_crc32 u_crc (
    .en_i   (crc_en),
    .crc_i  (crc_q),
    .data_i (tx_word_o),
    .crc_o  (crc_next)
  );

  assign slot_ok = ((next_q - acked_q) < 16'(ReplayFrames)) &&
                   !(s_state_q == SData && cur_q[2:0] == next_q[2:0]);

  always_comb begin
    q_wp_d        = q_wp_q;
    q_rp_d        = q_rp_q;
    q_last_ack_d  = q_last_ack_q;
    q_push        = 1'b0;
    q_push_kind   = ctl_kind_i;
    q_push_reason = ctl_reason_i;
    q_push_seq    = ctl_seq_i;
    next_d        = next_q;
    acked_d       = acked_q;
    send_d        = send_q;
    rewound_d     = rewound_q;
    b_state_d     = b_state_q;
    b_plen_d      = b_plen_q;
    b_left_d      = b_left_q;
    b_fin_d       = b_fin_q;
    age_d         = (rf_count_i == '0 || b_state_q == BBuild) ? 9'd0 :
                    (age_q == 9'h1FF) ? age_q : age_q + 9'd1;
    s_state_d     = s_state_q;
    s_k_d         = s_k_q;
    crc_d         = crc_q;
    c_kind_d      = c_kind_q;
    c_reason_d    = c_reason_q;
    c_seq_d       = c_seq_q;
    c_expect_d    = c_expect_q;
    c_next_d      = c_next_q;
    c_free_d      = c_free_q;
    c_pending_d   = c_pending_q;
    cur_d         = cur_q;
    rf_pop_o      = 1'b0;
    mem_we        = 1'b0;
    mem_waddr     = {next_q[2:0], b_plen_q[7:0]};
    slot_we       = 1'b0;
    slot_waddr    = next_q[2:0];
    slot_wlen     = b_plen_q;

    // ---- sender ----
    unique case (s_state_q)
      SIdle: begin
        if (q_used != 3'd0) begin
          c_kind_d   = q_kind_q[q_rp_q[1:0]];
          c_reason_d = q_reason_q[q_rp_q[1:0]];
          c_seq_d    = q_seq_q[q_rp_q[1:0]];
          c_expect_d = expect_i;
          c_next_d   = next_q;
          c_free_d   = pb_free_i;
          // ACK [16]: the host has not seen everything yet (work or records
          // wait, or DATA frames are unacknowledged).
          c_pending_d = pending_i || (rf_count_i != '0) || (b_state_q != BIdle) ||
                        (next_q != acked_q);
          q_rp_d     = q_rp_q + 3'd1;
          if (q_used == 3'd1) q_last_ack_d = 1'b0;
          s_k_d      = '0;
          crc_d      = 32'hFFFFFFFF;
          s_state_d  = SCtrl;
        end else if (send_q != next_q) begin
          cur_d     = send_q;
          rewound_d = 1'b0;
          s_k_d     = '0;
          crc_d     = 32'hFFFFFFFF;
          s_state_d = SData;
        end
      end
      SCtrl, SData: begin
        if (tx_ready_i) begin
          crc_d = crc_next;
          s_k_d = s_k_q + 9'd1;
          if (s_k_q == f_len + 9'd3) begin
            s_state_d = SIdle;
            if (s_state_q == SData && !rewound_q) send_d = cur_q + 16'd1;
          end
        end
      end
      default: s_state_d = SIdle;
    endcase

    // ---- builder ----
    unique case (b_state_q)
      BIdle: begin
        if (slot_ok && rf_count_i != '0 &&
            (rf_count_i >= 12'(MaxPayload) || rf_flush_cnt_i != '0 || age_q >= 9'd255)) begin
          b_state_d = BBuild;
          b_plen_d  = '0;
          b_left_d  = '0;
          b_fin_d   = 1'b0;
        end
      end
      BBuild: begin
        if (b_left_q == '0) begin
          if (b_fin_q || rf_count_i == '0 || b_plen_q + rf_len_i > 9'(MaxPayload)) begin
            slot_we   = 1'b1;
            next_d    = next_q + 16'd1;
            b_state_d = BIdle;
          end else begin
            rf_pop_o = 1'b1;
            mem_we   = 1'b1;
            b_plen_d = b_plen_q + 9'd1;
            b_left_d = rf_len_i - 9'd1;
            b_fin_d  = rf_flush_i;
          end
        end else begin
          rf_pop_o = 1'b1;
          mem_we   = 1'b1;
          b_plen_d = b_plen_q + 9'd1;
          b_left_d = b_left_q - 9'd1;
        end
      end
      default: b_state_d = BIdle;
    endcase

    // ---- host acks and requests ----
    // send_q stays in [acked_q, next_q]: an ack past it moves it too. Whenever
    // send_q moves while a frame is under way (rewound), that frame's end
    // must not overwrite it with cur_q + 1.
    if (hack_valid_i && (16'(hack_i - acked_q) <= 16'(next_q - acked_q))) begin
      acked_d = hack_i;
      if (16'(hack_i - acked_q) > 16'(send_q - acked_q)) begin
        send_d    = hack_i;
        rewound_d = (s_state_d == SData);
      end
    end
    if (ctl_valid_i && ctl_ready_o) begin
      unique case (ctl_kind_i)
        CtlReplay: begin
          if (16'(ctl_seq_i - acked_q) <= 16'(next_q - acked_q)) begin
            acked_d = ctl_seq_i;
            if (ctl_seq_i == next_q) begin
              q_push      = 1'b1;
              q_push_kind = CtlAck;
              send_d      = next_q;  // nothing left to (re)send
              rewound_d   = (s_state_d == SData);
            end else begin
              send_d    = ctl_seq_i;
              rewound_d = (s_state_d == SData);
            end
          end else begin
            q_push        = 1'b1;
            q_push_kind   = CtlNack;
            q_push_reason = NackReplay;
          end
        end
        default: q_push = 1'b1;
      endcase
      if (q_push && q_push_kind == CtlAck && q_last_ack_q && q_used != 3'd0 &&
          s_state_q != SIdle && !clear_i) begin
        q_push = 1'b0;  // the queued ACK will carry the newest state
      end
    end

    if (clear_i) begin
      q_wp_d       = '0;
      q_rp_d       = '0;
      q_last_ack_d = 1'b0;
      next_d       = '0;
      acked_d      = '0;
      send_d       = '0;
      rewound_d    = 1'b0;
      b_state_d    = BIdle;
      s_state_d    = SIdle;
      rf_pop_o     = 1'b0;
      mem_we       = 1'b0;
      slot_we      = 1'b0;
      age_d        = '0;
    end
    if (q_push) begin
      q_wp_d       = q_wp_d + 3'd1;
      q_last_ack_d = (q_push_kind == CtlAck);
    end
  end

  always_ff @(posedge clk_i) begin
    if (q_push) begin
      q_kind_q[clear_i ? 2'd0 : q_wp_q[1:0]]   <= q_push_kind;
      q_reason_q[clear_i ? 2'd0 : q_wp_q[1:0]] <= q_push_reason;
      q_seq_q[clear_i ? 2'd0 : q_wp_q[1:0]]    <= q_push_seq;
    end
    if (mem_we) mem_q[mem_waddr] <= rf_word_i;
    if (slot_we) begin
      slot_len_q[slot_waddr] <= slot_wlen;
      slot_ack_q[slot_waddr] <= expect_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_wp_q       <= '0;
      q_rp_q       <= '0;
      q_last_ack_q <= 1'b0;
      next_q       <= '0;
      acked_q      <= '0;
      send_q       <= '0;
      rewound_q    <= 1'b0;
      b_state_q    <= BIdle;
      b_plen_q     <= '0;
      b_left_q     <= '0;
      b_fin_q      <= 1'b0;
      age_q        <= '0;
      s_state_q    <= SIdle;
      s_k_q        <= '0;
      crc_q        <= '0;
      c_kind_q     <= CtlAck;
      c_reason_q   <= NackNone;
      c_seq_q      <= '0;
      c_expect_q   <= '0;
      c_next_q     <= '0;
      c_free_q     <= '0;
      c_pending_q  <= 1'b0;
      cur_q        <= '0;
    end else begin
      q_wp_q       <= q_wp_d;
      q_rp_q       <= q_rp_d;
      q_last_ack_q <= q_last_ack_d;
      next_q       <= next_d;
      acked_q      <= acked_d;
      send_q       <= send_d;
      rewound_q    <= rewound_d;
      b_state_q    <= b_state_d;
      b_plen_q     <= b_plen_d;
      b_left_q     <= b_left_d;
      b_fin_q      <= b_fin_d;
      age_q        <= age_d;
      s_state_q    <= s_state_d;
      s_k_q        <= s_k_d;
      crc_q        <= crc_d;
      c_kind_q     <= c_kind_d;
      c_reason_q   <= c_reason_d;
      c_seq_q      <= c_seq_d;
      c_expect_q   <= c_expect_d;
      c_next_q     <= c_next_d;
      c_free_q     <= c_free_d;
      c_pending_q  <= c_pending_d;
      cur_q        <= cur_d;
    end
  end

`ifdef AX_ASSERT
  // At most 8 DATA frames unacknowledged; the next frame to send is among them.
  assert property (@(posedge clk_i) disable iff (!rst_ni) 16'(next_q - acked_q) <= 16'(ReplayFrames));
  assert property (@(posedge clk_i) disable iff (!rst_ni) 16'(send_q - acked_q) <= 16'(next_q - acked_q));
  assert property (@(posedge clk_i) disable iff (!rst_ni) q_used <= 3'(QDepth));
`endif
endmodule
