#pragma once
// Host entry points of the CUDA kernels (one translation unit per kernel family). Arguments are
// the shared __host__ __device__ structs with device pointers; every launch goes on `stream`.
#include <cstdint>

#include <cuda_runtime.h>

#include "gpu/elementwise_ops.h"
#include "gpu/epilogue.h"
#include "gpu/operand_registers.h"
#include "gpu/pool_ops.h"

namespace dyadic::gpu::cuda {

// Conv2d / fully connected: grid (blocks_m, blocks_n, groups) of kBlockWarps warps.
cudaError_t launch_conv_gemm(const GemmOperands& operands, const Epilogue& epilogue, int64_t blocks_m,
                             int64_t blocks_n, cudaStream_t stream);

enum class PoolKernel { max, average, global_average };
cudaError_t launch_pool(PoolKernel kind, const PoolArgs& args, cudaStream_t stream);

cudaError_t launch_rescale(const RescaleArgs& args, cudaStream_t stream);
cudaError_t launch_residual_add(const ResidualAddArgs& args, cudaStream_t stream);

}  // namespace dyadic::gpu::cuda
