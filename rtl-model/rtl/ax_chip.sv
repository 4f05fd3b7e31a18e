// ax_chip: the chip part of the board (neurons, synapses, drivers, routing,
// CapMem, CADC, MADC, correlation sensors, noise). The link part (ax_link_*)
// talks to it only through the bundles chip_req_i / chip_rsp_o, whose
// contract is in ax_chip_if_pkg. See docs/chip.md.
module ax_chip
  import ax_chip_if_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,  // columns per hemisphere
  parameter int unsigned RowsPerHemi    = 256   // synapse rows per hemisphere
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // straps, constant while out of reset
  input  logic [63:0] die_seed_i,         // fixed-pattern noise seed
  input  logic [63:0] run_seed_i,         // temporal noise seed
  input  logic [7:0]  fpn_scale_i,        // 128 = nominal fixed-pattern noise, 0 = off
  input  logic [7:0]  temporal_scale_i,   // 128 = nominal temporal noise, 0 = off
  // the link: experiment time, register bus, input events, neuron reset
  input  chip_req_t   chip_req_i,
  // to the link: register bus, spikes, MADC samples, idle
  output chip_rsp_t   chip_rsp_o
);
  import ax_chip_regs_pkg::*;
  import ax_chip_pkg::*;

  localparam int unsigned NumNeurons = 2 * NeuronsPerHemi;
  localparam int unsigned Drivers    = RowsPerHemi / 2;
  localparam int unsigned CadcWords  = NeuronsPerHemi / 4;
  localparam int unsigned ColW       = $clog2(NeuronsPerHemi);

  // ---------------------------------------------------------------------------
  // Cycle counter (internal time of delay lines and correlation sensors)
  // ---------------------------------------------------------------------------
  logic [31:0] cyc_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cyc_q <= 32'd1;
    end else begin
      cyc_q <= cyc_q + 32'd1;
    end
  end

  // ---------------------------------------------------------------------------
  // Register front end: the request is registered (stage 1), executed in the
  // next cycle (stage 2: write strobes, read data) and acknowledged in the
  // cycle after (stage 3). Spike counters are read in stage 3.
  // ---------------------------------------------------------------------------
  typedef enum logic [4:0] {
    BlkNone, BlkInfo, BlkVersion, BlkCtrl, BlkStatus, BlkDrops, BlkCntReset, BlkCorrReset,
    BlkMadcCtrl, BlkMadcPeriod, BlkCadcCmd, BlkGlobal, BlkBg, BlkNrn, BlkSynapse, BlkCadcRes,
    BlkRouteMax
  } blk_e;
  // neuron-block kinds
  typedef enum logic [1:0] {
    NrnCap = 2'd0, NrnCfg = 2'd1, NrnCnt = 2'd2, NrnDrv = 2'd3
  } nrn_kind_e;

  chip_bus_req_t     bus_in;      // the request entering stage 1
  logic [1:0]        own_in, own_q, own_ack_q;  // 0 the link, 1 + h PPU h
  logic              link_ppu;    // the link's request is for a PPU
  logic [1:0]        ppu_hreq, ppu_hack;
  logic [31:0]       ppu_hrdata [2];
  logic [1:0]        win_req, win_we, win_gnt, win_ack;
  logic [23:0]       win_addr [2];
  logic [31:0]       win_wdata [2];
  logic [31:0]       bus_rdata;
  logic [1:0]        row_req, row_we, row_mem, syn_row_req, syn_row_ack, nrn_row_ack;
  logic [1:0][15:0]  row_sel;
  logic [1:0][2:0]   row_seg;
  logic [1:0][1023:0] row_wdata, syn_row_rdata, nrn_row_rdata;
  logic        req_q, we_q;
  logic [23:0] addr_q;
  logic [31:0] wdata_q;
  logic        ack_q, err_q, late_q;
  logic [31:0] rdata_q;

  // the decoded request, registered with it (decode() below)
  typedef struct packed {
    blk_e      blk;
    nrn_kind_e nkind;
    logic      in_geom;  // within this chip's geometry (else reg_err)
  } dec_t;
  dec_t        dec_q;
  blk_e        blk;
  nrn_kind_e   nkind;
  logic        in_geom;
  logic [31:0] rdata;
  logic        late;
  logic        idle;       // event paths idle (STATUS, BARRIER)

  // register state owned here
  logic        corr_en_q;
  logic        madc_en_q;
  logic        madc_ref_q;  // sample the CADC reference source instead of a neuron
  logic [8:0]  madc_nrn_q;
  logic [15:0] madc_period_q;
  logic [9:0]  glb_q [NumGlobals];
  logic [15:0] spk_lost_q;
  logic [15:0] route_max_q;  // worst routing delay (ROUTE_MAX)
  logic        route_clr;    // ROUTE_MAX written (0: clear)

  // strobes
  logic        cap_we, cfg_we, cnt_clr, cnt_clr_all, syn_we, drv_we, corr_clr, cadc_cmd;
  logic        bg_we;

  // submodule read data
  logic [9:0]  cap_rdata;
  logic [31:0] cfg_rdata, syn_rdata, drv_rdata;
  logic [7:0]  cnt_rdata;
  logic [31:0] bg_rdata [NumBg];
  logic        settling, syn_idle;
  logic [15:0] syn_drops;
  logic [3:0]  syn_drop_now;
  logic [7:0]  cadc_res_q [2][NeuronsPerHemi];

  // A request that arrives while the CapMem initialises after reset waits
  // (pend_q) until it is done, so the initialisation cannot overwrite it.
  logic        pend_q, cap_init;

  // fields of the stage-2 access
  cadc_src_e   cadc_src;   // CADC_CMD SRC
  logic        cadc_hemi;  // CADC_CMD HEMI
  glb_e        glb_idx;    // global CapMem cell: address - CADC_REF
  logic [1:0]  bg_src;     // background source (BG_* index G)
  logic [1:0]  bg_word;    // its word: address - BG_CTRL (ax_chip_bg::bg_word_e)
  assign cadc_src  = cadc_src_e'(wdata_q[CadcCmdSrcMsb:CadcCmdSrcLsb]);
  assign cadc_hemi = wdata_q[CadcCmdHemiLsb];
  assign glb_idx   = glb_e'(addr_q - AddrCadcRef);
  assign bg_src    = addr_q[BgCtrlGMsb:BgCtrlGLsb];
  assign bg_word   = 2'(addr_q - AddrBgCtrl);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      req_q   <= 1'b0;
      pend_q  <= 1'b0;
      own_q   <= 2'd0;
      we_q    <= 1'b0;
      addr_q  <= 24'd0;
      wdata_q <= 32'd0;
      dec_q   <= '{blk: BlkNone, nkind: NrnCap, in_geom: 1'b1};
    end else begin
      req_q  <= (bus_in.req || pend_q) && !cap_init;
      pend_q <= (bus_in.req || pend_q) && cap_init;
      if (bus_in.req) begin
        own_q   <= own_in;
        we_q    <= bus_in.we;
        addr_q  <= bus_in.addr;
        wdata_q <= bus_in.wdata;
        dec_q   <= decode(bus_in.addr, bus_in.we,
                          bus_in.wdata[MadcCtrlNeuronMsb:MadcCtrlNeuronLsb],
                          bus_in.wdata[CadcCmdRowMsb:CadcCmdRowLsb],
                          cadc_src_e'(bus_in.wdata[CadcCmdSrcMsb:CadcCmdSrcLsb]),
                          bus_in.wdata[CorrResetRowsLsb],
                          bus_in.wdata[CorrResetLastMsb:CorrResetLastLsb]);
      end
    end
  end

  // Decode of a request (the map: ax_chip_regs_pkg, from chip_regs.def). The
  // address passed chip_addr_ok at receipt; in_geom checks this chip's size.
  // Registered with the request (dec_q), so it is computed once per request,
  // not every cycle.
  // madc_nrn, cadc_row, cadc_src: the MADC_CTRL and CADC_CMD fields of a write;
  // corr_rows, corr_last: CORR_RESET's (a row reset must name rows of this chip).
  function automatic dec_t decode(input logic [23:0] addr, input logic we,
                                  input logic [8:0] madc_nrn, input logic [7:0] cadc_row,
                                  input cadc_src_e src, input logic corr_rows,
                                  input logic [7:0] corr_last);
    dec_t d;
    d = '{blk: BlkNone, nkind: NrnCap, in_geom: 1'b1};
    if (in_syn(addr)) begin
      d.blk     = BlkSynapse;
      d.in_geom = (32'(addr[SynRMsb:SynRLsb]) < RowsPerHemi) &&
                  (32'(addr[SynWMsb:SynWLsb]) < NeuronsPerHemi / 2);
    end else if (in_capmem(addr) || in_nrn_cfg(addr) || in_spike_cnt(addr)) begin
      d.blk     = BlkNrn;
      d.nkind   = in_capmem(addr) ? NrnCap : (in_nrn_cfg(addr) ? NrnCfg : NrnCnt);
      d.in_geom = 32'(addr[NrnCfgNMsb:NrnCfgNLsb]) < NumNeurons;
    end else if (in_driver(addr)) begin
      d.blk     = BlkNrn;
      d.nkind   = NrnDrv;
      d.in_geom = 32'(addr[DriverDMsb:DriverDLsb]) < Drivers;
    end else if (in_cadc_res(addr)) begin
      d.blk     = BlkCadcRes;
      d.in_geom = 32'(addr[CadcResWMsb:CadcResWLsb]) < CadcWords;
    end else if (in_bg_ctrl(addr) || in_bg_label(addr) || in_bg_period(addr) ||
                 in_bg_seed(addr)) begin
      d.blk = BlkBg;
    end else begin
      unique case (addr)
        AddrInfo:       d.blk = BlkInfo;
        AddrVersion:    d.blk = BlkVersion;
        AddrCtrl:       d.blk = BlkCtrl;
        AddrStatus:     d.blk = BlkStatus;
        AddrDrops:      d.blk = BlkDrops;
        AddrCntReset:   d.blk = BlkCntReset;
        AddrCorrReset: begin
          d.blk     = BlkCorrReset;
          d.in_geom = !corr_rows || (32'(corr_last) < RowsPerHemi);
        end
        AddrMadcCtrl: begin  // a write must name a neuron of this chip
          d.blk     = BlkMadcCtrl;
          d.in_geom = !we || (32'(madc_nrn) < NumNeurons);
        end
        AddrMadcPeriod: d.blk = BlkMadcPeriod;
        AddrRouteMax:   d.blk = BlkRouteMax;
        AddrCadcCmd: begin  // a sensor source must name a synapse row of this chip
          d.blk     = BlkCadcCmd;
          d.in_geom = !we || (32'(cadc_row) < RowsPerHemi) ||
                      (src == CadcSrcMembrane) || (src == CadcSrcRef);
        end
        AddrCadcRef, AddrCorrTauC, AddrCorrTauA, AddrCorrAmpC, AddrCorrAmpA: d.blk = BlkGlobal;
        default: ;
      endcase
    end
    decode = d;
  endfunction

  assign blk     = dec_q.blk;
  assign nkind   = dec_q.nkind;
  assign in_geom = dec_q.in_geom;

  logic wr;
  assign wr = req_q && we_q && in_geom;
  assign route_clr = wr && (blk == BlkRouteMax);

  always_comb begin
    cap_we      = 1'b0;
    cfg_we      = 1'b0;
    cnt_clr     = 1'b0;
    cnt_clr_all = 1'b0;
    syn_we      = 1'b0;
    drv_we      = 1'b0;
    corr_clr    = 1'b0;
    cadc_cmd    = 1'b0;
    bg_we       = 1'b0;
    if (wr) begin
      unique case (blk)
        BlkNrn: begin
          unique case (nkind)
            NrnCap:  cap_we = 1'b1;
            NrnCfg:  cfg_we = 1'b1;
            NrnCnt:  cnt_clr = 1'b1;
            default: drv_we = 1'b1;
          endcase
        end
        BlkSynapse:   syn_we      = 1'b1;
        BlkCntReset:  cnt_clr_all = 1'b1;
        BlkCorrReset: corr_clr    = 1'b1;
        BlkCadcCmd:   cadc_cmd    = 1'b1;
        BlkBg:        bg_we       = 1'b1;
        default: ;
      endcase
    end
  end

  always_comb begin
    rdata = 32'd0;
    late  = 1'b0;
    unique case (blk)
      // fields shifted into place and ORed (cheaper per cycle than part-selects)
      BlkInfo:       rdata = (32'(RowsPerHemi) << InfoRowsLsb) |
                             (32'(NeuronsPerHemi) << InfoNeuronsLsb);
      BlkVersion:    rdata = 32'(Revision);
      BlkCtrl:       rdata = 32'(corr_en_q) << CtrlCorrEnLsb;
      BlkStatus:     rdata = (32'(idle) << StatusIdleLsb) | (32'(settling) << StatusSettlingLsb);
      BlkDrops:      rdata = (32'(spk_lost_q) << DropsSpikesLsb) |
                             (32'(syn_drops) << DropsEventsLsb);
      BlkMadcCtrl:   rdata = (32'(madc_nrn_q) << MadcCtrlNeuronLsb) |
                             (32'(madc_ref_q) << MadcCtrlRefLsb) |
                             (32'(madc_en_q) << MadcCtrlEnLsb);
      BlkMadcPeriod: rdata = 32'(madc_period_q) << MadcPeriodCyclesLsb;
      BlkRouteMax:   rdata = 32'(route_max_q) << RouteMaxCyclesLsb;
      BlkGlobal:     rdata = 32'(glb_q[glb_idx]) << CadcRefCodeLsb;
      BlkBg:         rdata = bg_rdata[bg_src];
      BlkSynapse:    rdata = syn_rdata;
      BlkCadcRes: begin  // byte k: column 4w+k
        for (int unsigned k = 0; k < 4; k++) begin
          rdata[8*k +: 8] = cadc_res_q[addr_q[CadcResHLsb]]
                                      [ColW'({addr_q[CadcResWMsb:CadcResWLsb], 2'(k)})];
        end
      end
      BlkNrn: begin
        unique case (nkind)
          NrnCap:  rdata = {22'd0, cap_rdata};
          NrnCfg:  rdata = cfg_rdata;
          NrnCnt:  late  = 1'b1;
          default: rdata = drv_rdata;
        endcase
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q   <= 1'b0;
      err_q   <= 1'b0;
      late_q  <= 1'b0;
      rdata_q <= 32'd0;
      own_ack_q <= 2'd0;
    end else begin
      ack_q <= req_q;
      if (req_q) begin
        own_ack_q <= own_q;
        err_q   <= !in_geom || (blk == BlkNone);
        late_q  <= late;
        rdata_q <= rdata;
      end
    end
  end


  // chip-level register state
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      corr_en_q     <= 1'b0;
      madc_en_q     <= 1'b0;
      madc_ref_q    <= 1'b0;
      madc_nrn_q    <= 9'd0;
      madc_period_q <= MadcPeriodReset[MadcPeriodCyclesMsb:MadcPeriodCyclesLsb];
      glb_q         <= '{10'(CadcRefReset), 10'(CorrTauCReset), 10'(CorrTauAReset),
                         10'(CorrAmpCReset), 10'(CorrAmpAReset)};
    end else if (wr) begin
      unique case (blk)
        BlkCtrl:       corr_en_q <= wdata_q[CtrlCorrEnLsb];
        BlkMadcCtrl: begin
          madc_en_q  <= wdata_q[MadcCtrlEnLsb];
          madc_ref_q <= wdata_q[MadcCtrlRefLsb];
          madc_nrn_q <= wdata_q[MadcCtrlNeuronMsb:MadcCtrlNeuronLsb];
        end
        BlkMadcPeriod: madc_period_q <= wdata_q[MadcPeriodCyclesMsb:MadcPeriodCyclesLsb];
        BlkGlobal:     glb_q[glb_idx] <= wdata_q[CadcRefCodeMsb:CadcRefCodeLsb];
        default: ;
      endcase
    end
  end

  // ---------------------------------------------------------------------------
  // Plasticity processors (docs/ppu.md), one per hemisphere, and the register
  // bus arbiter: the link's request enters the register front end in its
  // cycle; a core's chip-window request is granted in a cycle without one
  // (PPU 0 before PPU 1) and waits meanwhile. own_q/own_ack_q say whose
  // request is in stage 2/3, so the answer goes back to it. The link's
  // accesses to the PPUs' SRAM and registers (addresses >= 0x800000) bypass
  // the front end: the PPU answers the cycle after.
  // ---------------------------------------------------------------------------
  assign link_ppu    = chip_req_i.bus.addr[23];
  assign ppu_hreq[0] = chip_req_i.bus.req && link_ppu &&
                       !(chip_req_i.bus.addr[16] ? chip_req_i.bus.addr[8] : chip_req_i.bus.addr[12]);
  assign ppu_hreq[1] = chip_req_i.bus.req && link_ppu &&
                       (chip_req_i.bus.addr[16] ? chip_req_i.bus.addr[8] : chip_req_i.bus.addr[12]);

  always_comb begin
    bus_in     = chip_req_i.bus;
    bus_in.req = chip_req_i.bus.req && !link_ppu;
    own_in     = 2'd0;
    win_gnt    = 2'b00;
    if (!bus_in.req && !pend_q && !cap_init && win_req != 2'b00) begin
      win_gnt[0] = win_req[0];
      win_gnt[1] = win_req[1] && !win_req[0];
      own_in     = win_req[0] ? 2'd1 : 2'd2;
      bus_in     = '{req: 1'b1, we: win_we[own_in[1]], addr: win_addr[own_in[1]],
                     wdata: win_wdata[own_in[1]]};
    end
  end

  assign win_ack[0] = ack_q && (own_ack_q == 2'd1);
  assign win_ack[1] = ack_q && (own_ack_q == 2'd2);

  // The PPUs' clock: clk_i in cycles where some PPU has work (clk_en),
  // sampled at the falling edge like a clock-gate latch, so it rises with
  // clk_i or not at all; ppu_now_q counts every cycle for their CYCLE.
  logic [1:0]  ppu_clk_en;
  logic        ppu_clk_en_n, ppu_clk;
  logic [63:0] ppu_now_q;
  always_ff @(negedge clk_i or negedge rst_ni) begin : p_ppu_gate
    if (!rst_ni) begin
      ppu_clk_en_n <= 1'b1;
    end else begin
      ppu_clk_en_n <= ppu_clk_en != 2'b00;
    end
  end
  assign ppu_clk = clk_i & ppu_clk_en_n;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ppu_now_q <= 64'd0;
    end else begin
      ppu_now_q <= ppu_now_q + 64'd1;
    end
  end

  for (genvar h = 0; h < 2; h++) begin : gen_ppu
    ax_ppu #(
      .NeuronsPerHemi (NeuronsPerHemi),
      .RowsPerHemi    (RowsPerHemi),
      .Hemi           (1'(h))
    ) u_ppu (
      .clk_i       (ppu_clk),
      .rst_ni      (rst_ni),
      .now_i       (ppu_now_q),
      .clk_en_o    (ppu_clk_en[h]),
      .run_seed_i  (run_seed_i),
      .h_req_i     (ppu_hreq[h]),
      .h_we_i      (chip_req_i.bus.we),
      .h_sram_i    (!chip_req_i.bus.addr[16]),
      .h_addr_i    (chip_req_i.bus.addr[11:0]),
      .h_wdata_i   (chip_req_i.bus.wdata),
      .h_ack_o     (ppu_hack[h]),
      .h_rdata_o   (ppu_hrdata[h]),
      .win_req_o   (win_req[h]),
      .win_we_o    (win_we[h]),
      .win_addr_o  (win_addr[h]),
      .win_wdata_o (win_wdata[h]),
      .win_gnt_i   (win_gnt[h]),
      .win_ack_i   (win_ack[h]),
      .win_err_i   (err_q),
      .win_rdata_i (bus_rdata),
      .row_req_o   (row_req[h]),
      .row_we_o    (row_we[h]),
      .row_sel_o   (row_sel[h]),
      .row_wdata_o (row_wdata[h]),
      .row_ack_i   (syn_row_ack[h] || nrn_row_ack[h]),
      .row_syn_i   (syn_row_rdata[h]),
      .row_v_i     (nrn_row_rdata[h]),
      .die_seed_i  (die_seed_i),
      .fpn_scale_i (fpn_scale_i)
    );
    // VLD of membranes (source 4) goes to the neuron array, the rest to the synapses
    assign row_mem[h]     = (row_sel[h][15:12] == 4'd4);
    assign syn_row_req[h] = row_req[h] && !row_mem[h];
    assign row_seg[h]     = row_sel[h][10:8];
  end

  // ---------------------------------------------------------------------------
  // Neurons and synapses
  // ---------------------------------------------------------------------------
  logic [31:0] amp_e [NumNeurons];  // per column of each hemisphere, indexed like the neurons
  logic [31:0] amp_i [NumNeurons];
  logic        head_valid, head_lost;
  logic [8:0]  head_nrn;
  logic [3:0]  head_frac;
  logic [55:0] head_time;
  logic [31:0] head_cyc, head_cfg;
  logic [9:0]  head_lost_n;
  logic        madc_take;
  logic [31:0] madc_v;
  logic [7:0]  cadc_vcode [NeuronsPerHemi];
  logic [7:0]  cadc_ccode [NeuronsPerHemi];
  logic        cadc_take_v, cadc_take_c;
  // DEBUG BACKDOOR (axsim_debug_membrane): the membrane state words (Q14 mV)
  // are u_neurons.v_q (public, read by the harness).

  assign cadc_take_v = cadc_cmd && (cadc_src == CadcSrcMembrane);
  assign cadc_take_c = cadc_cmd && ((cadc_src == CadcSrcCausal) || (cadc_src == CadcSrcAcausal));

  ax_neuron_array #(
    .NeuronsPerHemi(NeuronsPerHemi)
  ) u_neurons (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .die_seed_i      (die_seed_i),
    .run_seed_i      (run_seed_i),
    .fpn_scale_i     (fpn_scale_i),
    .temporal_scale_i(temporal_scale_i),
    .time_i          (chip_req_i.now),
    .cyc_i           (cyc_q),
    .cap_we_i        (cap_we),
    .cfg_we_i        (cfg_we),
    .cnt_clr_i       (cnt_clr),
    .cnt_clr_all_i   (cnt_clr_all),
    .reg_prm_i       (addr_q[CapmemPMsb:CapmemPLsb]),
    .reg_nrn_i       (addr_q[NrnCfgNMsb:NrnCfgNLsb]),  // CAPMEM, NRN_CFG, SPIKE_CNT: index N
    .reg_wdata_i     (wdata_q),
    .cap_rdata_o     (cap_rdata),
    .cfg_rdata_o     (cfg_rdata),
    .cnt_rdata_o     (cnt_rdata),
    .settling_o      (settling),
    .init_o          (cap_init),
    .amp_e_i         (amp_e),
    .amp_i_i         (amp_i),
    .nrst_valid_i    (chip_req_i.nrst.valid),
    .nrst_all_i      (chip_req_i.nrst.all),
    .nrst_block_i    (chip_req_i.nrst.block),
    .nrst_mask_i     (chip_req_i.nrst.mask),
    .head_valid_o    (head_valid),
    .head_nrn_o      (head_nrn),
    .head_frac_o     (head_frac),
    .head_time_o     (head_time),
    .head_cyc_o      (head_cyc),
    .head_cfg_o      (head_cfg),
    .head_lost_o     (head_lost),
    .head_lost_n_o   (head_lost_n),
    .head_pop_i      (head_pop),
    .rt_valid_o      (rt_valid),
    .rt_label_o      (rt_label),
    .rt_cyc_o        (rt_cyc),
    .rt_pop_i        (rt_pop),
    .madc_take_i     (madc_take),
    .madc_sel_i      (madc_nrn_q),
    .madc_v_o        (madc_v),
    .cadc_take_i     (cadc_take_v),
    .cadc_hemi_i     (cadc_hemi),
    .cadc_code_o     (cadc_vcode),
    .ppu_take_i      (row_req & row_mem),
    .ppu_seg_i       (row_seg),
    .ppu_ack_o       (nrn_row_ack),
    .ppu_v_o         (nrn_row_rdata)
  );

  // ---------------------------------------------------------------------------
  // Router: NumBus (4) event buses per hemisphere; bus b carries the events of
  // the drivers d with d % 4 == b (label bits [7:6]) to both hemispheres (an
  // event takes bus b of each hemisphere it targets). Each bus moves one
  // event a cycle. Per bus, by priority: (1) the link's injected event,
  // (2) the head of the bus's route queue (on-chip spikes of its drivers, in
  // the order they happened), (3) the lowest pending background source whose
  // bus is still free (one a cycle). Idle buses cost nothing: the loops run
  // only when some route queue holds a spike or a background event waits.
  // Label: [5:0] address, [12:6] driver, [13] to hemisphere 0, [14] to 1.
  // ---------------------------------------------------------------------------
  logic [NumBg-1:0]       bg_pend, bg_grant, bg_lost;
  logic [15:0]            bg_label [NumBg];
  logic [2*NumBus-1:0]    ev_valid;   // bit NumBus * h + b: bus b of hemisphere h
  logic [13*NumBus-1:0]   ev_ent;     // bus b: [13b+12:13b+6] driver, [13b+5:13b] address
  logic [1:0]             post_valid;
  logic                   head_pop;
  logic [NumBus-1:0]      rt_valid;
  logic [16*NumBus-1:0]   rt_label;
  logic [32*NumBus-1:0]   rt_cyc;
  logic [NumBus-1:0]      rt_pop;
  logic [31:0]            rt_delay;   // worst routing delay of this cycle's routed spikes

  // the hemispheres an event reaches: its label's hemisphere bits ([14:13],
  // t[8:7]) if its driver ([12:6], t[6:0]) exists
  function automatic logic [1:0] ev_targets(input logic [8:0] t);
    ev_targets = (32'(t[6:0]) < Drivers) ? t[8:7] : 2'b00;
  endfunction

  always_comb begin
    logic [NumBus-1:0] used;
    logic [1:0]        tg;
    logic [14:0]       l;
    logic              done;
    logic [31:0]       d;
    used     = '0;
    ev_valid = '0;
    ev_ent   = '0;
    bg_grant = '0;
    rt_pop   = '0;
    rt_delay = 32'd0;
    done     = 1'b0;
    tg       = 2'b00;
    l        = 15'd0;
    d        = 32'd0;
    if (chip_req_i.inj.valid != '0) begin
      for (int unsigned b = 0; b < NumBus; b++) begin
        if (chip_req_i.inj.valid[b]) begin
          l  = chip_req_i.inj.label[b][14:0];
          tg = ev_targets(l[14:6]);
          used[b]            = 1'b1;
          ev_valid[b]        = tg[0];
          ev_valid[NumBus+b] = tg[1];
          ev_ent[13*b +: 13] = l[12:0];
        end
      end
    end
    if (rt_valid != '0) begin
      for (int unsigned b = 0; b < NumBus; b++) begin
        if (rt_valid[b] && !used[b]) begin
          l  = rt_label[16*b +: 15];
          tg = ev_targets(l[14:6]);
          used[b]            = 1'b1;
          rt_pop[b]          = 1'b1;
          ev_valid[b]        = tg[0];
          ev_valid[NumBus+b] = tg[1];
          ev_ent[13*b +: 13] = l[12:0];
          d        = cyc_q - rt_cyc[32*b +: 32];
          rt_delay = (d > rt_delay) ? d : rt_delay;
        end
      end
    end
    if (bg_pend != '0) begin
      for (int k = 0; k < NumBg; k++) begin
        if (!done && bg_pend[k] && !used[bg_label[k][7:6]]) begin
          done        = 1'b1;
          l           = bg_label[k][14:0];
          tg          = ev_targets(l[14:6]);
          bg_grant[k] = 1'b1;
          ev_valid[{1'b0, l[7:6]}] = tg[0];
          ev_valid[{1'b1, l[7:6]}] = tg[1];
          ev_ent[13*l[7:6] +: 13]  = l[12:0];
        end
      end
    end
    // post-synaptic spikes for the correlation sensors (a joined neuron sees both arrays)
    post_valid = 2'b00;
    if (head_pop) begin
      if (32'(head_nrn) < NeuronsPerHemi) begin
        post_valid = {head_cfg[NrnCfgJoinLsb], 1'b1};
      end else begin
        post_valid = 2'b10;
      end
    end
  end

  // The record side of the spike queue needs no bus: one spike a cycle
  // leaves towards the link and the correlation sensors.
  assign head_pop = head_valid;

  for (genvar g = 0; g < NumBg; g++) begin : gen_bg
    ax_chip_bg u_bg (
      .clk_i     (clk_i),
      .rst_ni    (rst_ni),
      .we_i      (bg_word),
      .we_valid_i(bg_we && (bg_src == 2'(g))),
      .wdata_i   (wdata_q),
      .rsel_i    (bg_word),
      .rdata_o   (bg_rdata[g]),
      .grant_i   (bg_grant[g]),
      .pend_o    (bg_pend[g]),
      .label_o   (bg_label[g]),
      .lost_o    (bg_lost[g])
    );
  end

  ax_syn_array #(
    .NeuronsPerHemi(NeuronsPerHemi),
    .RowsPerHemi   (RowsPerHemi)
  ) u_syn (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .die_seed_i    (die_seed_i),
    .fpn_scale_i   (fpn_scale_i),
    .cyc_i         (cyc_q),
    .ev_valid_i    (ev_valid),
    .ev_ent_i      (ev_ent),
    .syn_we_i      (syn_we),
    .drv_we_i      (drv_we),
    .reg_hemi_i    (blk == BlkSynapse ? addr_q[SynHLsb] : addr_q[DriverHLsb]),
    .reg_row_i     (blk == BlkSynapse ? addr_q[SynRMsb:SynRLsb] :
                                        8'(addr_q[DriverDMsb:DriverDLsb])),
    .reg_word_i    (7'(addr_q[SynWMsb:SynWLsb])),
    .reg_wdata_i   (wdata_q),
    .syn_rdata_o   (syn_rdata),
    .drv_rdata_o   (drv_rdata),
    .amp_e_o       (amp_e),
    .amp_i_o       (amp_i),
    .corr_en_i     (corr_en_q),
    .corr_clr_i    (corr_clr),
    .corr_rows_i   (wdata_q[CorrResetRowsLsb]),
    .corr_hemi_i   (wdata_q[CorrResetHemiLsb]),
    .corr_row_i    (wdata_q[CorrResetRowMsb:CorrResetRowLsb]),
    .corr_last_i   (wdata_q[CorrResetLastMsb:CorrResetLastLsb]),
    .post_valid_i  (post_valid),
    .post_col_i    (8'(32'(head_nrn) % NeuronsPerHemi)),
    .post_cyc_i    (head_cyc),
    .tau_c_i       (glb_q[GlbCorrTauC]),
    .tau_a_i       (glb_q[GlbCorrTauA]),
    .amp_c_i       (glb_q[GlbCorrAmpC]),
    .amp_a_i       (glb_q[GlbCorrAmpA]),
    .snap_take_i   (cadc_take_c),
    .snap_hemi_i   (cadc_hemi),
    .snap_row_i    (wdata_q[CadcCmdRowMsb:CadcCmdRowLsb]),
    .snap_acausal_i(cadc_src == CadcSrcAcausal),
    .snap_code_o   (cadc_ccode),
    .row_req_i     (syn_row_req),
    .row_we_i      (row_we),
    .row_sel_i     (row_sel),
    .row_wdata_i   (row_wdata),
    .row_ack_o     (syn_row_ack),
    .row_rdata_o   (syn_row_rdata),
    .idle_o        (syn_idle),
    .drops_o       (syn_drops),
    .drop_now_o    (syn_drop_now)
  );

  // ---------------------------------------------------------------------------
  // Spikes to the link (registered), lost-spike pulses
  // ---------------------------------------------------------------------------
  logic        spk_valid_q;
  logic [15:0] spk_label_q;
  logic [8:0]  spk_neuron_q;
  logic [55:0] spk_cycle_q;
  logic [3:0]  spk_frac_q;
  logic [15:0] drop_pend_q;
  logic [15:0] evdrop_pend_q;  // delay-line drops not yet reported to the link

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      spk_valid_q  <= 1'b0;
      spk_label_q  <= 16'd0;
      spk_neuron_q <= 9'd0;
      spk_cycle_q  <= 56'd0;
      spk_frac_q   <= 4'd0;
      drop_pend_q  <= 16'd0;
      evdrop_pend_q <= 16'd0;
      spk_lost_q   <= 16'd0;
      route_max_q  <= 16'd0;
    end else begin
      // routing delay: bus cycle - spike cycle of the queue's head
      if (route_clr) begin
        route_max_q <= 16'd0;
      end else if ((rt_pop != '0) && (rt_delay > 32'(route_max_q))) begin
        route_max_q <= (rt_delay > 32'hFFFF) ? 16'hFFFF : 16'(rt_delay);
      end
      spk_valid_q <= head_pop && head_cfg[NrnCfgRecordLsb];
      if (head_pop) begin
        spk_label_q  <= head_cfg[NrnCfgLabelMsb:NrnCfgLabelLsb];
        spk_neuron_q <= head_nrn;
        spk_cycle_q  <= head_time;
        spk_frac_q   <= head_frac;
      end
      if ((syn_drop_now != 4'd0) || (evdrop_pend_q != 16'd0)) begin
        evdrop_pend_q <= evdrop_pend_q + 16'(syn_drop_now) -
                         ((evdrop_pend_q != 16'd0) ? 16'd1 : 16'd0);
      end
      if (head_lost) begin
        drop_pend_q <= drop_pend_q + 16'(head_lost_n) - ((drop_pend_q != 16'd0) ? 16'd1 : 16'd0);
        spk_lost_q  <= (spk_lost_q > 16'hFFFF - 16'(head_lost_n)) ? 16'hFFFF :
                       spk_lost_q + 16'(head_lost_n);
      end else if (drop_pend_q != 16'd0) begin
        drop_pend_q <= drop_pend_q - 16'd1;
      end
    end
  end


  // ---------------------------------------------------------------------------
  // MADC: samples the selected membrane every madc_period_q cycles
  // ---------------------------------------------------------------------------
  logic [15:0] madc_cnt_q;
  logic        madc_took_q, madc_valid_q;
  logic [55:0] madc_t0_q, madc_cycle_q;
  logic [9:0]  madc_sample_q;

  assign madc_take = madc_en_q && (madc_cnt_q == 16'd0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      madc_cnt_q    <= 16'd0;
      madc_took_q   <= 1'b0;
      madc_valid_q  <= 1'b0;
      madc_t0_q     <= 56'd0;
      madc_cycle_q  <= 56'd0;
      madc_sample_q <= 10'd0;
    end else begin
      if (madc_en_q) begin
        madc_cnt_q <= (madc_cnt_q == 16'd0) ? madc_period_q - 16'd1 : madc_cnt_q - 16'd1;
      end else begin
        madc_cnt_q <= 16'd0;
      end
      madc_took_q  <= madc_take;
      madc_valid_q <= madc_took_q;
      if (madc_take) begin
        madc_t0_q <= chip_req_i.now;
      end
      if (madc_took_q) begin
        madc_cycle_q  <= madc_t0_q;
        madc_sample_q <= madc_convert(die_seed_i, fpn_scale_i,
                                      madc_ref_q ? 32'(glb_q[GlbCadcRef]) << VFrac : madc_v);
      end
    end
  end


  // ---------------------------------------------------------------------------
  // CADC: the cycle after a command, every channel of the hemisphere takes its
  // conversion of the snapshot (membranes and one row's correlation sensors
  // are converted by the neuron and synapse arrays when the command executes,
  // so only 8-bit codes cross their ports) or converts the reference source.
  // Written with blocking assignments in a loop: this block is the only
  // writer; the register read of the results happens cycles later.
  // ---------------------------------------------------------------------------
  logic       conv_q;
  logic       conv_hemi_q;
  cadc_src_e  conv_src_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin : p_cadc
    logic [31:0] x;
    if (!rst_ni) begin
      conv_q      <= 1'b0;
      conv_hemi_q <= 1'b0;
      conv_src_q  <= CadcSrcMembrane;
      for (int unsigned h = 0; h < 2; h++) begin
        for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
          cadc_res_q[h][c] = 8'd0;
        end
      end
    end else begin
      conv_q <= cadc_cmd;
      if (cadc_cmd) begin
        conv_hemi_q <= cadc_hemi;
        conv_src_q  <= cadc_src;
      end
      if (conv_q) begin
        for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
          unique case (conv_src_q)
            CadcSrcMembrane:               cadc_res_q[conv_hemi_q][c] = cadc_vcode[c];
            CadcSrcCausal, CadcSrcAcausal: cadc_res_q[conv_hemi_q][c] = cadc_ccode[c];
            default: begin
              x = 32'(glb_q[GlbCadcRef]) << VFrac;
              cadc_res_q[conv_hemi_q][c] =
                cadc_convert(die_seed_i, fpn_scale_i, 32'(conv_hemi_q) * 256 + c, x);
            end
          endcase
        end
      end
    end
  end

  assign idle = !head_valid && (rt_valid == '0) && syn_idle && (bg_pend == '0);

  // ---------------------------------------------------------------------------
  // To the link (the link's events go first: inj_ready is always 1)
  // ---------------------------------------------------------------------------
  // register bus answers: the chip's registers (to the link or a PPU's
  // window) and the PPUs' own (to the link)
  assign bus_rdata = late_q ? {24'd0, cnt_rdata} : rdata_q;
  assign chip_rsp_o = '{
    bus:       '{ack: (ack_q && (own_ack_q == 2'd0)) || (ppu_hack != 2'b00),
                 err: err_q && (own_ack_q == 2'd0) && (ppu_hack == 2'b00),
                 rdata: ppu_hack[0] ? ppu_hrdata[0] : (ppu_hack[1] ? ppu_hrdata[1] : bus_rdata)},
    inj_ready: 1'b1,
    spk:       '{valid: spk_valid_q, label: spk_label_q, neuron: spk_neuron_q,
                 cycle: spk_cycle_q, frac: spk_frac_q},
    spk_drop:  drop_pend_q != 16'd0,
    ev_drop:   evdrop_pend_q != 16'd0,
    madc:      '{valid: madc_valid_q, sample: madc_sample_q, cycle: madc_cycle_q},
    idle:      idle
  };

  // unused bits of the interface
  logic unused_bits;
  assign unused_bits = ^{bg_lost, head_cfg[31:18]};

endmodule
