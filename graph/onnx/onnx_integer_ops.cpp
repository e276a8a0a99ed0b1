#include "graph/onnx/onnx_integer_ops.h"

#include <string>
#include <vector>

#include "util/error.h"
#include "reference/ops/fully_connected.h"

namespace dyadic::onnx_io {
namespace {

std::vector<int64_t> ints_attribute(const onnx::NodeProto& node, const std::string& name, std::vector<int64_t> fallback) {
    for (const auto& attribute : node.attribute()) {
        if (attribute.name() == name) return std::vector<int64_t>(attribute.ints().begin(), attribute.ints().end());
    }
    return fallback;
}

int64_t int_attribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback) {
    for (const auto& attribute : node.attribute()) {
        if (attribute.name() == name) return attribute.i();
    }
    return fallback;
}

std::string string_attribute(const onnx::NodeProto& node, const std::string& name, const std::string& fallback) {
    for (const auto& attribute : node.attribute()) {
        if (attribute.name() == name) return attribute.s();
    }
    return fallback;
}

// Total padding for SAME_* auto_pad: output = ceil(input / stride).
int64_t same_total_padding(int64_t input, int64_t kernel, int64_t stride, int64_t dilation) {
    const int64_t output = (input + stride - 1) / stride;
    const int64_t needed = (output - 1) * stride + (kernel - 1) * dilation + 1 - input;
    return needed > 0 ? needed : 0;
}

}  // namespace

Tensor subtract_zero_point(const Tensor& x, const Tensor* zero_point, int per_axis) {
    Tensor shifted(x.shape, IntType::signed_bits(16));
    if (zero_point == nullptr) {
        shifted.data = x.data;
        return shifted;
    }
    const int64_t zp_count = zero_point->size();
    const bool scalar = zp_count == 1;
    require(scalar || (per_axis >= 0 && per_axis < static_cast<int>(x.shape.size()) && zp_count == x.shape[per_axis]),
            "zero point with " + std::to_string(zp_count) + " entries does not match tensor " + to_string(x.shape));
    int64_t inner = 1;
    if (!scalar) {
        for (size_t axis = static_cast<size_t>(per_axis) + 1; axis < x.shape.size(); ++axis) inner *= x.shape[axis];
    }
    for (int64_t i = 0; i < x.size(); ++i) {
        const int64_t index = scalar ? 0 : (i / inner) % zp_count;
        shifted.data[static_cast<size_t>(i)] = x.data[static_cast<size_t>(i)] - zero_point->data[static_cast<size_t>(index)];
    }
    return shifted;
}

Conv2dParams conv2d_params_from_node(const onnx::NodeProto& node, const Shape& input, const Shape& weight) {
    require(input.size() == 4 && weight.size() == 4,
            "node '" + node.name() + "' (" + node.op_type() + "): only 2-D convolutions are supported, input " +
                to_string(input) + ", weight " + to_string(weight));
    const auto strides = ints_attribute(node, "strides", {1, 1});
    const auto dilations = ints_attribute(node, "dilations", {1, 1});
    auto pads = ints_attribute(node, "pads", {0, 0, 0, 0});
    require(strides.size() == 2 && dilations.size() == 2 && pads.size() == 4,
            "node '" + node.name() + "': strides/dilations/pads must describe 2 spatial axes");
    const std::string auto_pad = string_attribute(node, "auto_pad", "NOTSET");
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        for (int axis = 0; axis < 2; ++axis) {
            const int64_t total = same_total_padding(input[2 + axis], weight[2 + axis], strides[axis], dilations[axis]);
            const int64_t small = total / 2, large = total - small;
            pads[axis] = auto_pad == "SAME_UPPER" ? small : large;
            pads[2 + axis] = auto_pad == "SAME_UPPER" ? large : small;
        }
    } else if (auto_pad == "VALID") {
        pads = {0, 0, 0, 0};
    } else {
        require(auto_pad == "NOTSET", "node '" + node.name() + "': unknown auto_pad '" + auto_pad + "'");
    }
    Conv2dParams params;
    params.stride_h = static_cast<int>(strides[0]);
    params.stride_w = static_cast<int>(strides[1]);
    params.dilation_h = static_cast<int>(dilations[0]);
    params.dilation_w = static_cast<int>(dilations[1]);
    params.pad_top = static_cast<int>(pads[0]);
    params.pad_left = static_cast<int>(pads[1]);
    params.pad_bottom = static_cast<int>(pads[2]);
    params.pad_right = static_cast<int>(pads[3]);
    params.groups = static_cast<int>(int_attribute(node, "group", 1));
    return params;
}

Tensor conv_integer(const onnx::NodeProto& node, const Tensor& x, const Tensor& w, const Tensor* x_zero_point,
                    const Tensor* w_zero_point) {
    const Conv2dParams params = conv2d_params_from_node(node, x.shape, w.shape);
    // ConvInteger's weight zero point may be per output channel (axis 0).
    return conv2d_accumulate(subtract_zero_point(x, x_zero_point, -1), subtract_zero_point(w, w_zero_point, 0),
                             Tensor(), params);
}

Tensor matmul_integer(const Tensor& a, const Tensor& b, const Tensor* a_zero_point, const Tensor* b_zero_point) {
    require(a.shape.size() == 2 && b.shape.size() == 2 && a.shape[1] == b.shape[0],
            "MatMulInteger: supported shapes are A [M, K] x B [K, N], got " + to_string(a.shape) + " x " +
                to_string(b.shape));
    const Tensor a_shifted = subtract_zero_point(a, a_zero_point, 0);
    const Tensor b_shifted = subtract_zero_point(b, b_zero_point, 1);
    // fully_connected wants the weight output-channel major: [N, K] = B transposed.
    Tensor weight({b.shape[1], b.shape[0]}, b_shifted.type);
    for (int64_t k = 0; k < b.shape[0]; ++k) {
        for (int64_t n = 0; n < b.shape[1]; ++n) {
            weight.data[static_cast<size_t>(n * b.shape[0] + k)] = b_shifted.data[static_cast<size_t>(k * b.shape[1] + n)];
        }
    }
    return fully_connected_accumulate(a_shifted, weight, Tensor());
}

}  // namespace dyadic::onnx_io
