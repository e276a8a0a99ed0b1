#include "graph/verify/random_input.h"

#include <random>

#include "util/error.h"

namespace dyadic::verify {

Tensor random_model_input(const quant::QuantizedModel& model, uint64_t seed, int64_t batch) {
    require(model.input >= 0 && static_cast<size_t>(model.input) < model.tensors.size(), "model: input tensor id out of range");
    require(batch >= 1, "random input: the batch must hold at least one image");
    const quant::TensorInfo& info = model.tensors[static_cast<size_t>(model.input)];
    require(!info.shape.empty(), "model: the input has no shape");
    Shape shape = info.shape;
    shape[0] = batch;
    Tensor t(shape, info.type);
    std::mt19937_64 rng(seed);
    // The range has at most 2^32 values (int32), so the modulo bias of a 64-bit draw is below 2^-32.
    const uint64_t span = static_cast<uint64_t>(info.type.max() - info.type.min()) + 1;
    for (int32_t& v : t.data) v = static_cast<int32_t>(info.type.min() + static_cast<int64_t>(rng() % span));
    t.scales = {info.scale};
    return t;
}

}  // namespace dyadic::verify
