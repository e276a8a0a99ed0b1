#include "rtl/rtl_backend.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <type_traits>
#include <variant>

#include "graph/quant/reference_backend.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/pool2d_params.h"
#include "reference/ops/op_checks.h"
#include "rtl/rtl_core.h"
#include "util/error.h"

namespace dyadic::rtl {
namespace {

void require_bias(const Tensor& bias, int64_t channels, const char* op) {
    require(bias.shape.empty() || bias.shape == Shape{channels},
            std::string(op) + ": bias must be empty or [" + std::to_string(channels) + "], got " + to_string(bias.shape));
    if (!bias.shape.empty()) require_operand(bias, 32, std::string(op) + " bias");
}

int32_t bias_of(const Tensor& bias, int64_t channel) {
    return bias.shape.empty() ? 0 : bias.data[static_cast<size_t>(channel)];
}

}  // namespace

RtlBackend::RtlBackend(std::string trace_path) : core_(std::make_unique<RtlCore>()), trace_path_(std::move(trace_path)) {}
RtlBackend::RtlBackend(std::unique_ptr<ArrayUnit> array) : core_(std::make_unique<RtlCore>(std::move(array))) {}
RtlBackend::~RtlBackend() = default;

int64_t RtlBackend::array_cycles() const { return core_->array_cycles(); }
int64_t RtlBackend::ppu_cycles() const { return core_->ppu_cycles(); }

std::string RtlBackend::unsupported_reason(const quant::QuantizedLayer& layer,
                                           const std::vector<const Tensor*>& inputs) const {
    const IntType input_type = !inputs.empty() && inputs[0] != nullptr ? inputs[0]->type : IntType::signed_bits(8);
    return std::visit(
        [&](const auto& op) -> std::string {
            using T = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<T, quant::Conv2dLayer> || std::is_same_v<T, quant::FullyConnectedLayer>) {
                return pe_mode_refusal(op.weight.type, input_type);
            } else {
                return "";
            }
        },
        layer.op);
}

std::string RtlBackend::ppu_trace_path(const std::string& vcd_path) {
    const std::string suffix = ".vcd";
    const bool has_suffix = vcd_path.size() > suffix.size() && vcd_path.compare(vcd_path.size() - suffix.size(), suffix.size(), suffix) == 0;
    return (has_suffix ? vcd_path.substr(0, vcd_path.size() - suffix.size()) : vcd_path) + ".ppu.vcd";
}

Tensor RtlBackend::trace_tile(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs,
                              int64_t element, const std::string& vcd_path) {
    require(std::holds_alternative<quant::Conv2dLayer>(layer.op) || std::holds_alternative<quant::FullyConnectedLayer>(layer.op),
            "rtl: layer '" + layer.name + "': only conv2d and fully connected tiles can be traced");
    require(element >= 0, "rtl: negative element index");
    struct Untrace {
        RtlBackend& backend;
        ~Untrace() {
            backend.traced_element_ = -1;
            backend.tracing_to_.clear();
        }
    } untrace{*this};
    traced_element_ = element;
    tracing_to_ = vcd_path;
    return run_layer(layer, inputs);
}

Tensor RtlBackend::check(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs, Tensor output) {
    if (trace_path_.empty() || traced_ || traced_element_ >= 0) return output;
    Tensor expected;
    try {
        expected = quant::ReferenceBackend().run_layer(layer, inputs);
    } catch (const Error&) {
        return output;  // nothing to compare with: the reference refuses the layer itself
    }
    const auto [first_expected, first_got] = std::mismatch(expected.data.begin(), expected.data.end(), output.data.begin());
    if (first_expected == expected.data.end()) return output;
    traced_ = true;
    const int64_t element = first_expected - expected.data.begin();
    trace_tile(layer, inputs, element, trace_path_);
    std::fprintf(stderr, "rtl: layer '%s' differs first at element %lld (expected %d, got %d); its tile is traced in %s and %s\n",
                 layer.name.c_str(), static_cast<long long>(element), *first_expected, *first_got, trace_path_.c_str(),
                 ppu_trace_path(trace_path_).c_str());
    return output;
}

void RtlBackend::gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                      const int32_t* columns, int64_t pixels, int32_t* acc, int64_t traced_channel) {
    const auto run = [&](int64_t begin, int64_t end) {
        if (end > begin) {
            core_->accumulate_gemm(mode, weights + begin * reduction, end - begin, reduction, columns, pixels, acc + begin * pixels);
        }
    };
    if (traced_channel < 0) return run(0, channels);
    // Folds are C channels wide from channel 0, so running the traced block alone changes no fold.
    const int64_t begin = traced_channel / core_->cols() * core_->cols(), end = std::min(channels, begin + core_->cols());
    run(0, begin);
    core_->trace_array_to(tracing_to_);
    run(begin, end);
    core_->trace_array_to("");
    run(end, channels);
}

void RtlBackend::post_process(const PpuSettings& settings, const std::vector<PpuElement>& elements, int32_t* results) {
    const auto run = [&](int64_t begin, int64_t end) {
        if (end > begin) core_->post_process(settings, elements.data() + begin, end - begin, results + begin);
    };
    const auto count = static_cast<int64_t>(elements.size());
    if (traced_element_ < 0) return run(0, count);
    const int64_t begin = std::min(count, traced_element_ / core_->ppu_lanes() * core_->ppu_lanes());
    const int64_t end = std::min(count, begin + core_->ppu_lanes());
    run(0, begin);
    core_->trace_ppu_to(ppu_trace_path(tracing_to_));
    run(begin, end);
    core_->trace_ppu_to("");
    run(end, count);
}

Tensor RtlBackend::run_conv(const quant::Conv2dLayer& op, const Tensor& input, const Tensor* identity) {
    require_operand(input, 16, "conv2d input");
    require_operand(op.weight, 16, "conv2d weight");
    const PeMode mode = pe_mode(op.weight.type, input.type);
    const Shape out_shape = conv2d_output_shape(input.shape, op.weight.shape, op.params);
    const Conv2dParams& p = op.params;
    const int64_t n_images = input.dim(0), in_h = input.dim(2), in_w = input.dim(3);
    const int64_t out_channels = op.weight.dim(0), group_in = op.weight.dim(1);
    const int64_t kernel_h = op.weight.dim(2), kernel_w = op.weight.dim(3);
    const int64_t out_h = out_shape[2], out_w = out_shape[3];
    const int64_t groups = p.groups, group_out = out_channels / groups;
    const int64_t reduction = group_in * kernel_h * kernel_w, plane = out_h * out_w, pixels = n_images * plane;
    require_bias(op.bias, out_channels, "conv2d");

    const int64_t traced_channel = traced_element_ >= 0 ? traced_element_ / plane % out_channels : -1;
    // Partial sums [o][pixel], pixel = (n, y, x); the array adds every product into them.
    std::vector<int32_t> acc(static_cast<size_t>(out_channels * pixels), 0);
    std::vector<int32_t> columns(static_cast<size_t>(pixels * reduction));
    for (int64_t g = 0; g < groups; ++g) {
        // im2col of group g's input channels, zero padding made explicit, in the OIHW order (c, ky, kx).
        for (int64_t n = 0; n < n_images; ++n) {
            for (int64_t y = 0; y < out_h; ++y) {
                for (int64_t x = 0; x < out_w; ++x) {
                    int32_t* column = columns.data() + ((n * out_h + y) * out_w + x) * reduction;
                    for (int64_t c = 0; c < group_in; ++c) {
                        for (int64_t ky = 0; ky < kernel_h; ++ky) {
                            const int64_t iy = y * p.stride_h + ky * p.dilation_h - p.pad_top;
                            for (int64_t kx = 0; kx < kernel_w; ++kx) {
                                const int64_t ix = x * p.stride_w + kx * p.dilation_w - p.pad_left;
                                const bool inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
                                *column++ = inside ? input.at(n, g * group_in + c, iy, ix) : 0;
                            }
                        }
                    }
                }
            }
        }
        gemm(mode, op.weight.data.data() + g * group_out * reduction, group_out, reduction, columns.data(), pixels,
             acc.data() + g * group_out * pixels, traced_channel >= 0 && traced_channel / group_out == g ? traced_channel % group_out : -1);
    }

    // Post-processing in output order (n, o, y, x).
    PpuSettings settings;
    if (identity != nullptr) {
        const ResidualAddStage& stage = op.residual->stage;
        require_operand(*identity, 16, "residual_add identity");
        require(identity->shape == out_shape, "conv2d + residual_add: identity shape " + to_string(identity->shape) +
                                                  " differs from the conv output " + to_string(out_shape));
        require(stage.main_multipliers.size() == 1 || static_cast<int64_t>(stage.main_multipliers.size()) == out_channels,
                "residual_add: expected 1 or " + std::to_string(out_channels) + " main multipliers");
        for (const Dyadic& m : stage.main_multipliers) require_well_formed(m, "residual_add: main multiplier");
        require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
        require_output_type(stage.output_type, "residual_add");
        settings = PpuSettings{true, stage.identity_multiplier, stage.output_type, stage.relu};
    } else {
        validate(op.output_stage, out_channels, "conv2d");
        for (const Dyadic& m : op.output_stage.multipliers) require_well_formed(m, "conv2d: output multiplier");
        settings = PpuSettings{false, dyadic_one(), op.output_stage.output_type, op.output_stage.relu};
    }
    std::vector<PpuElement> elements(static_cast<size_t>(out_channels * pixels));
    size_t i = 0;
    for (int64_t n = 0; n < n_images; ++n) {
        for (int64_t o = 0; o < out_channels; ++o) {
            const Dyadic& multiplier =
                identity != nullptr
                    ? op.residual->stage.main_multipliers[op.residual->stage.main_multipliers.size() == 1 ? 0 : static_cast<size_t>(o)]
                    : op.output_stage.multiplier_for(o);
            const int32_t* sums = acc.data() + o * pixels + n * plane;
            for (int64_t q = 0; q < plane; ++q, ++i) {
                elements[i] = PpuElement{sums[q], bias_of(op.bias, o), multiplier,
                                         identity != nullptr ? identity->data[i] : 0};
            }
        }
    }
    Tensor output(out_shape, settings.output_type);
    post_process(settings, elements, output.data.data());
    return output;
}

Tensor RtlBackend::conv2d(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input) {
    return check(layer, {&input}, run_conv(op, input, nullptr));
}

Tensor RtlBackend::conv2d_residual(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input,
                                   const Tensor& identity) {
    return check(layer, {&input, &identity}, run_conv(op, input, &identity));
}

Tensor RtlBackend::fully_connected(const quant::QuantizedLayer& layer, const quant::FullyConnectedLayer& op,
                                   const Tensor& input) {
    return check(layer, {&input}, run_fully_connected(op, input));
}

Tensor RtlBackend::run_fully_connected(const quant::FullyConnectedLayer& op, const Tensor& input) {
    require_operand(input, 16, "fully_connected input");
    require_operand(op.weight, 16, "fully_connected weight");
    require(input.shape.size() == 2 && op.weight.shape.size() == 2 && input.dim(1) == op.weight.dim(1),
            "fully_connected: input " + to_string(input.shape) + " and weight " + to_string(op.weight.shape) +
                " must be [N, K] and [M, K]");
    const PeMode mode = pe_mode(op.weight.type, input.type);
    const int64_t n_rows = input.dim(0), outputs = op.weight.dim(0), reduction = input.dim(1);
    require_bias(op.bias, outputs, "fully_connected");
    validate(op.output_stage, outputs, "fully_connected");
    for (const Dyadic& m : op.output_stage.multipliers) require_well_formed(m, "fully_connected: output multiplier");

    // The input rows are the array's columns as they are: [N][K].
    std::vector<int32_t> acc(static_cast<size_t>(outputs * n_rows), 0);
    gemm(mode, op.weight.data.data(), outputs, reduction, input.data.data(), n_rows, acc.data(),
         traced_element_ >= 0 ? traced_element_ % outputs : -1);
    std::vector<PpuElement> elements(acc.size());
    for (int64_t n = 0; n < n_rows; ++n) {
        for (int64_t m = 0; m < outputs; ++m) {
            elements[static_cast<size_t>(n * outputs + m)] =
                PpuElement{acc[static_cast<size_t>(m * n_rows + n)], bias_of(op.bias, m), op.output_stage.multiplier_for(m), 0};
        }
    }
    const PpuSettings settings{false, dyadic_one(), op.output_stage.output_type, op.output_stage.relu};
    Tensor output({n_rows, outputs}, settings.output_type);
    post_process(settings, elements, output.data.data());
    return output;
}

Tensor RtlBackend::residual_add(const quant::QuantizedLayer&, const quant::ResidualAddLayer& op, const Tensor& main,
                                const Tensor& identity) {
    const ResidualAddStage& stage = op.stage;
    require_operand(main, 32, "residual_add main");
    require_operand(identity, 16, "residual_add identity");
    require(main.shape.size() >= 2 && identity.shape == main.shape,
            "residual_add: main " + to_string(main.shape) + " and identity " + to_string(identity.shape) +
                " must be equal [N, C, ...] shapes");
    const int64_t channels = main.dim(1);
    require(stage.main_multipliers.size() == 1 || static_cast<int64_t>(stage.main_multipliers.size()) == channels,
            "residual_add: expected 1 or " + std::to_string(channels) + " main multipliers");
    for (const Dyadic& m : stage.main_multipliers) require_well_formed(m, "residual_add: main multiplier");
    require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
    require_output_type(stage.output_type, "residual_add");
    const int64_t inner = main.size() / (main.dim(0) * channels);
    std::vector<PpuElement> elements(static_cast<size_t>(main.size()));
    for (size_t i = 0; i < elements.size(); ++i) {
        const size_t channel = stage.main_multipliers.size() == 1 ? 0 : static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
        elements[i] = PpuElement{main.data[i], 0, stage.main_multipliers[channel], identity.data[i]};
    }
    const PpuSettings settings{true, stage.identity_multiplier, stage.output_type, stage.relu};
    Tensor output(main.shape, stage.output_type);
    core_->post_process(settings, elements.data(), main.size(), output.data.data());
    return output;
}

Tensor RtlBackend::concat(const quant::QuantizedLayer&, const quant::ConcatLayer& op,
                          const std::vector<const Tensor*>& inputs) {
    require(!inputs.empty() && inputs.size() == op.multipliers.size(),
            "concat: expected one multiplier per input, got " + std::to_string(op.multipliers.size()) + " for " +
                std::to_string(inputs.size()) + " inputs");
    require_output_type(op.output_type, "concat");
    const Shape& first = inputs[0]->shape;
    require(first.size() >= 2, "concat: inputs must be [N, C, ...], got " + to_string(first));
    int64_t channels = 0;
    for (size_t k = 0; k < inputs.size(); ++k) {
        const Tensor& x = *inputs[k];
        require_operand(x, 32, "concat input " + std::to_string(k));
        require_well_formed(op.multipliers[k], "concat: multiplier " + std::to_string(k));
        Shape expected = first;
        expected[1] = x.shape.size() == first.size() ? x.shape[1] : -1;
        require(x.shape == expected, "concat: input " + std::to_string(k) + " shape " + to_string(x.shape) +
                                         " does not match " + to_string(first) + " outside the channel axis");
        channels += x.dim(1);
    }
    Shape out_shape = first;
    out_shape[1] = channels;
    Tensor output(out_shape, op.output_type);
    const int64_t images = first[0], inner = element_count(first) / (first[0] * first[1]);
    const PpuSettings settings{false, dyadic_one(), op.output_type, false};
    int64_t channel_offset = 0;
    for (size_t k = 0; k < inputs.size(); ++k) {
        const Tensor& x = *inputs[k];
        std::vector<PpuElement> elements(static_cast<size_t>(x.size()));
        for (size_t i = 0; i < elements.size(); ++i) elements[i] = PpuElement{x.data[i], 0, op.multipliers[k], 0};
        std::vector<int32_t> results(elements.size());
        core_->post_process(settings, elements.data(), x.size(), results.data());
        // Input k's channels land at channel_offset.. of every image.
        const int64_t block = x.dim(1) * inner;
        for (int64_t n = 0; n < images; ++n) {
            std::copy(results.begin() + n * block, results.begin() + (n + 1) * block,
                      output.data.begin() + (n * channels + channel_offset) * inner);
        }
        channel_offset += x.dim(1);
    }
    return output;
}

Tensor RtlBackend::run_pool2d(const Tensor& input, const Pool2dParams& p, const AveragePoolStage* stage) {
    const char* op_name = stage != nullptr ? "average_pool2d" : "max_pool2d";
    validate(input, std::string(op_name) + " input");
    const Shape out_shape = pool2d_output_shape(input.shape, p, op_name);
    const int64_t window = int64_t{p.kernel_h} * p.kernel_w;
    if (stage != nullptr) {
        require(static_cast<int64_t>(stage->multiplier_by_count.size()) == window,
                "average_pool2d: expected " + std::to_string(window) + " multipliers (one per window count 1.." +
                    std::to_string(window) + "), got " + std::to_string(stage->multiplier_by_count.size()));
        for (size_t k = 0; k < stage->multiplier_by_count.size(); ++k) {
            require_well_formed(stage->multiplier_by_count[k], "average_pool2d: multiplier for count " + std::to_string(k + 1));
        }
        require_output_type(stage->output_type, "average_pool2d");
    }
    // Gathers every window's in-image elements (padding is never read: it adds nothing to a sum and
    // never wins a max) and picks an average window's multiplier by its count.
    const int64_t in_h = input.dim(2), in_w = input.dim(3);
    const int64_t outputs = element_count(out_shape);
    std::vector<PoolWindowSpan> windows(static_cast<size_t>(outputs));
    std::vector<int32_t> values;
    values.reserve(static_cast<size_t>(outputs * window));
    size_t i = 0;
    for (int64_t n = 0; n < out_shape[0]; ++n) {
        for (int64_t c = 0; c < out_shape[1]; ++c) {
            for (int64_t y = 0; y < out_shape[2]; ++y) {
                for (int64_t x = 0; x < out_shape[3]; ++x, ++i) {
                    const PoolWindow w = pool_window(p, y, x, in_h, in_w);
                    PoolWindowSpan& span = windows[i];
                    span.begin = static_cast<int64_t>(values.size());
                    span.count = w.count();
                    for (int64_t r = w.row_begin; r < w.row_end; ++r) {
                        for (int64_t s = w.col_begin; s < w.col_end; ++s) values.push_back(input.at(n, c, r, s));
                    }
                    if (stage != nullptr) {
                        const int64_t count = stage->count_include_pad ? window : span.count;
                        span.multiplier = stage->multiplier_by_count[static_cast<size_t>(count - 1)];
                    }
                }
            }
        }
    }
    const PoolSettings settings{stage == nullptr, stage != nullptr ? stage->output_type : input.type};
    Tensor output(out_shape, settings.output_type);
    if (stage == nullptr) output.scales = input.scales;  // max keeps its input's type and scale
    core_->pool(settings, values.data(), windows.data(), outputs, output.data.data());
    return output;
}

Tensor RtlBackend::max_pool2d(const quant::QuantizedLayer&, const quant::MaxPool2dLayer& op, const Tensor& input) {
    return run_pool2d(input, op.params, nullptr);
}

Tensor RtlBackend::average_pool2d(const quant::QuantizedLayer&, const quant::AveragePool2dLayer& op, const Tensor& input) {
    return run_pool2d(input, op.params, &op.stage);
}

Tensor RtlBackend::global_average_pool(const quant::QuantizedLayer&, const quant::GlobalAveragePoolLayer& op,
                                       const Tensor& input) {
    validate(input, "global_average_pool input");
    require(input.shape.size() == 4, "global_average_pool: input must be 4-D NCHW, got " + to_string(input.shape));
    require(input.dim(2) >= 1 && input.dim(3) >= 1,
            "global_average_pool: input " + to_string(input.shape) + " has an empty spatial extent");
    require_well_formed(op.multiplier, "global_average_pool: multiplier");
    require_output_type(op.output_type, "global_average_pool");
    // One window per channel plane, which lies contiguous in NCHW.
    const int64_t planes = input.dim(0) * input.dim(1), plane = input.dim(2) * input.dim(3);
    std::vector<PoolWindowSpan> windows(static_cast<size_t>(planes));
    for (int64_t i = 0; i < planes; ++i) windows[static_cast<size_t>(i)] = PoolWindowSpan{i * plane, plane, op.multiplier};
    const PoolSettings settings{false, op.output_type};
    Tensor output({input.dim(0), input.dim(1), 1, 1}, op.output_type);
    core_->pool(settings, input.data.data(), windows.data(), planes, output.data.data());
    return output;
}

}  // namespace dyadic::rtl
