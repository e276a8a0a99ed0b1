#pragma once
// conv2d on the cpu engine: equal to reference dyadic::conv2d and to the fused
// residual_add(conv2d_accumulate(...)) for every input, including the ones the reference refuses
// (those, and layers whose accumulator bound cannot be proven below 2^31, run on the reference).
#include "cpu/runtime.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/residual_add.h"

namespace dyadic::cpu {

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
              const OutputStage& stage, const Runtime& runtime);

// residual_add(conv2d_accumulate(input, weight, bias, params), identity, stage)
Tensor conv2d_residual(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
                       const Tensor& identity, const ResidualAddStage& stage, const Runtime& runtime);

}  // namespace dyadic::cpu
