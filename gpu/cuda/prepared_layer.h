#pragma once
// One layer made ready on the device: its inputs, weights and constants uploaded, an output
// buffer, and the call that runs its kernels. Running and timing are separate so that latency
// is measured on the kernels alone (gpu_backend.cpp).
#include <cstdint>
#include <functional>
#include <vector>

#include <cuda_runtime.h>

#include "gpu/cuda/device_buffer.h"
#include "gpu/cuda/kernels.h"
#include "gpu/gemm_plan.h"
#include "gpu/op_plans.h"
#include "reference/tensor.h"

namespace dyadic::gpu::cuda {

struct PreparedLayer {
    std::vector<DeviceBuffer> buffers;  // everything the kernels read
    DeviceBuffer output;
    bool zero_output_first = false;     // 4-bit outputs are ORed into zeroed words
    Shape output_shape;
    IntType output_type;
    std::function<cudaError_t(cudaStream_t)> kernels;

    // Clears the output if needed and launches the kernels on `stream` (asynchronous).
    void launch(cudaStream_t stream);
    // The output in the reference's layout; waits for `stream` first.
    Tensor download(cudaStream_t stream) const;
};

PreparedLayer prepare_gemm(const GemmPlan& plan, const Tensor& input, const Tensor* identity);
PreparedLayer prepare_pool(PoolKernel kind, const PoolPlan& plan, const Tensor& input);
PreparedLayer prepare_concat(const ConcatPlan& plan, const std::vector<const Tensor*>& inputs);
PreparedLayer prepare_residual_add(const ResidualAddPlan& plan, const Tensor& main, const Tensor& identity);

}  // namespace dyadic::gpu::cuda
