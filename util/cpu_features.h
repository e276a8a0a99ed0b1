#pragma once
// What the x86-64 CPU and the operating system let a program run, read once from cpuid and XCR0:
// the one place every run-time choice of an instruction path (the cpu backend's integer GEMM,
// the float executor's GEMM) asks. A feature counts only when the OS also saves its registers.
// Header is C++17.

namespace dyadic {

struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;          // FMA3, with the OS saving ymm state
    bool avx512_vnni = false;  // AVX-512 F + BW + VL + VNNI, with the OS saving zmm state
};

const CpuFeatures& cpu_features();

}  // namespace dyadic
