// The vectorised epilogue against reference/requantize on the whole int32 range: every shift
// 0..62 (so multipliers above, at and below 1, where the int32 clamp takes over), random and
// extreme mantissas, exact ties, random clamp ranges, lengths that leave a scalar tail, and the
// wrapping offset the engine adds (bias minus the +128 compensation); the checked rescale's
// range too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "cpu/epilogue.h"
#include "random_layers.h"

using namespace dyadic;
using cpu_test::uniform;

namespace {

int32_t wrap_add(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }

Dyadic random_dyadic(std::mt19937& rng, int shift) {
    const int kind = uniform(rng, 0, 3);
    const int32_t mantissa = kind == 0 ? kMantissaMin
                             : kind == 1 ? std::numeric_limits<int32_t>::max()
                                         : std::uniform_int_distribution<int32_t>(kMantissaMin, std::numeric_limits<int32_t>::max())(rng);
    return Dyadic{mantissa, shift};
}

int32_t random_acc(std::mt19937& rng) {
    switch (uniform(rng, 0, 3)) {
        case 0: return std::numeric_limits<int32_t>::min() + uniform(rng, 0, 3);
        case 1: return std::numeric_limits<int32_t>::max() - uniform(rng, 0, 3);
        case 2: return uniform(rng, -300, 300);
        default: return static_cast<int32_t>(rng());
    }
}

}  // namespace

TEST_CASE("cpu epilogue runs equal reference requantize and residual_add, every shift", "[cpu][epilogue]") {
    std::mt19937 rng(5000);
    for (int shift = 0; shift <= 62; ++shift) {
        for (int iteration = 0; iteration < 20; ++iteration) {
            const int64_t count = uniform(rng, 1, 41);
            std::vector<int32_t> acc(static_cast<size_t>(count)), identity(static_cast<size_t>(count));
            for (int32_t& v : acc) v = random_acc(rng);
            for (int32_t& v : identity) v = uniform(rng, -32768, 32767);
            const int32_t offset = cpu_test::coin(rng) ? 0 : random_acc(rng);
            const Dyadic m = random_dyadic(rng, shift), m_id = random_dyadic(rng, uniform(rng, 0, 62));
            const IntType type = cpu_test::random_output_type(rng);
            const ClampRange range = clamp_range(type, cpu_test::coin(rng));
            std::vector<int32_t> got(static_cast<size_t>(count)), got_residual(static_cast<size_t>(count));
            cpu::requantize_run(acc.data(), offset, count, cpu::ScaleStep(m), range, got.data(), 1);
            cpu::residual_run(acc.data(), offset, identity.data(), count, cpu::ScaleStep(m), cpu::ScaleStep(m_id), range,
                              got_residual.data(), 1);
            // The rescale that also returns its operand's range (no offset).
            std::vector<int32_t> got_checked(static_cast<size_t>(count));
            const cpu::ValueRange read = cpu::requantize_checked(acc.data(), count, cpu::ScaleStep(m), range, got_checked.data());
            CHECK(read.lo == *std::min_element(acc.begin(), acc.end()));
            CHECK(read.hi == *std::max_element(acc.begin(), acc.end()));
            for (int64_t i = 0; i < count; ++i) {
                REQUIRE(got_checked[static_cast<size_t>(i)] == requantize(acc[static_cast<size_t>(i)], m, range));
                const int32_t value = wrap_add(acc[static_cast<size_t>(i)], offset);
                INFO("shift " << shift << " b " << m.mantissa << " acc " << value);
                REQUIRE(got[static_cast<size_t>(i)] == requantize(value, m, range));
                const int64_t sum = dyadic_scale(value, m) + dyadic_scale(identity[static_cast<size_t>(i)], m_id);
                REQUIRE(got_residual[static_cast<size_t>(i)] == std::clamp(sum, range.lo, range.hi));
            }
        }
    }
}
