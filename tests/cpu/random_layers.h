#pragma once
// Seeded random operands for the cpu-vs-reference tests: full-range values of every bit width,
// multipliers that force exact rounding ties, and the instruction paths to force.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cpu/isa.h"
#include "reference/dyadic.h"
#include "reference/ops/conv2d.h"
#include "reference/requantize.h"
#include "reference/tensor.h"

namespace cpu_test {

using namespace dyadic;

inline int uniform(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
inline bool coin(std::mt19937& rng, int one_in = 2) { return uniform(rng, 1, one_in) == 1; }

// Every element uniform over the type's full range (both bounds included).
inline Tensor random_tensor(const Shape& shape, const IntType& type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

// Activations: 2..8 bits signed or unsigned, one in six 16-bit signed (residual streams), one in
// twelve uint15/uint16 (the widest the reference accepts).
inline IntType random_activation_type(std::mt19937& rng) {
    if (coin(rng, 6)) return IntType::signed_bits(16);
    if (coin(rng, 12)) return IntType::unsigned_bits(uniform(rng, 15, 16));
    return coin(rng) ? IntType::signed_bits(uniform(rng, 2, 8)) : IntType::unsigned_bits(uniform(rng, 2, 8));
}

inline IntType random_output_type(std::mt19937& rng) {
    const int bits = coin(rng, 4) ? 16 : uniform(rng, 2, 8);
    return coin(rng) ? IntType::signed_bits(bits) : IntType::unsigned_bits(bits);
}

// Half of the multipliers are (2^30, 30 + s): acc / 2^s, an exact tie for every accumulator that
// is an odd multiple of 2^(s-1), positive and negative. The rest are random ratios around the
// one that maps the typical accumulator onto the output range.
inline Dyadic random_multiplier(std::mt19937& rng, double typical_acc, int output_bits) {
    if (coin(rng)) return Dyadic{int32_t{1} << 30, 30 + uniform(rng, 0, 6)};
    const double target = std::ldexp(1.0, output_bits - 1) / std::max(1.0, typical_acc);
    return to_dyadic(target * std::exp2(std::uniform_real_distribution<double>(-3.0, 3.0)(rng)));
}

// Paddings 0 to 2 on each side, drawn independently (asymmetric ones included).
inline void random_pads(Conv2dParams& p, std::mt19937& rng) {
    p.pad_top = uniform(rng, 0, 2);
    p.pad_bottom = uniform(rng, 0, 2);
    p.pad_left = uniform(rng, 0, 2);
    p.pad_right = uniform(rng, 0, 2);
}

inline Tensor random_bias(int64_t size, int64_t magnitude, std::mt19937& rng) {
    Tensor t({size}, IntType::int32());
    std::uniform_int_distribution<int64_t> dist(-magnitude, magnitude);
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

// Each path this CPU runs; a path it cannot run is reported as skipped.
inline std::vector<cpu::Isa> paths_to_test() {
    for (const cpu::Isa isa : {cpu::Isa::kScalar, cpu::Isa::kAvx2, cpu::Isa::kAvx512Vnni}) {
        if (!cpu::isa_supported(isa)) WARN("SKIPPED: this CPU cannot run the " << cpu::isa_name(isa) << " path");
    }
    return cpu::supported_isas();
}

// Whether this CPU runs the avx2 path; when not, says the test is skipped (the caller returns).
inline bool runs_avx2_or_skips() {
    if (cpu::isa_supported(cpu::Isa::kAvx2)) return true;
    WARN("SKIPPED: this CPU cannot run the avx2 path");
    return false;
}

inline std::string describe(const Tensor& t) { return t.type.name() + " " + to_string(t.shape); }

}  // namespace cpu_test
