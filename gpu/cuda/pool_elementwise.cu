// Pooling, concat/requantize and residual add: one thread per output element, each calling the
// shared per-element function the host emulation tests (pool_ops.h, elementwise_ops.h).
#include "gpu/cuda/kernels.h"

namespace dyadic::gpu::cuda {
namespace {

constexpr int kThreads = 256;

template <typename Args, typename Op>
__global__ void __launch_bounds__(kThreads) per_element_kernel(Args args, int64_t count, Op op) {
    for (int64_t e = blockIdx.x * int64_t{kThreads} + threadIdx.x; e < count; e += int64_t{gridDim.x} * kThreads) {
        op(args, e);
    }
}

struct MaxPoolOp {
    __device__ void operator()(const PoolArgs& a, int64_t e) const { max_pool_element(a, e); }
};
struct AveragePoolOp {
    __device__ void operator()(const PoolArgs& a, int64_t e) const { average_pool_element(a, e); }
};
struct GlobalAveragePoolOp {
    __device__ void operator()(const PoolArgs& a, int64_t e) const { global_average_pool_element(a, e); }
};
struct RescaleOp {
    __device__ void operator()(const RescaleArgs& a, int64_t e) const { rescale_element(a, e); }
};
struct ResidualAddOp {
    __device__ void operator()(const ResidualAddArgs& a, int64_t e) const { residual_add_element(a, e); }
};

template <typename Args, typename Op>
cudaError_t launch(const Args& args, int64_t count, Op op, cudaStream_t stream) {
    if (count <= 0) return cudaSuccess;
    const int64_t blocks = (count + kThreads - 1) / kThreads;
    per_element_kernel<<<static_cast<unsigned>(blocks < 65535 ? blocks : 65535), kThreads, 0, stream>>>(args, count, op);
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_pool(PoolKernel kind, const PoolArgs& args, cudaStream_t stream) {
    switch (kind) {
        case PoolKernel::max: return launch(args, args.output_count(), MaxPoolOp{}, stream);
        case PoolKernel::average: return launch(args, args.output_count(), AveragePoolOp{}, stream);
        case PoolKernel::global_average: return launch(args, args.batch * args.channels, GlobalAveragePoolOp{}, stream);
    }
    return cudaErrorInvalidValue;
}

cudaError_t launch_rescale(const RescaleArgs& args, cudaStream_t stream) {
    return launch(args, args.count(), RescaleOp{}, stream);
}

cudaError_t launch_residual_add(const ResidualAddArgs& args, cudaStream_t stream) {
    return launch(args, args.count, ResidualAddOp{}, stream);
}

}  // namespace dyadic::gpu::cuda
