#pragma once
// Turns grey-level images into the float32 NCHW input the bundled models were trained on:
//   x = (pixel / 255 - mean) / std
// evaluated in double and rounded once to float, so every consumer gets the same float bits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/dataset/fashion_mnist.h"

namespace dyadic::dataset {

struct InputNormalization {
    double mean = 0.0;
    double std = 1.0;
};

struct FloatBatch {
    std::array<int64_t, 4> shape{};  // {N, 1, rows, cols}
    std::vector<float> values;       // N*rows*cols, NCHW
};

// The normalized value of one grey level (the formula above).
float normalize_pixel(uint8_t pixel, const InputNormalization& normalization);

// Images [first, first + count) as a [count, 1, rows, cols] batch. Throws dyadic::Error when the
// range leaves the image set, count is 0, or std is not a positive finite number.
FloatBatch normalized_batch(const LabelledImages& images, std::size_t first, std::size_t count,
                            const InputNormalization& normalization);

}  // namespace dyadic::dataset
