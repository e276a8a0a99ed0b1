// The fused epilogue against reference/requantize and reference residual_add: random and extreme
// accumulators, every shift 0..62, ties, ReLU, a bias that wraps the int32 partial sum back into range.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "gpu/element_storage.h"
#include "gpu/epilogue.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"

using namespace dyadic;
using namespace dyadic::gpu;

TEST_CASE("dyadic_scale equals the reference for every shift and extreme values", "[gpu][epilogue]") {
    std::mt19937 rng(9);
    std::uniform_int_distribution<int32_t> value(INT32_MIN, INT32_MAX);
    std::uniform_int_distribution<int32_t> mantissa(kMantissaMin, INT32_MAX);
    const std::vector<int64_t> specials{INT32_MIN, INT32_MIN + 1, -3, -2, -1, 0, 1, 2, 3, INT32_MAX};
    for (int shift = 0; shift <= 62; ++shift) {
        for (int trial = 0; trial < 200; ++trial) {
            const Dyadic m{trial % 3 == 0 ? kMantissaMin : mantissa(rng), shift};
            const int64_t v = trial < static_cast<int>(specials.size()) ? specials[static_cast<size_t>(trial)] : value(rng);
            REQUIRE(gpu::dyadic_scale(v, m.mantissa, m.shift) == dyadic::dyadic_scale(v, m));
        }
    }
    // Ties go toward +infinity: 10 * 0.25 = 2.5 -> 3, -10 * 0.25 = -2.5 -> -2.
    CHECK(gpu::dyadic_scale(10, 1073741824, 32) == 3);
    CHECK(gpu::dyadic_scale(-10, 1073741824, 32) == -2);
}

TEST_CASE("epilogue_value equals requantize, with and without a fused residual", "[gpu][epilogue]") {
    std::mt19937 rng(10);
    std::uniform_int_distribution<int32_t> sum_dist(-3000000, 3000000), bias_dist(-100000, 100000);
    std::uniform_int_distribution<int32_t> mantissa(kMantissaMin, INT32_MAX);
    std::uniform_int_distribution<int> shift_dist(20, 40);
    for (const IntType out_type : {IntType::signed_bits(8), IntType::unsigned_bits(4), IntType::signed_bits(16),
                                   IntType::signed_bits(2)}) {
        for (bool relu : {false, true}) {
            const int channels = 5;
            std::vector<int32_t> bias(channels), mantissas(channels), shifts(channels);
            for (int c = 0; c < channels; ++c) {
                bias[static_cast<size_t>(c)] = bias_dist(rng);
                mantissas[static_cast<size_t>(c)] = mantissa(rng);
                shifts[static_cast<size_t>(c)] = shift_dist(rng);
            }
            const ClampRange range = clamp_range(out_type, relu);
            Epilogue e;
            e.bias = bias.data();
            e.mantissa = mantissas.data();
            e.shift = shifts.data();
            e.lo = static_cast<int32_t>(range.lo);
            e.hi = static_cast<int32_t>(range.hi);
            for (int trial = 0; trial < 500; ++trial) {
                const int c = trial % channels;
                const int32_t sum = sum_dist(rng);
                const Dyadic m{mantissas[static_cast<size_t>(c)], shifts[static_cast<size_t>(c)]};
                REQUIRE(epilogue_value(e, sum, c, 0) == requantize(int64_t{sum} + bias[static_cast<size_t>(c)], m, range));
            }
            // The MMA's wrapped partial sum plus the bias: 2^31 - 1 + 10 wraps, -20 brings it back.
            bias[0] = -20;
            const int32_t wrapped = static_cast<int32_t>(static_cast<uint32_t>(INT32_MAX) + 10u);
            const Dyadic m0{mantissas[0], shifts[0]};
            CHECK(epilogue_value(e, wrapped, 0, 0) == requantize(int64_t{INT32_MAX} - 10, m0, range));

            // Fused residual: each branch rounded on its own, as reference residual_add.
            const IntType id_type = IntType::signed_bits(16);
            std::vector<int32_t> identity_values(64);
            std::uniform_int_distribution<int32_t> id_dist(-32768, 32767);
            for (auto& v : identity_values) v = id_dist(rng);
            std::vector<uint32_t> identity_words(static_cast<size_t>(storage_words(64, {16, true})), 0u);
            for (int i = 0; i < 64; ++i) store_element(identity_words.data(), i, {16, true}, identity_values[static_cast<size_t>(i)]);
            e.identity = identity_words.data();
            e.identity_format = {16, true};
            const Dyadic m_id{mantissa(rng), 31};
            e.identity_mantissa = m_id.mantissa;
            e.identity_shift = m_id.shift;
            Tensor main({1, 1, 1, 64}, IntType::int32()), id({1, 1, 1, 64}, id_type);
            std::vector<int32_t> got(64);
            for (int i = 0; i < 64; ++i) {
                const int32_t sum = sum_dist(rng);
                main.data[static_cast<size_t>(i)] = sum + bias[0];
                id.data[static_cast<size_t>(i)] = identity_values[static_cast<size_t>(i)];
                got[static_cast<size_t>(i)] = epilogue_value(e, sum, 0, i);
            }
            ResidualAddStage stage{{m0}, m_id, out_type, relu};
            REQUIRE(got == residual_add(main, id, stage).data);
            e.identity = nullptr;
        }
    }
}
