// Post-processing-only layers on the SystemC model, bit-exact (==) against the reference ops:
// max and average pooling (with and without counted padding), global average pooling, standalone
// residual add (int32 main branch included) and concat, on roomy and tiny accelerators.
#include <catch2/catch.hpp>

#include <random>

#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/residual_add.h"
#include "sim/simulator.h"
#include "sim_test_support.h"

using namespace dyadic;
using simtest::coin;
using simtest::uniform;

namespace {

Pool2dParams random_pool(std::mt19937& rng, int64_t& h, int64_t& w) {
    Pool2dParams p;
    p.kernel_h = uniform(rng, 1, 4);
    p.kernel_w = coin(rng, 3) ? uniform(rng, 1, 4) : p.kernel_h;
    p.stride_h = uniform(rng, 1, 3);
    p.stride_w = uniform(rng, 1, 3);
    p.pad_top = uniform(rng, 0, p.kernel_h - 1);
    p.pad_bottom = uniform(rng, 0, p.kernel_h - 1);
    p.pad_left = uniform(rng, 0, p.kernel_w - 1);
    p.pad_right = uniform(rng, 0, p.kernel_w - 1);
    h = std::max<int64_t>(uniform(rng, 1, 16), p.kernel_h);
    w = std::max<int64_t>(uniform(rng, 1, 16), p.kernel_w);
    return p;
}

sim::AccelConfig random_config(std::mt19937& rng) {
    return coin(rng) ? sim::default_accel_config() : simtest::tiny_config(rng);
}

}  // namespace

TEST_CASE("sim max and average pooling equal the reference", "[sim][exact][ppu]") {
    std::mt19937 rng(11);
    for (int i = 0; i < 60; ++i) {
        sim::Simulator simulator(random_config(rng));
        int64_t h = 0, w = 0;
        const Pool2dParams p = random_pool(rng, h, w);
        const IntType type = simtest::random_activation_type(rng);
        const Tensor input = simtest::random_tensor({uniform(rng, 1, 2), uniform(rng, 1, 20), h, w}, type, rng);
        INFO("input " << to_string(input.shape) << " " << type.name() << " kernel " << p.kernel_h << "x" << p.kernel_w
                      << " stride " << p.stride_h << "x" << p.stride_w << " pads " << p.pad_top << p.pad_left
                      << p.pad_bottom << p.pad_right);
        CHECK(simtest::first_difference(simulator.max_pool2d(input, p).output, max_pool2d(input, p)) == "");
        const IntType out{coin(rng) ? 4 : 8, coin(rng)};
        const AveragePoolStage stage =
            make_average_pool_stage(std::uniform_real_distribution<double>(0.2, 3.0)(rng) * simtest::magnitude(out) /
                                        simtest::magnitude(type),
                                    p.kernel_h * p.kernel_w, out, coin(rng));
        CHECK(simtest::first_difference(simulator.average_pool2d(input, p, stage).output,
                                        average_pool2d(input, p, stage)) == "");
    }
}

TEST_CASE("sim global average pooling equals the reference", "[sim][exact][ppu]") {
    std::mt19937 rng(12);
    for (int i = 0; i < 30; ++i) {
        sim::Simulator simulator(random_config(rng));
        const IntType type = simtest::random_activation_type(rng);
        const Tensor input =
            simtest::random_tensor({uniform(rng, 1, 2), uniform(rng, 1, 64), uniform(rng, 1, 9), uniform(rng, 1, 9)}, type, rng);
        const IntType out{8, coin(rng)};
        const Dyadic m = to_dyadic(simtest::magnitude(out) / simtest::magnitude(type) /
                                   static_cast<double>(input.shape[2] * input.shape[3]) *
                                   std::uniform_real_distribution<double>(0.5, 4.0)(rng));
        INFO("input " << to_string(input.shape) << " " << type.name());
        CHECK(simtest::first_difference(simulator.global_average_pool(input, m, out).output,
                                        global_average_pool(input, m, out)) == "");
    }
}

TEST_CASE("sim standalone residual add equals the reference", "[sim][exact][ppu]") {
    std::mt19937 rng(13);
    for (int i = 0; i < 40; ++i) {
        sim::Simulator simulator(random_config(rng));
        const Shape shape = coin(rng, 4) ? Shape{uniform(rng, 1, 2), uniform(rng, 1, 40)}
                                         : Shape{uniform(rng, 1, 2), uniform(rng, 1, 24), uniform(rng, 1, 12), uniform(rng, 1, 12)};
        const IntType main_type = coin(rng, 3) ? IntType::int32() : simtest::random_activation_type(rng);
        const IntType id_type = simtest::random_activation_type(rng);
        Tensor main = simtest::random_tensor(shape, main_type, rng);
        if (main_type.bits == 32) {
            for (int32_t& v : main.data) v /= 1 << uniform(rng, 0, 12);  // a spread of accumulator sizes
        }
        const Tensor identity = simtest::random_tensor(shape, id_type, rng);
        ResidualAddStage stage;
        stage.output_type = coin(rng, 4) ? IntType::signed_bits(16) : IntType{8, coin(rng)};
        stage.relu = coin(rng);
        const int64_t count = coin(rng) ? 1 : shape[1];
        const double typical_main = main_type.bits == 32 ? 1e6 : simtest::magnitude(main_type);
        for (int64_t c = 0; c < count; ++c) {
            stage.main_multipliers.push_back(simtest::random_multiplier(rng, typical_main, stage.output_type));
        }
        stage.identity_multiplier = simtest::random_multiplier(rng, simtest::magnitude(id_type), stage.output_type);
        INFO("shape " << to_string(shape) << " main " << main_type.name() << " identity " << id_type.name());
        CHECK(simtest::first_difference(simulator.residual_add(main, identity, stage).output,
                                        residual_add(main, identity, stage)) == "");
    }
}

TEST_CASE("sim concat equals the reference", "[sim][exact][ppu]") {
    std::mt19937 rng(14);
    for (int i = 0; i < 30; ++i) {
        sim::Simulator simulator(random_config(rng));
        const int64_t n = uniform(rng, 1, 2), h = uniform(rng, 1, 10), w = uniform(rng, 1, 10);
        std::vector<Tensor> inputs;
        std::vector<Dyadic> multipliers;
        const IntType out{coin(rng) ? 4 : 8, coin(rng)};
        for (int k = uniform(rng, 1, 4); k > 0; --k) {
            const IntType type = simtest::random_activation_type(rng);
            inputs.push_back(simtest::random_tensor({n, uniform(rng, 1, 20), h, w}, type, rng));
            multipliers.push_back(simtest::random_multiplier(rng, simtest::magnitude(type), out));
        }
        std::vector<const Tensor*> pointers;
        for (const Tensor& t : inputs) pointers.push_back(&t);
        CHECK(simtest::first_difference(simulator.concat_channels(pointers, multipliers, out).output,
                                        concat_channels(pointers, multipliers, out)) == "");
    }
}
