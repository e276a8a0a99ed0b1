#pragma once
// Runs the conv/FC kernels' algorithm on the host: the same thread-block and warp tiling, the same
// per-lane fragment loads and epilogue (warp_tile.h), with mma.sync replaced by its emulation
// (mma_emulation.h). The CPU tests compare its outputs with the reference to check everything
// the CUDA kernels do except the instruction itself.
#include <cstdint>
#include <vector>

#include "gpu/gemm_plan.h"
#include "gpu/op_plans.h"

namespace dyadic::gpu {

// input (and identity, for a fused residual) in the device layout; returns the output likewise.
std::vector<uint32_t> emulate_gemm(const GemmPlan& plan, const std::vector<uint32_t>& input,
                                   const std::vector<uint32_t>* identity = nullptr);

// The pooling, concat and residual-add kernels' per-element functions over every output element.
enum class PoolKind { max, average, global_average };
std::vector<uint32_t> emulate_pool(PoolKind kind, const PoolPlan& plan, const std::vector<uint32_t>& input);
std::vector<uint32_t> emulate_concat(const ConcatPlan& plan, const std::vector<const std::vector<uint32_t>*>& inputs);
std::vector<uint32_t> emulate_residual_add(const ResidualAddPlan& plan, const std::vector<uint32_t>& main,
                                           const std::vector<uint32_t>& identity);

}  // namespace dyadic::gpu
