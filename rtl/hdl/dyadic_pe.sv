// One processing element of the weight-stationary array (docs/accelerator.md, "Precision scaling").
//
// It holds one weight word and, each cycle, multiplies it by the activation word passing through
// and adds the result to the partial sum coming down its column. A word is PE_BRICKS slices of
// PE_BRICK_BITS bits; how the four 4x4 bricks pair the slices depends on the precision mode:
//
//   weights x activations   MACs   weight lanes     activation lanes   bricks per MAC
//   4 x 4 (2..4 bits)        4     nibbles 0..3     nibbles 0..3       1
//   8 x 4                    2     bytes 0, 1       nibbles 0, 1       2 (weight low, high)
//   4 x 8                    2     nibbles 0, 1     bytes 0, 1         2 (activation low, high)
//   8 x 8 (5..8 bits)        1     byte 0           byte 0             4
//
// Lane l of a word holds reduction element (PE's first element + l), so a PE's MACs work on
// consecutive reduction elements and every brick product adds into the one partial sum. Weights are
// signed; activations are signed or unsigned (a_signed). A narrow operand occupies its whole lane
// sign-extended (int2 and int3 are sign-extended to 4 bits, uint2 and uint3 zero-extended), so one
// slice per lane is exact.
//
// With weight double buffering (DOUBLE_BUFFER, the package's WEIGHT_DOUBLE_BUFFER) the PE holds a
// second, shadow weight register: w_shift loads the shadow while the current fold streams on the
// active weight, and the first pixel of the next fold (a_first with a_valid) swaps them. That pixel
// already multiplies by the shadow word, and its a_first travels on with it, so the swap sweeps the
// array diagonally exactly as the fold's first pixel does.
// The generated package holds every configuration value; each module uses only some of them.
/* verilator lint_off UNUSEDPARAM */
`include "dyadic_accel_config_pkg.svh"
/* verilator lint_on UNUSEDPARAM */

module dyadic_pe
  import dyadic_accel_config_pkg::*;
#(
  parameter int unsigned DOUBLE_BUFFER = WEIGHT_DOUBLE_BUFFER,
  localparam int unsigned WORD_BITS = PE_BRICKS * PE_BRICK_BITS
) (
  input  logic                 clk,
  input  logic                 rst,
  // Precision mode, constant during a fold.
  input  logic                 w_wide,    // weights of 5..8 bits (else 2..4)
  input  logic                 a_wide,    // activations of 5..8 bits (else 2..4)
  input  logic                 a_signed,  // activations are intB (else uintB)
  // Weight loading: while w_shift is high the stationary (with DOUBLE_BUFFER: the shadow) words
  // move one PE down the column.
  input  logic                 w_shift,
  input  logic [WORD_BITS-1:0] w_in,
  output logic [WORD_BITS-1:0] w_out,
  // Activations move one PE to the right per cycle, partial sums one PE down.
  // a_first marks a fold's first pixel (used with DOUBLE_BUFFER only).
  input  logic                 a_valid_in,
  input  logic                 a_first_in,
  input  logic [WORD_BITS-1:0] a_in,
  output logic                 a_valid_out,
  output logic                 a_first_out,
  output logic [WORD_BITS-1:0] a_out,
  input  logic [ACC_BITS-1:0]  psum_in,
  output logic                 psum_valid_out,
  output logic [ACC_BITS-1:0]  psum_out
);
  localparam int unsigned B = PE_BRICK_BITS;
  localparam int unsigned PRODUCT_BITS = 2 * B + 2;  // one signed brick product
  localparam int unsigned FUSED_BITS = 4 * B + 4;    // the sum of the shifted brick products

  if (PE_BRICKS != 4 || PE_BRICK_BITS != 4) begin : g_bad_geometry
    $error("dyadic_pe implements four 4x4-bit bricks; the configuration asks for %0d x %0d bits",
           PE_BRICKS, PE_BRICK_BITS);
  end

  logic [WORD_BITS-1:0] weight;   // the word the current fold multiplies by
  logic [WORD_BITS-1:0] operand;  // the word this cycle's pixel multiplies by

  if (DOUBLE_BUFFER != 0) begin : g_double_buffer
    logic [WORD_BITS-1:0] shadow;
    logic                 swap;  // this cycle's pixel starts a fold: it takes the shadow word
    assign swap = a_valid_in & a_first_in;
    assign operand = swap ? shadow : weight;
    assign w_out = shadow;
    always_ff @(posedge clk) begin
      if (w_shift) shadow <= w_in;
      if (swap) weight <= shadow;
      a_first_out <= rst ? 1'b0 : a_first_in;
    end
  end else begin : g_single_buffer
    assign operand = weight;
    assign w_out = weight;
    assign a_first_out = 1'b0;
    always_ff @(posedge clk) begin
      if (w_shift) weight <= w_in;
    end
    logic unused;
    assign unused = &{1'b0, a_first_in};
  end

  // Operand routing: for brick k, which weight and activation nibble it multiplies, whether each
  // nibble is the top (signed) slice of its operand, and the brick's place value (16^place).
  logic [1:0] w_sel [4];
  logic [1:0] a_sel [4];
  logic       w_top [4];
  logic       a_top [4];
  logic [1:0] place [4];

  always_comb begin
    unique case ({w_wide, a_wide})
      2'b00: begin  // 4 x 4: brick k is MAC k
        for (int k = 0; k < 4; k++) begin
          w_sel[k] = 2'(k); a_sel[k] = 2'(k); w_top[k] = 1'b1; a_top[k] = 1'b1; place[k] = 2'd0;
        end
      end
      2'b10: begin  // 8 x 4: MAC m uses weight byte m (nibbles 2m, 2m+1) and activation nibble m
        for (int k = 0; k < 4; k++) begin
          w_sel[k] = 2'(k); a_sel[k] = 2'(k / 2); w_top[k] = (k % 2) == 1; a_top[k] = 1'b1;
          place[k] = 2'(k % 2);
        end
      end
      2'b01: begin  // 4 x 8: MAC m uses weight nibble m and activation byte m
        for (int k = 0; k < 4; k++) begin
          w_sel[k] = 2'(k / 2); a_sel[k] = 2'(k); w_top[k] = 1'b1; a_top[k] = (k % 2) == 1;
          place[k] = 2'(k % 2);
        end
      end
      default: begin  // 8 x 8: one MAC on byte 0 of both words; brick k = (weight nibble k/2, activation nibble k%2)
        for (int k = 0; k < 4; k++) begin
          w_sel[k] = 2'(k / 2); a_sel[k] = 2'(k % 2); w_top[k] = (k / 2) == 1; a_top[k] = (k % 2) == 1;
          place[k] = 2'(k / 2 + k % 2);
        end
      end
    endcase
  end

  logic signed [PRODUCT_BITS-1:0] brick_product [4];
  for (genvar k = 0; k < 4; k++) begin : g_brick
    dyadic_brick u_brick (
      .w(operand[B*w_sel[k] +: B]),
      .w_signed(w_top[k]),
      .a(a_in[B*a_sel[k] +: B]),
      .a_signed(a_signed & a_top[k]),
      .product(brick_product[k])
    );
  end

  logic signed [FUSED_BITS-1:0] fused;
  always_comb begin
    fused = '0;
    for (int k = 0; k < 4; k++) begin
      fused = fused + (FUSED_BITS'(brick_product[k]) <<< (B * place[k]));
    end
  end

  always_ff @(posedge clk) begin
    a_out <= a_in;
    // int32 partial sums wrap, as hardware accumulators do (docs/semantics.md, section 6).
    psum_out <= psum_in + ACC_BITS'(fused);
    if (rst) begin
      a_valid_out <= 1'b0;
      psum_valid_out <= 1'b0;
    end else begin
      a_valid_out <= a_valid_in;
      psum_valid_out <= a_valid_in;
    end
  end
endmodule
