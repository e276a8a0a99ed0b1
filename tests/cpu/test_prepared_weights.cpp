// The cpu backend's weight cache (cpu/prepared_weights.h): a layer run again gets its packed
// weights from the cache, and a weight or bias changed in place (same address, so the same cache
// key) gets new ones: every run == the reference on the weights as they are at that run. Three
// layers cover the three packed forms: Winograd's transformed weights, the GEMM's packed groups
// (a strided conv) and a fully connected layer.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cpu/conv2d.h"
#include "cpu/fully_connected.h"
#include "cpu/prepared_weights.h"
#include "random_layers.h"
#include "reference_check.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

struct Layer {
    std::string name, expected_path;  // the packed form the layer must take: "winograd" or "gemm"
    Tensor input, weight, bias;
    Conv2dParams params;
    bool fully_connected = false;
    OutputStage stage;

    Tensor reference() const {
        return fully_connected ? dyadic::fully_connected(input, weight, bias, stage)
                               : dyadic::conv2d(input, weight, bias, params, stage);
    }
    Tensor cpu(const cpu::Runtime& runtime) const {
        return fully_connected ? cpu::fully_connected(input, weight, bias, stage, runtime)
                               : cpu::conv2d(input, weight, bias, params, stage, runtime);
    }
};

Layer make_layer(std::mt19937& rng, const std::string& name, const std::string& expected_path, const Shape& input, const IntType& x_type, const Shape& weight,
                 const IntType& w_type, int stride, bool fully_connected) {
    Layer l;
    l.name = name;
    l.expected_path = expected_path;
    l.fully_connected = fully_connected;
    l.input = random_tensor(input, x_type, rng);
    l.weight = random_tensor(weight, w_type, rng);
    l.bias = random_bias(weight[0], 1 << 12, rng);
    l.params.stride_h = l.params.stride_w = stride;
    l.params.pad_top = l.params.pad_left = l.params.pad_bottom = l.params.pad_right = fully_connected ? 0 : 1;
    l.stage.output_type = IntType::signed_bits(8);
    l.stage.multipliers = {to_dyadic(1.0 / 256)};
    return l;
}

// Every weight w -> -w (the type's minimum -> its maximum): a change every output sees.
void negate_weights(Tensor& weight) {
    for (int32_t& w : weight.data) w = w == weight.type.min() ? static_cast<int32_t>(weight.type.max()) : -w;
}

}  // namespace

TEST_CASE("weight cache: a layer's packed weights are reused, and never after its weights change",
          "[cpu][prepared_weights]") {
    ThreadPool pool(2);
    for (const cpu::Isa isa : paths_to_test()) {
        std::mt19937 rng(41);
        std::vector<Layer> layers;
        layers.push_back(make_layer(rng, "3x3 stride 1", "winograd", {2, 16, 6, 6}, IntType::signed_bits(10), {24, 16, 3, 3},
                                    IntType::signed_bits(8), 1, false));
        layers.push_back(make_layer(rng, "3x3 stride 2", "gemm", {2, 8, 7, 7}, IntType::unsigned_bits(4), {12, 8, 3, 3},
                                    IntType::signed_bits(4), 2, false));
        layers.push_back(make_layer(rng, "fully connected", "gemm", {5, 40}, IntType::signed_bits(8), {10, 40},
                                    IntType::signed_bits(8), 1, true));
        for (Layer& l : layers) {
            INFO("path " << cpu::isa_name(isa) << ", " << l.name);
            cpu::WeightCache cache;
            std::string path;
            const cpu::Runtime runtime{isa, &pool, &path, &cache};
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(runtime); });
            const std::string first_path = path;
            INFO("took " << first_path);
            CHECK(first_path.find(l.expected_path) != std::string::npos);
            REQUIRE(cache.entries() == 1);
            const auto prepared = cache.prepared(l.weight, l.bias);
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(runtime); });
            CHECK(path == first_path);
            CHECK(cache.prepared(l.weight, l.bias) == prepared);  // served again, not made again
            CHECK(cache.entries() == 1);

            // Changed in place: same address, new contents, so new packed weights.
            const Tensor before = l.reference();
            negate_weights(l.weight);
            REQUIRE(l.reference().data != before.data);  // a stale packing would be caught
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(runtime); });
            CHECK(cache.prepared(l.weight, l.bias) != prepared);
            const Tensor before_bias = l.reference();
            for (int32_t& b : l.bias.data) b += 3000;
            REQUIRE(l.reference().data != before_bias.data);
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(runtime); });
            CHECK(cache.entries() == 1);
        }

        // The bound: a cache with room for exactly the first layer's 3,480 elements starts over
        // for the second (876), then keeps the third (410) beside it; a layer larger than the
        // bound is prepared for its call alone. Results stay equal either way.
        cpu::WeightCache first_layer(layers[0].weight.data.size() + layers[0].bias.data.size());
        cpu::WeightCache too_small(1);
        const size_t expected_entries[] = {1, 1, 2};
        for (size_t i = 0; i < layers.size(); ++i) {
            const Layer& l = layers[i];
            INFO("path " << cpu::isa_name(isa) << ", bounded caches, " << l.name);
            const cpu::Runtime bounded{isa, &pool, nullptr, &first_layer}, uncached{isa, &pool, nullptr, &too_small};
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(bounded); });
            check_equal([&] { return l.reference(); }, [&] { return l.cpu(uncached); });
            CHECK(first_layer.entries() == expected_entries[i]);
            CHECK(too_small.entries() == 0);
        }
        REQUIRE(layers[0].weight.data.size() + layers[0].bias.data.size() == 3480);
    }
}
