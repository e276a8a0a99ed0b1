#include "cpu/operand_check.h"

#include <algorithm>
#include <limits>

#include "cpu/isa.h"
#include "util/error.h"

namespace dyadic::cpu {
namespace {

struct Range {
    int32_t lo = std::numeric_limits<int32_t>::max();
    int32_t hi = std::numeric_limits<int32_t>::min();
};

// Branch-free, so the compiler vectorises it; the AVX2 copy runs where the CPU has AVX2.
__attribute__((always_inline)) inline Range range_of(const int32_t* data, size_t count) {
    Range r;
    for (size_t i = 0; i < count; ++i) {
        r.lo = std::min(r.lo, data[i]);
        r.hi = std::max(r.hi, data[i]);
    }
    return r;
}
Range range_default(const int32_t* data, size_t count) { return range_of(data, count); }
__attribute__((target("avx2"))) Range range_avx2(const int32_t* data, size_t count) { return range_of(data, count); }

Range range(const Tensor& t) {
    static const bool avx2 = isa_supported(Isa::kAvx2);
    return avx2 ? range_avx2(t.data.data(), t.data.size()) : range_default(t.data.data(), t.data.size());
}

}  // namespace

int64_t max_abs(const Tensor& tensor) {
    if (tensor.data.empty()) return 0;
    const Range r = range(tensor);
    return std::max(-int64_t{r.lo}, int64_t{r.hi});
}

bool valid_operand(const Tensor& tensor, int max_bits) {
    const IntType& type = tensor.type;
    const bool type_ok = type.is_signed ? ((type.bits >= 2 && type.bits <= 16) || type.bits == 32)
                                        : (type.bits >= 2 && type.bits <= 16);
    if (!type_ok || type.bits > max_bits) return false;
    int64_t count = 1;
    for (const int64_t d : tensor.shape) {
        if (d < 0) return false;
        count *= d;
    }
    if (count != tensor.size()) return false;
    if (tensor.data.empty()) return true;
    const Range r = range(tensor);
    return type.contains(r.lo) && type.contains(r.hi);
}

}  // namespace dyadic::cpu
