#include "gpu/op_plans.h"

#include <string>

#include "gpu/device_layout.h"
#include "reference/ops/op_checks.h"
#include "reference/requantize.h"
#include "util/error.h"

namespace dyadic::gpu {
namespace {

PoolPlan pool_geometry(const Pool2dParams& params, const Shape& input_shape, const IntType& input_type,
                       const char* op) {
    PoolPlan plan;
    plan.output_shape = pool2d_output_shape(input_shape, params, op);
    PoolArgs& a = plan.args;
    a.batch = input_shape[0];
    a.channels = input_shape[1];
    a.in_h = input_shape[2];
    a.in_w = input_shape[3];
    a.out_h = plan.output_shape[2];
    a.out_w = plan.output_shape[3];
    a.kernel_h = params.kernel_h;
    a.kernel_w = params.kernel_w;
    a.stride_h = params.stride_h;
    a.stride_w = params.stride_w;
    a.pad_top = params.pad_top;
    a.pad_left = params.pad_left;
    a.input_format = storage_format(input_type);
    return plan;
}

void set_rescaled_output(PoolPlan& plan, const IntType& type, const char* op) {
    require_output_type(type, op);
    plan.output_type = type;
    plan.args.output_format = storage_format(type);
    plan.args.lo = static_cast<int32_t>(type.min());
    plan.args.hi = static_cast<int32_t>(type.max());
}

}  // namespace

PoolPlan plan_max_pool(const Pool2dParams& params, const Shape& input_shape, const IntType& input_type) {
    PoolPlan plan = pool_geometry(params, input_shape, input_type, "max_pool2d");
    plan.output_type = input_type;
    plan.args.output_format = storage_format(input_type);
    return plan;
}

PoolPlan plan_average_pool(const Pool2dParams& params, const AveragePoolStage& stage, const Shape& input_shape,
                           const IntType& input_type) {
    PoolPlan plan = pool_geometry(params, input_shape, input_type, "average_pool2d");
    set_rescaled_output(plan, stage.output_type, "average_pool2d");
    const size_t window = static_cast<size_t>(params.kernel_h) * static_cast<size_t>(params.kernel_w);
    require(stage.multiplier_by_count.size() == window,
            "average_pool2d: expected " + std::to_string(window) + " multipliers (one per window count), got " +
                std::to_string(stage.multiplier_by_count.size()));
    for (size_t i = 0; i < window; ++i) {
        require_well_formed(stage.multiplier_by_count[i], "average_pool2d: multiplier " + std::to_string(i));
        plan.mantissa.push_back(stage.multiplier_by_count[i].mantissa);
        plan.shift.push_back(stage.multiplier_by_count[i].shift);
    }
    plan.args.count_include_pad = stage.count_include_pad;
    return plan;
}

PoolPlan plan_global_average_pool(const Dyadic& multiplier, const IntType& output_type, const Shape& input_shape,
                                  const IntType& input_type) {
    require(input_shape.size() == 4, "global_average_pool: input must be 4-D NCHW, got " + to_string(input_shape));
    Pool2dParams whole;
    whole.kernel_h = static_cast<int>(input_shape[2]);
    whole.kernel_w = static_cast<int>(input_shape[3]);
    whole.stride_h = whole.stride_w = 1;
    PoolPlan plan = pool_geometry(whole, input_shape, input_type, "global_average_pool");
    set_rescaled_output(plan, output_type, "global_average_pool");
    require_well_formed(multiplier, "global_average_pool: multiplier");
    plan.mantissa = {multiplier.mantissa};
    plan.shift = {multiplier.shift};
    return plan;
}

ConcatPlan plan_concat(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       const IntType& output_type) {
    require(!inputs.empty() && inputs.size() == multipliers.size(),
            "concat: expected one multiplier per input, got " + std::to_string(multipliers.size()) + " for " +
                std::to_string(inputs.size()) + " inputs");
    require_output_type(output_type, "concat");
    ConcatPlan plan;
    plan.output_shape = inputs[0]->shape;
    require(plan.output_shape.size() >= 2, "concat: inputs need a channel axis");
    int64_t channels = 0;
    for (const Tensor* input : inputs) {
        Shape expected = inputs[0]->shape;
        expected[1] = input->shape.size() >= 2 ? input->shape[1] : -1;
        require(input->shape == expected, "concat: input " + to_string(input->shape) + " does not match " +
                                              to_string(inputs[0]->shape) + " outside the channel axis");
        channels += input->shape[1];
    }
    plan.output_shape[1] = channels;
    plan.output_type = output_type;
    const int64_t pixels = channels == 0 ? 0 : element_count(plan.output_shape) / channels;
    int64_t offset = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        require_well_formed(multipliers[i], "concat: multiplier " + std::to_string(i));
        RescaleArgs a;
        a.pixels = pixels;
        a.channels = inputs[i]->shape[1];
        a.out_channels = channels;
        a.channel_offset = offset;
        a.input_format = storage_format(inputs[i]->type);
        a.output_format = storage_format(output_type);
        a.mantissa = multipliers[i].mantissa;
        a.shift = multipliers[i].shift;
        a.lo = static_cast<int32_t>(output_type.min());
        a.hi = static_cast<int32_t>(output_type.max());
        plan.parts.push_back(a);
        offset += a.channels;
    }
    return plan;
}

ResidualAddPlan plan_residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage) {
    require(main.shape.size() >= 2 && identity.shape == main.shape,
            "residual_add: identity " + to_string(identity.shape) + " must have main's shape " + to_string(main.shape));
    require(identity.type.bits <= 16, "residual_add: identity " + identity.type.name() + " is wider than 16 bits");
    require_output_type(stage.output_type, "residual_add");
    const int64_t channels = main.shape[1];
    require(stage.main_multipliers.size() == 1 || static_cast<int64_t>(stage.main_multipliers.size()) == channels,
            "residual_add: expected 1 or " + std::to_string(channels) + " main multipliers");
    ResidualAddPlan plan;
    for (int64_t c = 0; c < channels; ++c) {
        const Dyadic& m = stage.main_multipliers.size() == 1 ? stage.main_multipliers[0]
                                                               : stage.main_multipliers[static_cast<size_t>(c)];
        require_well_formed(m, "residual_add: main multiplier " + std::to_string(c));
        plan.main_mantissa.push_back(m.mantissa);
        plan.main_shift.push_back(m.shift);
    }
    require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    ResidualAddArgs& a = plan.args;
    a.count = main.size();
    a.channels = channels;
    a.main_format = storage_format(main.type);
    a.identity_format = storage_format(identity.type);
    a.identity_mantissa = stage.identity_multiplier.mantissa;
    a.identity_shift = stage.identity_multiplier.shift;
    a.output_format = storage_format(stage.output_type);
    a.lo = static_cast<int32_t>(range.lo);
    a.hi = static_cast<int32_t>(range.hi);
    plan.output_shape = main.shape;
    plan.output_type = stage.output_type;
    return plan;
}

}  // namespace dyadic::gpu
