// ax_ppu_core: one plasticity processor's RV32IM core with its 16 KiB SRAM
// and its row unit (custom-0, docs/ppu.md section 2).
//
// In-order, not pipelined: an instruction is fetched from SRAM, executed and
// retired in one cycle (ALU, branches, jumps, SRAM loads and stores, MUL*,
// vector ALU operations, VLDM/VSTM); multi-cycle: DIV/REM (33 cycles, a
// restoring divider, one quotient bit a cycle; division by zero and overflow
// take 1), loads of core registers (2), chip-register window accesses
// (request, grant and the chip's answer: >= 5), VLD/VST (3).
// SRAM is word-addressed, read asynchronously; the host's access (hs_*) wins
// its cycle and the core waits. Traps halt the core (docs/ppu.md section 4).
//
// All work is in one clocked block guarded by the state; ax_chip gates the
// PPUs' clock off while no core is busy (busy_o) and nothing else is pending
// (ax_ppu's clk_en_o), so stopped, halted or sleeping cores cost no evaluation. The register files
// and the SRAM are written with blocking assignments in that block, their
// only writer and reader (Verilator BLKLOOPINIT; no array copies).
module ax_ppu_core
  import ax_ppu_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256,
  parameter logic        Hemi           = 1'b0
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic [31:0]  seed_i,        // RAND state at start (never 0)
  input  logic [63:0]  now_i,         // chip cycles since reset (free-running)
  // control (from the PPU instruction)
  input  logic         start_i,
  input  logic [13:0]  start_pc_i,
  input  logic         stop_i,
  // the host's SRAM port: word address; read data the next cycle
  input  logic         hs_req_i,
  input  logic         hs_we_i,
  input  logic [11:0]  hs_addr_i,
  input  logic [31:0]  hs_wdata_i,
  output logic [31:0]  hs_rdata_o,
  // core registers (ax_ppu): one-cycle strobes; read data the cycle after
  output logic         lr_re_o,
  output logic         lr_we_o,
  output logic [5:0]   lr_addr_o,
  output logic [31:0]  lr_wdata_o,
  input  logic [31:0]  lr_rdata_i,
  // wfi: wake condition (WAKE_AT reached or INBOX written), consumed by wake_ack_o
  input  logic         wake_i,
  output logic         wake_ack_o,
  // chip-register window: request held until granted, then one ack
  output logic         win_req_o,
  output logic         win_we_o,
  output logic [23:0]  win_addr_o,
  output logic [31:0]  win_wdata_o,
  input  logic         win_gnt_i,
  input  logic         win_ack_i,
  input  logic         win_err_i,
  input  logic [31:0]  win_rdata_i,
  // row port: one-cycle request, one ack (with the raw words for a load);
  // the core converts: lanes to synapse words (amplitudes from the die seed)
  // and raw words to lanes (weights, labels, CADC codes of sensors and
  // membranes), so the arrays only copy
  output logic          row_req_o,
  output logic          row_we_o,
  output logic [15:0]   row_sel_o,    // VLD/VST x[rs1]: [7:0] row, [10:8] segment, [15:12] source
  output logic [1023:0] row_wdata_o,  // 32 words: weights [31:16] amplitude, [5:0]; labels [11:6]
  input  logic          row_ack_i,
  input  logic [1023:0] row_syn_i,    // synapse words (sources 0, 1) or sensor accumulators (2, 3)
  input  logic [1023:0] row_v_i,      // membranes, Q14 (source 4)
  input  logic [63:0]   die_seed_i,
  input  logic [7:0]    fpn_scale_i,
  // work pending for the next clock edge (else the clock may be gated off)
  output logic         busy_o,
  // status for the host registers
  output logic [1:0]   state_o,
  output logic         exited_o,
  output logic         trapped_o,
  output logic [3:0]   cause_o,
  output logic [31:0]  pc_o,
  output logic [31:0]  tval_o,
  output logic [31:0]  exit_code_o,
  output logic [31:0]  instret_o,
  output logic [63:0]  t0_o,          // now_i of the first cycle after the start
  output logic [63:0]  t_end_o        // now_i of the first cycle after the halt or stop
);
  typedef enum logic [2:0] {
    SStop, SRun, SLoc, SWin, SDiv, SRow, SSleep, SHalt
  } st_e;

  localparam int unsigned Segs = NeuronsPerHemi / 32;

  st_e          state_q;
  logic [31:0]  pc_q, tval_q, exit_code_q, instret_q, rnd_q;
  logic         exited_q, trapped_q;
  logic [3:0]   cause_q;
  logic [31:0]  rf_q  [32];
  logic [255:0] vrf_q [8];
  logic [31:0]  mem_q [SramWords];
  logic [31:0]  hs_rdata_q;
  logic [63:0]  t0_q, t_end_q;
  logic         loc_wait_q;    // a core-register load waits for ax_ppu's registered answer
  // multi-cycle operations
  logic [4:0]   rd_q;          // x or v register written at completion
  logic         lr_re_q, lr_we_q, wake_ack_q;
  logic [5:0]   lr_addr_q;
  logic [31:0]  lr_wdata_q;
  logic         win_req_q, win_we_q, win_out_q;
  logic [23:0]  win_addr_q;
  logic [31:0]  win_wdata_q;
  logic         row_req_q, row_we_q, row_out_q;
  logic [15:0]  row_sel_q;
  logic [1023:0] row_wdata_q;
  logic [5:0]   div_cnt_q;
  logic [31:0]  div_rem_q, div_quo_q, div_den_q;
  logic         div_neg_q, div_want_rem_q;

  // address regions of a data access
  typedef enum logic [1:0] { RgSram, RgLocal, RgWin, RgNone } region_e;

  function automatic region_e region(input logic [31:0] a);
    if (a < SramBytes) begin
      region = RgSram;
    end else if (a[31:8] == 24'h800000) begin
      region = RgLocal;
    end else if (a[31:25] == 7'b1100000 && a[24:18] != 7'd0) begin
      region = RgWin;  // 0xC000_0000 + 4 A, 0x010000 <= A <= 0x7FFFFF
    end else begin
      region = RgNone;
    end
  endfunction

  // a row selector VLD (we = 0) or VST (we = 1) may use on this chip
  function automatic logic row_sel_ok(input logic [31:0] s, input logic we);
    logic src_ok;
    src_ok = we ? (s[15:12] <= RowLabels) : (s[15:12] <= RowMembrane);
    row_sel_ok = src_ok && (32'(s[10:8]) < Segs) &&
                 ((s[15:12] == RowMembrane) || (32'(s[7:0]) < RowsPerHemi));
  endfunction

  // VST: the 32 synapse words' new fields (weights clamped to 63 with their
  // amplitudes, as a register write computes them; labels: the low 6 bits)
  function automatic logic [1023:0] row_words(input logic [31:0] sel, input logic [255:0] v);
    logic [1023:0] r;
    logic [7:0]    l;
    int unsigned   c;
    r = '0;
    for (int unsigned i = 0; i < 32; i++) begin
      l = v[8*i +: 8];
      c = 32 * 32'(sel[10:8]) + i;
      if (sel[12]) begin
        r[32*i +: 32] = {20'd0, l[5:0], 6'd0};
      end else begin
        l = (l > 8'd63) ? 8'd63 : l;
        r[32*i +: 32] = {16'(l[5:0]) * ax_chip_pkg::syn_step(die_seed_i, fpn_scale_i, 32'(Hemi),
                                                              32'(sel[7:0]), c),
                         10'd0, l[5:0]};
      end
    end
    row_words = r;
  endfunction

  // VLD: the lanes of the answered segment
  function automatic logic [255:0] row_lanes(input logic [15:0] sel);
    logic [255:0] r;
    logic [31:0]  w;
    int unsigned  c;
    r = '0;
    for (int unsigned i = 0; i < 32; i++) begin
      w = row_syn_i[32*i +: 32];
      c = 32 * 32'(sel[10:8]) + i;
      unique case (sel[15:12])
        4'd0:    r[8*i +: 8] = {2'b00, w[5:0]};
        4'd1:    r[8*i +: 8] = {2'b00, w[11:6]};
        4'd2, 4'd3: r[8*i +: 8] = ax_chip_pkg::sensor_code(die_seed_i, fpn_scale_i, 32'(Hemi),
                                                         32'(sel[7:0]), c, sel[12], w);
        default: r[8*i +: 8] = ax_chip_pkg::cadc_convert(die_seed_i, fpn_scale_i,
                                                         256 * 32'(Hemi) + c, row_v_i[32*i +: 32]);
      endcase
    end
    row_lanes = r;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin : p_core
    logic [31:0]  ins, a, b, res, addr, tgt, w, r;
    logic [63:0]  prod;
    logic [32:0]  r33;
    logic [6:0]   opc;
    logic [2:0]   f3;
    logic [6:0]   f7;
    logic [4:0]   rd;
    logic         wen, trap, stall, retire, take;
    cause_e       tcause;
    logic [31:0]  ttval;
    logic [255:0] v;
    if (!rst_ni) begin
      state_q        <= SStop;
      pc_q           <= 32'd0;
      tval_q         <= 32'd0;
      exit_code_q    <= 32'd0;
      instret_q      <= 32'd0;
      rnd_q          <= 32'd1;
      exited_q       <= 1'b0;
      trapped_q      <= 1'b0;
      cause_q        <= 4'd0;
      hs_rdata_q     <= 32'd0;
      t0_q           <= 64'd0;
      t_end_q        <= 64'd0;
      loc_wait_q     <= 1'b0;
      rd_q           <= 5'd0;
      lr_re_q        <= 1'b0;
      lr_we_q        <= 1'b0;
      wake_ack_q     <= 1'b0;
      lr_addr_q      <= 6'd0;
      lr_wdata_q     <= 32'd0;
      win_req_q      <= 1'b0;
      win_we_q       <= 1'b0;
      win_out_q      <= 1'b0;
      win_addr_q     <= 24'd0;
      win_wdata_q    <= 32'd0;
      row_req_q      <= 1'b0;
      row_we_q       <= 1'b0;
      row_out_q      <= 1'b0;
      row_sel_q      <= 16'd0;
      row_wdata_q    <= '0;
      div_cnt_q      <= 6'd0;
      div_rem_q      <= 32'd0;
      div_quo_q      <= 32'd0;
      div_den_q      <= 32'd0;
      div_neg_q      <= 1'b0;
      div_want_rem_q <= 1'b0;
      for (int unsigned i = 0; i < 32; i++) begin
        rf_q[i] = 32'd0;
      end
      for (int unsigned i = 0; i < 8; i++) begin
        vrf_q[i] = '0;
      end
    end else begin
      // the host's SRAM access (wins the cycle: the core does not execute)
      if (hs_req_i) begin
        if (hs_we_i) begin
          mem_q[hs_addr_i] = hs_wdata_i;
        end else begin
          hs_rdata_q <= mem_q[hs_addr_i];
        end
      end
      // one-cycle strobes and the outstanding bus transactions
      if (lr_re_q || lr_we_q) begin
        lr_re_q <= 1'b0;
        lr_we_q <= 1'b0;
      end
      if (wake_ack_q) wake_ack_q <= 1'b0;
      if (row_req_q) row_req_q <= 1'b0;
      if (win_req_q && win_gnt_i) begin
        win_req_q <= 1'b0;
        win_out_q <= 1'b1;
      end
      if (win_ack_i) win_out_q <= 1'b0;
      if (row_ack_i) row_out_q <= 1'b0;

      if (start_i) begin
        state_q     <= SRun;
        t0_q        <= now_i + 64'd1;
        pc_q        <= {18'd0, start_pc_i};
        tval_q      <= 32'd0;
        exit_code_q <= 32'd0;
        instret_q   <= 32'd0;
        rnd_q       <= seed_i;
        exited_q    <= 1'b0;
        trapped_q   <= 1'b0;
        cause_q     <= 4'd0;
        win_req_q   <= 1'b0;
        for (int unsigned i = 0; i < 32; i++) begin
          rf_q[i] = 32'd0;
        end
        for (int unsigned i = 0; i < 8; i++) begin
          vrf_q[i] = '0;
        end
      end else if (stop_i) begin
        state_q   <= SStop;
        if (state_q != SStop && state_q != SHalt) t_end_q <= now_i + 64'd1;
        exited_q  <= 1'b0;
        trapped_q <= 1'b0;
        win_req_q <= 1'b0;
      end else if (state_q == SRun && !hs_req_i) begin
        // ---- fetch and execute one instruction ----
        ins    = mem_q[pc_q[13:2]];
        opc    = ins[6:0];
        rd     = ins[11:7];
        f3     = ins[14:12];
        f7     = ins[31:25];
        a      = rf_q[ins[19:15]];
        b      = rf_q[ins[24:20]];
        res    = 32'd0;
        tgt    = pc_q + 32'd4;
        addr   = 32'd0;
        wen    = 1'b0;
        trap   = 1'b0;
        stall  = 1'b0;
        retire = 1'b1;  // else a multi-cycle operation retires later
        take   = 1'b0;
        tcause = CauseIllegal;
        ttval  = ins;
        prod   = 64'd0;
        if (pc_q >= SramBytes) begin
          trap   = 1'b1;
          tcause = CauseFetchFault;
          ttval  = pc_q;
        end else begin
          unique case (opc)
            7'b0110111: begin  // LUI
              wen = 1'b1;
              res = {ins[31:12], 12'd0};
            end
            7'b0010111: begin  // AUIPC
              wen = 1'b1;
              res = pc_q + {ins[31:12], 12'd0};
            end
            7'b1101111: begin  // JAL
              wen  = 1'b1;
              res  = pc_q + 32'd4;
              take = 1'b1;
              tgt  = pc_q + {{11{ins[31]}}, ins[31], ins[19:12], ins[20], ins[30:21], 1'b0};
            end
            7'b1100111: begin  // JALR
              if (f3 != 3'd0) begin
                trap = 1'b1;
              end else begin
                wen  = 1'b1;
                res  = pc_q + 32'd4;
                take = 1'b1;
                tgt  = (a + {{20{ins[31]}}, ins[31:20]}) & ~32'd1;
              end
            end
            7'b1100011: begin  // branches
              unique case (f3)
                3'd0: take = (a == b);
                3'd1: take = (a != b);
                3'd4: take = ($signed(a) < $signed(b));
                3'd5: take = ($signed(a) >= $signed(b));
                3'd6: take = (a < b);
                3'd7: take = (a >= b);
                default: trap = 1'b1;
              endcase
              if (take) begin
                tgt = pc_q + {{19{ins[31]}}, ins[31], ins[7], ins[30:25], ins[11:8], 1'b0};
              end
            end
            7'b0000011: begin  // loads
              addr = a + {{20{ins[31]}}, ins[31:20]};
              if (f3 == 3'd3 || f3 > 3'd5) begin
                trap = 1'b1;
              end else if ((f3[1:0] == 2'd1 && addr[0]) || (f3[1:0] == 2'd2 && addr[1:0] != 2'd0)) begin
                trap   = 1'b1;
                tcause = CauseLoadMisaligned;
                ttval  = addr;
              end else begin
                unique case (region(addr))
                  RgSram: begin
                    wen = 1'b1;
                    w   = mem_q[addr[13:2]] >> {addr[1:0], 3'b000};
                    unique case (f3)
                      3'd0:    res = {{24{w[7]}}, w[7:0]};
                      3'd1:    res = {{16{w[15]}}, w[15:0]};
                      3'd4:    res = {24'd0, w[7:0]};
                      3'd5:    res = {16'd0, w[15:0]};
                      default: res = w;
                    endcase
                  end
                  RgLocal: begin
                    if (f3 != 3'd2 || !(addr[7:2] inside {LrCycleLo, LrCycleHi, LrRand, LrInbox,
                                                          LrInboxSeq, LrHemi})) begin
                      trap   = 1'b1;
                      tcause = CauseLoadFault;
                      ttval  = addr;
                    end else if (addr[7:2] == LrRand) begin
                      wen   = 1'b1;
                      res   = xorshift32(rnd_q);
                      rnd_q <= res;
                    end else begin
                      retire    = 1'b0;
                      rd_q      <= rd;
                      lr_re_q   <= 1'b1;
                      lr_addr_q <= addr[7:2];
                      loc_wait_q <= 1'b1;
                      state_q   <= SLoc;
                    end
                  end
                  RgWin: begin
                    if (f3 != 3'd2 || !ax_chip_pkg::chip_addr_ok(addr[25:2], 1'b0)) begin
                      trap   = 1'b1;
                      tcause = CauseLoadFault;
                      ttval  = addr;
                    end else if (win_out_q) begin
                      stall = 1'b1;  // an earlier program's access is still answered
                    end else begin
                      retire     = 1'b0;
                      rd_q       <= rd;
                      win_req_q  <= 1'b1;
                      win_we_q   <= 1'b0;
                      win_addr_q <= addr[25:2];
                      state_q    <= SWin;
                    end
                  end
                  default: begin
                    trap   = 1'b1;
                    tcause = CauseLoadFault;
                    ttval  = addr;
                  end
                endcase
              end
            end
            7'b0100011: begin  // stores
              addr = a + {{20{ins[31]}}, ins[31:25], ins[11:7]};
              if (f3 > 3'd2) begin
                trap = 1'b1;
              end else if ((f3 == 3'd1 && addr[0]) || (f3 == 3'd2 && addr[1:0] != 2'd0)) begin
                trap   = 1'b1;
                tcause = CauseStoreMisaligned;
                ttval  = addr;
              end else begin
                unique case (region(addr))
                  RgSram: begin
                    unique case (f3)
                      3'd0:    mem_q[addr[13:2]][8 * addr[1:0] +: 8] = b[7:0];
                      3'd1:    mem_q[addr[13:2]][16 * addr[1] +: 16] = b[15:0];
                      default: mem_q[addr[13:2]] = b;
                    endcase
                  end
                  RgLocal: begin
                    if (f3 != 3'd2 || !(addr[7:2] inside {LrPutc, LrOutbox, LrWakeAt})) begin
                      trap   = 1'b1;
                      tcause = CauseStoreFault;
                      ttval  = addr;
                    end else begin
                      lr_we_q    <= 1'b1;
                      lr_addr_q  <= addr[7:2];
                      lr_wdata_q <= b;
                    end
                  end
                  RgWin: begin
                    if (f3 != 3'd2 || !ax_chip_pkg::chip_addr_ok(addr[25:2], 1'b1) ||
                        !ax_chip_pkg::chip_value_ok(addr[25:2], b)) begin
                      trap   = 1'b1;
                      tcause = CauseStoreFault;
                      ttval  = addr;
                    end else if (win_out_q) begin
                      stall = 1'b1;
                    end else begin
                      retire      = 1'b0;
                      rd_q        <= 5'd0;
                      win_req_q   <= 1'b1;
                      win_we_q    <= 1'b1;
                      win_addr_q  <= addr[25:2];
                      win_wdata_q <= b;
                      state_q     <= SWin;
                    end
                  end
                  default: begin
                    trap   = 1'b1;
                    tcause = CauseStoreFault;
                    ttval  = addr;
                  end
                endcase
              end
            end
            7'b0010011: begin  // OP-IMM
              wen = 1'b1;
              b   = {{20{ins[31]}}, ins[31:20]};
              unique case (f3)
                3'd0: res = a + b;
                3'd2: res = {31'd0, $signed(a) < $signed(b)};
                3'd3: res = {31'd0, a < b};
                3'd4: res = a ^ b;
                3'd6: res = a | b;
                3'd7: res = a & b;
                3'd1: begin
                  res  = a << ins[24:20];
                  trap = (f7 != 7'd0);
                end
                default: begin  // 5
                  res  = (f7 == 7'h20) ? 32'($signed(a) >>> ins[24:20]) : a >> ins[24:20];
                  trap = (f7 != 7'd0 && f7 != 7'h20);
                end
              endcase
            end
            7'b0110011: begin  // OP, M extension
              wen = 1'b1;
              if (f7 == 7'd1) begin
                unique case (f3)
                  3'd0: res = a * b;
                  3'd1: begin
                    prod = 64'($signed({{32{a[31]}}, a}) * $signed({{32{b[31]}}, b}));
                    res  = prod[63:32];
                  end
                  3'd2: begin
                    prod = 64'($signed({{32{a[31]}}, a}) * $signed({32'd0, b}));
                    res  = prod[63:32];
                  end
                  3'd3: begin
                    prod = 64'(a) * 64'(b);
                    res  = prod[63:32];
                  end
                  default: begin  // DIV, DIVU, REM, REMU
                    if (b == 32'd0) begin
                      res = f3[1] ? a : 32'hFFFFFFFF;
                    end else if (!f3[0] && a == 32'h80000000 && b == 32'hFFFFFFFF) begin
                      res = f3[1] ? 32'd0 : 32'h80000000;
                    end else begin
                      wen            = 1'b0;
                      retire         = 1'b0;
                      rd_q           <= rd;
                      div_cnt_q      <= 6'd32;
                      div_rem_q      <= 32'd0;
                      div_quo_q      <= (!f3[0] && a[31]) ? -a : a;
                      div_den_q      <= (!f3[0] && b[31]) ? -b : b;
                      div_neg_q      <= !f3[0] && (f3[1] ? a[31] : (a[31] ^ b[31]));
                      div_want_rem_q <= f3[1];
                      state_q        <= SDiv;
                    end
                  end
                endcase
              end else if (f7 == 7'd0 || (f7 == 7'h20 && (f3 == 3'd0 || f3 == 3'd5))) begin
                unique case (f3)
                  3'd0: res = f7[5] ? a - b : a + b;
                  3'd1: res = a << b[4:0];
                  3'd2: res = {31'd0, $signed(a) < $signed(b)};
                  3'd3: res = {31'd0, a < b};
                  3'd4: res = a ^ b;
                  3'd5: res = f7[5] ? 32'($signed(a) >>> b[4:0]) : a >> b[4:0];
                  3'd6: res = a | b;
                  default: res = a & b;
                endcase
              end else begin
                trap = 1'b1;
              end
            end
            7'b0001111: ;  // FENCE, FENCE.I: nothing to order
            7'b1110011: begin  // SYSTEM: ecall, ebreak, wfi; no CSRs
              if (ins == 32'h00000073) begin
                if (rf_q[17] == 32'd93) begin
                  exited_q    <= 1'b1;
                  exit_code_q <= rf_q[10];
                  state_q     <= SHalt;
                  t_end_q     <= now_i + 64'd1;
                  tgt         = pc_q;  // PC: the ecall
                end else begin
                  trap   = 1'b1;
                  tcause = CauseEcall;
                  ttval  = 32'd0;
                end
              end else if (ins == 32'h00100073) begin
                trap   = 1'b1;
                tcause = CauseBreakpoint;
                ttval  = pc_q;
              end else if (ins == 32'h10500073) begin
                if (wake_i) begin
                  wake_ack_q <= 1'b1;
                end else begin
                  state_q <= SSleep;
                end
              end else begin
                trap = 1'b1;
              end
            end
            7'b0001011: begin  // custom-0: the row unit
              if (f3 != 3'd0) begin
                trap = 1'b1;
              end else begin
                unique case (f7)
                  VLd, VSt: begin
                    if (!row_sel_ok(a, f7[0])) begin
                      trap   = 1'b1;
                      tcause = f7[0] ? CauseStoreFault : CauseLoadFault;
                      ttval  = a;
                    end else if (row_out_q) begin
                      stall = 1'b1;
                    end else begin
                      retire      = 1'b0;
                      rd_q        <= rd;
                      row_req_q   <= 1'b1;
                      row_out_q   <= 1'b1;
                      row_we_q    <= f7[0];
                      row_sel_q   <= a[15:0];
                      if (f7[0]) row_wdata_q <= row_words(a, vrf_q[ins[22:20]]);
                      state_q     <= SRow;
                    end
                  end
                  VAdds, VSubs, VMulh, VMin, VMax:
                    vrf_q[rd[2:0]] = vec_alu(vop_e'(f7), vrf_q[ins[17:15]], vrf_q[ins[22:20]], b);
                  VShr:   vrf_q[rd[2:0]] = vec_alu(VShr, vrf_q[ins[17:15]], '0, b);
                  VSplat: vrf_q[rd[2:0]] = vec_alu(VSplat, '0, '0, a);
                  VRand: begin
                    r = rnd_q;
                    for (int unsigned k = 0; k < 8; k++) begin
                      r = xorshift32(r);
                      v[32*k +: 32] = r;
                    end
                    rnd_q <= r;
                    vrf_q[rd[2:0]] = v;
                  end
                  VGet: begin
                    wen = 1'b1;
                    res = {24'd0, vrf_q[ins[17:15]][8 * b[4:0] +: 8]};
                  end
                  VSet: vrf_q[rd[2:0]][8 * b[4:0] +: 8] = a[7:0];
                  VLdm, VStm: begin
                    if (a[4:0] != 5'd0) begin
                      trap   = 1'b1;
                      tcause = f7[0] ? CauseStoreMisaligned : CauseLoadMisaligned;
                      ttval  = a;
                    end else if (a >= SramBytes) begin
                      trap   = 1'b1;
                      tcause = f7[0] ? CauseStoreFault : CauseLoadFault;
                      ttval  = a;
                    end else if (f7[0]) begin
                      for (int unsigned k = 0; k < 8; k++) begin
                        mem_q[{a[13:5], 3'(k)}] = vrf_q[ins[22:20]][32*k +: 32];
                      end
                    end else begin
                      for (int unsigned k = 0; k < 8; k++) begin
                        v[32*k +: 32] = mem_q[{a[13:5], 3'(k)}];
                      end
                      vrf_q[rd[2:0]] = v;
                    end
                  end
                  VSum: begin
                    wen = 1'b1;
                    for (int unsigned k = 0; k < 32; k++) begin
                      res = res + 32'(vrf_q[ins[17:15]][8*k +: 8]);
                    end
                  end
                  default: trap = 1'b1;
                endcase
              end
            end
            default: trap = 1'b1;
          endcase
          // a taken jump or branch to a misaligned target traps at the jump
          if (!trap && take && tgt[1:0] != 2'd0) begin
            trap   = 1'b1;
            tcause = CauseFetchMisaligned;
            ttval  = tgt;
          end
        end
        if (trap) begin
          state_q   <= SHalt;
          t_end_q   <= now_i + 64'd1;
          trapped_q <= 1'b1;
          cause_q   <= 4'(tcause);
          tval_q    <= ttval;
          // the trap cancels every strobe and request set above
          lr_re_q   <= 1'b0;
          lr_we_q   <= 1'b0;
          win_req_q <= 1'b0;
          row_req_q <= 1'b0;
        end else if (!stall) begin
          if (wen && rd != 5'd0) rf_q[rd] = res;
          if (retire) begin
            pc_q      <= tgt;
            instret_q <= instret_q + 32'd1;
          end
        end
      end else if (state_q != SRun && state_q != SStop && state_q != SHalt) begin
        // ---- multi-cycle operations and sleep ----
        wen = 1'b0;
        res = 32'd0;
        unique case (state_q)
          SLoc: begin  // the answer is registered by ax_ppu: a cycle later
            loc_wait_q <= 1'b0;
            wen = !loc_wait_q;
            res = lr_rdata_i;
          end
          SWin: begin
            if (win_ack_i) begin
              if (win_err_i) begin
                state_q   <= SHalt;
                t_end_q   <= now_i + 64'd1;
                trapped_q <= 1'b1;
                cause_q   <= 4'(win_we_q ? CauseStoreFault : CauseLoadFault);
                tval_q    <= {6'b110000, win_addr_q, 2'b00};
              end else begin
                wen = 1'b1;
                res = win_rdata_i;
              end
            end
          end
          SDiv: begin
            r33       = {div_rem_q, div_quo_q[31]};
            w         = {div_quo_q[30:0], 1'b0};
            if (r33 >= {1'b0, div_den_q}) begin
              r33  = r33 - {1'b0, div_den_q};
              w[0] = 1'b1;
            end
            div_rem_q <= r33[31:0];
            div_quo_q <= w;
            div_cnt_q <= div_cnt_q - 6'd1;
            if (div_cnt_q == 6'd1) begin
              wen = 1'b1;
              res = div_want_rem_q ? r33[31:0] : w;
              if (div_neg_q) res = -res;
            end
          end
          SRow: begin
            if (row_ack_i) begin
              wen = 1'b1;
              if (!row_we_q) vrf_q[rd_q[2:0]] = row_lanes(row_sel_q);
            end
          end
          default: begin  // SSleep
            if (wake_i) begin
              wake_ack_q <= 1'b1;
              state_q    <= SRun;
            end
          end
        endcase
        if (wen && state_q != SSleep) begin
          if (state_q != SRow && rd_q != 5'd0) rf_q[rd_q] = res;
          state_q   <= SRun;
          pc_q      <= pc_q + 32'd4;
          instret_q <= instret_q + 32'd1;
        end
      end
    end
  end

  assign busy_o      = (state_q != SStop && state_q != SHalt && state_q != SSleep) ||
                       win_req_q || win_out_q || row_req_q || row_out_q || lr_re_q || lr_we_q ||
                       wake_ack_q;
  assign hs_rdata_o  = hs_rdata_q;
  assign lr_re_o     = lr_re_q;
  assign lr_we_o     = lr_we_q;
  assign lr_addr_o   = lr_addr_q;
  assign lr_wdata_o  = lr_wdata_q;
  assign wake_ack_o  = wake_ack_q;
  assign win_req_o   = win_req_q;
  assign win_we_o    = win_we_q;
  assign win_addr_o  = win_addr_q;
  assign win_wdata_o = win_wdata_q;
  assign row_req_o   = row_req_q;
  assign row_we_o    = row_we_q;
  assign row_sel_o   = row_sel_q;
  assign row_wdata_o = row_wdata_q;
  assign state_o     = (state_q == SStop) ? StStopped :
                       (state_q == SHalt) ? StHalted :
                       (state_q == SSleep) ? StAsleep : StRunning;
  assign exited_o    = exited_q;
  assign trapped_o   = trapped_q;
  assign cause_o     = cause_q;
  assign pc_o        = pc_q;
  assign tval_o      = tval_q;
  assign exit_code_o = exit_code_q;
  assign instret_o   = instret_q;
  assign t0_o        = t0_q;
  assign t_end_o     = t_end_q;

endmodule
