#pragma once
// fully_connected on the cpu engine (a 1x1 conv whose pixels are the batch rows): equal to
// reference dyadic::fully_connected for every input; refused inputs and layers whose accumulator
// bound cannot be proven below 2^31 run on the reference.
#include "cpu/runtime.h"
#include "reference/ops/fully_connected.h"

namespace dyadic::cpu {

Tensor fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias, const OutputStage& stage,
                       const Runtime& runtime);

}  // namespace dyadic::cpu
