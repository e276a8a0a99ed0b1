#pragma once
// The Verilated RTL core as a backend ("rtl") of the one backend interface
// (graph/quant/layer_backend.h). conv2d, fully connected and conv + fused residual run their
// products on the systolic array and their rescaling on the post-processing unit; standalone
// residual adds, requantizes and concats run on the post-processing unit alone. The core has no
// pooling unit, so pooling layers are unsupported (verify reports them as skipped).
//
// C++ moves data only (im2col with explicit zero padding, operand packing, output layout); every
// multiplication, addition, rounding and clamp of a result happens in the RTL.
#include <memory>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"

namespace dyadic::rtl {

class RtlCore;

class RtlBackend : public quant::LayerBackend {
public:
    RtlBackend();
    ~RtlBackend() override;

    std::string name() const override { return "rtl"; }
    std::string unsupported_reason(const quant::QuantizedLayer& layer,
                                   const std::vector<const Tensor*>& inputs) const override;

    // Cycles the array and the post-processing unit took over every layer so far.
    int64_t array_cycles() const;
    int64_t ppu_cycles() const;

protected:
    Tensor conv2d(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input) override;
    Tensor conv2d_residual(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override;
    Tensor fully_connected(const quant::QuantizedLayer& layer, const quant::FullyConnectedLayer& op,
                           const Tensor& input) override;
    Tensor residual_add(const quant::QuantizedLayer& layer, const quant::ResidualAddLayer& op, const Tensor& main,
                        const Tensor& identity) override;
    Tensor concat(const quant::QuantizedLayer& layer, const quant::ConcatLayer& op,
                  const std::vector<const Tensor*>& inputs) override;

private:
    Tensor run_conv(const quant::Conv2dLayer& op, const Tensor& input, const Tensor* identity);

    std::unique_ptr<RtlCore> core_;
};

}  // namespace dyadic::rtl
