// ax_chip_pkg: what the link's receive-time validation asks of the chip.
// chip_addr_ok: does a chip register exist at addr and allow this access?
// chip_value_ok: is data a legal value for the (writable) register at addr?
// Both are pure functions of their arguments so the link can check a whole
// CMD frame before any of it runs (docs/protocol.md section 3.2).
package ax_chip_pkg;
  function automatic logic chip_addr_ok(input logic [23:0] addr, input logic we);
    chip_addr_ok = (addr >= 24'h010000) && (addr < 24'h800000) && (we || !we);  // placeholder
  endfunction

  function automatic logic chip_value_ok(input logic [23:0] addr, input logic [31:0] data);
    chip_value_ok = (addr != 24'h0) || (data == data);  // placeholder
  endfunction
endpackage
