// Pooling, concat/requantize and the standalone residual add through the GPU kernels' per-element
// functions on the host, compared with the reference ops using ==.
#include <catch2/catch.hpp>

#include <random>

#include "gpu/device_layout.h"
#include "gpu/host_emulation.h"
#include "gpu/op_plans.h"
#include "random_layers.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/residual_add.h"

using namespace dyadic;
using namespace dyadic::gpu;

namespace {

Tensor back(const std::vector<uint32_t>& words, const Shape& shape, const IntType& type) {
    return from_device_layout(words, shape, type);
}

const std::vector<Pool2dParams> kPools{
    {2, 2, 2, 2, 0, 0, 0, 0}, {3, 3, 2, 2, 1, 1, 1, 1}, {3, 2, 1, 2, 2, 0, 1, 1}, {2, 2, 2, 2, 1, 1, 1, 1}};

}  // namespace

TEST_CASE("emulated max and average pooling equal the reference", "[gpu][pool]") {
    std::mt19937 rng(21);
    for (const IntType type : {IntType::unsigned_bits(4), IntType::signed_bits(8), IntType::signed_bits(16),
                               IntType::unsigned_bits(3)}) {
        const Tensor x = gpu_test::random_tensor({2, 5, 7, 6}, type, rng);
        for (const Pool2dParams& params : kPools) {
            INFO(type.name() << " kernel " << params.kernel_h << "x" << params.kernel_w << " pad " << params.pad_top);
            const PoolPlan max_plan = plan_max_pool(params, x.shape, x.type);
            CHECK(back(emulate_pool(PoolKind::max, max_plan, to_device_layout(x)), max_plan.output_shape,
                       max_plan.output_type)
                      .data == max_pool2d(x, params).data);
            for (bool include_pad : {false, true}) {
                const AveragePoolStage stage = make_average_pool_stage(0.7, params.kernel_h * params.kernel_w,
                                                                       IntType::unsigned_bits(4), include_pad);
                const PoolPlan avg_plan = plan_average_pool(params, stage, x.shape, x.type);
                CHECK(back(emulate_pool(PoolKind::average, avg_plan, to_device_layout(x)), avg_plan.output_shape,
                           avg_plan.output_type)
                          .data == average_pool2d(x, params, stage).data);
            }
        }
        const Dyadic m = to_dyadic(1.3 / 42.0);
        const PoolPlan global = plan_global_average_pool(m, IntType::signed_bits(8), x.shape, x.type);
        CHECK(back(emulate_pool(PoolKind::global_average, global, to_device_layout(x)), {2, 5, 1, 1},
                   IntType::signed_bits(8))
                  .data == global_average_pool(x, m, IntType::signed_bits(8)).data);
    }
}

TEST_CASE("emulated concat and requantize equal the reference", "[gpu][concat]") {
    std::mt19937 rng(22);
    const Tensor a = gpu_test::random_tensor({2, 3, 4, 5}, IntType::unsigned_bits(4), rng);
    const Tensor b = gpu_test::random_tensor({2, 6, 4, 5}, IntType::signed_bits(16), rng);
    const Tensor c = gpu_test::random_tensor({2, 1, 4, 5}, IntType::unsigned_bits(8), rng);
    for (const IntType out_type : {IntType::unsigned_bits(4), IntType::signed_bits(8)}) {
        const std::vector<const Tensor*> inputs{&a, &b, &c};
        const std::vector<Dyadic> multipliers{dyadic_one(), to_dyadic(0.01), to_dyadic(0.5)};
        const ConcatPlan plan = plan_concat(inputs, multipliers, out_type);
        const auto wa = to_device_layout(a), wb = to_device_layout(b), wc = to_device_layout(c);
        CHECK(back(emulate_concat(plan, {&wa, &wb, &wc}), plan.output_shape, out_type).data ==
              concat_channels(inputs, multipliers, out_type).data);
        // A requantize layer is a one-input concat.
        const ConcatPlan single = plan_concat({&b}, {to_dyadic(0.003)}, out_type);
        CHECK(back(emulate_concat(single, {&wb}), b.shape, out_type).data ==
              concat_channels({&b}, {to_dyadic(0.003)}, out_type).data);
    }
}

TEST_CASE("emulated residual add equals the reference", "[gpu][residual]") {
    std::mt19937 rng(23);
    for (const IntType main_type : {IntType::int32(), IntType::signed_bits(16), IntType::unsigned_bits(4)}) {
        Tensor main = gpu_test::random_tensor({2, 4, 3, 3}, main_type, rng);
        if (main_type == IntType::int32()) {
            for (auto& v : main.data) v /= 2;  // keep most values out of the saturated range
        }
        const Tensor identity = gpu_test::random_tensor({2, 4, 3, 3}, IntType::signed_bits(16), rng);
        for (bool relu : {false, true}) {
            const ResidualAddStage stage{gpu_test::random_multipliers(4, rng), to_dyadic(0.25), IntType::signed_bits(8),
                                         relu};
            const ResidualAddPlan plan = plan_residual_add(main, identity, stage);
            CHECK(back(emulate_residual_add(plan, to_device_layout(main), to_device_layout(identity)), main.shape,
                       stage.output_type)
                      .data == residual_add(main, identity, stage).data);
        }
    }
}
