// ax_chip_bg: one background spike source. Regular mode fires every
// period_q cycles; Poisson mode advances a xorshift32 each cycle and fires
// when the new state is below period_q (probability period_q / 2^32 a cycle).
// A fired event waits in pend_q until the router grants it; a source that
// fires again while its event still waits loses the new one (lost_o).
module ax_chip_bg
  import ax_chip_regs_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [1:0]  we_i,       // which word: one-hot on we_valid_i
  input  logic        we_valid_i,
  input  logic [31:0] wdata_i,
  input  logic [1:0]  rsel_i,
  output logic [31:0] rdata_o,
  input  logic        grant_i,    // the router takes this source's event this cycle
  output logic        pend_o,
  output logic [15:0] label_o,
  output logic        lost_o
);
  // the source's four register words (BG_* in chip_regs.def), from BG_CTRL on
  typedef enum logic [1:0] {
    BgCtrl   = 2'(AddrBgCtrl - AddrBgCtrl),
    BgLabel  = 2'(AddrBgLabel - AddrBgCtrl),
    BgPeriod = 2'(AddrBgPeriod - AddrBgCtrl),
    BgSeed   = 2'(AddrBgSeed - AddrBgCtrl)
  } bg_word_e;

  logic [1:0]  ctrl_q;     // [0] enable, [1] Poisson
  logic [15:0] label_q;
  logic [31:0] period_q;
  logic [31:0] seed_q;
  logic [31:0] state_q, state_d;
  logic [31:0] cnt_q, cnt_d;
  logic        pend_q, pend_d;
  logic        fire, lost;

  always_comb begin
    state_d = state_q;
    cnt_d   = cnt_q;
    fire    = 1'b0;
    if (ctrl_q[0]) begin
      if (ctrl_q[1]) begin
        state_d = state_q ^ (state_q << 13);
        state_d = state_d ^ (state_d >> 17);
        state_d = state_d ^ (state_d << 5);
        fire    = state_d < period_q;
      end else if (cnt_q <= 32'd1) begin
        fire  = 1'b1;
        cnt_d = period_q;
      end else begin
        cnt_d = cnt_q - 32'd1;
      end
    end
    pend_d = pend_q && !grant_i;
    lost   = 1'b0;
    if (fire) begin
      lost   = pend_d;
      pend_d = 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_q   <= {BgCtrlReset[BgCtrlPoissonLsb], BgCtrlReset[BgCtrlEnLsb]};
      label_q  <= BgLabelReset[BgLabelLabelMsb:BgLabelLabelLsb];
      period_q <= BgPeriodReset;
      seed_q   <= BgSeedReset;
      state_q  <= BgSeedReset;
      cnt_q    <= BgPeriodReset;
      pend_q   <= 1'b0;
    end else begin
      state_q <= state_d;
      cnt_q   <= cnt_d;
      pend_q  <= pend_d;
      if (we_valid_i) begin
        unique case (bg_word_e'(we_i))
          BgCtrl: begin
            ctrl_q  <= {wdata_i[BgCtrlPoissonLsb], wdata_i[BgCtrlEnLsb]};
            cnt_q   <= period_q;
            state_q <= seed_q;
            pend_q  <= 1'b0;
          end
          BgLabel:  label_q  <= wdata_i[BgLabelLabelMsb:BgLabelLabelLsb];
          BgPeriod: period_q <= wdata_i;
          BgSeed: begin
            seed_q  <= wdata_i;
            state_q <= wdata_i;
          end
          default: ;
        endcase
      end
    end
  end

  always_comb begin
    unique case (bg_word_e'(rsel_i))
      BgCtrl:   rdata_o = (32'(ctrl_q[1]) << BgCtrlPoissonLsb) | (32'(ctrl_q[0]) << BgCtrlEnLsb);
      BgLabel:  rdata_o = 32'(label_q) << BgLabelLabelLsb;
      BgPeriod: rdata_o = period_q;
      default:  rdata_o = seed_q;
    endcase
  end

  assign pend_o  = pend_q;
  assign label_o = label_q;
  assign lost_o  = lost;

endmodule
