// ax_syn_array: the synapse arrays of both hemispheres with their synapse
// drivers (row signs, axonal delay lines) and correlation sensors.
//
// - Event buses: NumBus per hemisphere, bus b serving the drivers d with
//   d % NumBus == b; each bus brings at most one event a cycle. An event
//   waits DelayMax-bounded d cycles in a time wheel (slot = cycle + 1 + d, at
//   most WheelSlotEvents events per slot and hemisphere, more are dropped and
//   counted) and then reaches the driver's two rows. Idle buses cost nothing
//   (the schedule is guarded by "any event this cycle").
// - Arrival: every synapse of the two rows whose label equals the event's
//   6-bit address adds its amplitude (weight x its own step, Q8) to its
//   column's excitatory or inhibitory sum, per the row's sign. The sums leave
//   on amp_*_o (0 in a column without an event); the neurons apply their input gain.
// - Synapse word (32 bit, 2 per register word): [5:0] weight, [11:6] label,
//   [31:16] amplitude, computed at write time from the die seed.
// - Correlation sensors (when enabled): see docs/chip.md. They are updated
//   only on pre-synaptic arrivals (the matching synapses of a row) and on
//   post-synaptic spikes (one column, all rows), with blocking assignments in
//   one clocked block that is their only writer (Verilator BLKLOOPINIT).
//   Each sensor has its own amplitude gain (applied to a pairing's kernel
//   value) and read-out offset (applied when the CADC converts it), from the
//   die seed's hash of the sensor (ax_chip_pkg::corr_gain, corr_read): hashed
//   only where a sensor is updated or read, never per cycle.
module ax_syn_array
  import ax_chip_regs_pkg::*;
  import ax_chip_pkg::*;
#(
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] die_seed_i,
  input  logic [7:0]  fpn_scale_i,
  input  logic [31:0] cyc_i,
  // event buses from the router: bit NumBus * h + b is bus b of hemisphere h;
  // bus b's event is ev_ent_i[13b +: 13] = {driver, address} in both hemispheres
  input  logic [2*NumBus-1:0]  ev_valid_i,
  input  logic [13*NumBus-1:0] ev_ent_i,
  // register access, decoded by ax_chip
  input  logic        syn_we_i,
  input  logic        drv_we_i,
  input  logic        reg_hemi_i,
  input  logic [7:0]  reg_row_i,      // synapse row, or driver
  input  logic [6:0]  reg_word_i,     // synapse pair within the row
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] syn_rdata_o,
  output logic [31:0] drv_rdata_o,
  // to the neurons, indexed like them: hemisphere * NeuronsPerHemi + column
  output logic [31:0] amp_e_o [2*NeuronsPerHemi],
  output logic [31:0] amp_i_o [2*NeuronsPerHemi],
  // correlation
  input  logic        corr_en_i,
  input  logic        corr_clr_i,     // CORR_RESET: all sensors, or (corr_rows_i) ...
  input  logic        corr_rows_i,
  input  logic        corr_hemi_i,    // ... rows corr_row_i..corr_last_i of one hemisphere
  input  logic [7:0]  corr_row_i,
  input  logic [7:0]  corr_last_i,
  input  logic [1:0]  post_valid_i,   // post-synaptic spike of column post_col_i, per hemisphere
  input  logic [7:0]  post_col_i,
  input  logic [31:0] post_cyc_i,
  input  logic [9:0]  tau_c_i,
  input  logic [9:0]  tau_a_i,
  input  logic [9:0]  amp_c_i,
  input  logic [9:0]  amp_a_i,
  input  logic        snap_take_i,    // convert one row's sensors (CADC)
  input  logic        snap_hemi_i,
  input  logic [7:0]  snap_row_i,
  input  logic        snap_acausal_i,
  output logic [7:0]  snap_code_o [NeuronsPerHemi],  // CADC codes, valid the next cycle
  // the PPUs' row unit, one port per hemisphere: a request for one row
  // segment (sel: [7:0] row, [10:8] segment, [15:12] source 0 weights,
  // 1 labels, 2/3 sensors) loads the 32 raw words (synapse words, or the
  // sensors' accumulators) or stores 32 lanes (weights: [31:16] amplitude,
  // [5:0] weight; labels: [11:6]) into the synapse words; ack (with the
  // loaded words) the next cycle. Checked and converted by the core, so only
  // copies happen here.
  input  logic [1:0]         row_req_i,
  input  logic [1:0]         row_we_i,
  input  logic [1:0][15:0]   row_sel_i,
  input  logic [1:0][1023:0] row_wdata_i,
  output logic [1:0]         row_ack_o,
  output logic [1:0][1023:0] row_rdata_o,
  // status
  output logic        idle_o,
  output logic [15:0] drops_o,
  output logic [3:0]  drop_now_o      // events dropped in the last cycle (0..8)
);
  localparam int unsigned Drivers   = RowsPerHemi / 2;
  localparam int unsigned Slots     = 1 << DelayBits;
  localparam int unsigned SlotEv    = WheelSlotEvents;
  localparam int unsigned RowW      = $clog2(RowsPerHemi);
  localparam int unsigned ColW      = $clog2(NeuronsPerHemi);
  localparam int unsigned DrvW      = RowW - 1;

  // register-port indices at this geometry (ax_chip checked the range)
  logic [RowW-1:0] rrow, rrow0, rrow1;
  logic [DrvW-1:0] rdrv;
  logic [ColW-1:0] rcol0, rcol1, pcol;
  logic [RowW-1:0] srow;
  assign rrow  = reg_row_i[RowW-1:0];
  assign rdrv  = reg_row_i[DrvW-1:0];
  assign rrow0 = {rdrv, 1'b0};
  assign rrow1 = {rdrv, 1'b1};
  assign rcol0 = {reg_word_i[ColW-2:0], 1'b0};
  assign rcol1 = {reg_word_i[ColW-2:0], 1'b1};
  assign pcol  = post_col_i[ColW-1:0];
  assign srow  = snap_row_i[RowW-1:0];

  // ---- synapse memory and drivers (written by the register bus only) --------
  logic [31:0] syn_q  [2][RowsPerHemi][NeuronsPerHemi];
  logic [9:0]  dly_q  [2][Drivers];
  logic [1:0]  sgn_q  [2][RowsPerHemi];

  // register words (SYN, DRIVER in chip_regs.def); a synapse word keeps its
  // pair's register bits (WEIGHT0, LABEL0) in its low bits
  // (fields shifted into place and ORed: cheaper per cycle than part-selects)
  assign syn_rdata_o =
    (32'(syn_q[reg_hemi_i][rrow][rcol0][SynLabel0Msb:SynWeight0Lsb]) << SynWeight0Lsb) |
    (32'(syn_q[reg_hemi_i][rrow][rcol1][SynLabel0Msb:SynWeight0Lsb]) << SynWeight1Lsb);
  assign drv_rdata_o = (32'(dly_q[reg_hemi_i][rdrv]) << DriverDelayLsb) |
                       (32'(sgn_q[reg_hemi_i][rrow0]) << DriverSignEvenLsb) |
                       (32'(sgn_q[reg_hemi_i][rrow1]) << DriverSignOddLsb);

  // ---- delay wheel -----------------------------------------------------------
  logic [12:0] whl_q  [2][Slots][SlotEv];  // [12:6] driver, [5:0] address
  logic [2:0]  wcnt_q [2][Slots];
  logic [15:0] occ_q  [2];
  logic [15:0] drops_q;
  logic [3:0]  drop_now_q;
  logic [DelayBits-1:0] now;
  assign now = cyc_i[DelayBits-1:0];

  assign idle_o  = (occ_q[0] == 16'd0) && (occ_q[1] == 16'd0);
  assign drops_o = drops_q;
  assign drop_now_o = drop_now_q;

  // ---- arrival: sum the matching synapses' amplitudes per column ----------
  always_comb begin : p_arrive
    logic [12:0] ent;
    logic [31:0] s;
    int unsigned r;
    ent     = 13'd0;
    s       = 32'd0;
    r       = 0;
    amp_e_o = '{default: 32'd0};
    amp_i_o = '{default: 32'd0};
    for (int unsigned h = 0; h < 2; h++) begin
      if (wcnt_q[h][now] != 3'd0) begin
        for (int unsigned k = 0; k < SlotEv; k++) begin
          if (3'(k) < wcnt_q[h][now]) begin
            ent = whl_q[h][now][k];
            for (int unsigned rr = 0; rr < 2; rr++) begin
              r = 2 * 32'(ent[12:6]) + rr;
              if (sgn_q[h][r] == SignExc) begin
                for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
                  s = syn_q[h][r][c];
                  if (s[SynLabel0Msb:SynLabel0Lsb] == ent[5:0]) begin
                    amp_e_o[NeuronsPerHemi*h + c] = amp_e_o[NeuronsPerHemi*h + c] + 32'(s[31:16]);
                  end
                end
              end else if (sgn_q[h][r] == SignInh) begin
                for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
                  s = syn_q[h][r][c];
                  if (s[SynLabel0Msb:SynLabel0Lsb] == ent[5:0]) begin
                    amp_i_o[NeuronsPerHemi*h + c] = amp_i_o[NeuronsPerHemi*h + c] + 32'(s[31:16]);
                  end
                end
              end
            end
          end
        end
      end
    end
  end

  // ---- correlation sensors -----------------------------------------------------
  // acc: [15:0] causal, [31:16] anti-causal, each Q4 sensor units (max 1023.9375)
  logic [31:0] cacc_q  [2][RowsPerHemi][NeuronsPerHemi];
  logic [31:0] tpre_q  [2][RowsPerHemi][NeuronsPerHemi];  // cycle of the last pre event, 0: none
  logic [31:0] tpost_q [2][NeuronsPerHemi];               // cycle of the last post spike, 0: none
  // CADC codes of the last snapshot row (converted here: 8-bit codes cross the
  // port, which is copied every cycle)
  logic [7:0]  snap_q  [NeuronsPerHemi];

  logic [1:0]         row_ack_q;
  logic [1:0][1023:0] row_rdata_q;

  function automatic logic [15:0] sat_add(input logic [15:0] a, input logic [15:0] b);
    logic [16:0] s;
    s = 17'(a) + 17'(b);
    sat_add = (s > 17'd16383) ? 16'd16383 : s[15:0];
  endfunction

  // One clocked block owns the synapse memory, the drivers, the delay wheel
  // and the sensors (blocking assignments to array elements, see above).
  // Order within a cycle: sensors see this cycle's arrivals, then the wheel
  // delivers and schedules, then register writes take effect.
  always_ff @(posedge clk_i or negedge rst_ni) begin : p_mem
    logic [12:0] ent;
    logic [31:0] acc, tc, sx, hs;
    logic [RowW-1:0] rrw;
    logic [ColW-1:0] rc;
    logic [3:0]   rsrc;
    logic [1023:0] lanes;
    logic [DelayBits-1:0] sl;
    logic [15:0] occ;
    logic [3:0]  dn;
    logic [12:0] ev;
    int unsigned r;
    if (!rst_ni) begin
      for (int unsigned h = 0; h < 2; h++) begin
        for (int unsigned rw = 0; rw < RowsPerHemi; rw++) begin
          for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
            syn_q[h][rw][c]  = 32'd0;
            cacc_q[h][rw][c] = 32'd0;
            tpre_q[h][rw][c] = 32'd0;
          end
          sgn_q[h][rw] = 2'(SignOff);
        end
        for (int unsigned d = 0; d < Drivers; d++) begin
          dly_q[h][d] = 10'd0;
        end
        for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
          tpost_q[h][c] = 32'd0;
        end
        for (int unsigned k = 0; k < Slots; k++) begin
          wcnt_q[h][k] = 3'd0;
          for (int unsigned e = 0; e < SlotEv; e++) begin
            whl_q[h][k][e] = 13'd0;
          end
        end
        occ_q[h] = 16'd0;
      end
      for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
        snap_q[c] = 8'd0;
      end
      drops_q = 16'd0;
      drop_now_q <= 4'd0;
      row_ack_q   <= 2'b00;
      row_rdata_q <= '0;
    end else begin
      // ---- correlation sensors ----
      if (snap_take_i) begin
        for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
          snap_q[c] = sensor_code(die_seed_i, fpn_scale_i, 32'(snap_hemi_i), 32'(srow), c,
                                  snap_acausal_i, cacc_q[snap_hemi_i][srow][c]);
        end
      end
      // a row reset (CORR_RESET ROWS) acts before this cycle's pairings; the
      // columns' last post-synaptic spike times are kept
      if (corr_clr_i && corr_rows_i) begin
        for (int unsigned rw = 0; rw < RowsPerHemi; rw++) begin
          if ((8'(rw) >= corr_row_i) && (8'(rw) <= corr_last_i)) begin
            for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
              cacc_q[corr_hemi_i][rw][c] = 32'd0;
              tpre_q[corr_hemi_i][rw][c] = 32'd0;
            end
          end
        end
      end
      if (corr_clr_i && !corr_rows_i) begin
        for (int unsigned h = 0; h < 2; h++) begin
          for (int unsigned rw = 0; rw < RowsPerHemi; rw++) begin
            for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
              cacc_q[h][rw][c] = 32'd0;
              tpre_q[h][rw][c] = 32'd0;
            end
          end
          for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
            tpost_q[h][c] = 32'd0;
          end
        end
      end else if (corr_en_i) begin
        // pre-synaptic arrivals: anti-causal pairing with the column's last post spike
        for (int unsigned h = 0; h < 2; h++) begin
          if (wcnt_q[h][now] != 3'd0) begin
            for (int unsigned k = 0; k < SlotEv; k++) begin
              if (3'(k) < wcnt_q[h][now]) begin
                ent = whl_q[h][now][k];
                for (int unsigned rr = 0; rr < 2; rr++) begin
                  r = 2 * 32'(ent[12:6]) + rr;
                  if (sgn_q[h][r] != SignOff) begin
                    for (int unsigned c = 0; c < NeuronsPerHemi; c++) begin
                      if (syn_q[h][r][c][SynLabel0Msb:SynLabel0Lsb] == ent[5:0]) begin
                        tc = tpost_q[h][c];
                        if (tc != 32'd0) begin
                          acc = cacc_q[h][r][c];
                          hs = hash32(die_seed_i, {KeyCorrA, 24'(h * 65536 + r * 256 + c)});
                          acc[31:16] = sat_add(acc[31:16], corr_gain(hs, fpn_scale_i,
                                               corr_kernel(cyc_i - tc, tau_a_i, amp_a_i)));
                          cacc_q[h][r][c] = acc;
                        end
                        tpre_q[h][r][c] = (cyc_i == 32'd0) ? 32'd1 : cyc_i;
                      end
                    end
                  end
                end
              end
            end
          end
        end
        // post-synaptic spike: causal pairing with every row's last pre event
        for (int unsigned h = 0; h < 2; h++) begin
          if (post_valid_i[h]) begin
            for (int unsigned rw = 0; rw < RowsPerHemi; rw++) begin
              tc = tpre_q[h][rw][pcol];
              if (tc != 32'd0) begin
                acc = cacc_q[h][rw][pcol];
                hs = hash32(die_seed_i, {KeyCorrC, 24'(h * 65536 + rw * 256 + 32'(pcol))});
                acc[15:0] = sat_add(acc[15:0], corr_gain(hs, fpn_scale_i,
                                    corr_kernel(post_cyc_i - tc, tau_c_i, amp_c_i)));
                cacc_q[h][rw][pcol] = acc;
              end
            end
            tpost_q[h][pcol] = (post_cyc_i == 32'd0) ? 32'd1 : post_cyc_i;
          end
        end
      end
      // ---- delay wheel: deliver this cycle's slot, schedule the bus events ----
      dn = 4'd0;
      for (int unsigned h = 0; h < 2; h++) begin
        occ = occ_q[h];
        if (wcnt_q[h][now] != 3'd0) begin
          occ = occ - 16'(wcnt_q[h][now]);
          wcnt_q[h][now] = 3'd0;
        end
        if (ev_valid_i[NumBus*h +: NumBus] != '0) begin
          for (int unsigned b = 0; b < NumBus; b++) begin
            if (ev_valid_i[NumBus*h + b]) begin
              ev = ev_ent_i[13*b +: 13];
              sl = now + DelayBits'(1) + dly_q[h][ev[DrvW+5:6]];
              if (wcnt_q[h][sl] != 3'(SlotEv)) begin
                whl_q[h][sl][wcnt_q[h][sl][1:0]] = ev;
                wcnt_q[h][sl] = wcnt_q[h][sl] + 3'd1;
                occ = occ + 16'd1;
              end else begin
                dn = dn + 4'd1;
                if (drops_q != 16'hFFFF) begin
                  drops_q = drops_q + 16'd1;
                end
              end
            end
          end
        end
        occ_q[h] = occ;
      end
      drop_now_q <= dn;
      // ---- the row unit (before the register writes: the host's write wins) ----
      if (row_req_i != 2'b00 || row_ack_q != 2'b00) begin
        row_ack_q <= row_req_i;
        for (int unsigned h = 0; h < 2; h++) begin
          if (row_req_i[h]) begin
            rrw  = row_sel_i[h][RowW-1:0];
            rsrc = row_sel_i[h][15:12];
            for (int unsigned i = 0; i < 32; i++) begin
              rc = ColW'(32 * 32'(row_sel_i[h][10:8]) + i);
              sx = syn_q[h][rrw][rc];
              tc = row_wdata_i[h][32*i +: 32];
              if (!row_we_i[h]) begin
                lanes[32*i +: 32] = (rsrc >= 4'd2) ? cacc_q[h][rrw][rc] : sx;
              end else if (rsrc[0]) begin  // labels
                syn_q[h][rrw][rc] = {sx[31:12], tc[11:6], sx[5:0]};
              end else begin  // weights with their amplitudes
                syn_q[h][rrw][rc] = {tc[31:16], 4'd0, sx[11:6], tc[5:0]};
              end
            end
            if (!row_we_i[h]) row_rdata_q[h] <= lanes;
          end
        end
      end
      // ---- register writes ----
      if (syn_we_i) begin
        syn_q[reg_hemi_i][rrow][rcol0] =
          {16'(reg_wdata_i[SynWeight0Msb:SynWeight0Lsb]) *
             syn_step(die_seed_i, fpn_scale_i, 32'(reg_hemi_i), 32'(rrow), 32'(rcol0)),
           4'd0, reg_wdata_i[SynLabel0Msb:SynWeight0Lsb]};
        syn_q[reg_hemi_i][rrow][rcol1] =
          {16'(reg_wdata_i[SynWeight1Msb:SynWeight1Lsb]) *
             syn_step(die_seed_i, fpn_scale_i, 32'(reg_hemi_i), 32'(rrow), 32'(rcol1)),
           4'd0, reg_wdata_i[SynLabel1Msb:SynWeight1Lsb]};
      end
      if (drv_we_i) begin
        dly_q[reg_hemi_i][rdrv]  = reg_wdata_i[DriverDelayMsb:DriverDelayLsb];
        sgn_q[reg_hemi_i][rrow0] = reg_wdata_i[DriverSignEvenMsb:DriverSignEvenLsb];
        sgn_q[reg_hemi_i][rrow1] = reg_wdata_i[DriverSignOddMsb:DriverSignOddLsb];
      end
    end
  end

  assign snap_code_o = snap_q;
  assign row_ack_o   = row_ack_q;
  assign row_rdata_o = row_rdata_q;

endmodule
