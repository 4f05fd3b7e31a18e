// ax_chip_pkg: constants, types and pure functions of the chip part.
// - the register map comes from ax_chip_regs_pkg, generated at build time
//   from rtl-model/regs/chip_regs.def (the one source; docs/chip.md).
// - chip_addr_ok / chip_value_ok: what the link's receive-time validation asks
//   of the chip (docs/protocol.md section 3.2). They know the full-size chip's
//   map; on the reduced chip an address beyond the geometry answers with
//   reg_err_o at run time (docs/chip.md).
// - the fixed-pattern-noise hash and the code-to-value mappings, the neuron
//   arithmetic constants and the correlation kernel. rtl-model/ref/ax_ref.c
//   implements the same functions in C, bit for bit; docs/chip.md documents them.
package ax_chip_pkg;
  import ax_chip_regs_pkg::*;

  // ---- CapMem --------------------------------------------------------------------
  // The global CapMem cells (CADC_REF .. CORR_AMP_A), indexed from CADC_REF.
  typedef enum logic [2:0] {
    GlbCadcRef  = 3'(AddrCadcRef - AddrCadcRef),  // CADC reference source [mV]
    GlbCorrTauC = 3'(AddrCorrTauC - AddrCadcRef), // causal correlation time constant [cycles]
    GlbCorrTauA = 3'(AddrCorrTauA - AddrCadcRef), // anti-causal correlation time constant [cycles]
    GlbCorrAmpC = 3'(AddrCorrAmpC - AddrCadcRef), // causal amplitude [1/16 sensor units]
    GlbCorrAmpA = 3'(AddrCorrAmpA - AddrCadcRef)  // anti-causal amplitude
  } glb_e;

  // Power-on codes (chip_regs.def: the PARAM defaults).
  function automatic logic [9:0] default_code(input int unsigned p);
    unique case (param_e'(p))
      ParamLeak:      default_code = 10'(ParamLeakDefault);
      ParamReset:     default_code = 10'(ParamResetDefault);
      ParamThreshold: default_code = 10'(ParamThresholdDefault);
      ParamTauM:      default_code = 10'(ParamTauMDefault);
      ParamTauSe:     default_code = 10'(ParamTauSeDefault);
      ParamTauSi:     default_code = 10'(ParamTauSiDefault);
      ParamGainE:     default_code = 10'(ParamGainEDefault);
      ParamGainI:     default_code = 10'(ParamGainIDefault);
      ParamRefrac:    default_code = 10'(ParamRefracDefault);
      default:        default_code = 10'd0;
    endcase
  endfunction

  // ---- neuron arithmetic constants -----------------------------------------------
  localparam int unsigned VFrac     = 14;                // potentials in mV, Q14
  localparam logic [31:0] VMax      = 32'd1023 << VFrac; // upper rail (lower rail 0)
  localparam logic [31:0] IMax      = 32'd1023 << VFrac; // synaptic current clamp
  localparam logic [31:0] VBias     = 32'd1 << 25;       // bias of the membrane drive
  localparam logic [31:0] NoiseAmp  = 32'd2458;          // 0.15 mV per cycle at scale 128
  localparam int unsigned DelayBits = DriverDelayMsb - DriverDelayLsb + 1;  // DRIVER DELAY
  localparam int unsigned WheelSlotEvents = 4;            // events per arrival cycle and hemi
  localparam int unsigned NumBus    = 4;                 // event buses per hemisphere: driver d on bus d % 4
  localparam logic [31:0] RefrHeld  = 32'hFFFF_FFFF;     // refractory counter of a spent spike-once neuron

  // ---- fixed-pattern noise ----------------------------------------------------------
  // Hash keys: [31:24] kind, [23:0] index.
  localparam logic [7:0] KeyParam   = 8'h01;  // + param (0x01..0x09), index = neuron
  localparam logic [7:0] KeySynapse = 8'h10;  // index = hemi*65536 + row*256 + col
  localparam logic [7:0] KeyCadc    = 8'h20;  // index = hemi*256 + col
  localparam logic [7:0] KeyMadc    = 8'h21;  // index 0
  localparam logic [7:0] KeyCorrC   = 8'h11;  // causal sensor, index as KeySynapse
  localparam logic [7:0] KeyCorrA   = 8'h12;  // anti-causal sensor, index as KeySynapse
  localparam logic [7:0] KeyNoise   = 8'h40;  // run seed: index = generator word
  localparam int         CorrGainHw = 3932;   // sensor amplitude: +-12 % (Q15)
  localparam int         CorrOffHw  = 128;    // sensor offset: +-8 sensor units (Q4)

  function automatic logic [31:0] fmix32(input logic [31:0] x_in);
    logic [31:0] x;
    x = x_in;
    x = x ^ (x >> 16);
    x = x * 32'h85EBCA6B;
    x = x ^ (x >> 13);
    x = x * 32'hC2B2AE35;
    x = x ^ (x >> 16);
    fmix32 = x;
  endfunction

  function automatic logic [31:0] hash32(input logic [63:0] seed, input logic [31:0] key);
    logic [31:0] x;
    x = seed[31:0] ^ (key * 32'h9E3779B9);
    x = fmix32(x);
    x = x ^ seed[63:32];
    hash32 = fmix32(x);
  endfunction

  // Relative spread: u (signed 16-bit hash field) * half-width (Q15) * fpn/128, in Q15.
  function automatic logic signed [31:0] spread(input logic [15:0] u, input int hw,
                                                input logic [7:0] fpn);
    logic signed [63:0] p;
    p = 64'($signed(u)) * 64'(hw) * 64'({24'd0, fpn});
    spread = 32'(p >>> 22);
  endfunction

  function automatic logic signed [31:0] clamp32(input logic signed [31:0] x,
                                                 input logic signed [31:0] lo,
                                                 input logic signed [31:0] hi);
    clamp32 = (x < lo) ? lo : ((x > hi) ? hi : x);
  endfunction

  // Effective value of CapMem parameter p of one neuron for a code.
  //   value = nom(code) * (1 + sg) + so,  sg, so drawn from hash(die_seed, key)
  function automatic logic [31:0] param_eff(input logic [63:0] seed, input logic [7:0] fpn,
                                            input int unsigned p, input int unsigned neuron,
                                            input logic [9:0] code);
    logic [31:0] h;
    logic signed [63:0] nom, gq, v;
    logic signed [31:0] off, gs;
    int gain_hw, off_hw;
    logic signed [31:0] lo, hi;
    h = hash32(seed, {KeyParam + 8'(p), 24'(neuron)});
    unique case (p)
      0, 1, 2: begin  // potentials, Q14 mV
        nom = 64'(code) <<< VFrac; gain_hw = 983; off_hw = 40 << VFrac; lo = 0; hi = VMax;
      end
      3, 4, 5: begin  // conductances, tau = 65536 / g cycles
        nom = 64'(32 + 3 * int'(code)); gain_hw = 8520; off_hw = 3; lo = 8; hi = 4095;
      end
      6, 7: begin     // input gains
        nom = 64'(code); gain_hw = 8520; off_hw = 4; lo = 0; hi = 2047;
      end
      default: begin  // refractory cycles
        nom = 64'(code); gain_hw = 8520; off_hw = 2; lo = 0; hi = 2047;
      end
    endcase
    gs  = 32'sd32768 + spread(h[15:0], gain_hw, fpn);
    gq  = 64'(gs);
    off = spread(h[31:16], off_hw, fpn);  // off_hw is in the value's unit
    v   = ((nom * gq) >>> 15) + 64'(off);
    param_eff = clamp32(32'(v), lo, hi);
  endfunction

  // Weight-to-current step of one synapse, Q8 (256 = nominal), +-5 % spread.
  function automatic logic [15:0] syn_step(input logic [63:0] seed, input logic [7:0] fpn,
                                           input int unsigned hemi, input int unsigned row,
                                           input int unsigned col);
    logic [31:0] h;
    h = hash32(seed, {KeySynapse, 24'(hemi * 65536 + row * 256 + col)});
    syn_step = 16'(256 + (spread(h[15:0], 1638, fpn) >>> 7));
  endfunction

  // CADC channel: 8-bit code of a potential (Q14 mV), ideal 4 mV/LSB,
  // gain +-6 %, offset +-8 LSB.
  function automatic logic [7:0] cadc_convert(input logic [63:0] seed, input logic [7:0] fpn,
                                              input int unsigned chan, input logic [31:0] x);
    logic [31:0] h;
    logic signed [63:0] g, s;
    logic signed [31:0] gs;
    h = hash32(seed, {KeyCadc, 24'(chan)});
    gs = 32'sd32768 + spread(h[15:0], 1966, fpn);
    g  = 64'(gs);
    s = ((64'(x) * g) >>> 31) + 64'(32'(spread(h[31:16], 8 << 15, fpn) >>> 15));
    cadc_convert = (s < 0) ? 8'd0 : ((s > 255) ? 8'd255 : 8'(s));
  endfunction

  // MADC: 10-bit code of a potential (Q14 mV), ideal 1 mV/LSB, gain +-2 %,
  // offset +-6 LSB.
  function automatic logic [9:0] madc_convert(input logic [63:0] seed, input logic [7:0] fpn,
                                              input logic [31:0] x);
    logic [31:0] h;
    logic signed [63:0] g, s;
    logic signed [31:0] gs;
    h = hash32(seed, {KeyMadc, 24'd0});
    gs = 32'sd32768 + spread(h[15:0], 655, fpn);
    g  = 64'(gs);
    s = ((64'(x) * g) >>> 29) + 64'(32'(spread(h[31:16], 6 << 15, fpn) >>> 15));
    madc_convert = (s < 0) ? 10'd0 : ((s > 1023) ? 10'd1023 : 10'(s));
  endfunction

  // Correlation kernel: amp * 2^(-k/16) with k = dt*16 / (tau*ln2), in sensor
  // units of 1/16; amp in 1/16 units, tau in cycles (>= 1).
  function automatic logic [15:0] corr_kernel(input logic [31:0] dt, input logic [9:0] tau,
                                              input logic [9:0] amp);
    logic [15:0] lut [16];
    logic [63:0] k;
    logic [31:0] r;
    lut = '{16'd32768, 16'd31379, 16'd30048, 16'd28774, 16'd27554, 16'd26386, 16'd25268,
            16'd24196, 16'd23170, 16'd22188, 16'd21247, 16'd20347, 16'd19484, 16'd18658,
            16'd17867, 16'd17109};
    r = 32'(64'd1512775 / ((tau == 10'd0) ? 64'd1 : 64'(tau)));  // 2^20 / ln 2 / tau
    k = (64'(dt) * 64'(r)) >> 16;
    if (k >= 64'd256) begin
      corr_kernel = 16'd0;
    end else begin
      corr_kernel = 16'((32'(amp) * 32'(lut[k[3:0]])) >> (15 + 32'(k[7:4])));
    end
  endfunction

  // Per-sensor fixed pattern (model 3): the hash of one sensor (key KeyCorrC or
  // KeyCorrA, index hemi*65536 + row*256 + col) gives its amplitude gain ([15:0])
  // and its read-out offset ([31:16]). corr_gain scales a kernel value when the
  // sensor is updated; corr_read adds the offset when it is read.
  function automatic logic [15:0] corr_gain(input logic [31:0] h, input logic [7:0] fpn,
                                            input logic [15:0] k);
    logic [31:0] g;
    g = 32'(32'sd32768 + spread(h[15:0], CorrGainHw, fpn));  // 28836..36700
    corr_gain = 16'((32'(k) * g) >> 15);
  endfunction

  function automatic logic [15:0] corr_read(input logic [31:0] h, input logic [7:0] fpn,
                                            input logic [15:0] acc);
    logic signed [31:0] v;
    v = $signed(32'(acc)) + spread(h[31:16], CorrOffHw, fpn);
    corr_read = 16'(clamp32(v, 32'sd0, 32'sd16383));
  endfunction

  // The CADC code of one correlation sensor (acc: its accumulator word, [15:0]
  // causal, [31:16] anti-causal, Q4 sensor units), as a conversion of its row
  // gives it: the read-out offset, then the sensor value as a potential of that
  // many mV (Q14 = units << 10) through the column's CADC channel.
  function automatic logic [7:0] sensor_code(input logic [63:0] seed, input logic [7:0] fpn,
                                             input int unsigned hemi, input int unsigned row,
                                             input int unsigned col, input logic acausal,
                                             input logic [31:0] acc);
    logic [31:0] hs, sx;
    hs = hash32(seed, {acausal ? KeyCorrA : KeyCorrC, 24'(hemi * 65536 + row * 256 + col)});
    sx = {16'd0, corr_read(hs, fpn, acausal ? acc[31:16] : acc[15:0])} << 10;
    sensor_code = cadc_convert(seed, fpn, hemi * 256 + col, sx);
  endfunction

  // ---- the neuron arithmetic of one cycle (docs/chip.md, ref: axsim_ref_neuron_step) --
  // All quantities unsigned 32-bit; potentials and currents in Q14 mV.
  // ae/ai: summed synapse amplitudes (Q8 weight units) arriving this cycle.
  // noise: this cycle's temporal-noise term, added modulo 2^32 (+namp, -namp
  // or 0 for the neuron's two noise bits). ok: all ones when the neuron may
  // spike, else 0. once: all ones for a spike-once neuron (NRN_CFG ONCE), else
  // 0; pre: its refractory prescaler (NRN_CFG REFR_PRE, 0..7). spike: all ones
  // when it spiked, else 0. A spike loads the refractory counter with
  // tref << pre, or with RefrHeld (all ones) for a spike-once neuron: a held
  // counter does not count down, so the neuron stays at its reset potential
  // until NEURON_RESET clears the counter.
  // Written for speed: no data-dependent branches (every formula is
  // evaluated and the results selected) and every intermediate 32 bits wide,
  // so the neuron loop that calls it compiles to vector code. The values are
  // those of docs/chip.md (a zero current decays to 0, no input adds 0). vn is
  // the membrane before the spike reset, for spike_frac (the division is done
  // only for the neurons that spiked).
  function automatic void neuron_step(
    input  logic [31:0] v, ie, ii, refr, ae, ai, noise,
    input  logic [31:0] leak, vres, vth, gm, gse, gsi, gaine, gaini, tref, ok, once, pre,
    output logic [31:0] v_n, ie_n, ii_n, refr_n, vn, spike);
    logic [31:0] dec_e, dec_i, ie1, ii1, ie2, ii2, ub, vc, rf, hd;
    // synaptic currents: exponential decay (plus one LSB, so they reach 0), then events
    dec_e = (((ie >> 7) * gse) >> 9) + 32'd1;
    dec_i = (((ii >> 7) * gsi) >> 9) + 32'd1;
    ie1   = (ie > dec_e) ? ie - dec_e : 32'd0;
    ii1   = (ii > dec_i) ? ii - dec_i : 32'd0;
    ie2   = ie1 + ((ae * gaine) >> 3);
    ii2   = ii1 + ((ai * gaini) >> 3);
    ie_n  = (ie2 > IMax) ? IMax : ie2;
    ii_n  = (ii2 > IMax) ? IMax : ii2;
    // membrane: ub = floor((leak + ie - ii - v) / 128) + 2^18, in [0, 2^19)
    ub = (leak + ie_n - ii_n - v + VBias) >> 7;
    vn = v + ((ub * gm) >> 9) - (gm << 9) + noise;
    // vn is negative when bit 31 is set (|vn| < 2^26); refractory: clamped at reset
    rf     = {32{refr != 32'd0}};
    spike  = {32{!vn[31] && (vn >= vth)}} & ok & ~rf;
    vc     = vn[31] ? 32'd0 : ((vn > VMax) ? VMax : vn);
    v_n    = ((rf | spike) != 32'd0) ? vres : vc;
    hd     = {32{refr != RefrHeld}};
    refr_n = (rf != 32'd0) ? refr - (hd & 32'd1) : (((tref << pre) | once) & spike);
  endfunction

  // Spike time fraction (1/16 cycle): the linear interpolation of the threshold
  // crossing between v (start of the cycle) and vn (end, vn >= vth).
  function automatic logic [3:0] spike_frac(input logic [31:0] v, vn, vth);
    logic [31:0] num;
    spike_frac = 4'd0;
    if (vth > v) begin
      num        = ((vth - v) << 4) / (vn - v);
      spike_frac = (num > 32'd15) ? 4'd15 : num[3:0];
    end
  endfunction

  // ---- validation at receipt ----------------------------------------------------------
  // The address: a register of the full-size map (ax_chip_regs_pkg::reg_access)
  // that allows the access.
  function automatic logic chip_addr_ok(input logic [23:0] addr, input logic we);
    access_e acc;
    acc          = reg_access(addr);
    chip_addr_ok = (acc == AccRw) || (acc == AccRo && !we) || (acc == AccWo && we);
  endfunction

  // The value of a write to an address chip_addr_ok accepted: no bits outside
  // the register's fields, and the ranges docs/chip.md gives.
  function automatic logic chip_value_ok(input logic [23:0] addr, input logic [31:0] data);
    logic ok;
    ok = 1'b1;
    if (in_syn(addr)) begin
      ok = (data & ~SynFields) == 32'd0;
    end else if (in_capmem(addr)) begin
      ok = data <= 32'(CodeMax);
    end else if (in_nrn_cfg(addr)) begin
      ok = (data & ~NrnCfgFields) == 32'd0;
    end else if (in_spike_cnt(addr)) begin
      ok = data == 32'd0;
    end else if (in_driver(addr)) begin
      ok = ((data & ~DriverFields) == 32'd0) &&
           (32'(data[DriverDelayMsb:DriverDelayLsb]) <= DelayMax) &&
           (data[DriverSignEvenMsb:DriverSignEvenLsb] != 2'd3) &&
           (data[DriverSignOddMsb:DriverSignOddLsb] != 2'd3);
    end else if (in_bg_ctrl(addr)) begin
      ok = (data & ~BgCtrlFields) == 32'd0;
    end else if (in_bg_label(addr)) begin
      ok = (data & ~BgLabelFields) == 32'd0;
    end else if (in_bg_seed(addr)) begin
      ok = data != 32'd0;
    end else begin
      unique case (addr)
        AddrCtrl:                    ok = (data & ~CtrlFields) == 32'd0;
        AddrCntReset:                ok = data == 32'd1;
        AddrCorrReset:  // 1 (all), or a row range of one hemisphere
          ok = (data == 32'd1) ||
               (((data & ~CorrResetFields) == 32'd0) && data[CorrResetGoLsb] &&
                data[CorrResetRowsLsb] && (data[CorrResetLastMsb:CorrResetLastLsb] >=
                                           data[CorrResetRowMsb:CorrResetRowLsb]));
        AddrRouteMax:                ok = data == 32'd0;
        AddrMadcCtrl:                ok = (data & ~MadcCtrlFields) == 32'd0;
        AddrMadcPeriod:              ok = (data != 32'd0) && ((data & ~MadcPeriodFields) == 32'd0);
        AddrCadcCmd:                 ok = (data & ~CadcCmdFields) == 32'd0;
        AddrCadcRef, AddrCorrTauC, AddrCorrTauA, AddrCorrAmpC, AddrCorrAmpA:
                                     ok = data <= 32'(CodeMax);
        default:                     ok = 1'b1;  // read-only, and BG PERIOD (any value)
      endcase
    end
    chip_value_ok = ok;
  endfunction

endpackage
