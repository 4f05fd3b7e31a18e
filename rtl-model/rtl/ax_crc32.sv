// ax_crc32: CRC-32 (IEEE 802.3, as zlib) advanced by one 32-bit word, bytes
// in stream (little-endian) order. Combinational; the caller keeps the
// register, starts it at 32'hFFFFFFFF and sends ~crc. When en_i is low the
// CRC passes through unchanged, so idle cycles cost nothing.
module ax_crc32 (
  input  logic        en_i,
  input  logic [31:0] crc_i,
  input  logic [31:0] data_i,
  output logic [31:0] crc_o
);
  always_comb begin
    crc_o = crc_i;
    if (en_i) begin
      crc_o = ax_link_pkg::crc32_word(crc_i, data_i);
    end
  end
endmodule
