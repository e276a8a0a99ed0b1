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
//
// With weight double buffering (DOUBLE_BUFFER, the package's WEIGHT_DOUBLE_BUFFER) the weights shift
// into the PEs' shadow registers, and a fold's first pixel (a_first) swaps them in, PE by PE, as it
// passes (dyadic_pe.sv). The next fold's weights therefore load while the current fold streams:
// its load may start in the cycle the current fold's first pixel enters, and its own first pixel
// may follow ROWS cycles later, or as soon as the current fold's last pixel has entered, whichever
// is later, so folds start max(T, ROWS) cycles apart (sim/fold_cycles.h). Two things make that safe:
//  * column c's weights and shift wait c cycles, as its pixels do, so the load of a column never
//    runs ahead of the swap sweeping it;
//  * word i of a load (i = 0..ROWS-1, the word of row ROWS-1-i) only shifts rows 0..i, so row r's
//    shadow word changes first in the load's r-th cycle, when the current fold's first pixel
//    (which entered with the load's first word) swaps row r, and not before.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_systolic_array
  import dyadic_accel_config_pkg::*;
#(
  parameter int unsigned ROWS = ARRAY_ROWS,
  parameter int unsigned COLS = ARRAY_COLS,
  parameter int unsigned DOUBLE_BUFFER = WEIGHT_DOUBLE_BUFFER,
  localparam int unsigned WORD_BITS = PE_BRICKS * PE_BRICK_BITS,
  localparam int unsigned INDEX_BITS = ROWS > 1 ? $clog2(ROWS) : 1
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
  input  logic                                a_first,   // the pixel starts a fold (DOUBLE_BUFFER)
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
  logic                 a_first_net[ROWS][COLS+1];
  logic                 w_shift_net[ROWS][COLS];
  logic [ACC_BITS-1:0]  psum_net   [ROWS+1][COLS];
  logic                 psum_valid [ROWS][COLS];

  // Input skew: row r's activations wait r cycles.
  for (genvar r = 0; r < ROWS; r++) begin : g_skew
    dyadic_delay #(.WIDTH(WORD_BITS + 2), .DEPTH(r)) u_skew (
      .clk, .rst,
      .d({a_valid, a_first, a_in[r]}),
      .q({a_valid_net[r][0], a_first_net[r][0], a_net[r][0]})
    );
  end

  if (DOUBLE_BUFFER != 0) begin : g_weight_skew
    // Which word of the load shifts in this cycle (0 .. ROWS-1, then the next load), and each
    // column's shift and word index after its skew.
    logic [INDEX_BITS-1:0] load_index;
    logic                  column_shift[COLS];
    logic [INDEX_BITS-1:0] column_index[COLS];
    always_ff @(posedge clk) begin
      if (rst) load_index <= '0;
      else if (w_shift) load_index <= load_index == INDEX_BITS'(ROWS - 1) ? '0 : load_index + 1'b1;
    end
    // Column c's weights, shift and word index wait c cycles; row r shifts from the load's word r on.
    for (genvar c = 0; c < COLS; c++) begin : g_column
      dyadic_delay #(.WIDTH(WORD_BITS + 1 + INDEX_BITS), .DEPTH(c)) u_weight_skew (
        .clk, .rst,
        .d({w_shift, load_index, w_in[c]}),
        .q({column_shift[c], column_index[c], w_net[0][c]})
      );
      assign w_shift_net[0][c] = column_shift[c];
      for (genvar r = 1; r < ROWS; r++) begin : g_row
        assign w_shift_net[r][c] = column_shift[c] & (column_index[c] >= INDEX_BITS'(r));
      end
    end
    // A one-row array shifts its only row with every word: the index then selects nothing.
    logic unused_index;
    always_comb begin
      unused_index = 1'b0;
      for (int c = 0; c < int'(COLS); c++) unused_index = unused_index ^ (^column_index[c]);
    end
  end else begin : g_weight_direct
    // Every row of every column shifts together: the array holds no fold while weights load.
    for (genvar c = 0; c < COLS; c++) begin : g_column
      assign w_net[0][c] = w_in[c];
      for (genvar r = 0; r < ROWS; r++) begin : g_row
        assign w_shift_net[r][c] = w_shift;
      end
    end
  end

  // Column c's incoming partial sums wait c cycles, to meet its first PE with the pixel.
  for (genvar c = 0; c < COLS; c++) begin : g_top
    dyadic_delay #(.WIDTH(ACC_BITS), .DEPTH(c)) u_psum_skew (
      .clk, .rst, .d(psum_in[c]), .q(psum_net[0][c])
    );
  end

  for (genvar r = 0; r < ROWS; r++) begin : g_row
    for (genvar c = 0; c < COLS; c++) begin : g_col
      dyadic_pe #(.DOUBLE_BUFFER(DOUBLE_BUFFER)) u_pe (
        .clk, .rst, .w_wide, .a_wide, .a_signed, .w_shift(w_shift_net[r][c]),
        .w_in(w_net[r][c]), .w_out(w_net[r+1][c]),
        .a_valid_in(a_valid_net[r][c]), .a_first_in(a_first_net[r][c]), .a_in(a_net[r][c]),
        .a_valid_out(a_valid_net[r][c+1]), .a_first_out(a_first_net[r][c+1]), .a_out(a_net[r][c+1]),
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
    for (int r = 0; r < int'(ROWS); r++) begin
      unused = unused ^ (^a_net[r][COLS]) ^ a_valid_net[r][COLS] ^ a_first_net[r][COLS];
    end
    for (int r = 0; r + 1 < int'(ROWS); r++) begin
      for (int c = 0; c < int'(COLS); c++) unused = unused ^ psum_valid[r][c];
    end
  end
endmodule
