#include "cpu/isa.h"

#include <cpuid.h>

#include <cstdint>

#include "util/error.h"

namespace dyadic::cpu {
namespace {

struct CpuidBits {
    bool avx2 = false;
    bool avx512 = false;  // F + BW + VL + VNNI, with the OS saving zmm state
};

uint64_t read_xcr0() {
    uint32_t eax = 0, edx = 0;
    __asm__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (uint64_t{edx} << 32) | eax;
}

CpuidBits detect() {
    CpuidBits bits;
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return bits;
    const bool osxsave = (ecx >> 27) & 1u;
    const bool avx = (ecx >> 28) & 1u;
    if (!osxsave || !avx) return bits;
    const uint64_t xcr0 = read_xcr0();
    const bool ymm_state = (xcr0 & 0x6) == 0x6;             // SSE and AVX state
    const bool zmm_state = ymm_state && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    if (__get_cpuid_max(0, nullptr) < 7) return bits;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    bits.avx2 = ymm_state && ((ebx >> 5) & 1u);
    const bool avx512f = (ebx >> 16) & 1u, avx512bw = (ebx >> 30) & 1u, avx512vl = (ebx >> 31) & 1u;
    const bool avx512vnni = (ecx >> 11) & 1u;
    bits.avx512 = zmm_state && bits.avx2 && avx512f && avx512bw && avx512vl && avx512vnni;
    return bits;
}

const CpuidBits& cpu() {
    static const CpuidBits bits = detect();
    return bits;
}

}  // namespace

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::kScalar: return "scalar";
        case Isa::kAvx2: return "avx2";
        case Isa::kAvx512Vnni: return "avx512_vnni";
    }
    return "?";
}

Isa parse_isa(const std::string& name) {
    for (const Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512Vnni}) {
        if (name == isa_name(isa)) return isa;
    }
    throw Error("unknown cpu path '" + name + "' (known: scalar, avx2, avx512_vnni)");
}

bool isa_supported(Isa isa) {
    switch (isa) {
        case Isa::kScalar: return true;
        case Isa::kAvx2: return cpu().avx2;
        case Isa::kAvx512Vnni: return cpu().avx512;
    }
    return false;
}

Isa best_isa() {
    if (isa_supported(Isa::kAvx512Vnni)) return Isa::kAvx512Vnni;
    if (isa_supported(Isa::kAvx2)) return Isa::kAvx2;
    return Isa::kScalar;
}

std::vector<Isa> supported_isas() {
    std::vector<Isa> isas;
    for (const Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512Vnni}) {
        if (isa_supported(isa)) isas.push_back(isa);
    }
    return isas;
}

}  // namespace dyadic::cpu
