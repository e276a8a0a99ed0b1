#pragma once
// The CUDA Tensor Core backend: every layer of an integer model on the GPU, equal to the
// reference with == (conv2d and fully connected through mma.sync with the fused dyadic epilogue,
// pooling, concat, requantize and residual add through per-element kernels). Built where nvcc
// exists (DYADIC_HAVE_CUDA); cli/backend_registry.cpp names it "gpu".
#include <memory>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"

namespace dyadic::gpu {

class GpuBackend : public quant::LayerBackend {
public:
    GpuBackend();  // picks device 0 if there is one; never throws for a missing device
    ~GpuBackend() override;
    GpuBackend(const GpuBackend&) = delete;
    GpuBackend& operator=(const GpuBackend&) = delete;

    std::string name() const override { return "gpu"; }
    // "no CUDA device ..." without a usable GPU, "" otherwise.
    std::string unavailable_reason() const override;
    // Conv2d and fully connected need inputs and weights of at most 8 bits.
    std::string unsupported_reason(const quant::QuantizedLayer& layer,
                                   const std::vector<const Tensor*>& inputs) const override;

    // "NVIDIA H200 (sm_90, driver 13.0, 4-bit MMA unpacked to 8-bit)"; empty without a device.
    std::string device_description() const;

    // The layer's GPU time in milliseconds: its kernels only (inputs and weights already on the
    // device), CUDA events around each of `repeats` runs after `warmup` untimed runs, median.
    double time_layer_ms(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs, int warmup,
                         int repeats);

protected:
    Tensor conv2d(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input) override;
    Tensor conv2d_residual(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override;
    Tensor fully_connected(const quant::QuantizedLayer& layer, const quant::FullyConnectedLayer& op,
                           const Tensor& input) override;
    Tensor residual_add(const quant::QuantizedLayer& layer, const quant::ResidualAddLayer& op, const Tensor& main,
                        const Tensor& identity) override;
    Tensor max_pool2d(const quant::QuantizedLayer& layer, const quant::MaxPool2dLayer& op, const Tensor& input) override;
    Tensor average_pool2d(const quant::QuantizedLayer& layer, const quant::AveragePool2dLayer& op,
                          const Tensor& input) override;
    Tensor global_average_pool(const quant::QuantizedLayer& layer, const quant::GlobalAveragePoolLayer& op,
                               const Tensor& input) override;
    Tensor concat(const quant::QuantizedLayer& layer, const quant::ConcatLayer& op,
                  const std::vector<const Tensor*>& inputs) override;
    Tensor requantize(const quant::QuantizedLayer& layer, const quant::RequantizeLayer& op, const Tensor& input) override;

private:
    struct Device;
    std::unique_ptr<Device> device_;
};

}  // namespace dyadic::gpu
