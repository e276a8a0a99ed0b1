#include "cpu/fully_connected.h"

#include <string>

#include "cpu/conv_engine.h"
#include "cpu/epilogue.h"
#include "cpu/operand_check.h"
#include "reference/ops/op_checks.h"
#include "util/error.h"

namespace dyadic::cpu {
namespace {

// The reference's checks (fully_connected_accumulate, apply_output_stage) but for the input's
// elements, which the engine checks as it encodes them; throws where the reference would.
void check_operands(const Tensor& input, const Tensor& weight, const Tensor& bias, const OutputStage& stage) {
    require(valid_layout(input, 16) && valid_operand(weight, 16), "fully_connected: operand refused");
    require(weight.type.is_signed, "fully_connected weight must be signed");
    require(input.shape.size() == 2 && weight.shape.size() == 2 && weight.shape[1] == input.shape[1],
            "fully_connected: bad shapes");
    if (!bias.shape.empty()) {
        require(valid_operand(bias) && bias.shape == Shape{weight.shape[0]} && bias.type == IntType::int32(), "fully_connected: bad bias");
    }
    validate(stage, weight.shape[0], "fully_connected");
    for (const Dyadic& m : stage.multipliers) require_well_formed(m, "fully_connected: output multiplier");
}

}  // namespace

Tensor fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias, const OutputStage& stage,
                       const Runtime& runtime) {
    try {
        check_operands(input, weight, bias, stage);
    } catch (const Error& error) {
        runtime.report(std::string("reference (operands refused: ") + error.what() + ")");
        return dyadic::fully_connected(input, weight, bias, stage);
    }
    const int64_t batch = input.shape[0], units = weight.shape[0];
    const ConvGeometry g = ConvGeometry::fully_connected(batch, input.shape[1], units);
    // Uninitialized: the engine writes every element (conv_engine.h) or the reference answers.
    Tensor out({batch, units}, stage.output_type, Tensor::uninitialized);
    const OutputLayout layout{0, 1, units};
    const Accumulation run = conv_accumulate(g, input, weight, bias, runtime.isa, *runtime.pool,
                                             output_stage_epilogue(stage, units, layout, out), runtime.weights);
    if (!run.refused.empty()) {
        runtime.report("reference (" + run.refused + ")");
        return dyadic::fully_connected(input, weight, bias, stage);
    }
    runtime.report(run.path);
    return out;
}

}  // namespace dyadic::cpu
