// Conv2d (implicit GEMM, NHWC) and fully connected on integer Tensor Cores. Each warp computes a
// 32 x 32 tile of one group's output with 2 x 4 mma.sync per k step; fragments are loaded straight
// from global memory (through L1) with the shared loaders of warp_tile.h, so the kernel is exactly
// the algorithm the host emulation tests.
#include "gpu/cuda/kernels.h"
#include "gpu/cuda/mma_sync.cuh"
#include "gpu/warp_tile.h"

namespace dyadic::gpu::cuda {
namespace {

template <MmaShape Shape, bool ASigned>
__global__ void __launch_bounds__(kBlockWarps * 32) conv_gemm_kernel(const __grid_constant__ GemmOperands operands,
                                                                  const __grid_constant__ Epilogue epilogue) {
    // __grid_constant__: the noinline loaders take these by reference without a local-memory copy.
    const int lane = static_cast<int>(threadIdx.x) & 31;
    const int warp = static_cast<int>(threadIdx.x) >> 5;
    const int64_t group = blockIdx.z;
    const WarpOrigin origin = warp_origin(blockIdx.x, blockIdx.y, warp);
    const WarpRows rows = warp_rows(operands.geometry, origin, lane);
    WarpAccumulators acc = {};
    WarpFragments f;
    for (int64_t k0 = 0; k0 < operands.weight_k; k0 += mma_k(Shape)) {
        load_fragments(operands, group, origin, rows, k0, lane, f);
#pragma unroll
        for (int mt = 0; mt < kWarpTilesM; ++mt) {
#pragma unroll
            for (int nt = 0; nt < kWarpTilesN; ++nt) {
                if constexpr (Shape == MmaShape::m16n8k32_8bit) {
                    mma_m16n8k32<ASigned>(acc.c[mt][nt], f.a[mt], f.b[nt]);
                } else {
                    mma_m16n8k64<ASigned>(acc.c[mt][nt], f.a[mt], f.b[nt]);
                }
            }
        }
    }
    store_accumulators(operands.geometry, epilogue, group, origin, lane, acc);
}

}  // namespace

cudaError_t launch_conv_gemm(const GemmOperands& operands, const Epilogue& epilogue, int64_t blocks_m,
                             int64_t blocks_n, cudaStream_t stream) {
    if (blocks_m > 0x7FFFFFFF || blocks_n > 65535 || operands.geometry.groups > 65535) return cudaErrorInvalidConfiguration;
    const dim3 grid(static_cast<unsigned>(blocks_m), static_cast<unsigned>(blocks_n),
                    static_cast<unsigned>(operands.geometry.groups));
    const dim3 block(kBlockWarps * 32);
    const bool four_bit = operands.shape == MmaShape::m16n8k64_4bit;
    if (four_bit && operands.a_is_signed) {
        conv_gemm_kernel<MmaShape::m16n8k64_4bit, true><<<grid, block, 0, stream>>>(operands, epilogue);
    } else if (four_bit) {
        conv_gemm_kernel<MmaShape::m16n8k64_4bit, false><<<grid, block, 0, stream>>>(operands, epilogue);
    } else if (operands.a_is_signed) {
        conv_gemm_kernel<MmaShape::m16n8k32_8bit, true><<<grid, block, 0, stream>>>(operands, epilogue);
    } else {
        conv_gemm_kernel<MmaShape::m16n8k32_8bit, false><<<grid, block, 0, stream>>>(operands, epilogue);
    }
    return cudaGetLastError();
}

}  // namespace dyadic::gpu::cuda
