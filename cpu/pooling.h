#pragma once
// Pooling on the cpu backend: the reference's loops without per-element checks, planes spread
// over the thread pool, window sums in int64. Equal to reference/ops/max_pool2d and
// average_pool2d for every input: refused operands, and window sums that leave int32, are handed
// to the reference, which throws its own message.
#include "cpu/runtime.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/max_pool2d.h"

namespace dyadic::cpu {

Tensor max_pool2d(const Tensor& input, const Pool2dParams& params, const Runtime& runtime);
Tensor average_pool2d(const Tensor& input, const Pool2dParams& params, const AveragePoolStage& stage,
                      const Runtime& runtime);
Tensor global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type, const Runtime& runtime);

}  // namespace dyadic::cpu
