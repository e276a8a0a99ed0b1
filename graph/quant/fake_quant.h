#pragma once
// The fake-quantized float model: the integer model's quantization applied in float, run on the
// IR's float executor (docs/quantization.md, "Fake quantization"). Weights and biases are the
// integer ones times their scales; every activation tensor is rounded to its integer grid and
// clamped to its type's range (transform hook) as soon as it exists. Comparing its predictions
// with the integer model's separates quantization error (both have it) from integer-arithmetic
// error (only the dyadic multipliers and their rounding differ).
#include <cstdint>
#include <map>
#include <string>

#include "graph/ir/executor.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"
#include "graph/quant/quantized_model.h"

namespace dyadic::quant {

class FakeQuantModel {
public:
    // Builds a float graph with one node per integer layer (requantize becomes a one-input
    // Concat, an identity in float whose output is then rounded to the new grid).
    explicit FakeQuantModel(const QuantizedModel& model);

    FakeQuantModel(const FakeQuantModel&) = delete;
    FakeQuantModel& operator=(const FakeQuantModel&) = delete;

    // Runs `input` ([N, ...] float, the model's float input) `batch_size` images at a time and
    // returns the model's output in real units (integer grid value times scale). The model must
    // have a single output (the float executor's batched run).
    ir::FloatTensor run(const ir::FloatTensor& input, int64_t batch_size) const;

    const ir::Graph& graph() const { return graph_; }

private:
    ir::Graph graph_;
    std::map<std::string, TensorInfo> quantization_;  // by tensor name
    std::string input_name_;
    ir::FloatExecutor executor_;  // declared last: it refers to graph_
};

// clamp(round(x / scale), type range) * scale, rounding halves toward +infinity like the integer
// requantization; `round_half_even` instead mirrors quantize_input at the model's input.
float fake_quantize(float x, double scale, const IntType& type, bool round_half_even = false);

// fake_quantize on each of `count` values in place, with the same results bit for bit (the
// round-half-up form vectorized: it runs on every activation of every fake-quant evaluation).
void fake_quantize_values(float* values, int64_t count, double scale, const IntType& type,
                          bool round_half_even = false);

}  // namespace dyadic::quant
