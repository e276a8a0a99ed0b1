// One lane of the post-processing unit: one output element per cycle, fully pipelined. Written from
// docs/semantics.md, sections 5 and 8, with its own arithmetic:
//
//   main     = acc + bias                                   int32, wraps like the accumulator
//   scaled   = (main * b + R) >>> c     R = 2^(c-1), or 0 for c = 0
//                                       a signed 32x32 -> 64-bit product, 64-bit add and shift
//   identity = (id * b_id + R_id) >>> c_id                  fused residual only (its own multiplier)
//   result   = clamp(scaled + identity, lo, hi)             lo, hi from the output width;
//                                                           ReLU raises lo to 0
//
// The proofs in docs/semantics.md bound every intermediate below 2^63, so 64 bits never overflow.
// Latency: the input register plus PPU_PIPELINE_CYCLES stages, so a tile of n beats leaves its last
// result n + PPU_PIPELINE_CYCLES cycles after its first beat entered, as the SystemC model counts.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_ppu_lane
  import dyadic_accel_config_pkg::*;
(
  input  logic                 clk,
  input  logic                 rst,
  // Per-layer settings, constant while a tile runs.
  input  logic                 residual,     // add the identity's rescaled value
  input  logic [31:0]          id_mantissa,  // b_id in [2^30, 2^31)
  input  logic [5:0]           id_shift,     // c_id in [0, 62]
  input  logic [5:0]           out_bits,     // output width, 2..32
  input  logic                 out_signed,
  input  logic                 relu,
  // One element per cycle.
  input  logic                 in_valid,
  input  logic [ACC_BITS-1:0]  acc,
  input  logic [31:0]          bias,
  input  logic [31:0]          mantissa,     // b in [2^30, 2^31)
  input  logic [5:0]           shift,        // c in [0, 62]
  input  logic [16:0]          identity,     // int16 or uint16 identity, sign-extended to 17 bits
  output logic                 out_valid,
  output logic [31:0]          result
);
  localparam int unsigned COMPUTE_STAGES = 6;
  if (PPU_PIPELINE_CYCLES < COMPUTE_STAGES) begin : g_too_short
    $error("dyadic_ppu_lane needs PPU_PIPELINE_CYCLES >= %0d, the configuration has %0d",
           COMPUTE_STAGES, PPU_PIPELINE_CYCLES);
  end

  // 2^(c-1) for c >= 1, else 0: the half-unit that makes the floor shift round half up.
  function automatic logic signed [63:0] rounding_term(input logic [5:0] c);
    rounding_term = (c == 6'd0) ? 64'sd0 : (64'sd1 <<< (c - 6'd1));
  endfunction

  // Stage 0: the input register.
  logic                v0;
  logic signed [31:0]  acc0, bias0, m0;
  logic [5:0]          c0;
  logic signed [16:0]  id0;
  // Stage 1: bias added.
  logic                v1;
  logic signed [31:0]  main1, m1;
  logic [5:0]          c1;
  logic signed [16:0]  id1;
  // Stage 2: 32x32 -> 64-bit products.
  logic                v2;
  logic signed [63:0]  main2, id2;
  logic [5:0]          c2;
  // Stage 3: rounding terms added.
  logic                v3;
  logic signed [63:0]  main3, id3;
  logic [5:0]          c3;
  // Stage 4: arithmetic right shifts.
  logic                v4;
  logic signed [63:0]  main4, id4;
  // Stage 5: the two branches summed.
  logic                v5;
  logic signed [63:0]  sum5;
  // Stage 6: clamped.
  logic                v6;
  logic signed [31:0]  y6;

  logic signed [63:0] lo, hi;
  always_comb begin
    hi = out_signed ? (64'sd1 <<< (out_bits - 6'd1)) - 64'sd1 : (64'sd1 <<< out_bits) - 64'sd1;
    lo = (relu || !out_signed) ? 64'sd0 : -(64'sd1 <<< (out_bits - 6'd1));
  end

  always_ff @(posedge clk) begin
    acc0 <= acc; bias0 <= bias; m0 <= mantissa; c0 <= shift; id0 <= identity;

    main1 <= acc0 + bias0;
    m1 <= m0; c1 <= c0; id1 <= id0;

    main2 <= 64'(main1) * 64'(m1);
    id2 <= 64'(id1) * 64'(signed'(id_mantissa));
    c2 <= c1;

    main3 <= main2 + rounding_term(c2);
    id3 <= id2 + rounding_term(id_shift);
    c3 <= c2;

    main4 <= main3 >>> c3;
    id4 <= id3 >>> id_shift;

    sum5 <= residual ? main4 + id4 : main4;

    y6 <= 32'(sum5 < lo ? lo : (sum5 > hi ? hi : sum5));

    if (rst) begin
      {v0, v1, v2, v3, v4, v5, v6} <= '0;
    end else begin
      {v0, v1, v2, v3, v4, v5, v6} <= {in_valid, v0, v1, v2, v3, v4, v5};
    end
  end

  // Padding stages up to the configured pipeline depth.
  dyadic_delay #(.WIDTH(33), .DEPTH(PPU_PIPELINE_CYCLES - COMPUTE_STAGES)) u_pad (
    .clk, .rst, .d({v6, y6}), .q({out_valid, result})
  );
endmodule
