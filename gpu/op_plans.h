#pragma once
// Host-side preparation of the GPU's non-GEMM ops (pooling, concat/requantize, residual add):
// checks, output shape and type, and the kernel arguments except the buffer pointers, which the
// CUDA backend (device memory) or the host emulation (host vectors) fill in.
#include <cstdint>
#include <vector>

#include "gpu/elementwise_ops.h"
#include "gpu/pool_ops.h"
#include "reference/dyadic.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/pool2d_params.h"
#include "reference/ops/residual_add.h"
#include "reference/tensor.h"

namespace dyadic::gpu {

struct PoolPlan {
    PoolArgs args;                         // input/output/multiplier pointers unset
    std::vector<int32_t> mantissa, shift;  // by window count (average) or one entry (global)
    Shape output_shape;
    IntType output_type;
};

PoolPlan plan_max_pool(const Pool2dParams& params, const Shape& input_shape, const IntType& input_type);
PoolPlan plan_average_pool(const Pool2dParams& params, const AveragePoolStage& stage, const Shape& input_shape,
                           const IntType& input_type);
PoolPlan plan_global_average_pool(const Dyadic& multiplier, const IntType& output_type, const Shape& input_shape,
                                  const IntType& input_type);

// One launch per concat input (a requantize layer is a one-input concat).
struct ConcatPlan {
    std::vector<RescaleArgs> parts;  // input/output pointers unset
    Shape output_shape;
    IntType output_type;
};
ConcatPlan plan_concat(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       const IntType& output_type);

struct ResidualAddPlan {
    ResidualAddArgs args;  // pointers unset
    std::vector<int32_t> main_mantissa, main_shift;
    Shape output_shape;
    IntType output_type;
};
ResidualAddPlan plan_residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage);

}  // namespace dyadic::gpu
