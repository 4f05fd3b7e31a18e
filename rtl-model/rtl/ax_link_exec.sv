// ax_link_exec: the playback executor and the board registers.
//
// Runs the committed instructions of the playback buffer against the
// experiment time, one instruction a cycle (a register access waits for the
// chip's register bus; a WRITE_BURST moves one data word a cycle). Keeps the
// 64-bit systime and the 56-bit experiment time. Records it produces (READ,
// END, LATE, TRIAL, ERROR of a failed write) go through a one-record staging
// slot to the recorder; READ data waits in a 256-word read buffer.
//
// Timing: the instruction after WAIT_UNTIL(t) runs in the cycle whose
// experiment time is t. If the WAIT_UNTIL is reached too late for that, the
// next instruction runs in the next cycle and a LATE record gives the
// difference.
module ax_link_exec
  import ax_link_pkg::*;
  import ax_chip_if_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,          // HELLO: abort the running program
  // straps and link state for the board registers
  input  logic [31:0] chip_id_i,
  input  logic [63:0] die_seed_i,
  input  logic [63:0] run_seed_i,
  input  logic [7:0]  fpn_scale_i,
  input  logic [7:0]  temporal_scale_i,
  input  logic [31:0] link_errors_i,
  // playback buffer
  input  logic        pb_empty_i,
  input  logic [31:0] pb_w0_i,
  input  logic [31:0] pb_w1_i,
  input  logic [15:0] pb_w2_i,  // low half of the third word: INJECT_GROUP's fourth label
  output logic [1:0]  pb_advance_o,
  // time
  output logic [63:0] systime_o,
  // chip (its reset, and the bundles of ax_chip_if_pkg: experiment time,
  // register bus, input events, neuron reset out; bus answers, inj_ready, idle in)
  output logic        chip_rst_no,      // CHIP_RESET: chip held in reset while low
  output chip_req_t   chip_req_o,
  input  chip_rsp_t   chip_rsp_i,
  // recording switches
  output logic        rec_spikes_o,
  output logic        rec_first_o,
  output logic        rec_madc_o,
  output logic        trial_o,          // TIMER_RESET ran: first-spike flags clear
  // record staging to the recorder
  output logic        xrec_valid_o,
  output ext_sub_e    xrec_sub_o,
  output logic [23:0] xrec_arg_o,
  output logic [31:0] xrec_w1_o,
  output logic [31:0] xrec_w2_o,
  output logic [31:0] xrec_w3_o,
  output logic [8:0]  xrec_n_o,         // READ data words
  input  logic        xrec_take_i,
  input  logic [7:0]  rbuf_raddr_i,
  output logic [31:0] rbuf_rdata_o,
  // an instruction is under way or its record still waits in the slot
  output logic        busy_o
);
  typedef enum logic [2:0] {
    XRun,     // decode the instruction at the head of the playback buffer
    XBus,     // a chip register access is under way
    XWBurst,  // WRITE_BURST data words
    XRBurst,  // READ_BURST addresses
    XWerr,    // a chip write failed: emit an ERROR record
    XDrain    // aborted by HELLO while an access was under way
  } x_state_e;

  localparam logic [31:0] Geometry = {16'(RowsPerHemi), 16'(NeuronsPerHemi)};
  localparam logic [2:0]  ChipResetCycles = 3'd4;

  x_state_e    state_d, state_q;
  x_state_e    ret_d, ret_q;        // where XBus returns
  logic [55:0] time_d, time_q;
  logic [63:0] systime_q;
  logic [23:0] addr_d, addr_q;
  logic [8:0]  cnt_d, cnt_q;        // accesses still to issue after the current one
  logic [8:0]  idx_d, idx_q;        // read buffer fill
  logic        is_read_d, is_read_q;
  logic [15:0] ticket_d, ticket_q;
  logic [55:0] rtime_d, rtime_q;
  err_code_e   rstat_d, rstat_q;
  logic [23:0] werr_addr_d, werr_addr_q;
  logic [2:0]  rec_d, rec_q;        // RECORD switches
  logic [31:0] scratch_d, scratch_q;
  logic [2:0]  chiprst_d, chiprst_q;
  logic [31:0] systime_hi_d, systime_hi_q;
  logic [23:0] time_hi_d, time_hi_q;

  logic        xrec_valid_d, xrec_valid_q;
  ext_sub_e    xrec_sub_d, xrec_sub_q;
  logic [23:0] xrec_arg_d, xrec_arg_q;
  logic [31:0] xrec_w1_d, xrec_w1_q;
  logic [31:0] xrec_w2_d, xrec_w2_q;
  logic [31:0] xrec_w3_d, xrec_w3_q;
  logic [8:0]  xrec_n_d, xrec_n_q;

  logic [31:0] rbuf_q [256];
  logic        rbuf_we;
  logic [7:0]  rbuf_waddr;
  logic [31:0] rbuf_wdata;
  logic        rd_last;       // the last word of a READ enters the read buffer

  // to the chip (chip_req_o)
  chip_bus_req_t bus_req;
  chip_inj_t     inj_req;
  chip_nrst_t    nrst_req;

  // ---- board registers ------------------------------------------------------------
  logic [7:0]  brd_addr;
  logic [31:0] brd_rdata;
  logic        brd_re, brd_we;
  logic [31:0] brd_wdata;

  always_comb begin
    unique case (brd_addr)
      RegProtocol:   brd_rdata = ProtocolVersion;
      RegModel:      brd_rdata = ModelVersion;
      RegChipId:     brd_rdata = chip_id_i;
      RegDieSeedLo:  brd_rdata = die_seed_i[31:0];
      RegDieSeedHi:  brd_rdata = die_seed_i[63:32];
      RegRunSeedLo:  brd_rdata = run_seed_i[31:0];
      RegRunSeedHi:  brd_rdata = run_seed_i[63:32];
      RegGeometry:   brd_rdata = Geometry;
      RegSystimeLo:  brd_rdata = systime_q[31:0];
      RegSystimeHi:  brd_rdata = systime_hi_q;
      RegTimeLo:     brd_rdata = time_q[31:0];
      RegTimeHi:     brd_rdata = {8'h0, time_hi_q};
      RegNoise:      brd_rdata = {16'h0, temporal_scale_i, fpn_scale_i};
      RegScratch:    brd_rdata = scratch_q;
      RegLinkErrors: brd_rdata = link_errors_i;
      default:       brd_rdata = 32'h0;
    endcase
  end

  // ---- instruction decode ----------------------------------------------------------
  opcode_e     op;
  logic [55:0] wait_time;
  logic [55:0] time_next;
  logic [55:0] late_by;
  logic        stall_chip;

  assign op         = opcode_e'(pb_w0_i[31:24]);
  assign wait_time  = {pb_w0_i[23:0], pb_w1_i};
  assign time_next  = time_q + 56'd1;
  assign late_by    = time_next - wait_time;
  assign stall_chip = (chiprst_q != 3'd0);

  always_comb begin
    state_d      = state_q;
    ret_d        = ret_q;
    time_d       = time_next;
    addr_d       = addr_q;
    cnt_d        = cnt_q;
    idx_d        = idx_q;
    is_read_d    = is_read_q;
    ticket_d     = ticket_q;
    rtime_d      = rtime_q;
    rstat_d      = rstat_q;
    werr_addr_d  = werr_addr_q;
    rec_d        = rec_q;
    scratch_d    = scratch_q;
    chiprst_d    = (chiprst_q != 3'd0) ? chiprst_q - 3'd1 : 3'd0;
    systime_hi_d = systime_hi_q;
    time_hi_d    = time_hi_q;
    xrec_valid_d = xrec_valid_q && !xrec_take_i;
    xrec_sub_d   = xrec_sub_q;
    xrec_arg_d   = xrec_arg_q;
    xrec_w1_d    = xrec_w1_q;
    xrec_w2_d    = xrec_w2_q;
    xrec_w3_d    = xrec_w3_q;
    xrec_n_d     = xrec_n_q;

    pb_advance_o = 2'd0;
    bus_req.req    = 1'b0;
    bus_req.we     = 1'b0;
    bus_req.addr   = addr_q;
    bus_req.wdata  = pb_w0_i;
    inj_req.valid  = '0;
    inj_req.label  = '0;
    nrst_req.valid = 1'b0;
    nrst_req.all   = pb_w0_i[23];
    nrst_req.block = pb_w0_i[3:0];
    nrst_req.mask  = pb_w1_i;
    trial_o      = 1'b0;
    brd_addr     = addr_q[7:0];
    brd_re       = 1'b0;
    brd_we       = 1'b0;
    brd_wdata    = pb_w0_i;
    rbuf_we      = 1'b0;
    rbuf_waddr   = idx_q[7:0];
    rbuf_wdata   = brd_rdata;
    rd_last      = 1'b0;

    unique case (state_q)
      XRun: begin
        if (!pb_empty_i && !stall_chip) begin
          brd_addr = pb_w0_i[7:0];
          unique case (op)
            OpNop: pb_advance_o = 2'd1;
            OpWaitUntil: begin
              if (time_next >= wait_time) begin
                if (time_next == wait_time) begin
                  pb_advance_o = 2'd2;
                end else if (!xrec_valid_q) begin
                  pb_advance_o = 2'd2;
                  xrec_valid_d = 1'b1;
                  xrec_sub_d   = ExtLate;
                  xrec_arg_d   = (late_by[55:24] != '0) ? 24'hFFFFFF : late_by[23:0];
                  xrec_w1_d    = wait_time[31:0];
                  xrec_w2_d    = {8'h0, wait_time[55:32]};
                  xrec_n_d     = '0;
                end
              end
            end
            OpTimerReset: begin
              if (!xrec_valid_q) begin
                pb_advance_o = 2'd1;
                time_d       = '0;
                trial_o      = 1'b1;
                xrec_valid_d = 1'b1;
                xrec_sub_d   = ExtTrial;
                xrec_arg_d   = '0;
                xrec_n_d     = '0;
              end
            end
            OpWrite: begin
              pb_advance_o = 2'd2;
              if (is_board_addr(pb_w0_i[23:0])) begin
                brd_we    = 1'b1;
                brd_wdata = pb_w1_i;
              end else begin
                bus_req.req   = 1'b1;
                bus_req.we    = 1'b1;
                bus_req.addr  = pb_w0_i[23:0];
                bus_req.wdata = pb_w1_i;
                addr_d      = pb_w0_i[23:0];
                werr_addr_d = pb_w0_i[23:0];
                cnt_d       = '0;
                is_read_d   = 1'b0;
                state_d     = XBus;
              end
            end
            OpRead, OpReadBurst: begin
              if (!xrec_valid_q) begin
                pb_advance_o = 2'd2;
                addr_d       = pb_w0_i[23:0];
                cnt_d        = (op == OpRead) ? 9'd1 : pb_w1_i[24:16];
                ticket_d     = pb_w1_i[15:0];
                rtime_d      = time_q;
                rstat_d      = ErrNone;
                idx_d        = '0;
                is_read_d    = 1'b1;
                state_d      = XRBurst;
              end
            end
            OpInject: begin  // slot = the label's event bus
              inj_req.valid[pb_w0_i[7:6]] = 1'b1;
              inj_req.label[pb_w0_i[7:6]] = pb_w0_i[15:0];
              if (chip_rsp_i.inj_ready) pb_advance_o = 2'd1;
            end
            OpInjectGroup: begin  // arg[17:16] + 1 labels on distinct buses (checked at receipt)
              inj_req.valid[pb_w0_i[7:6]]  = 1'b1;
              inj_req.label[pb_w0_i[7:6]]  = pb_w0_i[15:0];
              if (pb_w0_i[17:16] != 2'd0) begin
                inj_req.valid[pb_w1_i[7:6]] = 1'b1;
                inj_req.label[pb_w1_i[7:6]] = pb_w1_i[15:0];
              end
              if (pb_w0_i[17:16] >= 2'd2) begin
                inj_req.valid[pb_w1_i[23:22]] = 1'b1;
                inj_req.label[pb_w1_i[23:22]] = pb_w1_i[31:16];
              end
              if (pb_w0_i[17:16] == 2'd3) begin  // the fourth label is a third word
                inj_req.valid[pb_w2_i[7:6]] = 1'b1;
                inj_req.label[pb_w2_i[7:6]] = pb_w2_i;
              end
              if (chip_rsp_i.inj_ready) pb_advance_o = (pb_w0_i[17:16] == 2'd3) ? 2'd3 : 2'd2;
            end
            OpBarrier: if (chip_rsp_i.idle) pb_advance_o = 2'd1;
            OpNeuronReset: begin
              nrst_req.valid = 1'b1;
              pb_advance_o = 2'd2;
            end
            OpRecord: begin
              rec_d        = pb_w0_i[2:0];
              pb_advance_o = 2'd1;
            end
            OpWriteBurst: begin
              addr_d       = pb_w0_i[23:0];
              cnt_d        = pb_w1_i[8:0];
              is_read_d    = 1'b0;
              pb_advance_o = 2'd2;
              state_d      = XWBurst;
            end
            OpPpu: begin  // a write of the PPU's control offset (0x80): [17:16] command, [13:0] start
              pb_advance_o  = 2'd2;
              bus_req.req   = 1'b1;
              bus_req.we    = 1'b1;
              bus_req.addr  = {15'h4080, pb_w0_i[8], 8'h80};
              bus_req.wdata = {14'd0, pb_w0_i[1:0], 2'd0, pb_w1_i[13:0]};
              addr_d        = bus_req.addr;
              werr_addr_d   = bus_req.addr;
              cnt_d         = '0;
              is_read_d     = 1'b0;
              state_d       = XBus;
            end
            OpEnd: begin
              if (!xrec_valid_q) begin
                pb_advance_o = 2'd1;
                xrec_valid_d = 1'b1;
                xrec_sub_d   = ExtEnd;
                xrec_arg_d   = '0;
                xrec_w1_d    = time_q[31:0];
                xrec_w2_d    = {8'h0, time_q[55:32]};
                xrec_n_d     = '0;
              end
            end
            default: pb_advance_o = 2'd1;
          endcase
        end
      end

      XWBurst: begin
        // One data word a cycle; the playback buffer head is the data word.
        if (!stall_chip) begin
          pb_advance_o = 2'd1;
          addr_d       = addr_q + 24'd1;
          cnt_d        = cnt_q - 9'd1;
          if (is_board_addr(addr_q)) begin
            brd_we = 1'b1;
            if (cnt_q == 9'd1) state_d = XRun;
          end else begin
            bus_req.req = 1'b1;
            bus_req.we  = 1'b1;
            state_d   = XBus;
            ret_d     = XWBurst;
            werr_addr_d = addr_q;
          end
        end
      end

      XRBurst: begin
        if (!stall_chip) begin
          addr_d = addr_q + 24'd1;
          cnt_d  = cnt_q - 9'd1;
          if (is_board_addr(addr_q)) begin
            brd_re  = 1'b1;
            rbuf_we = 1'b1;
            idx_d   = idx_q + 9'd1;
            rd_last = (cnt_q == 9'd1);
          end else begin
            bus_req.req = 1'b1;
            state_d   = XBus;
            ret_d     = XRBurst;
          end
        end
      end

      XBus: begin
        if (chip_rsp_i.bus.ack) begin
          state_d = ret_q;
          if (is_read_q) begin
            rbuf_we    = 1'b1;
            rbuf_wdata = chip_rsp_i.bus.rdata;
            idx_d      = idx_q + 9'd1;
            if (chip_rsp_i.bus.err && rstat_q == ErrNone) rstat_d = ErrAddress;
            rd_last = (cnt_q == 9'd0);
          end else begin
            if (cnt_q == 9'd0) state_d = XRun;
            if (chip_rsp_i.bus.err) state_d = XWerr;
          end
        end
      end

      XWerr: begin
        if (!xrec_valid_q) begin
          state_d      = (cnt_q == 9'd0) ? XRun : ret_q;
          xrec_valid_d = 1'b1;
          xrec_sub_d   = ExtError;
          xrec_arg_d   = {16'h0, ErrAddress};
          xrec_w1_d    = 32'hFFFFFFFF;  // not a frame offset: a failed access at run time
          xrec_w2_d    = {8'h0, werr_addr_q};
          xrec_n_d     = '0;
        end
      end

      XDrain: if (chip_rsp_i.bus.ack) state_d = XRun;

      default: state_d = XRun;
    endcase

    // The READ's last word went to the read buffer this cycle: its record,
    // with the status and word count including that word.
    if (rd_last) begin
      state_d      = XRun;
      xrec_valid_d = 1'b1;
      xrec_sub_d   = ExtRead;
      xrec_arg_d   = {rstat_d, ticket_q};
      xrec_w1_d    = {23'h0, idx_d};
      xrec_w2_d    = rtime_q[31:0];
      xrec_w3_d    = {8'h0, rtime_q[55:32]};
      xrec_n_d     = idx_d;
    end

    // Board register side effects.
    if (brd_we) begin
      unique case (brd_addr)
        RegScratch:   scratch_d = brd_wdata;
        RegChipReset: if (brd_wdata[0]) chiprst_d = ChipResetCycles;
        default: ;
      endcase
    end
    if (brd_re && brd_addr == RegSystimeLo) systime_hi_d = systime_q[63:32];
    if (brd_re && brd_addr == RegTimeLo) time_hi_d = time_q[55:32];

    if (clear_i) begin
      state_d      = (state_q == XBus || state_q == XDrain) ? XDrain : XRun;
      xrec_valid_d = 1'b0;
      rec_d        = '0;
    end
  end

  // A single READ takes the XRBurst path with a count of 1.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= XRun;
      ret_q        <= XRun;
      time_q       <= '0;
      systime_q    <= '0;
      addr_q       <= '0;
      cnt_q        <= '0;
      idx_q        <= '0;
      is_read_q    <= 1'b0;
      ticket_q     <= '0;
      rtime_q      <= '0;
      rstat_q      <= ErrNone;
      werr_addr_q  <= '0;
      rec_q        <= '0;
      scratch_q    <= '0;
      chiprst_q    <= '0;
      systime_hi_q <= '0;
      time_hi_q    <= '0;
      xrec_valid_q <= 1'b0;
      xrec_sub_q   <= ExtEnd;
      xrec_arg_q   <= '0;
      xrec_w1_q    <= '0;
      xrec_w2_q    <= '0;
      xrec_w3_q    <= '0;
      xrec_n_q     <= '0;
    end else begin
      state_q      <= state_d;
      ret_q        <= ret_d;
      time_q       <= time_d;
      systime_q    <= systime_q + 64'd1;
      addr_q       <= addr_d;
      cnt_q        <= cnt_d;
      idx_q        <= idx_d;
      is_read_q    <= is_read_d;
      ticket_q     <= ticket_d;
      rtime_q      <= rtime_d;
      rstat_q      <= rstat_d;
      werr_addr_q  <= werr_addr_d;
      rec_q        <= rec_d;
      scratch_q    <= scratch_d;
      chiprst_q    <= chiprst_d;
      systime_hi_q <= systime_hi_d;
      time_hi_q    <= time_hi_d;
      xrec_valid_q <= xrec_valid_d;
      xrec_sub_q   <= xrec_sub_d;
      xrec_arg_q   <= xrec_arg_d;
      xrec_w1_q    <= xrec_w1_d;
      xrec_w2_q    <= xrec_w2_d;
      xrec_w3_q    <= xrec_w3_d;
      xrec_n_q     <= xrec_n_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rbuf_we) rbuf_q[rbuf_waddr] <= rbuf_wdata;
  end

  assign rbuf_rdata_o = rbuf_q[rbuf_raddr_i];
  assign busy_o       = (state_q != XRun) || xrec_valid_q || (chiprst_q != 3'd0);
  assign chip_req_o   = '{now: time_q, bus: bus_req, inj: inj_req, nrst: nrst_req};
  assign systime_o    = systime_q;
  assign chip_rst_no  = (chiprst_q == 3'd0);
  assign rec_spikes_o = rec_q[0];
  assign rec_first_o  = rec_q[1];
  assign rec_madc_o   = rec_q[2];
  assign xrec_valid_o = xrec_valid_q;
  assign xrec_sub_o   = xrec_sub_q;
  assign xrec_arg_o   = xrec_arg_q;
  assign xrec_w1_o    = xrec_w1_q;
  assign xrec_w2_o    = xrec_w2_q;
  assign xrec_w3_o    = xrec_w3_q;
  assign xrec_n_o     = xrec_n_q;

  // the recorder takes the spikes and MADC samples
  logic unused_rsp;
  assign unused_rsp = ^{chip_rsp_i.spk, chip_rsp_i.spk_drop, chip_rsp_i.ev_drop, chip_rsp_i.madc};

`ifdef AX_ASSERT
  // One register access at a time: a request only when no access is under way.
  assert property (@(posedge clk_i) disable iff (!rst_ni) !bus_req.req || (state_q != XBus && state_q != XDrain));
  assert property (@(posedge clk_i) disable iff (!rst_ni) !(pb_advance_o != 2'd0 && pb_empty_i));
`endif
endmodule
