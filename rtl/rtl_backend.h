#pragma once
// The Verilated RTL core as a backend ("rtl") of the one backend interface
// (graph/quant/layer_backend.h). conv2d, fully connected and conv + fused residual run their
// products on the systolic array and their rescaling on the post-processing unit; standalone
// residual adds, requantizes and concats run on the post-processing unit alone; max, average and
// global average pooling on the post-processing unit's pooling lanes.
//
// C++ moves data only (im2col with explicit zero padding, operand packing, output layout); every
// multiplication, addition, rounding and clamp of a result happens in the RTL, except that with weight
// double buffering the accumulator's int32 addition of each fold's sums is C++ (array_gemm.h).
//
// With a trace path, the backend also runs the reference on every conv/FC layer and, at the first
// layer whose output differs, writes VCDs of the tile that computed the first differing element:
// the array's fold block (every reduction fold of its C output channels) to the path, and the PPU
// beat to the path with ".ppu" before its ".vcd".
#include <memory>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "rtl/pe_mode.h"
#include "rtl/pool_driver.h"
#include "rtl/ppu_driver.h"

namespace dyadic::rtl {

class ArrayUnit;
class RtlCore;

class RtlBackend : public quant::LayerBackend {
public:
    explicit RtlBackend(std::string trace_path = {});
    // The configured PPU with `array` instead of the configured array (a test's smaller one).
    explicit RtlBackend(std::unique_ptr<ArrayUnit> array);
    ~RtlBackend() override;

    std::string name() const override { return "rtl"; }
    std::string unsupported_reason(const quant::QuantizedLayer& layer,
                                   const std::vector<const Tensor*>& inputs) const override;

    // Runs a conv or FC layer with the tile that computes output element `element` (row-major index
    // into the output) traced to `vcd_path` and its ".ppu" sibling, and returns the output.
    Tensor trace_tile(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs, int64_t element,
                      const std::string& vcd_path);
    // The PPU's VCD path next to the array's: "out.vcd" -> "out.ppu.vcd".
    static std::string ppu_trace_path(const std::string& vcd_path);

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
    Tensor max_pool2d(const quant::QuantizedLayer& layer, const quant::MaxPool2dLayer& op, const Tensor& input) override;
    Tensor average_pool2d(const quant::QuantizedLayer& layer, const quant::AveragePool2dLayer& op,
                          const Tensor& input) override;
    Tensor global_average_pool(const quant::QuantizedLayer& layer, const quant::GlobalAveragePoolLayer& op,
                               const Tensor& input) override;

private:
    Tensor run_conv(const quant::Conv2dLayer& op, const Tensor& input, const Tensor* identity);
    Tensor run_fully_connected(const quant::FullyConnectedLayer& op, const Tensor& input);
    // The array GEMM and the PPU pass, with the block of the traced element (if any) traced.
    void gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction, const int32_t* columns,
              int64_t pixels, int32_t* acc, int64_t traced_channel);
    void post_process(const PpuSettings& settings, const std::vector<PpuElement>& elements, int32_t* results);
    // Max pooling (stage null) or average pooling over `params`' windows on the pooling lanes.
    Tensor run_pool2d(const Tensor& input, const Pool2dParams& params, const AveragePoolStage* stage);
    // With a trace path: compares `output` with the reference and traces the first mismatch once.
    Tensor check(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs, Tensor output);

    std::unique_ptr<RtlCore> core_;
    std::string trace_path_;
    bool traced_ = false;
    int64_t traced_element_ = -1;  // during trace_tile: the output element whose tile is traced
    std::string tracing_to_;
};

}  // namespace dyadic::rtl
