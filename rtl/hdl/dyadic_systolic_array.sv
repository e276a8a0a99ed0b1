// The R x C weight-stationary systolic array (docs/accelerator.md, "Cycle model"). Rows carry the
// reduction, columns the output channels: PE (r, c) holds the weight word of reduction row r for
// output channel c.
//
// One fold runs in two phases, timed exactly as the SystemC model counts them:
//  * weight load, ROWS cycles: w_shift high, w_in[c] = the word of row ROWS-1-i in cycle i, so
//    that after ROWS shifts row r holds its own word;
//  * streaming, T + ROWS + COLS - 2 cycles for T pixels: pixel t's activation words enter in
//    cycle t (a_valid high), with the pixel's partial sums so far on psum_in (0 in its first
//    fold); the skew registers delay row r by r cycles and column c's psum_in by c cycles, so
//    PE (r, c) sees pixel t in cycle t + r + c. The deskew registers delay column c's result by
//    COLS-1-c cycles, so all of pixel t's sums leave together, out_valid high, ROWS + COLS - 2
//    cycles after it entered.
// A fold therefore takes 2 ROWS + COLS - 2 + T cycles from its first weight shift to its last
// result. Partial sums wrap in int32 as hardware accumulators do.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_systolic_array
  import dyadic_accel_config_pkg::*;
#(
  parameter int unsigned ROWS = ARRAY_ROWS,
  parameter int unsigned COLS = ARRAY_COLS,
  localparam int unsigned WORD_BITS = PE_BRICKS * PE_BRICK_BITS
) (
  input  logic                                clk,
  input  logic                                rst,
  // Precision mode, constant during a fold (dyadic_pe.sv).
  input  logic                                w_wide,
  input  logic                                a_wide,
  input  logic                                a_signed,
  input  logic                                w_shift,
  input  logic [COLS-1:0][WORD_BITS-1:0]      w_in,
  input  logic                                a_valid,
  input  logic [ROWS-1:0][WORD_BITS-1:0]      a_in,
  input  logic [COLS-1:0][ACC_BITS-1:0]       psum_in,
  output logic                                out_valid,
  output logic [COLS-1:0][ACC_BITS-1:0]       psum_out
);
  // Nets between PEs: index r (c) is the input of row r (column c); the extra last index is the
  // output of the bottom row (right column), which only the drain uses.
  logic [WORD_BITS-1:0] w_net      [ROWS+1][COLS];
  logic [WORD_BITS-1:0] a_net      [ROWS][COLS+1];
  logic                 a_valid_net[ROWS][COLS+1];
  logic [ACC_BITS-1:0]  psum_net   [ROWS+1][COLS];
  logic                 psum_valid [ROWS][COLS];

  // Input skew: row r's activations wait r cycles.
  for (genvar r = 0; r < ROWS; r++) begin : g_skew
    dyadic_delay #(.WIDTH(WORD_BITS + 1), .DEPTH(r)) u_skew (
      .clk, .rst,
      .d({a_valid, a_in[r]}),
      .q({a_valid_net[r][0], a_net[r][0]})
    );
  end

  // Column c's incoming partial sums wait c cycles, to meet its first PE with the pixel.
  for (genvar c = 0; c < COLS; c++) begin : g_top
    assign w_net[0][c] = w_in[c];
    dyadic_delay #(.WIDTH(ACC_BITS), .DEPTH(c)) u_psum_skew (
      .clk, .rst, .d(psum_in[c]), .q(psum_net[0][c])
    );
  end

  for (genvar r = 0; r < ROWS; r++) begin : g_row
    for (genvar c = 0; c < COLS; c++) begin : g_col
      dyadic_pe u_pe (
        .clk, .rst, .w_wide, .a_wide, .a_signed, .w_shift,
        .w_in(w_net[r][c]), .w_out(w_net[r+1][c]),
        .a_valid_in(a_valid_net[r][c]), .a_in(a_net[r][c]),
        .a_valid_out(a_valid_net[r][c+1]), .a_out(a_net[r][c+1]),
        .psum_in(psum_net[r][c]),
        .psum_valid_out(psum_valid[r][c]), .psum_out(psum_net[r+1][c])
      );
    end
  end

  // Output deskew: column c's sums wait COLS-1-c cycles, so a pixel's sums leave together.
  logic [COLS-1:0] column_valid;
  for (genvar c = 0; c < COLS; c++) begin : g_deskew
    dyadic_delay #(.WIDTH(ACC_BITS + 1), .DEPTH(COLS - 1 - c)) u_deskew (
      .clk, .rst,
      .d({psum_valid[ROWS-1][c], psum_net[ROWS][c]}),
      .q({column_valid[c], psum_out[c]})
    );
  end
  // Every column carries the same pixel after deskew; requiring all of them keeps each valid path live.
  assign out_valid = &column_valid;

  // Signals that only exist at the array's edges: weights shifted out of the bottom row,
  // activations out of the right column, and the valid flags of rows above the bottom.
  logic unused;
  always_comb begin
    unused = 1'b0;
    for (int c = 0; c < int'(COLS); c++) unused = unused ^ (^w_net[ROWS][c]);
    for (int r = 0; r < int'(ROWS); r++) unused = unused ^ (^a_net[r][COLS]) ^ a_valid_net[r][COLS];
    for (int r = 0; r + 1 < int'(ROWS); r++) begin
      for (int c = 0; c < int'(COLS); c++) unused = unused ^ psum_valid[r][c];
    end
  end
endmodule
