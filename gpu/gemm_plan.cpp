#include "gpu/gemm_plan.h"

#include "gpu/device_layout.h"
#include "gpu/warp_tile.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/op_checks.h"
#include "util/error.h"

namespace dyadic::gpu {
namespace {

int64_t round_up(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

// The layer's output stage in per-channel form: (multipliers, type, relu) of either the
// conv/FC output stage or, for a fused residual, the residual stage's main branch.
void set_output_stage(GemmPlan& plan, const std::vector<Dyadic>& multipliers, const IntType& type, bool relu,
                      const char* what) {
    const int64_t channels = plan.geometry.out_c;
    require(multipliers.size() == 1 || static_cast<int64_t>(multipliers.size()) == channels,
            std::string(what) + ": expected 1 or " + std::to_string(channels) + " multipliers, got " +
                std::to_string(multipliers.size()));
    require_output_type(type, what);
    for (int64_t o = 0; o < channels; ++o) {
        const Dyadic& m = multipliers.size() == 1 ? multipliers[0] : multipliers[static_cast<size_t>(o)];
        require_well_formed(m, std::string(what) + ": multiplier " + std::to_string(o));
        plan.mantissa.push_back(m.mantissa);
        plan.shift.push_back(m.shift);
    }
    const ClampRange range = clamp_range(type, relu);
    plan.lo = static_cast<int32_t>(range.lo);
    plan.hi = static_cast<int32_t>(range.hi);
    plan.output_type = type;
    plan.output_format = storage_format(type);
}

// Shape, operand formats, weights and bias; geometry must be set.
void set_operands(GemmPlan& plan, const Tensor& weight, const Tensor& bias, const IntType& input_type,
                  bool native_int4) {
    const std::string reason = gemm_unsupported_reason(input_type, weight);
    require(reason.empty(), "gpu: " + reason);
    const ConvGeometry& g = plan.geometry;
    constexpr int64_t int32_max = 0x7FFFFFFF;
    require(g.gemm_k() <= int32_max && g.batch * g.in_h <= int32_max && g.out_h * g.stride_h <= int32_max &&
                g.out_w * g.stride_w <= int32_max,
            "gpu: layer too large for the kernels' 32-bit im2col coordinates");
    const bool four_bit = input_type.bits <= 4 && weight.type.bits <= 4;
    plan.shape = four_bit && native_int4 ? MmaShape::m16n8k64_4bit : MmaShape::m16n8k32_8bit;
    plan.a_is_signed = input_type.is_signed;
    plan.input_format = storage_format(input_type);
    const int per_register = elements_per_register(plan.shape);
    plan.input_runs_contiguous = g.in_c_per_group() % per_register == 0 && g.in_c % per_register == 0;

    plan.weight_format = storage_format(weight.type);
    plan.weight_rows = round_up(g.out_c_per_group(), kBlockTileN);
    plan.weight_k = round_up(g.gemm_k(), mma_k(plan.shape));
    const int64_t elements = g.groups * plan.weight_rows * plan.weight_k;
    plan.weights.assign(static_cast<size_t>(storage_words(elements, plan.weight_format)), 0u);
    for (int64_t group = 0; group < g.groups; ++group) {
        for (int64_t o = 0; o < g.out_c_per_group(); ++o) {
            for (int64_t k = 0; k < g.gemm_k(); ++k) {
                const int64_t index = (group * plan.weight_rows + o) * plan.weight_k + k;
                store_element(plan.weights.data(), index, plan.weight_format,
                              weight.data[static_cast<size_t>(weight_oihw_index(g, group, k, o))]);
            }
        }
    }
    if (!bias.shape.empty()) {
        validate(bias, "gpu: bias");
        require(bias.type == IntType::int32() && bias.shape == Shape{g.out_c},
                "gpu: bias must be int32 [" + std::to_string(g.out_c) + "], got " + bias.type.name() + " " +
                    to_string(bias.shape));
        plan.bias.assign(bias.data.begin(), bias.data.end());
    }
}

}  // namespace

GemmOperands GemmPlan::operands(const uint32_t* input, const uint32_t* weight_words) const {
    GemmOperands p;
    p.geometry = geometry;
    p.shape = shape;
    p.a_is_signed = a_is_signed;
    p.input = input;
    p.input_format = input_format;
    p.input_runs_contiguous = input_runs_contiguous;
    p.weights = weight_words;
    p.weight_format = weight_format;
    p.weight_rows = weight_rows;
    p.weight_k = weight_k;
    return p;
}

Epilogue GemmPlan::epilogue(const int32_t* bias_values, const int32_t* mantissas, const int32_t* shifts,
                            const uint32_t* identity, uint32_t* output) const {
    Epilogue e;
    e.bias = bias.empty() ? nullptr : bias_values;
    e.mantissa = mantissas;
    e.shift = shifts;
    e.lo = lo;
    e.hi = hi;
    if (identity_format) {
        e.identity = identity;
        e.identity_format = *identity_format;
        e.identity_mantissa = identity_mantissa;
        e.identity_shift = identity_shift;
    }
    e.output = output;
    e.output_format = output_format;
    return e;
}

std::string gemm_unsupported_reason(const IntType& input_type, const Tensor& weight) {
    if (input_type.bits > 8) return "input type " + input_type.name() + " is wider than the 8-bit MMA operands";
    if (weight.type.bits > 8 || !weight.type.is_signed) {
        return "weight type " + weight.type.name() + " is not a signed type of at most 8 bits";
    }
    return "";
}

GemmPlan plan_conv2d(const quant::Conv2dLayer& layer, const Shape& input_shape, const IntType& input_type,
                     const std::optional<IntType>& identity_type, bool native_int4) {
    validate(layer.weight, "gpu: conv2d weight");
    const Shape out = conv2d_output_shape(input_shape, layer.weight.shape, layer.params);
    const Conv2dParams& p = layer.params;
    GemmPlan plan;
    ConvGeometry& g = plan.geometry;
    g.batch = input_shape[0];
    g.in_c = input_shape[1];
    g.in_h = input_shape[2];
    g.in_w = input_shape[3];
    g.out_c = out[1];
    g.out_h = out[2];
    g.out_w = out[3];
    g.kernel_h = layer.weight.shape[2];
    g.kernel_w = layer.weight.shape[3];
    g.stride_h = p.stride_h;
    g.stride_w = p.stride_w;
    g.pad_top = p.pad_top;
    g.pad_left = p.pad_left;
    g.dilation_h = p.dilation_h;
    g.dilation_w = p.dilation_w;
    g.groups = p.groups;
    plan.output_shape = out;
    set_operands(plan, layer.weight, layer.bias, input_type, native_int4);
    if (layer.residual) {
        require(identity_type.has_value(), "gpu: conv2d with a fused residual needs the identity tensor");
        require(identity_type->bits <= 16, "gpu: residual identity " + identity_type->name() + " is wider than 16 bits");
        const ResidualAddStage& stage = layer.residual->stage;
        set_output_stage(plan, stage.main_multipliers, stage.output_type, stage.relu, "conv2d residual");
        require_well_formed(stage.identity_multiplier, "conv2d residual: identity multiplier");
        plan.identity_format = storage_format(*identity_type);
        plan.identity_mantissa = stage.identity_multiplier.mantissa;
        plan.identity_shift = stage.identity_multiplier.shift;
    } else {
        set_output_stage(plan, layer.output_stage.multipliers, layer.output_stage.output_type, layer.output_stage.relu,
                         "conv2d");
    }
    return plan;
}

GemmPlan plan_fully_connected(const quant::FullyConnectedLayer& layer, const Shape& input_shape,
                              const IntType& input_type, bool native_int4) {
    validate(layer.weight, "gpu: fully_connected weight");
    require(input_shape.size() == 2 && layer.weight.shape.size() == 2 && layer.weight.shape[1] == input_shape[1],
            "gpu: fully_connected input " + to_string(input_shape) + " does not match weight " +
                to_string(layer.weight.shape));
    GemmPlan plan;
    ConvGeometry& g = plan.geometry;  // an N x 1 x 1 x K image and a 1x1 kernel
    g.batch = input_shape[0];
    g.in_c = input_shape[1];
    g.out_c = layer.weight.shape[0];
    plan.output_shape = {input_shape[0], g.out_c};
    set_operands(plan, layer.weight, layer.bias, input_type, native_int4);
    set_output_stage(plan, layer.output_stage.multipliers, layer.output_stage.output_type, layer.output_stage.relu,
                     "fully_connected");
    return plan;
}

}  // namespace dyadic::gpu
