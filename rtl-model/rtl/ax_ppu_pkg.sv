// ax_ppu_pkg: constants and pure functions of the plasticity processors
// (docs/ppu.md): memory map, trap causes, row-unit operations.
package ax_ppu_pkg;

  localparam logic [31:0] SramBytes = 32'h4000;  // 16 KiB per core
  localparam int unsigned SramWords = 4096;

  // trap causes (RISC-V mcause numbers, docs/ppu.md section 4)
  typedef enum logic [3:0] {
    CauseFetchMisaligned = 4'd0,
    CauseFetchFault      = 4'd1,
    CauseIllegal         = 4'd2,
    CauseBreakpoint      = 4'd3,
    CauseLoadMisaligned  = 4'd4,
    CauseLoadFault       = 4'd5,
    CauseStoreMisaligned = 4'd6,
    CauseStoreFault      = 4'd7,
    CauseEcall           = 4'd11
  } cause_e;

  // STATUS[1:0]
  localparam logic [1:0] StStopped = 2'd0;
  localparam logic [1:0] StRunning = 2'd1;
  localparam logic [1:0] StAsleep  = 2'd2;
  localparam logic [1:0] StHalted  = 2'd3;

  // core registers (word offsets from 0x8000_0000)
  localparam logic [5:0] LrPutc     = 6'h00;
  localparam logic [5:0] LrOutbox   = 6'h01;
  localparam logic [5:0] LrCycleLo  = 6'h02;
  localparam logic [5:0] LrCycleHi  = 6'h03;
  localparam logic [5:0] LrRand     = 6'h04;
  localparam logic [5:0] LrInbox    = 6'h05;
  localparam logic [5:0] LrInboxSeq = 6'h06;
  localparam logic [5:0] LrWakeAt   = 6'h07;
  localparam logic [5:0] LrHemi     = 6'h08;

  // host registers (word offsets from 0x810000 + 0x100 h); HrCtrl is the
  // link's own (the PPU instruction), refused to READ/WRITE at receipt
  localparam logic [7:0] HrStatus   = 8'h00;
  localparam logic [7:0] HrExitCode = 8'h01;
  localparam logic [7:0] HrPc       = 8'h02;
  localparam logic [7:0] HrTval     = 8'h03;
  localparam logic [7:0] HrCycles   = 8'h04;
  localparam logic [7:0] HrInstret  = 8'h05;
  localparam logic [7:0] HrInbox    = 8'h06;
  localparam logic [7:0] HrOutbox   = 8'h07;
  localparam logic [7:0] HrMboxLen  = 8'h08;
  localparam logic [7:0] HrCtrl     = 8'h80;  // wdata [17:16] command, [13:0] start

  // row-unit operations (custom-0 funct7)
  typedef enum logic [6:0] {
    VLd   = 7'h00, VSt  = 7'h01, VAdds = 7'h02, VSubs = 7'h03, VMulh = 7'h04,
    VSplat = 7'h05, VMin = 7'h06, VMax = 7'h07, VShr = 7'h08, VRand = 7'h09,
    VGet  = 7'h0A, VSet = 7'h0B, VLdm = 7'h0C, VStm = 7'h0D, VSum = 7'h0E
  } vop_e;

  // row sources (x[rs1][15:12] of VLD/VST): 0 weights, 1 labels, 2 causal
  // and 3 anti-causal sensors, 4 membranes
  localparam logic [3:0] RowLabels   = 4'd1;
  localparam logic [3:0] RowMembrane = 4'd4;

  function automatic logic [31:0] xorshift32(input logic [31:0] x_in);
    logic [31:0] x;
    x = x_in;
    x = x ^ (x << 13);
    x = x ^ (x >> 17);
    x = x ^ (x << 5);
    xorshift32 = x;
  endfunction

  // the lane-wise operations of the row unit (vd from vs1, vs2, a scalar)
  function automatic logic [255:0] vec_alu(input vop_e op, input logic [255:0] a,
                                           input logic [255:0] b, input logic [31:0] s);
    logic [255:0] r;
    logic [8:0]   t;
    logic [15:0]  p;
    r = '0;
    for (int unsigned i = 0; i < 32; i++) begin
      unique case (op)
        VAdds: begin
          t = 9'(a[8*i +: 8]) + 9'(b[8*i +: 8]);
          r[8*i +: 8] = t[8] ? 8'hFF : t[7:0];
        end
        VSubs:  r[8*i +: 8] = (a[8*i +: 8] > b[8*i +: 8]) ? a[8*i +: 8] - b[8*i +: 8] : 8'd0;
        VMulh: begin
          p = 16'(a[8*i +: 8]) * 16'(b[8*i +: 8]);
          r[8*i +: 8] = p[15:8];
        end
        VSplat: r[8*i +: 8] = s[7:0];
        VMin:   r[8*i +: 8] = (a[8*i +: 8] < b[8*i +: 8]) ? a[8*i +: 8] : b[8*i +: 8];
        VMax:   r[8*i +: 8] = (a[8*i +: 8] > b[8*i +: 8]) ? a[8*i +: 8] : b[8*i +: 8];
        VShr:   r[8*i +: 8] = a[8*i +: 8] >> s[2:0];
        default: r[8*i +: 8] = a[8*i +: 8];
      endcase
    end
    vec_alu = r;
  endfunction

endpackage
