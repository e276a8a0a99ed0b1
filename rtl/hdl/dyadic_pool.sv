// The post-processing unit's pooling datapath: PPU_LANES pooling lanes (dyadic_pool_lane.sv) side
// by side, each reducing its own window, all sharing the layer's settings. A group of up to LANES
// windows streams in together, one element of each per cycle; a lane whose window is smaller idles
// once its window is done, so a group takes as many beats as its largest window, and its results
// leave 1 + PPU_PIPELINE_CYCLES cycles after each window's last element.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_pool
  import dyadic_accel_config_pkg::*;
#(
  parameter int unsigned LANES = PPU_LANES
) (
  input  logic                   clk,
  input  logic                   rst,
  input  logic                   max_mode,
  input  logic [5:0]             out_bits,
  input  logic                   out_signed,
  input  logic [LANES-1:0]       in_valid,
  input  logic [LANES-1:0]       first,
  input  logic [LANES-1:0]       last,
  input  logic [LANES-1:0][31:0] value,
  input  logic [LANES-1:0][31:0] mantissa,
  input  logic [LANES-1:0][7:0]  shift,     // one byte per lane, as the parameter record stores it
  output logic [LANES-1:0]       out_valid,
  output logic [LANES-1:0][31:0] result,
  output logic [LANES-1:0]       overflow
);
  for (genvar l = 0; l < LANES; l++) begin : g_lane
    dyadic_pool_lane u_lane (
      .clk, .rst, .max_mode, .out_bits, .out_signed,
      .in_valid(in_valid[l]), .first(first[l]), .last(last[l]), .value(value[l]),
      .mantissa(mantissa[l]), .shift(shift[l][5:0]),
      .out_valid(out_valid[l]), .result(result[l]), .overflow(overflow[l])
    );
    // Shifts are at most 62: the record's top two bits are always zero.
    logic [1:0] unused_shift_bits;
    assign unused_shift_bits = shift[l][7:6];
  end
endmodule
