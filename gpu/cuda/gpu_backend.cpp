#include "gpu/gpu_backend.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <cuda_runtime.h>

#include "gpu/cuda/device_buffer.h"
#include "gpu/cuda/prepared_layer.h"
#include "gpu/gemm_plan.h"
#include "gpu/op_plans.h"
#include "util/error.h"

namespace dyadic::gpu {

using cuda::check;
using cuda::PreparedLayer;

struct GpuBackend::Device {
    std::string unavailable;  // why there is no usable device, or ""
    cudaDeviceProp properties{};
    int driver_version = 0;
    bool native_int4 = false;  // 4-bit Tensor Cores: sm_80, sm_86, sm_89 (not sm_90 and newer)
    cudaStream_t stream = nullptr;
    // Set by time_layer_ms for the one run_layer call it makes; the per-op methods then time
    // their prepared kernels instead of only running them.
    struct Timing {
        int warmup = 0, repeats = 0;
        double median_ms = 0;
    };
    std::optional<Timing> timing;

    Device() {
        int count = 0;
        const cudaError_t status = cudaGetDeviceCount(&count);
        if (status != cudaSuccess || count == 0) {
            unavailable = std::string("no CUDA device") + (status != cudaSuccess ? std::string(" (") + cudaGetErrorString(status) + ")" : "");
            return;
        }
        check(cudaGetDeviceProperties(&properties, 0), "cudaGetDeviceProperties");
        if (properties.major < 8) {
            unavailable = std::string("no CUDA device with integer mma.sync: ") + properties.name + " is sm_" +
                          std::to_string(properties.major * 10 + properties.minor) + ", the kernels need sm_80 or newer";
            return;
        }
        cudaDriverGetVersion(&driver_version);
        native_int4 = properties.major == 8;
        check(cudaSetDevice(0), "cudaSetDevice");
        check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
    }
    ~Device() {
        if (stream != nullptr) cudaStreamDestroy(stream);
    }

    void require_available() const { require(unavailable.empty(), "gpu: " + unavailable); }

    // Runs the layer's kernels once and hands back the output; under time_layer_ms, first times them.
    Tensor execute(PreparedLayer layer) {
        if (timing) timing->median_ms = time_kernels(layer, timing->warmup, timing->repeats);
        layer.launch(stream);
        return layer.download(stream);
    }

    double time_kernels(PreparedLayer& layer, int warmup, int repeats) {
        cudaEvent_t start = nullptr, stop = nullptr;
        check(cudaEventCreate(&start), "cudaEventCreate");
        check(cudaEventCreate(&stop), "cudaEventCreate");
        std::vector<double> samples;
        try {
            for (int i = 0; i < warmup; ++i) layer.launch(stream);
            for (int i = 0; i < repeats; ++i) {
                check(cudaEventRecord(start, stream), "cudaEventRecord");
                layer.launch(stream);
                check(cudaEventRecord(stop, stream), "cudaEventRecord");
                check(cudaEventSynchronize(stop), "kernel execution");
                float ms = 0;
                check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
                samples.push_back(ms);
            }
        } catch (...) {
            cudaEventDestroy(start);
            cudaEventDestroy(stop);
            throw;
        }
        cudaEventDestroy(start);
        cudaEventDestroy(stop);
        if (samples.empty()) return 0;
        std::sort(samples.begin(), samples.end());
        return samples[samples.size() / 2];
    }
};

GpuBackend::GpuBackend() : device_(std::make_unique<Device>()) {}
GpuBackend::~GpuBackend() = default;

std::string GpuBackend::unavailable_reason() const { return device_->unavailable; }

std::string GpuBackend::unsupported_reason(const quant::QuantizedLayer& layer,
                                           const std::vector<const Tensor*>& inputs) const {
    if (inputs.empty() || inputs[0] == nullptr) return {};
    if (const auto* conv = std::get_if<quant::Conv2dLayer>(&layer.op)) return gemm_unsupported_reason(inputs[0]->type, conv->weight);
    if (const auto* fc = std::get_if<quant::FullyConnectedLayer>(&layer.op)) return gemm_unsupported_reason(inputs[0]->type, fc->weight);
    return {};
}

std::string GpuBackend::device_description() const {
    if (!device_->unavailable.empty()) return {};
    const cudaDeviceProp& p = device_->properties;
    return std::string(p.name) + " (sm_" + std::to_string(p.major * 10 + p.minor) + ", driver " +
           std::to_string(device_->driver_version / 1000) + "." + std::to_string(device_->driver_version % 1000 / 10) +
           (device_->native_int4 ? ", native 4-bit MMA)" : ", 4-bit MMA unpacked to 8-bit)");
}

double GpuBackend::time_layer_ms(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs, int warmup,
                                 int repeats) {
    device_->require_available();
    require(warmup >= 0 && repeats >= 1, "gpu: timing needs warmup >= 0 and repeats >= 1");
    device_->timing = Device::Timing{warmup, repeats, 0};
    try {
        run_layer(layer, inputs);
    } catch (...) {
        device_->timing.reset();
        throw;
    }
    const double ms = device_->timing->median_ms;
    device_->timing.reset();
    return ms;
}

Tensor GpuBackend::conv2d(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input) {
    device_->require_available();
    return device_->execute(cuda::prepare_gemm(plan_conv2d(op, input.shape, input.type, std::nullopt, device_->native_int4),
                                               input, nullptr));
}

Tensor GpuBackend::conv2d_residual(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input,
                                   const Tensor& identity) {
    device_->require_available();
    const GemmPlan plan = plan_conv2d(op, input.shape, input.type, identity.type, device_->native_int4);
    require(identity.shape == plan.output_shape, "gpu: residual identity " + to_string(identity.shape) +
                                                     " does not match the conv output " + to_string(plan.output_shape));
    return device_->execute(cuda::prepare_gemm(plan, input, &identity));
}

Tensor GpuBackend::fully_connected(const quant::QuantizedLayer&, const quant::FullyConnectedLayer& op, const Tensor& input) {
    device_->require_available();
    return device_->execute(
        cuda::prepare_gemm(plan_fully_connected(op, input.shape, input.type, device_->native_int4), input, nullptr));
}

Tensor GpuBackend::residual_add(const quant::QuantizedLayer&, const quant::ResidualAddLayer& op, const Tensor& main,
                                const Tensor& identity) {
    device_->require_available();
    return device_->execute(cuda::prepare_residual_add(plan_residual_add(main, identity, op.stage), main, identity));
}

Tensor GpuBackend::max_pool2d(const quant::QuantizedLayer&, const quant::MaxPool2dLayer& op, const Tensor& input) {
    device_->require_available();
    return device_->execute(
        cuda::prepare_pool(cuda::PoolKernel::max, plan_max_pool(op.params, input.shape, input.type), input));
}

Tensor GpuBackend::average_pool2d(const quant::QuantizedLayer&, const quant::AveragePool2dLayer& op, const Tensor& input) {
    device_->require_available();
    return device_->execute(cuda::prepare_pool(cuda::PoolKernel::average,
                                               plan_average_pool(op.params, op.stage, input.shape, input.type), input));
}

Tensor GpuBackend::global_average_pool(const quant::QuantizedLayer&, const quant::GlobalAveragePoolLayer& op,
                                       const Tensor& input) {
    device_->require_available();
    return device_->execute(cuda::prepare_pool(
        cuda::PoolKernel::global_average, plan_global_average_pool(op.multiplier, op.output_type, input.shape, input.type),
        input));
}

Tensor GpuBackend::concat(const quant::QuantizedLayer&, const quant::ConcatLayer& op, const std::vector<const Tensor*>& inputs) {
    device_->require_available();
    return device_->execute(cuda::prepare_concat(plan_concat(inputs, op.multipliers, op.output_type), inputs));
}

Tensor GpuBackend::requantize(const quant::QuantizedLayer&, const quant::RequantizeLayer& op, const Tensor& input) {
    device_->require_available();
    return device_->execute(cuda::prepare_concat(plan_concat({&input}, {op.multiplier}, op.output_type), {&input}));
}

}  // namespace dyadic::gpu
