#pragma once
// ONNX ConvInteger and MatMulInteger on the reference's zero-point-free integer cores.
//
// ONNX computes sum (x - x_zp) * (w - w_zp). The reduction is exact: the differences of two
// uint8/int8 values lie in [-255, 255], so they are held in a signed 16-bit tensor and fed to
// conv2d_accumulate / fully_connected_accumulate unchanged (docs/semantics.md, "ONNX zero points").
#include <onnx/onnx_pb.h>

#include "reference/ops/conv2d.h"
#include "reference/tensor.h"

namespace dyadic::onnx_io {

// x - zero_point as a signed 16-bit tensor. zero_point is a scalar (shape {} or {1}) or, with
// per_axis >= 0, a 1-D tensor with one entry per index of that axis.
Tensor subtract_zero_point(const Tensor& x, const Tensor* zero_point, int per_axis);

// Conv2dParams from a Conv/ConvInteger node's attributes (strides, pads, dilations, group,
// auto_pad) for the given input and weight shapes. Throws Error for non-2-D convolutions.
Conv2dParams conv2d_params_from_node(const onnx::NodeProto& node, const Shape& input, const Shape& weight);

// ONNX ConvInteger: int32 output [N, M, OH, OW]. Zero points may be null (absent input).
Tensor conv_integer(const onnx::NodeProto& node, const Tensor& x, const Tensor& w, const Tensor* x_zero_point,
                    const Tensor* w_zero_point);

// ONNX MatMulInteger for 2-D A [M, K] and B [K, N]: int32 output [M, N]. a_zero_point is a
// scalar or per row of A; b_zero_point a scalar or per column of B.
Tensor matmul_integer(const Tensor& a, const Tensor& b, const Tensor* a_zero_point, const Tensor* b_zero_point);

}  // namespace dyadic::onnx_io
