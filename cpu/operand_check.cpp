#include "cpu/operand_check.h"

#include "cpu/isa.h"

namespace dyadic::cpu {
namespace {

// Branch-free, so the compiler vectorises it; the AVX2 copy runs where the CPU has AVX2.
__attribute__((always_inline)) inline ValueRange range_of(const int32_t* data, size_t count) {
    ValueRange r;
    for (size_t i = 0; i < count; ++i) {
        r.lo = std::min(r.lo, data[i]);
        r.hi = std::max(r.hi, data[i]);
    }
    return r;
}
ValueRange range_default(const int32_t* data, size_t count) { return range_of(data, count); }
__attribute__((target("avx2"))) ValueRange range_avx2(const int32_t* data, size_t count) {
    return range_of(data, count);
}

}  // namespace

ValueRange value_range(const Tensor& tensor) {
    static const bool avx2 = isa_supported(Isa::kAvx2);
    return avx2 ? range_avx2(tensor.data.data(), tensor.data.size()) : range_default(tensor.data.data(), tensor.data.size());
}

int64_t max_abs(const Tensor& tensor) { return value_range(tensor).max_abs(); }

bool valid_layout(const Tensor& tensor, int max_bits) {
    const IntType& type = tensor.type;
    const bool type_ok = type.is_signed ? ((type.bits >= 2 && type.bits <= 16) || type.bits == 32)
                                        : (type.bits >= 2 && type.bits <= 16);
    if (!type_ok || type.bits > max_bits) return false;
    int64_t count = 1;
    for (const int64_t d : tensor.shape) {
        if (d < 0) return false;
        count *= d;
    }
    return count == tensor.size();
}

bool valid_operand(const Tensor& tensor, int max_bits) {
    return valid_layout(tensor, max_bits) && value_range(tensor).fits(tensor.type);
}

}  // namespace dyadic::cpu
