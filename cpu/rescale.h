#pragma once
// The elementwise rescaling ops on the cpu backend: residual_add and concat (requantize is a
// one-input concat), with the multipliers checked once per call instead of once per element and
// the work spread over the thread pool. Equal to reference/ops/residual_add and concat for every
// input; refused operands are handed to the reference, which throws its own message.
#include <vector>

#include "cpu/runtime.h"
#include "reference/ops/concat.h"
#include "reference/ops/residual_add.h"

namespace dyadic::cpu {

Tensor residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage, const Runtime& runtime);
Tensor concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       IntType output_type, const Runtime& runtime);

}  // namespace dyadic::cpu
