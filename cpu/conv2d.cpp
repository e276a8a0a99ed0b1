#include "cpu/conv2d.h"

#include <string>

#include "cpu/conv_engine.h"
#include "cpu/epilogue.h"
#include "cpu/operand_check.h"
#include "reference/ops/op_checks.h"
#include "util/error.h"

namespace dyadic::cpu {
namespace {

// The reference's operand checks for conv2d_accumulate, but for the input's elements, which the
// engine checks as it encodes them; throws Error where the reference would.
ConvGeometry checked_geometry(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& p) {
    require(valid_layout(input, 16) && valid_operand(weight, 16), "conv2d: operand refused");
    require(weight.type.is_signed, "conv2d weight must be signed");
    const ConvGeometry g = ConvGeometry::conv(input.shape, weight.shape, p);
    require(bias.shape.empty() || valid_operand(bias), "conv2d: bias refused");
    require(bias.shape.empty() || (bias.shape.size() == 1 && bias.shape[0] == g.c_out && bias.type == IntType::int32()),
            "conv2d: bad bias");
    return g;
}

// Why the engine does not run this layer ("" when it may): the reference would refuse the
// weight, the bias, the stage or the input's type or shape (it then throws its own message).
template <typename StageChecks>
std::string refusal(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
                    const StageChecks& stage_checks, ConvGeometry& geometry) {
    try {
        geometry = checked_geometry(input, weight, bias, params);
        stage_checks(geometry);
    } catch (const Error& error) {
        return std::string("operands refused: ") + error.what();
    }
    return {};
}

// The engine's run of a layer whose operands passed refusal(), reported; false (nothing written,
// the refusal reported) when the engine leaves the layer to the reference.
bool run_engine(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias,
                const Runtime& runtime, const Epilogue& epilogue) {
    const Accumulation run = conv_accumulate(g, input, weight, bias, runtime.isa, *runtime.pool, epilogue, runtime.weights);
    runtime.report(run.refused.empty() ? run.path : "reference (" + run.refused + ")");
    return run.refused.empty();
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
              const OutputStage& stage, const Runtime& runtime) {
    ConvGeometry g;
    const std::string why_not = refusal(input, weight, bias, params, [&](const ConvGeometry& geometry) {
        validate(stage, geometry.c_out, "conv2d");
        for (const Dyadic& m : stage.multipliers) require_well_formed(m, "conv2d: output multiplier");
    }, g);
    if (!why_not.empty()) {
        runtime.report("reference (" + why_not + ")");
        return dyadic::conv2d(input, weight, bias, params, stage);
    }
    // Uninitialized: the engine writes every element (conv_engine.h) or the reference answers.
    Tensor out({g.batch, g.c_out, g.out_h, g.out_w}, stage.output_type, Tensor::uninitialized);
    const int64_t plane = g.out_h * g.out_w;
    const OutputLayout layout{g.c_out * plane, plane, 1};
    if (!run_engine(g, input, weight, bias, runtime, output_stage_epilogue(stage, g.c_out, layout, out))) {
        return dyadic::conv2d(input, weight, bias, params, stage);
    }
    return out;
}

Tensor conv2d_residual(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
                       const Tensor& identity, const ResidualAddStage& stage, const Runtime& runtime) {
    ConvGeometry g;
    const std::string why_not = refusal(input, weight, bias, params, [&](const ConvGeometry& geometry) {
        require(valid_layout(identity, 16), "residual_add: identity refused");
        require(identity.shape == Shape{geometry.batch, geometry.c_out, geometry.out_h, geometry.out_w},
                "residual_add: identity shape differs");
        require(stage.main_multipliers.size() == 1 ||
                    static_cast<int64_t>(stage.main_multipliers.size()) == geometry.c_out,
                "residual_add: main multiplier count");
        for (const Dyadic& m : stage.main_multipliers) require_well_formed(m, "residual_add: main multiplier");
        require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
        require_output_type(stage.output_type, "residual_add");
    }, g);
    if (!why_not.empty()) {
        runtime.report("reference (" + why_not + ")");
        return dyadic::residual_add(conv2d_accumulate(input, weight, bias, params), identity, stage);
    }
    // Uninitialized: the engine writes every element (conv_engine.h) or the reference answers.
    Tensor out({g.batch, g.c_out, g.out_h, g.out_w}, stage.output_type, Tensor::uninitialized);
    const int64_t plane = g.out_h * g.out_w;
    const OutputLayout layout{g.c_out * plane, plane, 1};
    // The identity's elements are checked as the epilogue reads them (each once).
    ConcurrentRange identity_read;
    const auto reference = [&] { return dyadic::residual_add(conv2d_accumulate(input, weight, bias, params), identity, stage); };
    if (!run_engine(g, input, weight, bias, runtime, residual_epilogue(stage, g.c_out, layout, identity, out, identity_read))) {
        return reference();
    }
    if (!identity_read.get().fits(identity.type)) {
        runtime.report("reference (operands refused: an identity element lies outside " + identity.type.name() + ")");
        return reference();
    }
    return out;
}

}  // namespace dyadic::cpu
