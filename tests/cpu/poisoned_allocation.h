#pragma once
// The byte that every allocation of the cpu tests starts filled with (poisoned_allocation.cpp).
#include <cstdint>

namespace cpu_test {

inline constexpr unsigned char kPoisonByte = 0x5A;
inline constexpr int32_t kPoisonElement = 0x5A5A5A5A;

}  // namespace cpu_test
