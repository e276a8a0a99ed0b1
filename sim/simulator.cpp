#include "sim/simulator.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "util/error.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/op_checks.h"
#include "sim/accelerator.h"
#include "sim/job_builder.h"
#include "sim/storage_format.h"

// libsystemc refers to sc_main; dyadic's programs have their own main() and drive the kernel
// with sc_start(), so sc_main is never called.
int sc_main(int /*argc*/, char* /*argv*/[]) { return 1; }

namespace dyadic::sim {
namespace {

// The one accelerator instance of the process, elaborated on first use.
Accelerator& accelerator() {
    static Accelerator* const instance = [] {
        // The kernel prints its banner on elaboration unless told not to; our output is JSON and tables.
        setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
        static Accelerator top("accelerator");
        return &top;
    }();
    return *instance;
}




void check_bias(const Tensor& bias, int64_t channels, const std::string& op) {
    if (bias.shape.empty()) return;
    validate(bias, op + " bias");
    require(bias.shape.size() == 1 && bias.shape[0] == channels,
            op + ": bias must have shape [" + std::to_string(channels) + "], got " + to_string(bias.shape));
    require(bias.type == IntType::int32(), op + ": bias must be int32, got " + bias.type.name());
}

std::vector<Dyadic> per_channel(const std::vector<Dyadic>& multipliers, int64_t channels, const std::string& op) {
    require(multipliers.size() == 1 || static_cast<int64_t>(multipliers.size()) == channels,
            op + ": expected 1 or " + std::to_string(channels) + " multipliers, got " + std::to_string(multipliers.size()));
    for (size_t i = 0; i < multipliers.size(); ++i) require_well_formed(multipliers[i], op + ": multiplier " + std::to_string(i));
    if (multipliers.size() == 1) return std::vector<Dyadic>(static_cast<size_t>(channels), multipliers[0]);
    return multipliers;
}

std::string precision_name(int weight_bits, int activation_bits) {
    return (weight_bits > 0 ? "w" + std::to_string(weight_bits) : std::string()) + "a" + std::to_string(activation_bits);
}

LayerStats run_job(const AccelConfig& config, BuiltJob& built, std::vector<uint8_t>& final_dram,
                   ComputeCore* core) {
    LayerStats stats;
    Accelerator& top = accelerator();
    top.run(config, built.job, std::move(built.dram), stats, core);
    final_dram = std::move(top.dram.memory());
    return stats;
}

void describe_conv(LayerStats& stats, const ConvRequest& r, const LayerJob& job, const AccelConfig& config,
                   const std::string& name, const std::string& op) {
    stats.name = name;
    stats.op = op;
    stats.precision = precision_name(r.weight_type.bits, r.input_type.bits);
    stats.macs = r.shape.macs();
    const PrecisionMode& mode = job.conv.formats.mode;
    stats.peak_macs_per_cycle = int64_t{config.array_rows} * config.array_cols * mode.macs_per_pe / mode.passes;
    stats.utilisation = stats.total_cycles > 0 && stats.peak_macs_per_cycle > 0
                            ? static_cast<double>(stats.macs) /
                                  (static_cast<double>(stats.peak_macs_per_cycle) * static_cast<double>(stats.total_cycles))
                            : 0.0;
    stats.mapping = job.conv.mapping.describe();
    stats.predicted_dram_bytes = job.conv.mapping.dram_bytes();
}

}  // namespace

Simulator::Simulator(AccelConfig config) : config_(std::move(config)) { validate(config_); }

LayerResult Simulator::run_conv(ConvRequest& r, const std::string& name, const std::string& op, const Shape& out_shape) {
    Mapping pinned;
    if (override_) {
        pinned.tile_m = override_->tile_m;
        pinned.tile_k = override_->tile_k;
        pinned.tile_rows = override_->tile_rows;
        pinned.order = override_->order;
        r.forced_mapping = &pinned;
    }
    BuiltJob built = build_conv_job(r, config_);
    if (core_ != nullptr && built.job.functional) {
        const std::string refusal = core_->refusal(r.weight_type, r.input_type);
        require(refusal.empty(), name + ": the " + core_->name() + " core cannot run this layer: " + refusal);
    }
    std::vector<uint8_t> dram;
    LayerResult result;
    result.stats = run_job(config_, built, dram, core_);
    describe_conv(result.stats, r, built.job, config_, name, op);
    if (built.job.functional) result.output = read_output(built.job, dram, out_shape, r.output_type);
    return result;
}

namespace {

// The operand checks and fields every array layer shares; `shape` comes from the op's own geometry.
ConvRequest array_request(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvShape& shape,
                          const std::vector<Dyadic>& multipliers, const IntType& output_type, bool relu,
                          const std::string& op) {
    check_bias(bias, shape.out_channels, op);
    require_output_type(output_type, op);
    ConvRequest r;
    r.shape = shape;
    r.input_type = input.type;
    r.weight_type = weight.type;
    r.output_type = output_type;
    r.input = &input;
    r.weight = &weight;
    r.bias = &bias;
    r.multipliers = per_channel(multipliers, shape.out_channels, op);
    r.range = clamp_range(output_type, relu);
    return r;
}

}  // namespace

LayerResult Simulator::conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
                              const OutputStage& stage, const std::string& name) {
    require_operand(input, 16, "conv2d input");
    require_operand(weight, 16, "conv2d weight");
    ConvRequest r = array_request(input, weight, bias, conv_shape(input.shape, weight.shape, params),
                                        stage.multipliers, stage.output_type, stage.relu, "conv2d");
    return run_conv(r, name, "conv2d", {r.shape.batch, r.shape.out_channels, r.shape.out_h, r.shape.out_w});
}

LayerResult Simulator::fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                       const OutputStage& stage, const std::string& name) {
    require_operand(input, 16, "fully_connected input");
    require_operand(weight, 16, "fully_connected weight");
    ConvRequest r = array_request(input, weight, bias, fully_connected_shape(input.shape, weight.shape),
                                        stage.multipliers, stage.output_type, stage.relu, "fully_connected");
    return run_conv(r, name, "fully_connected", {r.shape.batch, r.shape.out_channels});
}

LayerResult Simulator::conv2d_residual(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                       const Conv2dParams& params, const ResidualAddStage& stage,
                                       const Tensor& identity, const std::string& name) {
    require_operand(input, 16, "conv2d input");
    require_operand(weight, 16, "conv2d weight");
    require_operand(identity, 16, "residual_add identity");
    const ConvShape shape = conv_shape(input.shape, weight.shape, params);
    const Shape out_shape{shape.batch, shape.out_channels, shape.out_h, shape.out_w};
    require(identity.shape == out_shape, "residual_add: identity shape " + to_string(identity.shape) +
                                             " differs from main shape " + to_string(out_shape));
    require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
    ConvRequest r = array_request(input, weight, bias, shape, stage.main_multipliers, stage.output_type, stage.relu,
                                  "residual_add");
    r.identity_type = identity.type;
    r.identity = &identity;
    r.identity_multiplier = stage.identity_multiplier;
    return run_conv(r, name, "conv2d", out_shape);
}

LayerStats Simulator::time_conv(const ConvTimingSpec& spec) {
    validate(spec.input_type);
    validate(spec.weight_type);
    require_output_type(spec.output_type, spec.name);
    ConvRequest r;
    r.shape = spec.fully_connected ? fully_connected_shape(spec.input, spec.weight)
                                   : conv_shape(spec.input, spec.weight, spec.params);
    r.input_type = spec.input_type;
    r.weight_type = spec.weight_type;
    r.output_type = spec.output_type;
    r.identity_type = spec.identity_type;
    return run_conv(r, spec.name, spec.fully_connected ? "fully_connected" : "conv2d", {}).stats;
}

LayerResult Simulator::run_stream(StreamRequest& r, const std::string& name, const std::string& op) {
    BuiltJob built = build_stream_job(r, config_);
    std::vector<uint8_t> dram;
    LayerResult result;
    result.stats = run_job(config_, built, dram, core_);
    result.stats.name = name;
    result.stats.op = op;
    result.stats.precision = precision_name(0, r.inputs[0]->type.bits);
    result.output = read_output(built.job, dram, r.output_shape, r.output_type);
    return result;
}

LayerResult Simulator::residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage,
                                    const std::string& name) {
    require_operand(main, 32, "residual_add main");
    require_operand(identity, 16, "residual_add identity");
    require(main.shape.size() >= 2, "residual_add: main must be [N, C, ...], got " + to_string(main.shape));
    require(identity.shape == main.shape, "residual_add: identity shape " + to_string(identity.shape) +
                                              " differs from main shape " + to_string(main.shape));
    per_channel(stage.main_multipliers, main.shape[1], "residual_add");
    require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
    require_output_type(stage.output_type, "residual_add");
    StreamRequest r;
    r.op = StreamOp::residual_add;
    r.inputs = {&main, &identity};
    r.output_shape = main.shape;
    r.output_type = stage.output_type;
    r.add = stage;
    r.range = clamp_range(stage.output_type, stage.relu);
    return run_stream(r, name, "residual_add");
}

LayerResult Simulator::max_pool2d(const Tensor& input, const Pool2dParams& params, const std::string& name) {
    require_operand(input, 32, "max_pool2d input");
    StreamRequest r;
    r.op = StreamOp::max_pool;
    r.inputs = {&input};
    r.output_shape = pool2d_output_shape(input.shape, params, "max_pool2d");
    r.output_type = input.type;
    r.pool = params;
    LayerResult result = run_stream(r, name, "max_pool2d");
    result.output.scales = input.scales;  // as the reference: same type, same scale
    return result;
}

LayerResult Simulator::average_pool2d(const Tensor& input, const Pool2dParams& params, const AveragePoolStage& stage,
                                      const std::string& name) {
    require_operand(input, 32, "average_pool2d input");
    StreamRequest r;
    r.output_shape = pool2d_output_shape(input.shape, params, "average_pool2d");
    const int64_t window = int64_t{params.kernel_h} * params.kernel_w;
    require(static_cast<int64_t>(stage.multiplier_by_count.size()) == window,
            "average_pool2d: expected " + std::to_string(window) + " multipliers (one per window count 1.." +
                std::to_string(window) + "), got " + std::to_string(stage.multiplier_by_count.size()));
    for (size_t k = 0; k < stage.multiplier_by_count.size(); ++k) {
        require_well_formed(stage.multiplier_by_count[k], "average_pool2d: multiplier for count " + std::to_string(k + 1));
    }
    require_output_type(stage.output_type, "average_pool2d");
    r.op = StreamOp::average_pool;
    r.inputs = {&input};
    r.output_type = stage.output_type;
    r.pool = params;
    r.average = stage;
    r.range = clamp_range(stage.output_type, false);
    return run_stream(r, name, "average_pool2d");
}

LayerResult Simulator::global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type,
                                           const std::string& name) {
    require_operand(input, 32, "global_average_pool input");
    require(input.shape.size() == 4, "global_average_pool: input must be 4-D NCHW, got " + to_string(input.shape));
    require(input.shape[2] >= 1 && input.shape[3] >= 1,
            "global_average_pool: input " + to_string(input.shape) + " has an empty spatial extent");
    require_well_formed(multiplier, "global_average_pool: multiplier");
    require_output_type(output_type, "global_average_pool");
    StreamRequest r;
    r.op = StreamOp::global_average_pool;
    r.inputs = {&input};
    r.output_shape = {input.shape[0], input.shape[1], 1, 1};
    r.output_type = output_type;
    r.global_multiplier = multiplier;
    r.range = clamp_range(output_type, false);
    return run_stream(r, name, "global_average_pool");
}

LayerResult Simulator::concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                                       IntType output_type, const std::string& name) {
    require(!inputs.empty(), "concat: needs at least one input");
    require(multipliers.size() == inputs.size(), "concat: " + std::to_string(inputs.size()) + " inputs but " +
                                                     std::to_string(multipliers.size()) + " multipliers");
    require_output_type(output_type, "concat");
    int64_t channels = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string what = "concat input " + std::to_string(i);
        require(inputs[i] != nullptr, what + " is null");
        require_operand(*inputs[i], 32, what);
        require(inputs[i]->shape.size() == 4, what + " must be 4-D NCHW, got " + to_string(inputs[i]->shape));
        const Shape& first = inputs[0]->shape;
        const Shape& shape = inputs[i]->shape;
        require(shape[0] == first[0] && shape[2] == first[2] && shape[3] == first[3],
                what + " shape " + to_string(shape) + " does not match input 0 shape " + to_string(first) +
                    " outside the channel axis");
        require_well_formed(multipliers[i], "concat: multiplier " + std::to_string(i));
        channels += shape[1];
    }
    StreamRequest r;
    r.op = StreamOp::concat;
    r.inputs = inputs;
    r.output_shape = {inputs[0]->shape[0], channels, inputs[0]->shape[2], inputs[0]->shape[3]};
    r.output_type = output_type;
    r.concat_multipliers = multipliers;
    r.range = clamp_range(output_type, false);
    return run_stream(r, name, "concat");
}

}  // namespace dyadic::sim
