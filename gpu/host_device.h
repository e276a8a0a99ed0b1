#pragma once
// Marks the functions that the CUDA kernels and the host tests share. Compiled by nvcc they are
// __host__ __device__; compiled by the host compiler they are ordinary inline functions, so the
// CPU tests exercise exactly the code the kernels run.
#include <cstdint>

#if defined(__CUDACC__)
#define DYADIC_HD __host__ __device__ __forceinline__
// For the larger per-register and per-element steps that a warp tile calls dozens of times from
// unrolled loops: one copy of the code instead of one per call keeps compile time and code size
// small, and the call is cheap next to the global loads inside.
#define DYADIC_HD_CALL inline __host__ __device__ __noinline__
#else
#define DYADIC_HD inline
#define DYADIC_HD_CALL inline
#endif

// Fully unrolled on the device, so that fragment and accumulator arrays indexed by the loop
// counters stay in registers instead of local memory; nothing on the host.
#if defined(__CUDA_ARCH__)
#define DYADIC_UNROLL _Pragma("unroll")
#else
#define DYADIC_UNROLL
#endif

namespace dyadic::gpu {

// ORs `bits` into a 32-bit word that other threads may update at the same time (two 4-bit
// elements of one byte can come from different threads). Device: atomicOr. Host: the emulation
// runs one thread at a time, so a plain OR is the same operation.
DYADIC_HD void or_into_word(uint32_t* word, uint32_t bits) {
#if defined(__CUDA_ARCH__)
    atomicOr(word, bits);
#else
    *word |= bits;
#endif
}

}  // namespace dyadic::gpu
