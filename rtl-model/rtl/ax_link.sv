// ax_link: the board's link part (the FPGA logic): the host FIFO port, the
// receive framer and validator, the playback buffer and executor, the
// recorder, and the transmitter with its replay buffer. docs/protocol.md is
// its specification. Talks to the chip only through the bundles chip_req_o /
// chip_rsp_i (ax_chip_if_pkg).
module ax_link
  import ax_link_pkg::*;
  import ax_chip_if_pkg::*;
#(
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
  input  logic [7:0]           fpn_scale_i,
  input  logic [7:0]           temporal_scale_i,
  // bridge FIFO
  input  logic                 host_rx_valid_i,
  input  logic [HostWidth-1:0] host_rx_data_i,
  input  logic [HostWidth/8-1:0] host_rx_be_i,  // byte enables: the valid bytes, from byte 0 up
  output logic                 host_rx_ready_o,
  output logic                 host_tx_valid_o,
  output logic [HostWidth-1:0] host_tx_data_o,
  input  logic                 host_tx_ready_i,
  // chip
  output logic                 chip_rst_no,
  output chip_req_t            chip_req_o,
  input  chip_rsp_t            chip_rsp_i,
  // systime, for the harness and debugging
  output logic [63:0]          systime_o
);
  localparam int unsigned NumBlocks = (2 * NeuronsPerHemi + 31) / 32;

  // FIFO port <-> receiver / transmitter
  logic [63:0] rx_bytes;
  logic [3:0]  rx_count;
  logic [2:0]  rx_take;
  logic        tx_valid, tx_ready;
  logic [31:0] tx_word;

  // receiver <-> playback buffer
  logic        pb_we, pb_commit, pb_empty;
  logic [12:0] pb_waddr, pb_wr_ptr;
  logic [31:0] pb_wdata, pb_w0, pb_w1;
  logic [15:0] pb_w2;
  logic [8:0]  pb_commit_len;
  logic [13:0] pb_free;
  logic [1:0]  pb_advance;

  // receiver -> transmitter
  logic         ctl_valid, ctl_ready, hack_valid, clear;
  ctl_kind_e    ctl_kind;
  nack_reason_e ctl_reason;
  logic [15:0]  ctl_seq, hack, expect_seq;
  logic [31:0]  link_errors;

  // receiver -> recorder
  logic        erec_valid, erec_take;
  err_code_e   erec_code;
  logic [15:0] erec_seq;
  logic [8:0]  erec_off;
  logic [31:0] erec_word;

  // executor -> recorder
  logic        rec_spikes, rec_first, rec_madc, trial;
  logic        xrec_valid, xrec_take;
  ext_sub_e    xrec_sub;
  logic [23:0] xrec_arg;
  logic [31:0] xrec_w1, xrec_w2, xrec_w3, rbuf_rdata;
  logic [8:0]  xrec_n;
  logic [7:0]  rbuf_raddr;
  logic        exec_busy, rec_busy, pending;

  // recorder -> transmitter
  logic [11:0] rf_count;
  logic [31:0] rf_word;
  logic [8:0]  rf_len;
  logic        rf_flush, rf_pop;
  logic [7:0]  rf_flush_cnt;

  ax_fifo_port #(
    .HostWidth (HostWidth)
  ) u_port (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .host_rx_valid_i (host_rx_valid_i),
    .host_rx_data_i  (host_rx_data_i),
    .host_rx_be_i    (host_rx_be_i),
    .host_rx_ready_o (host_rx_ready_o),
    .host_tx_valid_o (host_tx_valid_o),
    .host_tx_data_o  (host_tx_data_o),
    .host_tx_ready_i (host_tx_ready_i),
    .rx_bytes_o      (rx_bytes),
    .rx_count_o      (rx_count),
    .rx_take_i       (rx_take),
    .tx_valid_i      (tx_valid),
    .tx_word_i       (tx_word),
    .tx_ready_o      (tx_ready)
  );

  ax_link_rx #(
    .NumBlocks (NumBlocks)
  ) u_rx (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .rx_bytes_i      (rx_bytes),
    .rx_count_i      (rx_count),
    .rx_take_o       (rx_take),
    .pb_free_i       (pb_free),
    .pb_wr_ptr_i     (pb_wr_ptr),
    .pb_we_o         (pb_we),
    .pb_waddr_o      (pb_waddr),
    .pb_wdata_o      (pb_wdata),
    .pb_commit_o     (pb_commit),
    .pb_commit_len_o (pb_commit_len),
    .ctl_valid_o     (ctl_valid),
    .ctl_kind_o      (ctl_kind),
    .ctl_reason_o    (ctl_reason),
    .ctl_seq_o       (ctl_seq),
    .ctl_ready_i     (ctl_ready),
    .hack_valid_o    (hack_valid),
    .hack_o          (hack),
    .clear_o         (clear),
    .expect_o        (expect_seq),
    .erec_valid_o    (erec_valid),
    .erec_code_o     (erec_code),
    .erec_seq_o      (erec_seq),
    .erec_off_o      (erec_off),
    .erec_word_o     (erec_word),
    .erec_take_i     (erec_take),
    .link_errors_o   (link_errors)
  );

  ax_link_pbuf u_pbuf (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (clear),
    .we_i         (pb_we),
    .waddr_i      (pb_waddr),
    .wdata_i      (pb_wdata),
    .commit_i     (pb_commit),
    .commit_len_i (pb_commit_len),
    .wr_ptr_o     (pb_wr_ptr),
    .free_o       (pb_free),
    .empty_o      (pb_empty),
    .w0_o         (pb_w0),
    .w1_o         (pb_w1),
    .w2_o         (pb_w2),
    .advance_i    (pb_advance)
  );

  ax_link_exec #(
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi)
  ) u_exec (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .clear_i          (clear),
    .chip_id_i        (chip_id_i),
    .die_seed_i       (die_seed_i),
    .run_seed_i       (run_seed_i),
    .fpn_scale_i      (fpn_scale_i),
    .temporal_scale_i (temporal_scale_i),
    .link_errors_i    (link_errors),
    .pb_empty_i       (pb_empty),
    .pb_w0_i          (pb_w0),
    .pb_w1_i          (pb_w1),
    .pb_w2_i          (pb_w2),
    .pb_advance_o     (pb_advance),
    .systime_o        (systime_o),
    .chip_rst_no      (chip_rst_no),
    .chip_req_o       (chip_req_o),
    .chip_rsp_i       (chip_rsp_i),
    .rec_spikes_o     (rec_spikes),
    .rec_first_o      (rec_first),
    .rec_madc_o       (rec_madc),
    .trial_o          (trial),
    .xrec_valid_o     (xrec_valid),
    .xrec_sub_o       (xrec_sub),
    .xrec_arg_o       (xrec_arg),
    .xrec_w1_o        (xrec_w1),
    .xrec_w2_o        (xrec_w2),
    .xrec_w3_o        (xrec_w3),
    .xrec_n_o         (xrec_n),
    .xrec_take_i      (xrec_take),
    .rbuf_raddr_i     (rbuf_raddr),
    .rbuf_rdata_o     (rbuf_rdata),
    .busy_o           (exec_busy)
  );

  ax_link_rec u_rec (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (clear),
    .time_i         (chip_req_o.now),
    .rec_spikes_i   (rec_spikes),
    .rec_first_i    (rec_first),
    .rec_madc_i     (rec_madc),
    .trial_i        (trial),
    .chip_rsp_i     (chip_rsp_i),
    .xrec_valid_i   (xrec_valid),
    .xrec_sub_i     (xrec_sub),
    .xrec_arg_i     (xrec_arg),
    .xrec_w1_i      (xrec_w1),
    .xrec_w2_i      (xrec_w2),
    .xrec_w3_i      (xrec_w3),
    .xrec_n_i       (xrec_n),
    .xrec_take_o    (xrec_take),
    .rbuf_raddr_o   (rbuf_raddr),
    .rbuf_rdata_i   (rbuf_rdata),
    .erec_valid_i   (erec_valid),
    .erec_code_i    (erec_code),
    .erec_seq_i     (erec_seq),
    .erec_off_i     (erec_off),
    .erec_word_i    (erec_word),
    .erec_take_o    (erec_take),
    .rf_count_o     (rf_count),
    .rf_word_o      (rf_word),
    .rf_len_o       (rf_len),
    .rf_flush_o     (rf_flush),
    .rf_flush_cnt_o (rf_flush_cnt),
    .rf_pop_i       (rf_pop),
    .busy_o         (rec_busy)
  );

  assign pending = !pb_empty || exec_busy || rec_busy || erec_valid;

  ax_link_tx #(
    .HostWidth      (HostWidth),
    .NeuronsPerHemi (NeuronsPerHemi),
    .RowsPerHemi    (RowsPerHemi)
  ) u_tx (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (clear),
    .ctl_valid_i    (ctl_valid),
    .ctl_kind_i     (ctl_kind),
    .ctl_reason_i   (ctl_reason),
    .ctl_seq_i      (ctl_seq),
    .ctl_ready_o    (ctl_ready),
    .hack_valid_i   (hack_valid),
    .hack_i         (hack),
    .expect_i       (expect_seq),
    .pb_free_i      (pb_free),
    .pending_i      (pending),
    .chip_id_i      (chip_id_i),
    .die_seed_i     (die_seed_i),
    .rf_count_i     (rf_count),
    .rf_word_i      (rf_word),
    .rf_len_i       (rf_len),
    .rf_flush_i     (rf_flush),
    .rf_flush_cnt_i (rf_flush_cnt),
    .rf_pop_o       (rf_pop),
    .tx_valid_o     (tx_valid),
    .tx_word_o      (tx_word),
    .tx_ready_i     (tx_ready)
  );
endmodule
