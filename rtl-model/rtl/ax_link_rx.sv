// ax_link_rx: the receive framer and CMD validator.
//
// Hunts the sync word at every byte offset, checks the header, streams the
// payload through the CRC and (for the expected CMD frame) into the playback
// buffer at the uncommitted write position, validating each instruction on
// the way (docs/protocol.md 3.2). Only after the CRC matched and every
// instruction passed is the frame committed; otherwise none of it runs.
// The decision (commit, ACK, NACK, ERROR record, REPLAY, HELLO) is taken in
// one state, which waits for the transmitter to accept the response.
module ax_link_rx
  import ax_link_pkg::*;
#(
  parameter int unsigned NumBlocks = 16  // 32-neuron blocks (NEURON_RESET)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // received bytes from the FIFO port
  input  logic [63:0] rx_bytes_i,
  input  logic [3:0]  rx_count_i,
  output logic [2:0]  rx_take_o,
  // playback buffer
  input  logic [13:0] pb_free_i,
  input  logic [12:0] pb_wr_ptr_i,
  output logic        pb_we_o,
  output logic [12:0] pb_waddr_o,
  output logic [31:0] pb_wdata_o,
  output logic        pb_commit_o,
  output logic [8:0]  pb_commit_len_o,
  // responses to the transmitter
  output logic        ctl_valid_o,
  output ctl_kind_e   ctl_kind_o,
  output nack_reason_e ctl_reason_o,
  output logic [15:0] ctl_seq_o,
  input  logic        ctl_ready_i,
  output logic        hack_valid_o,  // host's cumulative DATA ack
  output logic [15:0] hack_o,
  output logic        clear_o,       // HELLO: reset the link
  output logic [15:0] expect_o,      // next CMD seq expected
  // ERROR record for a rejected frame
  output logic        erec_valid_o,
  output err_code_e   erec_code_o,
  output logic [15:0] erec_seq_o,
  output logic [8:0]  erec_off_o,
  output logic [31:0] erec_word_o,
  input  logic        erec_take_i,
  // LINK_ERRORS register
  output logic [31:0] link_errors_o
);
  typedef enum logic [2:0] {
    RxHunt, RxHdr, RxSeq, RxPayload, RxCrc, RxDecide
  } rx_state_e;

  typedef enum logic [2:0] {
    VOp,       // next word starts an instruction
    VArg,      // next word is the second word of v_op_q
    VArg2,     // next word is the third word of v_op_q (INJECT_GROUP of 4)
    VWbData,   // next word is WRITE_BURST data for v_addr_q
    VRbCheck   // checking READ_BURST addresses, one a cycle, no word taken
  } v_state_e;

  localparam logic [31:0] SyncCrc = crc32_word(32'hFFFFFFFF, SyncWord);

  rx_state_e   state_d, state_q;
  logic [7:0]  type_d, type_q;
  logic [8:0]  len_d, len_q;
  logic [8:0]  idx_d, idx_q;
  logic [15:0] seq_d, seq_q;
  logic [15:0] ack_d, ack_q;
  logic [31:0] crc_d, crc_q;
  logic        crc_ok_d, crc_ok_q;
  logic        hdr_bad_d, hdr_bad_q;
  logic        store_d, store_q;   // expected CMD: payload goes to the playback buffer
  logic        fits_d, fits_q;     // payload fits the free playback words
  logic [15:0] expect_d, expect_q;
  logic [15:0] nacks_d, nacks_q;
  logic [15:0] dups_d, dups_q;

  v_state_e    v_state_d, v_state_q;
  opcode_e     v_op_d, v_op_q;
  logic [24:0] v_addr_d, v_addr_q;  // bit 24: ran past the address space
  logic [8:0]  v_cnt_d, v_cnt_q;
  logic [8:0]  v_off_d, v_off_q;
  logic [31:0] v_w0_d, v_w0_q;
  logic [3:0]  v_bus_d, v_bus_q;  // INJECT_GROUP: the event buses its labels so far take
  err_code_e   v_err_d, v_err_q;
  logic [8:0]  v_err_off_d, v_err_off_q;
  logic [31:0] v_err_word_d, v_err_word_q;

  logic        erec_valid_d, erec_valid_q;
  err_code_e   erec_code_d, erec_code_q;
  logic [15:0] erec_seq_d, erec_seq_q;
  logic [8:0]  erec_off_d, erec_off_q;
  logic [31:0] erec_word_d, erec_word_q;

  logic [31:0] word;
  logic        have_word;
  logic [3:0]  sync_at;
  logic        crc_en;
  logic [31:0] crc_next;
  logic [15:0] seq_diff;
  logic        rb_step;

  assign word      = rx_bytes_i[31:0];
  // Bytes 7.. are never needed: a sync word at offset 3 ends in byte 6.
  logic unused_rx_bytes;
  assign unused_rx_bytes = ^rx_bytes_i[63:56];
  assign have_word = (rx_count_i >= 4'd4);
  assign seq_diff  = expect_q - seq_q;

  // The CRC advances when a header, seq or payload word is taken (for a bad
  // header it is computed and not used). From registers and inputs only.
  assign crc_en = have_word && (state_q == RxHdr || state_q == RxSeq ||
                                (state_q == RxPayload && v_state_q != VRbCheck));

  for (genvar k = 0; k < 4; k++) begin : gen_sync_at
    assign sync_at[k] = (rx_bytes_i[8*k +: 32] == SyncWord) && (rx_count_i >= 4'(4 + k));
  end

  ax_crc32 u_crc (
    .en_i   (crc_en),
    .crc_i  (crc_q),
    .data_i (word),
    .crc_o  (crc_next)
  );

  // ---- validator: one register-access check per cycle -------------------------------
  logic [23:0] chk_addr;
  logic        chk_we;
  err_code_e   chk_err;

  always_comb begin
    chk_addr = v_addr_q[23:0];
    chk_we   = 1'b1;
    unique case (v_state_q)
      VOp:      begin chk_addr = word[23:0]; chk_we = 1'b0; end
      VRbCheck: chk_we = 1'b0;
      default:  ;
    endcase
    chk_err = ErrNone;
    if ((state_q == RxPayload || state_q == RxCrc) && v_err_q == ErrNone) begin
      chk_err = access_err(chk_addr, chk_we, word);
      if (v_state_q != VOp && v_addr_q[24]) chk_err = ErrAddress;
    end
  end

  // ---- framer, validator and decision ------------------------------------------------
  always_comb begin
    state_d      = state_q;
    type_d       = type_q;
    len_d        = len_q;
    idx_d        = idx_q;
    seq_d        = seq_q;
    ack_d        = ack_q;
    crc_d        = crc_q;
    crc_ok_d     = crc_ok_q;
    hdr_bad_d    = hdr_bad_q;
    store_d      = store_q;
    fits_d       = fits_q;
    expect_d     = expect_q;
    nacks_d      = nacks_q;
    dups_d       = dups_q;
    v_state_d    = v_state_q;
    v_op_d       = v_op_q;
    v_addr_d     = v_addr_q;
    v_cnt_d      = v_cnt_q;
    v_off_d      = v_off_q;
    v_w0_d       = v_w0_q;
    v_bus_d      = v_bus_q;
    v_err_d      = v_err_q;
    v_err_off_d  = v_err_off_q;
    v_err_word_d = v_err_word_q;
    erec_valid_d = erec_valid_q && !erec_take_i;
    erec_code_d  = erec_code_q;
    erec_seq_d   = erec_seq_q;
    erec_off_d   = erec_off_q;
    erec_word_d  = erec_word_q;

    rx_take_o       = 3'd0;
    pb_we_o         = 1'b0;
    pb_waddr_o      = pb_wr_ptr_i + 13'(idx_q);
    pb_wdata_o      = word;
    pb_commit_o     = 1'b0;
    pb_commit_len_o = len_q;
    ctl_valid_o     = 1'b0;
    ctl_kind_o      = CtlAck;
    ctl_reason_o    = NackNone;
    ctl_seq_o       = 16'h0;
    hack_valid_o    = 1'b0;
    hack_o          = ack_q;
    clear_o         = 1'b0;
    rb_step         = 1'b0;

    unique case (state_q)
      RxHunt: begin
        if (sync_at[0]) begin
          rx_take_o = 3'd4;
          crc_d     = SyncCrc;
          state_d   = RxHdr;
        end else if (rx_count_i >= 4'd7) begin
          rx_take_o = sync_at[1] ? 3'd1 : sync_at[2] ? 3'd2 : sync_at[3] ? 3'd3 : 3'd4;
        end else if (have_word) begin
          rx_take_o = 3'd1;
        end
      end

      RxHdr: begin
        if (have_word) begin
          type_d = word[7:0];
          len_d  = word[24:16];
          if ((word[7:0] == FtCmd || word[7:0] == FtAck || word[7:0] == FtReplay ||
               word[7:0] == FtHello) && word[31:16] <= 16'(MaxPayload)) begin
            rx_take_o = 3'd4;  // a bad header word stays: the hunt restarts after the sync
            crc_d     = crc_next;
            state_d   = RxSeq;
          end else begin
            hdr_bad_d = 1'b1;
            state_d   = RxDecide;
          end
        end
      end

      RxSeq: begin
        if (have_word) begin
          rx_take_o = 3'd4;
          crc_d     = crc_next;
          seq_d     = word[15:0];
          ack_d     = word[31:16];
          fits_d    = ({5'd0, len_q} <= pb_free_i);
          store_d   = (type_q == FtCmd) && (word[15:0] == expect_q) && ({5'd0, len_q} <= pb_free_i);
          idx_d     = '0;
          v_state_d = VOp;
          v_err_d   = ErrNone;
          state_d   = (len_q == 9'd0) ? RxCrc : RxPayload;
        end
      end

      RxPayload: begin
        if (v_state_q == VRbCheck) begin
          rb_step = 1'b1;
        end else if (have_word) begin
          rx_take_o = 3'd4;
          crc_d     = crc_next;
          pb_we_o   = store_q;
          idx_d     = idx_q + 9'd1;
          if (idx_q + 9'd1 == len_q) state_d = RxCrc;
          if (store_q && v_err_q == ErrNone) begin
            unique case (v_state_q)
              VOp: begin
                v_off_d  = idx_q;
                v_w0_d   = word;
                v_op_d   = opcode_e'(word[31:24]);
                v_addr_d = {1'b0, word[23:0]};
                unique case (word[31:24])
                  OpNop, OpTimerReset, OpInject, OpBarrier, OpRecord, OpEnd: ;
                  OpWaitUntil, OpWrite, OpWriteBurst, OpReadBurst: v_state_d = VArg;
                  OpInjectGroup: begin  // 1..4 labels (count field n - 1)
                    v_state_d = VArg;
                    v_bus_d   = 4'b0001 << word[7:6];
                  end
                  OpNeuronReset: begin
                    v_state_d = VArg;
                    if (!word[23] && 32'(word[3:0]) >= NumBlocks) v_err_d = ErrValue;
                  end
                  OpRead: begin
                    v_state_d = VArg;
                    v_err_d   = chk_err;
                  end
                  OpPpu: begin  // command 1 start, 2 stop; [8] hemisphere
                    v_state_d = VArg;
                    if ((word[7:0] != 8'd1 && word[7:0] != 8'd2) || word[23:9] != 15'd0) begin
                      v_err_d = ErrOperand;
                    end
                  end
                  default: v_err_d = ErrOpcode;
                endcase
                v_err_off_d  = idx_q;
                v_err_word_d = word;
              end
              VArg: begin
                v_state_d = VOp;
                unique case (v_op_q)
                  OpWrite: begin
                    v_err_d = chk_err;
                    if (chk_err == ErrValue) begin
                      v_err_off_d  = idx_q;
                      v_err_word_d = word;
                    end else begin
                      v_err_off_d  = v_off_q;
                      v_err_word_d = v_w0_q;
                    end
                  end
                  OpWriteBurst: begin
                    v_cnt_d      = word[8:0];
                    v_err_off_d  = idx_q;
                    v_err_word_d = word;
                    if (word[15:0] == 16'd0 || word[15:0] > 16'(WriteBurstMax)) begin
                      v_err_d = ErrOperand;
                    end else begin
                      v_state_d = VWbData;
                    end
                  end
                  OpInjectGroup: begin  // the labels' buses ([7:6]) must differ
                    if ((v_w0_q[17:16] != 2'd0 && v_bus_q[word[7:6]]) ||
                        (v_w0_q[17:16] >= 2'd2 &&
                         (v_bus_q[word[23:22]] || word[23:22] == word[7:6]))) begin
                      v_err_d      = ErrValue;
                      v_err_off_d  = idx_q;
                      v_err_word_d = word;
                    end
                    v_bus_d = v_bus_q | (4'b0001 << word[7:6]) | (4'b0001 << word[23:22]);
                    if (v_w0_q[17:16] == 2'd3) v_state_d = VArg2;
                  end
                  OpPpu: begin  // start address: 4-aligned, inside the 16 KiB SRAM
                    if (v_w0_q[7:0] == 8'd1 && (word[1:0] != 2'd0 || word >= 32'h4000)) begin
                      v_err_d      = ErrValue;
                      v_err_off_d  = idx_q;
                      v_err_word_d = word;
                    end
                  end
                  OpReadBurst: begin
                    v_cnt_d      = word[24:16];
                    v_err_off_d  = idx_q;
                    v_err_word_d = word;
                    if (word[31:16] == 16'd0 || word[31:16] > 16'(ReadBurstMax)) begin
                      v_err_d = ErrOperand;
                    end else begin
                      v_state_d = VRbCheck;
                    end
                  end
                  default: ;
                endcase
              end
              VArg2: begin  // INJECT_GROUP of 4: label D, its bus not yet taken
                v_state_d = VOp;
                if (v_bus_q[word[7:6]]) begin
                  v_err_d      = ErrValue;
                  v_err_off_d  = idx_q;
                  v_err_word_d = word;
                end
              end
              VWbData: begin
                v_err_d      = chk_err;
                v_err_off_d  = idx_q;
                v_err_word_d = word;
                v_addr_d     = v_addr_q + 25'd1;
                v_cnt_d      = v_cnt_q - 9'd1;
                if (v_cnt_q == 9'd1) v_state_d = VOp;
              end
              default: ;
            endcase
          end
        end
      end

      RxCrc: begin
        if (v_state_q == VRbCheck) begin
          rb_step = 1'b1;  // finish a READ_BURST at the end of the payload first
        end else if (have_word) begin
          rx_take_o = 3'd4;
          crc_ok_d  = (word == ~crc_q);
          // An instruction that runs past the end of the frame.
          if (store_q && v_err_q == ErrNone && v_state_q != VOp) begin
            v_err_d      = ErrOperand;
            v_err_off_d  = v_off_q;
            v_err_word_d = v_w0_q;
          end
          state_d = RxDecide;
        end
      end

      RxDecide: begin
        state_d = RxHunt;  // unless a response has to wait (below)
        if (hdr_bad_q) begin
          ctl_valid_o  = 1'b1;
          ctl_kind_o   = CtlNack;
          ctl_reason_o = NackHeader;
          if (ctl_ready_i) begin
            hdr_bad_d = 1'b0;
            nacks_d   = (nacks_q == 16'hFFFF) ? nacks_q : nacks_q + 16'd1;
          end
        end else if (!crc_ok_q) begin
          ctl_valid_o  = 1'b1;
          ctl_kind_o   = CtlNack;
          ctl_reason_o = NackCrc;
          if (ctl_ready_i) nacks_d = (nacks_q == 16'hFFFF) ? nacks_q : nacks_q + 16'd1;
        end else begin
          unique case (type_q)
            FtCmd: begin
              ctl_valid_o = 1'b1;
              if (seq_q == expect_q) begin
                if (!fits_q) begin
                  ctl_kind_o   = CtlNack;
                  ctl_reason_o = NackBusy;
                  ctl_seq_o    = seq_q;
                end else if (v_err_q != ErrNone && erec_valid_q) begin
                  ctl_valid_o = 1'b0;  // the previous ERROR record is still waiting
                end
              end else if (seq_diff == 16'd0 || seq_diff >= 16'h8000) begin
                ctl_kind_o   = CtlNack;  // ahead of expect: a frame before it was lost
                ctl_reason_o = NackOrder;
                ctl_seq_o    = seq_q;
              end
              if (ctl_valid_o && ctl_ready_i) begin
                hack_valid_o = 1'b1;
                if (seq_q == expect_q && fits_q) begin
                  expect_d = expect_q + 16'd1;
                  if (v_err_q != ErrNone) begin
                    erec_valid_d = 1'b1;
                    erec_code_d  = v_err_q;
                    erec_seq_d   = seq_q;
                    erec_off_d   = v_err_off_q;
                    erec_word_d  = v_err_word_q;
                  end else begin
                    pb_commit_o = 1'b1;
                  end
                end else if (ctl_kind_o == CtlAck) begin
                  dups_d = (dups_q == 16'hFFFF) ? dups_q : dups_q + 16'd1;
                end
              end
            end
            FtAck: hack_valid_o = 1'b1;
            FtReplay: begin
              ctl_valid_o = 1'b1;
              ctl_kind_o  = CtlReplay;
              ctl_seq_o   = ack_q;
            end
            FtHello: begin
              ctl_valid_o = 1'b1;
              ctl_kind_o  = CtlIdent;
              if (ctl_ready_i) begin
                clear_o      = 1'b1;
                expect_d     = 16'h0;
                erec_valid_d = 1'b0;
              end
            end
            default: ;
          endcase
        end
        if (ctl_valid_o && !ctl_ready_i) state_d = RxDecide;
        if (type_q == FtCmd && !hdr_bad_q && crc_ok_q && !ctl_valid_o) state_d = RxDecide;
      end

      default: state_d = RxHunt;
    endcase

    // READ_BURST: one address a cycle; no word is taken meanwhile.
    if (rb_step) begin
      if (v_err_q == ErrNone && chk_err != ErrNone) begin
        v_err_d      = chk_err;
        v_err_off_d  = v_off_q;
        v_err_word_d = v_w0_q;
      end
      v_addr_d = v_addr_q + 25'd1;
      v_cnt_d  = v_cnt_q - 9'd1;
      if (v_cnt_q == 9'd1 || chk_err != ErrNone) v_state_d = VOp;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= RxHunt;
      type_q       <= '0;
      len_q        <= '0;
      idx_q        <= '0;
      seq_q        <= '0;
      ack_q        <= '0;
      crc_q        <= '0;
      crc_ok_q     <= 1'b0;
      hdr_bad_q    <= 1'b0;
      store_q      <= 1'b0;
      fits_q       <= 1'b0;
      expect_q     <= '0;
      nacks_q      <= '0;
      dups_q       <= '0;
      v_state_q    <= VOp;
      v_op_q       <= OpNop;
      v_addr_q     <= '0;
      v_cnt_q      <= '0;
      v_off_q      <= '0;
      v_w0_q       <= '0;
      v_bus_q      <= '0;
      v_err_q      <= ErrNone;
      v_err_off_q  <= '0;
      v_err_word_q <= '0;
      erec_valid_q <= 1'b0;
      erec_code_q  <= ErrNone;
      erec_seq_q   <= '0;
      erec_off_q   <= '0;
      erec_word_q  <= '0;
    end else begin
      state_q      <= state_d;
      type_q       <= type_d;
      len_q        <= len_d;
      idx_q        <= idx_d;
      seq_q        <= seq_d;
      ack_q        <= ack_d;
      crc_q        <= crc_d;
      crc_ok_q     <= crc_ok_d;
      hdr_bad_q    <= hdr_bad_d;
      store_q      <= store_d;
      fits_q       <= fits_d;
      expect_q     <= expect_d;
      nacks_q      <= nacks_d;
      dups_q       <= dups_d;
      v_state_q    <= v_state_d;
      v_op_q       <= v_op_d;
      v_addr_q     <= v_addr_d;
      v_cnt_q      <= v_cnt_d;
      v_off_q      <= v_off_d;
      v_w0_q       <= v_w0_d;
      v_bus_q      <= v_bus_d;
      v_err_q      <= v_err_d;
      v_err_off_q  <= v_err_off_d;
      v_err_word_q <= v_err_word_d;
      erec_valid_q <= erec_valid_d;
      erec_code_q  <= erec_code_d;
      erec_seq_q   <= erec_seq_d;
      erec_off_q   <= erec_off_d;
      erec_word_q  <= erec_word_d;
    end
  end

  assign expect_o      = expect_q;
  assign erec_valid_o  = erec_valid_q;
  assign erec_code_o   = erec_code_q;
  assign erec_seq_o    = erec_seq_q;
  assign erec_off_o    = erec_off_q;
  assign erec_word_o   = erec_word_q;
  assign link_errors_o = {dups_q, nacks_q};
endmodule
