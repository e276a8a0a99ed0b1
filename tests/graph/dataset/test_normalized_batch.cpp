// Normalized float batches against the formula x = (p/255 - mean)/std computed here independently.
#include <catch2/catch.hpp>

#include <cmath>

#include "graph/dataset/normalized_batch.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::dataset;
using Catch::Matchers::Contains;

namespace {

LabelledImages ramp_images(std::size_t count, std::size_t rows, std::size_t cols) {
    LabelledImages set;
    set.count = count;
    set.rows = rows;
    set.cols = cols;
    for (std::size_t i = 0; i < count * rows * cols; ++i) set.pixels.push_back(static_cast<uint8_t>(i * 37 % 256));
    set.labels.assign(count, 0);
    return set;
}

}  // namespace

TEST_CASE("Pixel normalization hits the hand-derived values", "[dataset][normalize]") {
    const InputNormalization fmnist{0.2860, 0.3530};
    // pixel 0: -0.286/0.353 ; pixel 255: 0.714/0.353
    CHECK(normalize_pixel(0, fmnist) == static_cast<float>(-0.2860 / 0.3530));
    CHECK(normalize_pixel(255, fmnist) == static_cast<float>(0.7140 / 0.3530));
    // identity normalization maps p to p/255 rounded once to float.
    const InputNormalization identity{0.0, 1.0};
    for (int p = 0; p < 256; ++p) CHECK(normalize_pixel(static_cast<uint8_t>(p), identity) == static_cast<float>(p / 255.0));
    // mean 0.5, std 0.5: pixel 51 -> (0.2 - 0.5) / 0.5 = -0.6
    CHECK(normalize_pixel(51, {0.5, 0.5}) == Approx(-0.6).epsilon(1e-7));
}

TEST_CASE("Normalized batch is NCHW with one channel and the right images", "[dataset][normalize]") {
    const LabelledImages set = ramp_images(5, 3, 2);
    const InputNormalization normalization{0.25, 0.5};
    const FloatBatch batch = normalized_batch(set, 1, 3, normalization);
    CHECK(batch.shape == std::array<int64_t, 4>{3, 1, 3, 2});
    REQUIRE(batch.values.size() == 18);
    for (std::size_t n = 0; n < 3; ++n)
        for (std::size_t h = 0; h < 3; ++h)
            for (std::size_t w = 0; w < 2; ++w) {
                const uint8_t pixel = set.pixels[(1 + n) * 6 + h * 2 + w];
                const float expected = static_cast<float>((pixel / 255.0 - 0.25) / 0.5);
                CHECK(batch.values[n * 6 + h * 2 + w] == expected);
            }
}

TEST_CASE("Normalized batch rejects ranges outside the set and bad parameters", "[dataset][normalize]") {
    const LabelledImages set = ramp_images(5, 2, 2);
    CHECK_NOTHROW(normalized_batch(set, 0, 5, {0.0, 1.0}));
    CHECK_NOTHROW(normalized_batch(set, 4, 1, {0.0, 1.0}));
    CHECK_THROWS_WITH(normalized_batch(set, 4, 2, {0.0, 1.0}), Contains("[4, 6)") && Contains("5 images"));
    CHECK_THROWS_WITH(normalized_batch(set, 6, 1, {0.0, 1.0}), Contains("leaves"));
    CHECK_THROWS_WITH(normalized_batch(set, 0, 0, {0.0, 1.0}), Contains("at least one image"));
    CHECK_THROWS_AS(normalized_batch(set, 0, 1, {0.0, 0.0}), Error);
    CHECK_THROWS_AS(normalized_batch(set, 0, 1, {0.0, -1.0}), Error);
    CHECK_THROWS_AS(normalized_batch(set, 0, 1, {std::nan(""), 1.0}), Error);
}
