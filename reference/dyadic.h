#pragma once
// The dyadic multiplier: a positive real ratio r represented as b / 2^c
// (docs/semantics.md, "The dyadic multiplier"). This is the only float -> (b, c)
// conversion in the project; every backend and the quantizer call it.
#include <cstdint>

namespace dyadic {

struct Dyadic {
    int32_t mantissa = 1 << 30;  // b, in [2^30, 2^31)
    int shift = 30;              // c, in [kMinShift, kMaxShift]

    constexpr bool operator==(const Dyadic& o) const { return mantissa == o.mantissa && shift == o.shift; }
    constexpr bool operator!=(const Dyadic& o) const { return !(*this == o); }
    double value() const;  // b / 2^c, exact in double
};

inline constexpr int kMinShift = 0;
inline constexpr int kMaxShift = 62;
inline constexpr int32_t kMantissaMin = int32_t{1} << 30;

// r -> (b, c): frexp(r) = m * 2^e with m in [0.5, 1); b = floor(m * 2^31 + 1/2) (round half up);
// if b == 2^31 then b = 2^30 and e += 1; c = 31 - e.
// Throws Error when r is not finite and positive, or when c falls outside [0, 62]
// (r >= 2^31 - 1/2, or r < 2^-32 - 2^-64 where every int32 accumulator would map to 0;
// docs/semantics.md gives the exact boundaries).
Dyadic to_dyadic(double ratio);

// The multiplier that represents exactly 1 (b = 2^30, c = 30).
constexpr Dyadic dyadic_one() { return Dyadic{kMantissaMin, 30}; }

}  // namespace dyadic
