// One 4x4-bit multiplier brick of a Bit Fusion PE (docs/accelerator.md, "Precision scaling").
// An operand slice is 4 bits; the low slices of a wider operand are unsigned and only the top slice
// of a signed operand carries the sign. Extending each slice by one bit (its sign, or 0) makes every
// case a 5x5-bit signed product, so one multiplier serves all of them.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_brick
  import dyadic_accel_config_pkg::*;
(
  input  logic [PE_BRICK_BITS-1:0]          w,         // weight slice
  input  logic                              w_signed,  // the slice is the top slice of a signed weight
  input  logic [PE_BRICK_BITS-1:0]          a,         // activation slice
  input  logic                              a_signed,  // the slice is the top slice of a signed activation
  output logic signed [2*PE_BRICK_BITS+1:0] product
);
  logic signed [PE_BRICK_BITS:0] w_ext, a_ext;
  assign w_ext = {w_signed & w[PE_BRICK_BITS-1], w};
  assign a_ext = {a_signed & a[PE_BRICK_BITS-1], a};
  assign product = w_ext * a_ext;
endmodule
