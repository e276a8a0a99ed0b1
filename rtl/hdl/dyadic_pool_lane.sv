// One lane of the post-processing unit's pooling datapath, written from docs/semantics.md, section 9:
// the elements of one pooling window stream in, one per cycle, from `first` to `last`; the lane keeps
// the running maximum and the exact window sum, and hands the finished window to a dyadic_ppu_lane:
//
//   max_pool2d       result = max of the window               (no rescale)
//   average pool     result = clamp((sum * b + R) >>> c)       b/2^c: the multiplier for the window's
//                                                              count, presented with its last element
//
// The maximum goes through the same rescale with the multiplier one, (2^30, 30), and an int32 clamp:
// (x * 2^30 + 2^29) >>> 30 = x + floor(1/2) = x for every int32 x, so it leaves unchanged, and the
// lane needs no second output path. The sum is kept in 64 bits (a window of fewer than 2^32 elements
// of at most 32 bits cannot leave them); `overflow` flags a window sum outside int32, for which the
// reference defines no output (docs/semantics.md, section 6), aligned with its result.
// Latency: the window register plus the rescale lane's 1 + PPU_PIPELINE_CYCLES.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_pool_lane
  import dyadic_accel_config_pkg::*;
(
  input  logic                 clk,
  input  logic                 rst,
  // Per-layer settings, constant while a tile runs.
  input  logic                 max_mode,     // 1: max_pool2d; 0: average (window or global)
  input  logic [5:0]           out_bits,     // average: output width, 2..32
  input  logic                 out_signed,
  // One window element per cycle.
  input  logic                 in_valid,
  input  logic                 first,        // the window's first element: restart max and sum
  input  logic                 last,         // the window's last element: the window is done
  input  logic [31:0]          value,        // the element, sign- or zero-extended to 32 bits
  input  logic [31:0]          mantissa,     // average: b for this window's count, with `last`
  input  logic [5:0]           shift,        // average: c for this window's count, with `last`
  output logic                 out_valid,
  output logic [31:0]          result,
  output logic                 overflow      // average: the window sum left int32
);
  localparam logic [31:0] ONE_MANTISSA = 32'h4000_0000;  // 2^30
  localparam logic [5:0]  ONE_SHIFT = 6'd30;

  // The running window: maximum and sum of the elements before the current one.
  logic signed [31:0] run_max;
  logic signed [63:0] run_sum;
  logic signed [31:0] next_max;
  logic signed [63:0] next_sum;
  always_comb begin
    next_max = (first || signed'(value) > run_max) ? signed'(value) : run_max;
    next_sum = (first ? 64'sd0 : run_sum) + 64'(signed'(value));
  end

  // The finished window.
  logic               win_valid;
  logic signed [31:0] win_value;
  logic [31:0]        win_mantissa;
  logic [5:0]         win_shift;
  logic               win_overflow;

  always_ff @(posedge clk) begin
    if (in_valid) begin
      run_max <= next_max;
      run_sum <= next_sum;
    end
    win_value <= max_mode ? next_max : next_sum[31:0];
    win_mantissa <= max_mode ? ONE_MANTISSA : mantissa;
    win_shift <= max_mode ? ONE_SHIFT : shift;
    win_overflow <= !max_mode && (next_sum < -64'sd2147483648 || next_sum > 64'sd2147483647);
    win_valid <= !rst && in_valid && last;
  end

  dyadic_ppu_lane u_rescale (
    .clk, .rst,
    .residual(1'b0), .id_mantissa(ONE_MANTISSA), .id_shift(ONE_SHIFT),
    .out_bits(max_mode ? 6'd32 : out_bits), .out_signed(max_mode || out_signed), .relu(1'b0),
    .in_valid(win_valid), .acc(win_value), .bias(32'd0), .mantissa(win_mantissa), .shift(win_shift),
    .identity(17'd0),
    .out_valid, .result
  );

  // The overflow flag alongside the rescale lane's input register and pipeline.
  dyadic_delay #(.WIDTH(1), .DEPTH(PPU_PIPELINE_CYCLES + 1)) u_overflow (
    .clk, .rst, .d(win_overflow), .q(overflow)
  );
endmodule
