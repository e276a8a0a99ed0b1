// The post-processing unit: PPU_LANES lanes (dyadic_ppu_lane.sv) side by side, each with its own
// element and per-channel parameters, all sharing the layer's settings. A tile of E elements goes in
// as ceil(E / LANES) beats, one per cycle, and is done ceil(E / LANES) + PPU_PIPELINE_CYCLES cycles
// after its first beat (docs/accelerator.md, "Cycle model").
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_ppu
  import dyadic_accel_config_pkg::*;
#(
  parameter int unsigned LANES = PPU_LANES
) (
  input  logic                          clk,
  input  logic                          rst,
  input  logic                          residual,
  input  logic [31:0]                   id_mantissa,
  input  logic [5:0]                    id_shift,
  input  logic [5:0]                    out_bits,
  input  logic                          out_signed,
  input  logic                          relu,
  input  logic [LANES-1:0]              in_valid,
  input  logic [LANES-1:0][ACC_BITS-1:0] acc,
  input  logic [LANES-1:0][31:0]        bias,
  input  logic [LANES-1:0][31:0]        mantissa,
  input  logic [LANES-1:0][7:0]         shift,     // one byte per lane, as the parameter record stores it
  input  logic [LANES-1:0][16:0]        identity,
  output logic [LANES-1:0]              out_valid,
  output logic [LANES-1:0][31:0]        result
);
  for (genvar l = 0; l < LANES; l++) begin : g_lane
    dyadic_ppu_lane u_lane (
      .clk, .rst, .residual, .id_mantissa, .id_shift, .out_bits, .out_signed, .relu,
      .in_valid(in_valid[l]), .acc(acc[l]), .bias(bias[l]), .mantissa(mantissa[l]),
      .shift(shift[l][5:0]), .identity(identity[l]),
      .out_valid(out_valid[l]), .result(result[l])
    );
    // Shifts are at most 62: the record's top two bits are always zero.
    logic [1:0] unused_shift_bits;
    assign unused_shift_bits = shift[l][7:6];
  end
endmodule
