// Pooling, residual_add and concat/requantize on the cpu backend against the reference with == on
// seeded random operands: every input width up to int32 (where window sums can leave int32 and
// both must throw), paddings with and without counting them, per-channel and shared multipliers
// with forced ties, ReLU, and several inputs to concat.
#include <catch2/catch.hpp>

#include "cpu/pooling.h"
#include "cpu/rescale.h"
#include "random_layers.h"
#include "reference_check.h"
#include "util/error.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

// Any type the pooling and concat inputs may have, int32 included.
IntType any_type(std::mt19937& rng) {
    if (coin(rng, 6)) return IntType::int32();
    return coin(rng) ? IntType::signed_bits(uniform(rng, 2, 16)) : IntType::unsigned_bits(uniform(rng, 2, 16));
}

}  // namespace

TEST_CASE("cpu pooling equals the reference on random inputs", "[cpu][pooling]") {
    ThreadPool pool(3);
    std::string path;
    const cpu::Runtime runtime{cpu::best_isa(), &pool, &path};
    std::mt19937 rng(3000);
    for (int iteration = 0; iteration < 300; ++iteration) {
        Pool2dParams p;
        p.kernel_h = uniform(rng, 1, 4);
        p.kernel_w = uniform(rng, 1, 4);
        p.stride_h = uniform(rng, 1, 3);
        p.stride_w = uniform(rng, 1, 3);
        p.pad_top = uniform(rng, 0, p.kernel_h - 1);
        p.pad_bottom = uniform(rng, 0, p.kernel_h - 1);
        p.pad_left = uniform(rng, 0, p.kernel_w - 1);
        p.pad_right = uniform(rng, 0, p.kernel_w - 1);
        const Tensor input =
            random_tensor({uniform(rng, 1, 3), uniform(rng, 1, 5), uniform(rng, 1, 9), uniform(rng, 1, 9)}, any_type(rng), rng);
        INFO("case " << iteration << ": " << describe(input) << " kernel " << p.kernel_h << "x" << p.kernel_w);
        check_equal([&] { return dyadic::max_pool2d(input, p); }, [&] { return cpu::max_pool2d(input, p, runtime); });
        const IntType out_type = random_output_type(rng);
        const int window = p.kernel_h * p.kernel_w;
        AveragePoolStage stage;
        stage.output_type = out_type;
        stage.count_include_pad = coin(rng);
        for (int k = 1; k <= window; ++k) stage.multiplier_by_count.push_back(random_multiplier(rng, 1.0, out_type.bits));
        check_equal([&] { return dyadic::average_pool2d(input, p, stage); },
                    [&] { return cpu::average_pool2d(input, p, stage, runtime); });
        const Dyadic m = random_multiplier(rng, 1.0, out_type.bits);
        check_equal([&] { return dyadic::global_average_pool(input, m, out_type); },
                    [&] { return cpu::global_average_pool(input, m, out_type, runtime); });
    }
}

TEST_CASE("cpu residual_add and concat equal the reference on random inputs", "[cpu][elementwise]") {
    ThreadPool pool(3);
    std::string path;
    const cpu::Runtime runtime{cpu::best_isa(), &pool, &path};
    std::mt19937 rng(4000);
    for (int iteration = 0; iteration < 300; ++iteration) {
        const Shape shape{uniform(rng, 1, 3), uniform(rng, 1, 6), uniform(rng, 1, 7), uniform(rng, 1, 7)};
        const Tensor main = random_tensor(shape, any_type(rng), rng);
        const Tensor identity = random_tensor(shape, coin(rng) ? IntType::signed_bits(16) : random_output_type(rng), rng);
        ResidualAddStage stage;
        stage.output_type = random_output_type(rng);
        stage.relu = coin(rng);
        for (int64_t c = 0, count = coin(rng) ? 1 : shape[1]; c < count; ++c) {
            stage.main_multipliers.push_back(random_multiplier(rng, 1e3, stage.output_type.bits));
        }
        stage.identity_multiplier = random_multiplier(rng, 100.0, stage.output_type.bits);
        INFO("case " << iteration << ": " << describe(main) << " + " << describe(identity));
        check_equal([&] { return dyadic::residual_add(main, identity, stage); },
                    [&] { return cpu::residual_add(main, identity, stage, runtime); });
        CHECK(path == "cpu elementwise");

        std::vector<Tensor> parts;
        std::vector<Dyadic> multipliers;
        const IntType out_type = random_output_type(rng);
        for (int i = 0, count = uniform(rng, 1, 4); i < count; ++i) {
            parts.push_back(random_tensor({shape[0], uniform(rng, 1, 5), shape[2], shape[3]}, any_type(rng), rng));
            multipliers.push_back(random_multiplier(rng, 100.0, out_type.bits));
        }
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : parts) inputs.push_back(&t);
        check_equal([&] { return dyadic::concat_channels(inputs, multipliers, out_type); },
                    [&] { return cpu::concat_channels(inputs, multipliers, out_type, runtime); });
        CHECK(path == "cpu elementwise");
    }
}

TEST_CASE("cpu ops hand refused operands to the reference", "[cpu][elementwise]") {
    ThreadPool pool(1);
    const cpu::Runtime runtime{cpu::Isa::kScalar, &pool, nullptr};
    Tensor bad({1, 1, 2, 2}, IntType::unsigned_bits(4));
    bad.data[1] = 16;  // outside uint4
    CHECK_THROWS_WITH(cpu::max_pool2d(bad, Pool2dParams{}, runtime), Catch::Matchers::Contains("max_pool2d input"));
    // A window sum beyond int32 throws, as in the reference.
    Tensor big({1, 1, 2, 2}, IntType::int32());
    for (int32_t& v : big.data) v = 2000000000;
    const AveragePoolStage stage{{dyadic_one(), dyadic_one(), dyadic_one(), dyadic_one()}, IntType::signed_bits(8), false};
    CHECK_THROWS_WITH(cpu::average_pool2d(big, Pool2dParams{}, stage, runtime), Catch::Matchers::Contains("overflow"));
}
