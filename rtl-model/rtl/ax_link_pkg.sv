// ax_link_pkg: constants, enums and pure functions of the link part (the
// board's FPGA logic). Numbers follow docs/protocol.md; keep them in step
// with driver/include/axon/codec.h.
package ax_link_pkg;

  // ---- versions and sizes ---------------------------------------------------
  localparam logic [31:0] SyncWord        = 32'h4E4F5841;  // bytes 'A' 'X' 'O' 'N'
  localparam logic [31:0] ProtocolVersion = 32'h0001_0002; // 1.2
  // Model version: bumped whenever the chip's behaviour or noise model changes.
  localparam logic [31:0] ModelVersion    = 32'd4;  // = chip_regs.def REVISION
  localparam int unsigned MaxPayload      = 256;   // words per frame payload
  localparam int unsigned PlaybackWords   = 8192;  // playback buffer
  localparam int unsigned ReplayFrames    = 8;     // DATA frames kept for replay
  localparam int unsigned IdentWords      = 10;
  localparam int unsigned WriteBurstMax   = 254;
  // A READ record (4 header words + n data) must fit one DATA payload.
  localparam int unsigned ReadBurstMax    = 252;

  // ---- frames -----------------------------------------------------------------
  typedef enum logic [7:0] {
    FtCmd    = 8'h01,
    FtAck    = 8'h02,
    FtNack   = 8'h03,
    FtReplay = 8'h04,
    FtData   = 8'h05,
    FtHello  = 8'h06,
    FtIdent  = 8'h07
  } frame_type_e;

  typedef enum logic [7:0] {
    NackNone   = 8'd0,
    NackCrc    = 8'd1,
    NackHeader = 8'd2,
    NackOrder  = 8'd3,
    NackBusy   = 8'd4,
    NackReplay = 8'd5
  } nack_reason_e;

  // What the receiver asks of the transmitter.
  typedef enum logic [1:0] {
    CtlAck    = 2'd0,  // send an ACK
    CtlNack   = 2'd1,  // send a NACK (reason, seq)
    CtlIdent  = 2'd2,  // send IDENT (after HELLO)
    CtlReplay = 2'd3   // host asked for DATA frames from seq on
  } ctl_kind_e;

  // ---- instructions ------------------------------------------------------------
  typedef enum logic [7:0] {
    OpNop         = 8'h00,
    OpWaitUntil   = 8'h01,
    OpTimerReset  = 8'h02,
    OpWrite       = 8'h03,
    OpRead        = 8'h04,
    OpInject      = 8'h05,
    OpBarrier     = 8'h06,
    OpNeuronReset = 8'h07,
    OpRecord      = 8'h08,
    OpWriteBurst  = 8'h09,
    OpReadBurst   = 8'h0A,
    OpPpu         = 8'h0B,
    OpEnd         = 8'h0C,
    OpInjectGroup = 8'h0D   // protocol 1.1: up to 3 events in one cycle; 1.2: 4 (one a bus)
  } opcode_e;

  typedef enum logic [7:0] {
    ErrNone        = 8'd0,
    ErrOpcode      = 8'd1,
    ErrOperand     = 8'd2,
    ErrAddress     = 8'd3,
    ErrValue       = 8'd4,
    ErrUnsupported = 8'd5
  } err_code_e;

  // ---- records -------------------------------------------------------------------
  localparam logic [1:0] TagSpike = 2'b00;
  localparam logic [1:0] TagMadc  = 2'b01;
  localparam logic [1:0] TagExt   = 2'b10;

  typedef enum logic [5:0] {
    ExtTime     = 6'h01,
    ExtRead     = 6'h02,
    ExtEnd      = 6'h03,
    ExtLate     = 6'h04,
    ExtOverflow = 6'h05,
    ExtError    = 6'h06,
    ExtTrial    = 6'h07
  } ext_sub_e;

  typedef enum logic [1:0] {
    OvfEvents = 2'd0,  // events dropped at a full delay-line slot (protocol 1.1)
    OvfSpikes = 2'd1,
    OvfMadc   = 2'd2,
    OvfChip   = 2'd3
  } ovf_source_e;

  // ---- board registers (word addresses 0x00-0xFF) ---------------------------------
  typedef enum logic [7:0] {
    RegProtocol   = 8'h00,
    RegModel      = 8'h01,
    RegChipId     = 8'h02,
    RegDieSeedLo  = 8'h03,
    RegDieSeedHi  = 8'h04,
    RegRunSeedLo  = 8'h05,
    RegRunSeedHi  = 8'h06,
    RegGeometry   = 8'h07,
    RegSystimeLo  = 8'h08,
    RegSystimeHi  = 8'h09,
    RegTimeLo     = 8'h0A,
    RegTimeHi     = 8'h0B,
    RegNoise      = 8'h0C,
    RegScratch    = 8'h0D,
    RegLinkErrors = 8'h0E,
    RegChipReset  = 8'h10
  } board_reg_e;

  // Address ranges (docs/protocol.md section 6).
  function automatic logic is_board_addr(input logic [23:0] addr);
    is_board_addr = (addr < 24'h000100);
  endfunction

  function automatic logic is_ppu_addr(input logic [23:0] addr);
    is_ppu_addr = (addr >= 24'h800000 && addr < 24'h802000) ||
                  (addr >= 24'h810000 && addr < 24'h810200);
  endfunction

  // PPU h's register block (0x810000 + 0x100 h, docs/ppu.md section 3): reads
  // of the registers and the mailbox, writes of INBOX only. Offset 0x80 is the
  // link's own (the PPU instruction): refused like the gaps.
  function automatic logic ppu_reg_ok(input logic [7:0] off, input logic we);
    if (we) begin
      ppu_reg_ok = (off == 8'h06);
    end else begin
      ppu_reg_ok = (off <= 8'h08) || (off >= 8'h40 && off < 8'h80);
    end
  endfunction

  // Validation of one register access at receipt (section 3.2): ErrNone when
  // the register exists, allows the access, and (for writes) takes the value.
  function automatic err_code_e access_err(input logic [23:0] addr, input logic we,
                                           input logic [31:0] data);
    err_code_e err;
    err = ErrNone;
    if (is_board_addr(addr)) begin
      unique case (addr[7:0])
        RegProtocol, RegModel, RegChipId, RegDieSeedLo, RegDieSeedHi, RegRunSeedLo,
        RegRunSeedHi, RegGeometry, RegSystimeLo, RegSystimeHi, RegTimeLo, RegTimeHi,
        RegNoise, RegLinkErrors: err = we ? ErrAddress : ErrNone;
        RegScratch:              err = ErrNone;
        RegChipReset:            err = !we ? ErrAddress : (data > 32'd1 ? ErrValue : ErrNone);
        default:                 err = ErrAddress;
      endcase
    end else if (is_ppu_addr(addr)) begin
      err = (addr[16] && !ppu_reg_ok(addr[7:0], we)) ? ErrAddress : ErrNone;
    end else if (!ax_chip_pkg::chip_addr_ok(addr, we)) begin
      err = ErrAddress;
    end else if (we && !ax_chip_pkg::chip_value_ok(addr, data)) begin
      err = ErrValue;
    end
    access_err = err;
  endfunction

  // ---- CRC-32 (IEEE 802.3, reflected 0xEDB88320) over one word, bytes LSB first --
  function automatic logic [31:0] crc32_word(input logic [31:0] crc, input logic [31:0] data);
    logic [31:0] c;
    c = crc ^ data;
    for (int i = 0; i < 32; i++) begin
      c = c[0] ? ((c >> 1) ^ 32'hEDB88320) : (c >> 1);
    end
    crc32_word = c;
  endfunction

endpackage
