#include "graph/dataset/normalized_batch.h"

#include <cmath>
#include <string>

#include "util/error.h"

namespace dyadic::dataset {

float normalize_pixel(uint8_t pixel, const InputNormalization& normalization) {
    return static_cast<float>((pixel / 255.0 - normalization.mean) / normalization.std);
}

FloatBatch normalized_batch(const LabelledImages& images, std::size_t first, std::size_t count,
                            const InputNormalization& normalization) {
    require(std::isfinite(normalization.mean) && std::isfinite(normalization.std) && normalization.std > 0.0,
            "input normalization needs a finite mean and a positive finite std");
    require(count > 0, "a batch needs at least one image");
    require(first <= images.count && count <= images.count - first,
            "batch of images [" + std::to_string(first) + ", " + std::to_string(first + count) +
                ") leaves the " + std::to_string(images.count) + " images available");

    // A lookup table: 256 possible grey levels, so each value is computed once.
    float table[256];
    for (int level = 0; level < 256; ++level) table[level] = normalize_pixel(static_cast<uint8_t>(level), normalization);

    FloatBatch batch;
    batch.shape = {static_cast<int64_t>(count), 1, static_cast<int64_t>(images.rows),
                   static_cast<int64_t>(images.cols)};
    const std::size_t begin = first * images.image_size();
    const std::size_t size = count * images.image_size();
    batch.values.resize(size);
    for (std::size_t i = 0; i < size; ++i) batch.values[i] = table[images.pixels[begin + i]];
    return batch;
}

}  // namespace dyadic::dataset
