// ax_link_pbuf: the playback buffer, a ring of 8192 instruction words.
// The receiver writes a CMD payload at wr_ptr + i while the frame arrives and
// commits it (moves wr_ptr) only after the CRC and the validation passed, so
// the executor never sees a word of a rejected frame. Committed frames hold
// whole instructions, so a non-empty buffer always has a whole instruction.
module ax_link_pbuf
  import ax_link_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,        // HELLO: drop everything not yet run
  // receiver
  input  logic        we_i,
  input  logic [12:0] waddr_i,
  input  logic [31:0] wdata_i,
  input  logic        commit_i,
  input  logic [8:0]  commit_len_i,
  output logic [12:0] wr_ptr_o,
  output logic [13:0] free_o,
  // executor: the words at rd_ptr, rd_ptr + 1, the low half of rd_ptr + 2
  // (only INJECT_GROUP of 4 has a third word), and how many to drop
  output logic        empty_o,
  output logic [31:0] w0_o,
  output logic [31:0] w1_o,
  output logic [15:0] w2_o,
  input  logic [1:0]  advance_i
);
  localparam int unsigned Depth = PlaybackWords;

  logic [31:0] mem_q [Depth];
  logic [13:0] wr_d, wr_q;  // bit 13 tells a full ring from an empty one
  logic [13:0] rd_d, rd_q;
  logic [13:0] used;

  assign used     = wr_q - rd_q;
  assign free_o   = 14'(Depth) - used;
  assign empty_o  = (used == 14'd0);
  assign wr_ptr_o = wr_q[12:0];
  assign w0_o     = mem_q[rd_q[12:0]];
  assign w1_o     = mem_q[rd_q[12:0] + 13'd1];
  assign w2_o     = mem_q[rd_q[12:0] + 13'd2][15:0];

  always_comb begin
    wr_d = wr_q;
    rd_d = rd_q + 14'(advance_i);
    if (commit_i) wr_d = wr_q + 14'(commit_len_i);
    if (clear_i) rd_d = wr_q;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q <= '0;
      rd_q <= '0;
    end else begin
      wr_q <= wr_d;
      rd_q <= rd_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end

`ifdef AX_ASSERT
  // A commit never overwrites words the executor has not run, and the
  // executor never runs past the committed words.
  assert property (@(posedge clk_i) disable iff (!rst_ni) used <= 14'(Depth));
  assert property (@(posedge clk_i) disable iff (!rst_ni) !commit_i || 14'(commit_len_i) <= free_o);
  assert property (@(posedge clk_i) disable iff (!rst_ni) 14'(advance_i) <= used || clear_i);
`endif
endmodule
