// ax_neuron_array: the 2 x NeuronsPerHemi LIF neurons of the chip with their
// CapMem cells, fixed-pattern noise, temporal noise and the spike queue.
// Neuron n < NeuronsPerHemi is the top circuit of column n (hemisphere 0),
// neuron NeuronsPerHemi + n the bottom one (hemisphere 1).
//
// The arithmetic is documented in docs/chip.md and mirrored bit for bit by
// rtl-model/ref/ax_ref.c (axsim_ref_neuron_step).
//
// Simulation-speed structure (see docs/chip.md, "RTL structure"): the hot
// per-neuron state is updated in one loop (step_neurons, written so that the
// C++ compiler vectorizes it) with blocking assignments to array elements
// (Verilator 5.006 rejects non-blocking assignments to arrays inside loops,
// BLKLOOPINIT, and a d/q copy of every array costs a memcpy a cycle). Each
// such array has this block as its only writer and reader; everything other
// blocks see leaves it through non-blocking registers (head_*_q, madc_v_q,
// cnt_rd_q) or is read a cycle later (cadc_code_q), so there is no race.
module ax_neuron_array
  import ax_chip_regs_pkg::*;
  import ax_chip_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] die_seed_i,
  input  logic [63:0] run_seed_i,
  input  logic [7:0]  fpn_scale_i,
  input  logic [7:0]  temporal_scale_i,
  input  logic [55:0] time_i,
  input  logic [31:0] cyc_i,
  // register access, decoded by ax_chip
  input  logic        cap_we_i,       // CapMem code write: reg_prm_i, reg_nrn_i
  input  logic        cfg_we_i,       // neuron configuration write
  input  logic        cnt_clr_i,      // clear the spike counter of reg_nrn_i
  input  logic        cnt_clr_all_i,  // clear all spike counters
  input  logic [3:0]  reg_prm_i,
  input  logic [8:0]  reg_nrn_i,
  input  logic [31:0] reg_wdata_i,
  output logic [9:0]  cap_rdata_o,    // code of (reg_prm_i, reg_nrn_i)
  output logic [31:0] cfg_rdata_o,    // configuration of reg_nrn_i
  output logic [7:0]  cnt_rdata_o,    // spike counter of reg_nrn_i (one cycle later)
  output logic        settling_o,     // a CapMem write has not reached its cell yet
  output logic        init_o,         // the power-on CapMem initialisation is running
  // synaptic input: summed weight-to-current amplitudes of this cycle's events
  // (0 in a column without an event), indexed like the neurons
  input  logic [31:0] amp_e_i [2*NeuronsPerHemi],
  input  logic [31:0] amp_i_i [2*NeuronsPerHemi],
  // neuron reset (NEURON_RESET instruction)
  input  logic        nrst_valid_i,
  input  logic        nrst_all_i,
  input  logic [3:0]  nrst_block_i,
  input  logic [31:0] nrst_mask_i,
  // spike queue head
  output logic        head_valid_o,
  output logic [8:0]  head_nrn_o,
  output logic [3:0]  head_frac_o,
  output logic [55:0] head_time_o,
  output logic [31:0] head_cyc_o,
  output logic [31:0] head_cfg_o,
  output logic        head_lost_o,    // spikes were lost to a full queue last cycle
  output logic [9:0]  head_lost_n_o,
  input  logic        head_pop_i,     // the head is consumed this cycle (recorded)
  // route queues, one per event bus: bus b's head (label, spike cycle);
  // rt_pop_i[b]: it is routed this cycle
  output logic [NumBus-1:0]    rt_valid_o,
  output logic [16*NumBus-1:0] rt_label_o,
  output logic [32*NumBus-1:0] rt_cyc_o,
  input  logic [NumBus-1:0]    rt_pop_i,
  // ADC taps
  input  logic        madc_take_i,    // sample the membrane of madc_sel_i
  input  logic [8:0]  madc_sel_i,
  output logic [31:0] madc_v_o,       // valid the cycle after madc_take_i
  input  logic        cadc_take_i,    // convert one hemisphere's membranes (CADC)
  input  logic        cadc_hemi_i,
  output logic [7:0]  cadc_code_o [NeuronsPerHemi], // CADC codes, valid the next cycle
  // the PPUs' row unit (VLD of membranes): the membranes (Q14) of 32 columns
  // of hemisphere h (segment ppu_seg_i[h]), the next cycle with ppu_ack_o;
  // the PPU converts them with the CADC function (only a copy here)
  input  logic [1:0]         ppu_take_i,
  input  logic [1:0][2:0]    ppu_seg_i,
  output logic [1:0]         ppu_ack_o,
  output logic [1:0][1023:0] ppu_v_o
);
  localparam int unsigned NumNeurons = 2 * NeuronsPerHemi;
  // Spike queue: the record queue (one spike a cycle leaves to the link and
  // the correlation sensors: head_*) and one route queue per event bus (a
  // spike with a hemisphere target also enters the queue of its driver's bus,
  // d % NumBus, which moves one event a cycle onto that bus: rt_*). The
  // occupancy is the larger of the record queue's count and the route
  // queues' total. A spike of an ordinary neuron enters while fewer than
  // FifoDepth spikes wait; one of a spike-once neuron (NRN_CFG ONCE) while
  // fewer than QueueMax wait. A spike-once neuron spikes at most once until
  // NEURON_RESET, and ordinary spikes never fill more than FifoDepth entries,
  // so a spike-once spike is lost only when the same neuron spikes again
  // after a NEURON_RESET while its first spike still waits (counted).
  localparam int unsigned FifoDepth  = 64;
  localparam int unsigned QueueMax   = FifoDepth + 2 * NeuronsPerHemi;
  localparam int unsigned QBits      = $clog2(QueueMax);
  localparam int unsigned QSlots     = 1 << QBits;
  localparam int unsigned NrnBits    = $clog2(NumNeurons);

  // ---------------------------------------------------------------------------
  // CapMem: codes, targets computed at write time (with fixed-pattern noise),
  // and the effective values the neurons use. A refresh sequencer visits one
  // neuron a cycle and copies its targets into the effective cells, so a
  // written value takes effect within NumNeurons cycles (the settle time).
  // The first sequencer pass after reset computes every target.
  // ---------------------------------------------------------------------------
  logic [9:0]  code_q [ParamCount][NumNeurons];
  logic [31:0] tgt_q  [ParamCount][NumNeurons];
  logic [31:0] leak_q [NumNeurons];
  logic [31:0] vres_q [NumNeurons];
  logic [31:0] vth_q  [NumNeurons];
  logic [31:0] gm_q   [NumNeurons];
  logic [31:0] gse_q  [NumNeurons];
  logic [31:0] gsi_q  [NumNeurons];
  logic [31:0] gaine_q[NumNeurons];
  logic [31:0] gaini_q[NumNeurons];
  logic [31:0] tref_q [NumNeurons];
  logic [31:0] cfg_q  [NumNeurons];
  logic [NrnBits-1:0] seq_q;
  logic [NrnBits-1:0] nrn, msel;  // register and MADC indices at this geometry
  assign nrn  = reg_nrn_i[NrnBits-1:0];
  assign msel = madc_sel_i[NrnBits-1:0];
  logic        init_q;
  logic [NrnBits:0] settle_q;  // cycles until the last write has surely settled

  function automatic logic [31:0] nominal(input int unsigned p);
    nominal = param_eff(64'd0, 8'd0, p, 0, default_code(p));
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin : p_capmem
    if (!rst_ni) begin
      seq_q    <= '0;
      init_q   <= 1'b1;
      settle_q <= (NrnBits + 1)'(NumNeurons);
    end else begin
      // refresh sequencer: one neuron a cycle
      if (init_q) begin
        // power-on: default codes, configuration 0
        cfg_q[seq_q] <= 32'd0;
        for (int unsigned p = 0; p < ParamCount; p++) begin
          code_q[p][seq_q] <= default_code(p);
          tgt_q[p][seq_q]  <= param_eff(die_seed_i, fpn_scale_i, p, 32'(seq_q), default_code(p));
        end
        leak_q[seq_q]  <= param_eff(die_seed_i, fpn_scale_i, 0, 32'(seq_q), default_code(0));
        vres_q[seq_q]  <= param_eff(die_seed_i, fpn_scale_i, 1, 32'(seq_q), default_code(1));
        vth_q[seq_q]   <= param_eff(die_seed_i, fpn_scale_i, 2, 32'(seq_q), default_code(2));
        gm_q[seq_q]    <= param_eff(die_seed_i, fpn_scale_i, 3, 32'(seq_q), default_code(3));
        gse_q[seq_q]   <= param_eff(die_seed_i, fpn_scale_i, 4, 32'(seq_q), default_code(4));
        gsi_q[seq_q]   <= param_eff(die_seed_i, fpn_scale_i, 5, 32'(seq_q), default_code(5));
        gaine_q[seq_q] <= param_eff(die_seed_i, fpn_scale_i, 6, 32'(seq_q), default_code(6));
        gaini_q[seq_q] <= param_eff(die_seed_i, fpn_scale_i, 7, 32'(seq_q), default_code(7));
        tref_q[seq_q]  <= param_eff(die_seed_i, fpn_scale_i, 8, 32'(seq_q), default_code(8));
        if (32'(seq_q) == NumNeurons - 1) begin
          init_q <= 1'b0;
        end
      end else begin
        leak_q[seq_q]  <= tgt_q[0][seq_q];
        vres_q[seq_q]  <= tgt_q[1][seq_q];
        vth_q[seq_q]   <= tgt_q[2][seq_q];
        gm_q[seq_q]    <= tgt_q[3][seq_q];
        gse_q[seq_q]   <= tgt_q[4][seq_q];
        gsi_q[seq_q]   <= tgt_q[5][seq_q];
        gaine_q[seq_q] <= tgt_q[6][seq_q];
        gaini_q[seq_q] <= tgt_q[7][seq_q];
        tref_q[seq_q]  <= tgt_q[8][seq_q];
      end
      seq_q <= seq_q + 1'b1;
      if (settle_q != '0) begin
        settle_q <= settle_q - 1'b1;
      end
      // register writes (after the sequencer: a write wins over the refresh)
      if (cap_we_i) begin
        code_q[reg_prm_i][nrn] <= reg_wdata_i[CapmemCodeMsb:CapmemCodeLsb];
        tgt_q[reg_prm_i][nrn]  <= param_eff(die_seed_i, fpn_scale_i, 32'(reg_prm_i), 32'(nrn),
                                            reg_wdata_i[CapmemCodeMsb:CapmemCodeLsb]);
        settle_q <= (NrnBits + 1)'(NumNeurons);
      end
      if (cfg_we_i) begin
        cfg_q[nrn] <= reg_wdata_i;
      end
    end
  end

  assign cap_rdata_o = code_q[reg_prm_i][nrn];
  assign cfg_rdata_o = cfg_q[nrn];
  assign settling_o  = (settle_q != '0);
  assign init_o      = init_q;

  // ---------------------------------------------------------------------------
  // Hot state: membrane (Q14 mV), synaptic currents (Q14 mV), refractory
  // counters, spike counters, temporal-noise generators, spike queue.
  // ---------------------------------------------------------------------------
  // DEBUG BACKDOOR (axsim_debug_membrane reads v_q by its verilated name; an
  // array port would cost a copy of all membranes every cycle)
  logic [31:0] v_q    [NumNeurons] /* verilator public_flat_rd */;
  logic [31:0] ie_q   [NumNeurons];
  logic [31:0] ii_q   [NumNeurons];
  logic [31:0] refr_q [NumNeurons];
  logic [7:0]  cnt_q  [NumNeurons];
  // temporal noise: generator word i/16 (docs/chip.md section 5), kept once
  // per neuron so the neuron loop reads it at its own index (all 16 copies
  // of a word hold the same value); nzm_q: the mask of the neuron's first
  // noise bit, 1 << 2 * (i % 16) (the same for both hemispheres)
  logic [31:0] nzr_q  [NumNeurons];
  logic [31:0] nzm_q  [NeuronsPerHemi];
  // this cycle's spikes: flag, membrane at the start and before the reset
  // (the spike pass after the neuron loop interpolates their times)
  logic [31:0] sp_q   [NumNeurons];  // all ones: spiked (32 bits, like all of the loop's words)
  logic [31:0] v0_q   [NumNeurons];
  logic [31:0] vn_q   [NumNeurons];
  logic [15:0] fifo_nf_q  [QSlots];  // [12:4] neuron, [3:0] fraction
  logic [55:0] fifo_tm_q  [QSlots];
  logic [31:0] fifo_cy_q  [QSlots];
  logic [QBits-1:0] fifo_rd_q;
  logic [QBits:0]   fifo_n_q;
  // route queues (bus b: entries [b][*]), labels and spike cycles
  logic [15:0]      rq_lb_q [NumBus][QSlots];
  logic [31:0]      rq_cy_q [NumBus][QSlots];
  logic [QBits-1:0] rq_rd_q [NumBus];
  logic [QBits:0]   rq_n_q  [NumBus];
  logic [QBits:0]   rq_tot_q;  // entries in all route queues
  logic [NumBus-1:0]    rt_valid_q;
  logic [16*NumBus-1:0] rt_label_q;
  logic [32*NumBus-1:0] rt_cyc_q;
  // CADC codes of the membranes at the last cadc_take_i: converted here, so
  // 8-bit codes cross the port (an array port is copied every cycle)
  logic [7:0]  cadc_code_q [NeuronsPerHemi];
  logic [1:0]         ppu_ack_q;
  logic [1:0][1023:0] ppu_v_q;
  logic        nz_init_q;

  logic        head_valid_q;
  logic [8:0]  head_nrn_q;
  logic [3:0]  head_frac_q;
  logic [55:0] head_time_q;
  logic [31:0] head_cyc_q;
  logic [31:0] head_cfg_q;
  logic [9:0]  lost_q;
  logic [31:0] madc_v_q;
  logic [7:0]  cnt_rd_q;

  // temporal noise step of one cycle, Q14 mV
  logic [31:0] noise_amp;
  assign noise_amp = (NoiseAmp * 32'(temporal_scale_i)) >> 7;

  // One cycle of every neuron (docs/chip.md section 3). Column c's top neuron
  // c and bottom neuron NeuronsPerHemi + c are updated in the same iteration,
  // so every array is read at the iteration's own index and the body has no
  // data-dependent control flow: the C++ compiler turns the loop into vector
  // code. adv: advance the noise generators first. Returns whether any neuron
  // spiked (sp_q, v0_q, vn_q hold the details).
  function automatic logic step_neurons(input logic adv, input logic [31:0] namp);
    logic [31:0] any;
    any = 32'd0;
    for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
      logic [31:0] jm, m0, wt, wb, vt, vb, nzt, nzb, ot, ob, pt, pb;
      logic [31:0] ae_t, ai_t, ae_b, ai_b;
      logic [31:0] vn_t, ie_t, ii_t, rf_t, vr_t, sp_t, vn_b, ie_b, ii_b, rf_b, vr_b, sp_b;
      // joined column: the bottom array drives the top neuron, the bottom one is silent
      jm   = {32{cfg_q[c][NrnCfgJoinLsb]}};
      // spike-once and refractory prescaler (NRN_CFG ONCE, REFR_PRE)
      ot   = {32{cfg_q[c][NrnCfgOnceLsb]}};
      ob   = {32{cfg_q[NeuronsPerHemi + c][NrnCfgOnceLsb]}};
      pt   = (cfg_q[c] >> NrnCfgRefrPreLsb) & 32'(NrnCfgRefrPreMask >> NrnCfgRefrPreLsb);
      pb   = (cfg_q[NeuronsPerHemi + c] >> NrnCfgRefrPreLsb) &
             32'(NrnCfgRefrPreMask >> NrnCfgRefrPreLsb);
      ae_t = amp_e_i[c] + (amp_e_i[NeuronsPerHemi + c] & jm);
      ai_t = amp_i_i[c] + (amp_i_i[NeuronsPerHemi + c] & jm);
      ae_b = amp_e_i[NeuronsPerHemi + c] & ~jm;
      ai_b = amp_i_i[NeuronsPerHemi + c] & ~jm;
      // temporal noise words (xorshift32) and the noise terms (+-namp or 0)
      wt = nzr_q[c];
      wb = nzr_q[NeuronsPerHemi + c];
      if (adv) begin
        wt = wt ^ (wt << 13);
        wt = wt ^ (wt >> 17);
        wt = wt ^ (wt << 5);
        wb = wb ^ (wb << 13);
        wb = wb ^ (wb >> 17);
        wb = wb ^ (wb << 5);
      end
      nzr_q[c]                  = wt;
      nzr_q[NeuronsPerHemi + c] = wb;
      m0  = nzm_q[c];
      nzt = (namp & {32{(wt & m0) != 32'd0}}) - (namp & {32{(wt & (m0 << 1)) != 32'd0}});
      nzb = (namp & {32{(wb & m0) != 32'd0}}) - (namp & {32{(wb & (m0 << 1)) != 32'd0}});
      vt  = v_q[c];
      vb  = v_q[NeuronsPerHemi + c];
      neuron_step(vt, ie_q[c], ii_q[c], refr_q[c], ae_t, ai_t, nzt,
                  leak_q[c], vres_q[c], vth_q[c], gm_q[c], gse_q[c], gsi_q[c],
                  gaine_q[c], gaini_q[c], tref_q[c], 32'hFFFF_FFFF, ot, pt,
                  vr_t, ie_t, ii_t, rf_t, vn_t, sp_t);
      neuron_step(vb, ie_q[NeuronsPerHemi + c], ii_q[NeuronsPerHemi + c],
                  refr_q[NeuronsPerHemi + c], ae_b, ai_b, nzb,
                  leak_q[NeuronsPerHemi + c], vres_q[NeuronsPerHemi + c],
                  vth_q[NeuronsPerHemi + c], gm_q[NeuronsPerHemi + c],
                  gse_q[NeuronsPerHemi + c], gsi_q[NeuronsPerHemi + c],
                  gaine_q[NeuronsPerHemi + c], gaini_q[NeuronsPerHemi + c],
                  tref_q[NeuronsPerHemi + c], ~jm, ob, pb,
                  vr_b, ie_b, ii_b, rf_b, vn_b, sp_b);
      v_q[c]                     = vr_t;
      ie_q[c]                    = ie_t;
      ii_q[c]                    = ii_t;
      refr_q[c]                  = rf_t;
      v_q[NeuronsPerHemi + c]    = vr_b;
      ie_q[NeuronsPerHemi + c]   = ie_b;
      ii_q[NeuronsPerHemi + c]   = ii_b;
      refr_q[NeuronsPerHemi + c] = rf_b;
      sp_q[c]                    = sp_t;
      sp_q[NeuronsPerHemi + c]   = sp_b;
      v0_q[c]                    = vt;
      v0_q[NeuronsPerHemi + c]   = vb;
      vn_q[c]                    = vn_t;
      vn_q[NeuronsPerHemi + c]   = vn_b;
      any = any | sp_t | sp_b;
    end
    return any != 32'd0;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin : p_neurons
    logic [31:0] w;
    logic [QBits-1:0] wr, rw;
    logic [QBits:0]   occ;
    logic [15:0]      lb;
    logic [1:0]       b;
    logic [NumBus-1:0]    rv;
    logic [16*NumBus-1:0] rl;
    logic [32*NumBus-1:0] rc;
    logic [9:0] lost;
    logic adv;
    if (!rst_ni) begin
      for (int unsigned i = 0; i < NumNeurons; i++) begin
        v_q[i]    = nominal(1);
        ie_q[i]   = 32'd0;
        ii_q[i]   = 32'd0;
        refr_q[i] = 32'd0;
        cnt_q[i]  = 8'd0;
        nzr_q[i]  = 32'd1;
        sp_q[i]   = 32'd0;
        v0_q[i]   = 32'd0;
        vn_q[i]   = 32'd0;
      end
      for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
        nzm_q[c] = 32'd1 << (2 * (c % 16));
      end
      for (int unsigned k = 0; k < QSlots; k++) begin
        fifo_nf_q[k] = 16'd0;
        fifo_tm_q[k] = 56'd0;
        fifo_cy_q[k] = 32'd0;
      end
      for (int unsigned k = 0; k < NeuronsPerHemi; k++) begin
        cadc_code_q[k] = 8'd0;
      end
      fifo_rd_q    = '0;
      fifo_n_q     = '0;
      for (int unsigned q = 0; q < NumBus; q++) begin
        for (int unsigned k = 0; k < QSlots; k++) begin
          rq_lb_q[q][k] = 16'd0;
          rq_cy_q[q][k] = 32'd0;
        end
        rq_rd_q[q] = '0;
        rq_n_q[q]  = '0;
      end
      rq_tot_q     = '0;
      rt_valid_q   <= '0;
      rt_label_q   <= '0;
      rt_cyc_q     <= '0;
      nz_init_q    = 1'b1;
      head_valid_q <= 1'b0;
      head_nrn_q   <= 9'd0;
      head_frac_q  <= 4'd0;
      head_time_q  <= 56'd0;
      head_cyc_q   <= 32'd0;
      head_cfg_q   <= 32'd0;
      lost_q       <= 10'd0;
      madc_v_q     <= 32'd0;
      cnt_rd_q     <= 8'd0;
      ppu_ack_q    <= 2'b00;
      ppu_v_q      <= '0;
    end else begin
      // taps see the state at the start of this cycle
      madc_v_q <= madc_take_i ? v_q[msel] : madc_v_q;
      cnt_rd_q <= cnt_q[nrn];
      if (cadc_take_i) begin
        for (int unsigned k = 0; k < NeuronsPerHemi; k++) begin
          cadc_code_q[k] = cadc_convert(die_seed_i, fpn_scale_i, (cadc_hemi_i ? 256 : 0) + k,
                                        v_q[(cadc_hemi_i ? NeuronsPerHemi : 0) + k]);
        end
      end
      if (ppu_take_i != 2'b00 || ppu_ack_q != 2'b00) begin
        ppu_ack_q <= ppu_take_i;
        for (int unsigned h = 0; h < 2; h++) begin
          if (ppu_take_i[h]) begin
            for (int unsigned k = 0; k < 32; k++) begin
              ppu_v_q[h][32*k +: 32] <= v_q[NeuronsPerHemi * h + 32 * 32'(ppu_seg_i[h]) + k];
            end
          end
        end
      end
      // the head shown this cycle has been consumed
      if (head_pop_i) begin
        fifo_rd_q = fifo_rd_q + 1'b1;
        fifo_n_q  = fifo_n_q - 1'b1;
      end
      if (rt_pop_i != '0) begin
        for (int unsigned q = 0; q < NumBus; q++) begin
          if (rt_pop_i[q]) begin
            rq_rd_q[q] = rq_rd_q[q] + 1'b1;
            rq_n_q[q]  = rq_n_q[q] - 1'b1;
            rq_tot_q   = rq_tot_q - 1'b1;
          end
        end
      end
      // temporal noise: one xorshift32 per 16 neurons, 2 bits per neuron,
      // advanced once a cycle while the noise is on (in the neuron loop)
      adv = (noise_amp != 32'd0);
      if (nz_init_q) begin
        for (int unsigned i = 0; i < NumNeurons; i++) begin
          nzr_q[i] = hash32(run_seed_i, {KeyNoise, 24'(i / 16)}) | 32'd1;
        end
        nz_init_q = 1'b0;
        adv       = 1'b0;
      end
      wr   = fifo_rd_q + QBits'(fifo_n_q);
      lost = 10'd0;
      if (init_q) begin
        // the CapMem initialises: the neurons wait, the noise runs
        if (adv) begin
          for (int unsigned i = 0; i < NumNeurons; i++) begin
            w = nzr_q[i];
            w = w ^ (w << 13);
            w = w ^ (w >> 17);
            w = w ^ (w << 5);
            nzr_q[i] = w;
          end
        end
      end else if (step_neurons(adv, noise_amp)) begin
        // spikes, in neuron order: queue (time interpolated) and counters
        for (int unsigned i = 0; i < NumNeurons; i++) begin
          if (sp_q[i] != 32'd0) begin
            occ = (rq_tot_q > fifo_n_q) ? rq_tot_q : fifo_n_q;
            if (32'(occ) < (cfg_q[i][NrnCfgOnceLsb] ? QueueMax : FifoDepth)) begin
              fifo_nf_q[wr] = {3'd0, 9'(i), spike_frac(v0_q[i], vn_q[i], vth_q[i])};
              fifo_tm_q[wr] = time_i;
              fifo_cy_q[wr] = cyc_i;
              wr       = wr + 1'b1;
              fifo_n_q = fifo_n_q + 1'b1;
              // a spike with a hemisphere target: the route queue of its bus
              lb = cfg_q[i][NrnCfgLabelMsb:NrnCfgLabelLsb];
              if (lb[14:13] != 2'b00) begin
                b  = lb[7:6];
                rw = rq_rd_q[b] + QBits'(rq_n_q[b]);
                rq_lb_q[b][rw] = lb;
                rq_cy_q[b][rw] = cyc_i;
                rq_n_q[b]      = rq_n_q[b] + 1'b1;
                rq_tot_q       = rq_tot_q + 1'b1;
              end
            end else if (lost != 10'h3FF) begin
              lost = lost + 10'd1;
            end
            cnt_q[i] = (cnt_q[i] == 8'hFF) ? 8'hFF : cnt_q[i] + 8'd1;
          end
        end
      end
      // neuron reset: membrane to reset potential, currents and refractory to 0
      if (nrst_valid_i) begin
        for (int unsigned i = 0; i < NumNeurons; i++) begin
          if (nrst_all_i || ((i / 32) == 32'(nrst_block_i) && nrst_mask_i[i % 32])) begin
            v_q[i]    = vres_q[i];
            ie_q[i]   = 32'd0;
            ii_q[i]   = 32'd0;
            refr_q[i] = 32'd0;
          end
        end
      end
      if (cnt_clr_all_i) begin
        for (int unsigned i = 0; i < NumNeurons; i++) begin
          cnt_q[i] = 8'd0;
        end
      end else if (cnt_clr_i) begin
        cnt_q[nrn] = 8'd0;
      end
      lost_q <= lost;
      // next head
      head_valid_q <= (fifo_n_q != '0);
      head_nrn_q   <= fifo_nf_q[fifo_rd_q][12:4];
      head_frac_q  <= fifo_nf_q[fifo_rd_q][3:0];
      head_time_q  <= fifo_tm_q[fifo_rd_q];
      head_cyc_q   <= fifo_cy_q[fifo_rd_q];
      head_cfg_q   <= cfg_q[fifo_nf_q[fifo_rd_q][NrnBits+3:4]];
      // next route heads
      for (int unsigned q = 0; q < NumBus; q++) begin
        rv[q]          = (rq_n_q[q] != '0);
        rl[16*q +: 16] = rq_lb_q[q][rq_rd_q[q]];
        rc[32*q +: 32] = rq_cy_q[q][rq_rd_q[q]];
      end
      rt_valid_q <= rv;
      rt_label_q <= rl;
      rt_cyc_q   <= rc;
    end
  end

  assign head_valid_o  = head_valid_q;
  assign head_nrn_o    = head_nrn_q;
  assign head_frac_o   = head_frac_q;
  assign head_time_o   = head_time_q;
  assign head_cyc_o    = head_cyc_q;
  assign head_cfg_o    = head_cfg_q;
  assign head_lost_o   = (lost_q != 10'd0);
  assign head_lost_n_o = lost_q;
  assign rt_valid_o    = rt_valid_q;
  assign rt_label_o    = rt_label_q;
  assign rt_cyc_o      = rt_cyc_q;
  assign madc_v_o      = madc_v_q;
  assign cnt_rdata_o   = cnt_rd_q;
  assign cadc_code_o   = cadc_code_q;
  assign ppu_ack_o     = ppu_ack_q;
  assign ppu_v_o       = ppu_v_q;

endmodule
