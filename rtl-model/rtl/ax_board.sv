// ax_board: the simulated board's top: the link part (the FPGA's logic) and
// the chip. Its host port is the USB bridge's synchronous FIFO: HostWidth 32
// for the USB3 (FT601-class) board, 8 for the USB2 (FT232H-class) board.
// Straps are constant while out of reset. One clock: the 125 MHz chip clock.
module ax_board #(
  parameter int unsigned HostWidth      = 32,
  parameter int unsigned NeuronsPerHemi = 256,
  parameter int unsigned RowsPerHemi    = 256
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // straps
  input  logic [31:0]          chip_id_i,
  input  logic [63:0]          die_seed_i,
  input  logic [63:0]          run_seed_i,
  input  logic [7:0]           fpn_scale_i,       // 128 = nominal, 0 = off
  input  logic [7:0]           temporal_scale_i,  // 128 = nominal, 0 = off
  // bridge FIFO: host to board
  input  logic                 host_rx_valid_i,
  input  logic [HostWidth-1:0] host_rx_data_i,
  input  logic [HostWidth/8-1:0] host_rx_be_i,  // byte enables: the valid bytes, from byte 0 up
  output logic                 host_rx_ready_o,
  // bridge FIFO: board to host
  output logic                 host_tx_valid_o,
  output logic [HostWidth-1:0] host_tx_data_o,
  input  logic                 host_tx_ready_i,
  // systime (cycles since reset), for the harness
  output logic [63:0]          systime_o
);
  logic        chip_rst_n, link_chip_rst_n;
  logic [55:0] time_q;
  logic        reg_req, reg_we, reg_ack, reg_err;
  logic [23:0] reg_addr;
  logic [31:0] reg_wdata, reg_rdata;
  logic        inj_valid, inj_ready;
  logic [15:0] inj_label;
  logic        nrst_valid, nrst_all;
  logic [3:0]  nrst_block;
  logic [31:0] nrst_mask;
  logic        spk_valid, spk_drop;
  logic [15:0] spk_label;
  logic [8:0]  spk_neuron;
  logic [55:0] spk_cycle;
  logic [3:0]  spk_frac;
  logic        madc_valid;
  logic [9:0]  madc_sample;
  logic [55:0] madc_cycle;
  logic        idle;

  assign chip_rst_n = rst_ni & link_chip_rst_n;

  ax_link #(
    .HostWidth      (HostWidth),
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi)
  ) u_link (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .chip_id_i        (chip_id_i),
    .die_seed_i       (die_seed_i),
    .run_seed_i       (run_seed_i),
    .fpn_scale_i      (fpn_scale_i),
    .temporal_scale_i (temporal_scale_i),
    .host_rx_valid_i  (host_rx_valid_i),
    .host_rx_data_i   (host_rx_data_i),
    .host_rx_be_i     (host_rx_be_i),
    .host_rx_ready_o  (host_rx_ready_o),
    .host_tx_valid_o  (host_tx_valid_o),
    .host_tx_data_o   (host_tx_data_o),
    .host_tx_ready_i  (host_tx_ready_i),
    .chip_rst_no      (link_chip_rst_n),
    .time_o           (time_q),
    .reg_req_o        (reg_req),
    .reg_we_o         (reg_we),
    .reg_addr_o       (reg_addr),
    .reg_wdata_o      (reg_wdata),
    .reg_ack_i        (reg_ack),
    .reg_err_i        (reg_err),
    .reg_rdata_i      (reg_rdata),
    .inj_valid_o      (inj_valid),
    .inj_label_o      (inj_label),
    .inj_ready_i      (inj_ready),
    .nrst_valid_o     (nrst_valid),
    .nrst_all_o       (nrst_all),
    .nrst_block_o     (nrst_block),
    .nrst_mask_o      (nrst_mask),
    .spk_valid_i      (spk_valid),
    .spk_label_i      (spk_label),
    .spk_neuron_i     (spk_neuron),
    .spk_cycle_i      (spk_cycle),
    .spk_frac_i       (spk_frac),
    .spk_drop_i       (spk_drop),
    .madc_valid_i     (madc_valid),
    .madc_sample_i    (madc_sample),
    .madc_cycle_i     (madc_cycle),
    .idle_i           (idle),
    .systime_o        (systime_o)
  );

  ax_chip #(
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi)
  ) u_chip (
    .clk_i            (clk_i),
    .rst_ni           (chip_rst_n),
    .die_seed_i       (die_seed_i),
    .run_seed_i       (run_seed_i),
    .fpn_scale_i      (fpn_scale_i),
    .temporal_scale_i (temporal_scale_i),
    .time_i           (time_q),
    .reg_req_i        (reg_req),
    .reg_we_i         (reg_we),
    .reg_addr_i       (reg_addr),
    .reg_wdata_i      (reg_wdata),
    .reg_ack_o        (reg_ack),
    .reg_err_o        (reg_err),
    .reg_rdata_o      (reg_rdata),
    .inj_valid_i      (inj_valid),
    .inj_label_i      (inj_label),
    .inj_ready_o      (inj_ready),
    .nrst_valid_i     (nrst_valid),
    .nrst_all_i       (nrst_all),
    .nrst_block_i     (nrst_block),
    .nrst_mask_i      (nrst_mask),
    .spk_valid_o      (spk_valid),
    .spk_label_o      (spk_label),
    .spk_neuron_o     (spk_neuron),
    .spk_cycle_o      (spk_cycle),
    .spk_frac_o       (spk_frac),
    .spk_drop_o       (spk_drop),
    .madc_valid_o     (madc_valid),
    .madc_sample_o    (madc_sample),
    .madc_cycle_o     (madc_cycle),
    .idle_o           (idle)
  );
endmodule
