#include "graph/quant/fake_quant.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <immintrin.h>

#include "graph/ir/shape_inference.h"
#include "util/cpu_features.h"
#include "util/error.h"

namespace dyadic::quant {
namespace {

using ir::FloatTensor;
using ir::Node;
using ir::OpKind;

// weight[o, ...] * scale[o] as float.
FloatTensor dequantize_weight(const Tensor& weight) {
    FloatTensor out(weight.shape);
    const int64_t per_channel = weight.size() / weight.shape.at(0);
    for (int64_t i = 0; i < weight.size(); ++i) {
        out.data[static_cast<size_t>(i)] =
            static_cast<float>(weight.data[static_cast<size_t>(i)] * weight.scales[static_cast<size_t>(i / per_channel)]);
    }
    return out;
}

FloatTensor dequantize_bias(const Tensor& bias, const std::vector<double>& weight_scales, double input_scale) {
    if (bias.shape.empty()) return FloatTensor{};
    FloatTensor out(bias.shape);
    for (int64_t o = 0; o < bias.size(); ++o) {
        out.data[static_cast<size_t>(o)] =
            static_cast<float>(bias.data[static_cast<size_t>(o)] * weight_scales[static_cast<size_t>(o)] * input_scale);
    }
    return out;
}

ir::PoolAttributes pool_attributes(const Pool2dParams& p, bool count_include_pad) {
    ir::PoolAttributes a;
    a.kernel_h = p.kernel_h;
    a.kernel_w = p.kernel_w;
    a.stride_h = p.stride_h;
    a.stride_w = p.stride_w;
    a.pad_top = p.pad_top;
    a.pad_left = p.pad_left;
    a.pad_bottom = p.pad_bottom;
    a.pad_right = p.pad_right;
    a.count_include_pad = count_include_pad;
    return a;
}

ir::Graph build_graph(const QuantizedModel& model) {
    ir::Graph graph;
    const auto name_of = [&](TensorId id) { return model.tensors.at(static_cast<size_t>(id)).name; };
    const auto scale_of = [&](TensorId id) { return model.tensors.at(static_cast<size_t>(id)).scale; };
    graph.add_input(name_of(model.input), model.tensors.at(static_cast<size_t>(model.input)).shape);
    for (const QuantizedLayer& layer : model.layers) {
        Node node;
        node.name = layer.name;
        for (const TensorId id : layer.inputs) node.inputs.push_back(name_of(id));
        node.outputs = {name_of(layer.output)};
        std::visit(
            [&](const auto& op) {
                using T = std::decay_t<decltype(op)>;
                if constexpr (std::is_same_v<T, Conv2dLayer>) {
                    node.op = OpKind::Conv;
                    const Conv2dParams& p = op.params;
                    node.conv = ir::ConvAttributes{static_cast<int>(op.weight.shape[2]),
                                                   static_cast<int>(op.weight.shape[3]),
                                                   p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                                                   p.pad_right, p.dilation_h, p.dilation_w, p.groups};
                    node.weight = dequantize_weight(op.weight);
                    node.bias = dequantize_bias(op.bias, op.weight.scales, scale_of(layer.inputs[0]));
                    node.activation.relu = op.residual ? op.residual->stage.relu : op.output_stage.relu;
                } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                    node.op = OpKind::FullyConnected;
                    node.weight = dequantize_weight(op.weight);
                    node.bias = dequantize_bias(op.bias, op.weight.scales, scale_of(layer.inputs[0]));
                    node.activation.relu = op.output_stage.relu;
                } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                    node.op = OpKind::Add;
                    node.activation.relu = op.stage.relu;
                } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                    node.op = OpKind::MaxPool;
                    node.pool = pool_attributes(op.params, false);
                } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                    node.op = OpKind::AveragePool;
                    node.pool = pool_attributes(op.params, op.stage.count_include_pad);
                } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                    node.op = OpKind::GlobalAveragePool;
                } else if constexpr (std::is_same_v<T, ConcatLayer> || std::is_same_v<T, RequantizeLayer>) {
                    node.op = OpKind::Concat;  // with one input: the identity, then rounded by the hook
                    node.axis = 1;
                } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                    node.op = OpKind::Flatten;
                    node.axis = 1;
                } else {
                    static_assert(std::is_same_v<T, ReshapeLayer>, "fake quant: unhandled layer type");
                    node.op = OpKind::Reshape;
                    node.reshape_shape = {0};  // keep the batch dimension
                    node.reshape_shape.insert(node.reshape_shape.end(), op.shape.begin(), op.shape.end());
                }
            },
            layer.op);
        graph.add_node(std::move(node));
    }
    for (const TensorId id : model.outputs) graph.add_output(name_of(id));
    ir::infer_shapes(graph);
    return graph;
}

// fake_quantize with round half up on values[begin, count), low/high the type's range.
void fake_quantize_half_up(float* values, int64_t begin, int64_t count, double scale, double low, double high) {
    for (int64_t i = begin; i < count; ++i) {
        const double q = std::clamp(std::floor(static_cast<double>(values[i]) / scale + 0.5), low, high);
        values[i] = static_cast<float>(q * scale);
    }
}

// The same four values at a time in AVX2; returns how many values it did (a multiple of 4).
// Division, floor and the product are exactly rounded IEEE operations in both forms and
// max(low, q) then min(high, .) clamp as std::clamp does (a NaN stays NaN), so the results are
// the same bit for bit. Intrinsics only: this function is compiled for a target the build's
// default lacks, so no inline library code may be instantiated in it.
__attribute__((target("avx2"))) int64_t fake_quantize_half_up_avx2(float* values, int64_t count, double scale,
                                                                  double low, double high) {
    const __m256d scale_v = _mm256_set1_pd(scale), half = _mm256_set1_pd(0.5);
    const __m256d low_v = _mm256_set1_pd(low), high_v = _mm256_set1_pd(high);
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) {
        const __m256d x = _mm256_cvtps_pd(_mm_loadu_ps(values + i));
        const __m256d rounded = _mm256_floor_pd(_mm256_add_pd(_mm256_div_pd(x, scale_v), half));
        const __m256d q = _mm256_min_pd(high_v, _mm256_max_pd(low_v, rounded));
        _mm_storeu_ps(values + i, _mm256_cvtpd_ps(_mm256_mul_pd(q, scale_v)));
    }
    return i;
}

}  // namespace

float fake_quantize(float x, double scale, const IntType& type, bool round_half_even) {
    const double v = static_cast<double>(x) / scale;
    const double rounded = round_half_even ? std::nearbyint(v) : std::floor(v + 0.5);
    const double q = std::clamp(rounded, static_cast<double>(type.min()), static_cast<double>(type.max()));
    return static_cast<float>(q * scale);
}

void fake_quantize_values(float* values, int64_t count, double scale, const IntType& type, bool round_half_even) {
    if (round_half_even) {
        for (int64_t i = 0; i < count; ++i) values[i] = fake_quantize(values[i], scale, type, true);
        return;
    }
    const double low = static_cast<double>(type.min()), high = static_cast<double>(type.max());
    const int64_t done = cpu_features().avx2 ? fake_quantize_half_up_avx2(values, count, scale, low, high) : 0;
    fake_quantize_half_up(values, done, count, scale, low, high);
}

FakeQuantModel::FakeQuantModel(const QuantizedModel& model)
    : graph_(build_graph(model)),
      input_name_(model.tensors.at(static_cast<size_t>(model.input)).name),
      executor_(graph_) {
    for (const TensorInfo& info : model.tensors) quantization_[info.name] = info;
}

ir::FloatTensor FakeQuantModel::run(const ir::FloatTensor& input, int64_t batch_size) const {
    ir::RunOptions options;
    options.transform = [this](const std::string& tensor, FloatTensor& value) {
        const TensorInfo& q = quantization_.at(tensor);
        const bool is_input = tensor == input_name_;
        fake_quantize_values(value.data.data(), value.size(), q.scale, q.type, is_input);
    };
    return executor_.run_in_batches(input, batch_size, options);
}

}  // namespace dyadic::quant
