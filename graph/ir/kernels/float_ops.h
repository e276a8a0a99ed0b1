#pragma once
// Float kernels of the executor, one file per op. Each writes into `out`, whose shape the
// executor has already set from shape inference (graph/ir/shape_inference.h) and which is
// zero-filled. Inputs and parameters are assumed checked by shape inference.
#include <vector>

#include "graph/ir/float_tensor.h"
#include "graph/ir/node.h"

namespace dyadic::ir::kernels {

// activation(conv(x) + bias [+ identity]), im2col + packed GEMM (sgemm.h), all groups, any batch.
void conv2d(const FloatTensor& x, const Node& node, const FloatTensor* identity, FloatTensor& out);
// activation(x * weight^T + bias), Eigen GEMM.
void fully_connected(const FloatTensor& x, const Node& node, FloatTensor& out);
void batch_norm(const FloatTensor& x, const BatchNormParameters& params, FloatTensor& out);
void max_pool(const FloatTensor& x, const PoolAttributes& attrs, FloatTensor& out);
void average_pool(const FloatTensor& x, const PoolAttributes& attrs, FloatTensor& out);
void global_average_pool(const FloatTensor& x, FloatTensor& out);
void add(const FloatTensor& a, const FloatTensor& b, FloatTensor& out);  // then apply_activation
void concat(const std::vector<const FloatTensor*>& inputs, int axis, FloatTensor& out);
// Relu / Clip(0, u) in place; does nothing for an activation without relu.
void apply_activation(const Activation& activation, FloatTensor& tensor);

}  // namespace dyadic::ir::kernels
