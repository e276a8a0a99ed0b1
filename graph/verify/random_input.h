#pragma once
// Seeded pseudo-random integer inputs, for runs without real data (`dyadic sim`, `dyadic verify
// --random`): timing does not depend on values, and verification wants varied ones. The same seed
// gives the same tensor on every machine (std::mt19937_64 and a fixed mapping to the range, not
// std::uniform_int_distribution, whose output the C++ standard leaves to each library).
#include <cstdint>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::verify {

// A tensor of the model's input type and shape with batch `batch`, elements uniform over the
// type's whole range, scales set to the input's scale.
Tensor random_model_input(const quant::QuantizedModel& model, uint64_t seed, int64_t batch = 1);

}  // namespace dyadic::verify
