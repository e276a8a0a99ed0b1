#include "util/cpu_features.h"

#include <cpuid.h>

#include <cstdint>

namespace dyadic {
namespace {

uint64_t read_xcr0() {
    uint32_t eax = 0, edx = 0;
    __asm__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (uint64_t{edx} << 32) | eax;
}

CpuFeatures detect() {
    CpuFeatures features;
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return features;
    const bool osxsave = (ecx >> 27) & 1u;
    const bool avx = (ecx >> 28) & 1u;
    const bool fma = (ecx >> 12) & 1u;
    if (!osxsave || !avx) return features;
    const uint64_t xcr0 = read_xcr0();
    const bool ymm_state = (xcr0 & 0x6) == 0x6;                 // SSE and AVX state
    const bool zmm_state = ymm_state && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    features.fma = ymm_state && fma;
    if (__get_cpuid_max(0, nullptr) < 7) return features;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    features.avx2 = ymm_state && ((ebx >> 5) & 1u);
    const bool avx512f = (ebx >> 16) & 1u, avx512bw = (ebx >> 30) & 1u, avx512vl = (ebx >> 31) & 1u;
    const bool avx512vnni = (ecx >> 11) & 1u;
    features.avx512_vnni = zmm_state && features.avx2 && avx512f && avx512bw && avx512vl && avx512vnni;
    return features;
}

}  // namespace

const CpuFeatures& cpu_features() {
    static const CpuFeatures features = detect();
    return features;
}

}  // namespace dyadic
