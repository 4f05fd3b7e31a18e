// ax_fifo_port: the board's side of the USB bridge's synchronous FIFO.
// HostWidth is the bridge's data width (32 for an FT601-class USB3 bridge,
// 8 for an FT232H-class USB2 bridge in 245 sync FIFO mode). A transfer
// happens in a cycle where valid and ready are both high.
//
// Receive: bytes are collected in an 8-byte aligner so the framer can look at
// any byte offset (sync hunting) and take 1..4 bytes a cycle (rx_take_i). A
// transfer carries HostWidth/8 bytes, or fewer at the end of a USB transfer
// (byte enables, contiguous from byte 0, as on the FT601).
// Transmit: 32-bit words from the link are sent as HostWidth-bit chunks,
// least significant first (the byte stream is little-endian).
module ax_fifo_port #(
  parameter int unsigned HostWidth = 32
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // bridge side
  input  logic                 host_rx_valid_i,
  input  logic [HostWidth-1:0] host_rx_data_i,
  input  logic [HostWidth/8-1:0] host_rx_be_i,  // byte enables: the valid bytes, from byte 0 up
  output logic                 host_rx_ready_o,
  output logic                 host_tx_valid_o,
  output logic [HostWidth-1:0] host_tx_data_o,
  input  logic                 host_tx_ready_i,
  // link side: received bytes, byte i at rx_bytes_o[8i +: 8]
  output logic [63:0]          rx_bytes_o,
  output logic [3:0]           rx_count_o,   // bytes valid (0..8)
  input  logic [2:0]           rx_take_i,    // bytes consumed this cycle (<= rx_count_o, <= 4)
  // link side: words to send
  input  logic                 tx_valid_i,
  input  logic [31:0]          tx_word_i,
  output logic                 tx_ready_o
);
  localparam int unsigned HostBytes = HostWidth / 8;
  localparam int unsigned Chunks    = 32 / HostWidth;

  // ---- receive aligner ---------------------------------------------------------
  logic [63:0] rx_buf_d, rx_buf_q;
  logic [3:0]  rx_cnt_d, rx_cnt_q;
  logic [3:0]  rx_cnt_left;
  logic        rx_accept;
  logic [3:0]  rx_nbytes;  // bytes in this transfer
  logic [HostWidth-1:0] be_mask, rx_data;

  for (genvar i = 0; i < HostBytes; i++) begin : gen_be_mask
    assign be_mask[8*i +: 8] = {8{host_rx_be_i[i]}};
  end
  assign rx_data = host_rx_data_i & be_mask;

  always_comb begin
    rx_nbytes = 4'd0;
    for (int i = 0; i < HostBytes; i++) begin
      if (host_rx_be_i[i]) rx_nbytes = 4'(i + 1);
    end
  end

  assign host_rx_ready_o = (rx_cnt_q <= 4'(8 - HostBytes));
  assign rx_accept       = host_rx_valid_i && host_rx_ready_o;
  assign rx_bytes_o      = rx_buf_q;
  assign rx_count_o      = rx_cnt_q;
  assign rx_cnt_left     = rx_cnt_q - {1'b0, rx_take_i};

  always_comb begin
    rx_buf_d = rx_buf_q;
    rx_cnt_d = rx_cnt_q;
    if (rx_take_i != 3'd0 || rx_accept) begin
      rx_buf_d = rx_buf_q >> {rx_take_i, 3'b000};
      rx_cnt_d = rx_cnt_left;
      if (rx_accept) begin
        rx_buf_d = rx_buf_d | (64'(rx_data) << {rx_cnt_left, 3'b000});
        rx_cnt_d = rx_cnt_left + rx_nbytes;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_buf_q <= '0;
      rx_cnt_q <= '0;
    end else begin
      rx_buf_q <= rx_buf_d;
      rx_cnt_q <= rx_cnt_d;
    end
  end

  // ---- transmit serializer -------------------------------------------------------
  if (Chunks == 1) begin : gen_tx_direct
    assign host_tx_valid_o = tx_valid_i;
    assign host_tx_data_o  = tx_word_i;
    assign tx_ready_o      = host_tx_ready_i;
  end else begin : gen_tx_serial
    logic [31:0] tx_sh_d, tx_sh_q;
    logic [2:0]  tx_left_d, tx_left_q;  // chunks still to send

    assign host_tx_valid_o = (tx_left_q != 3'd0);
    assign host_tx_data_o  = tx_sh_q[HostWidth-1:0];
    assign tx_ready_o      = (tx_left_q == 3'd0) || (tx_left_q == 3'd1 && host_tx_ready_i);

    always_comb begin
      tx_sh_d   = tx_sh_q;
      tx_left_d = tx_left_q;
      if (host_tx_valid_o && host_tx_ready_i) begin
        tx_sh_d   = tx_sh_q >> HostWidth;
        tx_left_d = tx_left_q - 3'd1;
      end
      if (tx_valid_i && tx_ready_o) begin
        tx_sh_d   = tx_word_i;
        tx_left_d = 3'(Chunks);
      end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        tx_sh_q   <= '0;
        tx_left_q <= '0;
      end else begin
        tx_sh_q   <= tx_sh_d;
        tx_left_q <= tx_left_d;
      end
    end
  end

  // The bridge never offers more than the aligner can hold.
`ifdef AX_ASSERT
  assert property (@(posedge clk_i) disable iff (!rst_ni) {1'b0, rx_take_i} <= rx_cnt_q);
  assert property (@(posedge clk_i) disable iff (!rst_ni) rx_cnt_q <= 4'd8);
`endif
endmodule
