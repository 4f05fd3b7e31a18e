// ax_board: the simulated board's top: the link part (the FPGA's logic) and
// the chip. Its host port is the USB bridge's synchronous FIFO: HostWidth 32
// for the USB3 (FT601-class) board, 8 for the USB2 (FT232H-class) board.
// Straps are constant while out of reset. One clock: the 125 MHz chip clock.
module ax_board
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
  logic      chip_rst_n, link_chip_rst_n;
  chip_req_t chip_req;  // link to chip
  chip_rsp_t chip_rsp;  // chip to link

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
    .chip_req_o       (chip_req),
    .chip_rsp_i       (chip_rsp),
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
    .chip_req_i       (chip_req),
    .chip_rsp_o       (chip_rsp)
  );
endmodule
