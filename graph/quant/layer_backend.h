#pragma once
// The one backend interface: every executor of the integer model (the reference, the fast CPU
// backend, the SystemC model, the RTL core, CUDA) implements it, and `dyadic verify` compares them
// layer by layer through it.
//
// A backend runs one layer from given integer inputs and hands back that layer's integer output,
// which must equal the reference's with ==. It implements one method per op kind; run_layer below
// is the only dispatch over layer kinds, so arity checks, the flatten/reshape relabelling (no
// backend touches data for those) and the fused-residual split are written once for all backends.
// Header is C++17 so that the SystemC model can include it.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::quant {

class LayerBackend {
public:
    virtual ~LayerBackend() = default;

    // Short lower-case name as `--backends` spells it: "ref", "cpu", "sim", "rtl", "gpu".
    virtual std::string name() const = 0;

    // Empty when the backend can run on this machine; otherwise why not ("no CUDA device found",
    // "built without Verilator"). An unavailable backend is reported as skipped, never as passed.
    virtual std::string unavailable_reason() const { return {}; }

    // Empty when the backend runs this layer with these inputs (op kind, bit widths, shapes);
    // otherwise why not ("4-bit activations with 8-bit weights: no kernel"). Never throws for a
    // well-formed layer: verify reports the layer as skipped with the reason.
    virtual std::string unsupported_reason(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) const {
        (void)layer;
        (void)inputs;
        return {};
    }

    // The most images per layer call at which this backend runs best, 0 when any number does.
    // Callers that run whole models on larger batches split them (run_model_in_parts): the cpu
    // backend's layers run faster when a layer's tensors fit the core's cache.
    virtual int64_t preferred_batch() const { return 0; }

    // How many parts of a batch run_parts runs at once (run_model_in_parts balances its parts
    // over them).
    virtual int concurrent_parts() const { return 1; }

    // Runs part(i) for every i in [0, count) and returns when all have finished; the first
    // exception is rethrown. A backend whose concurrent_parts() is above 1 runs parts at the same
    // time on its own threads, so its run_layer must be safe to call from them; the default runs
    // them one after the other on the calling thread.
    virtual void run_parts(int64_t count, const std::function<void(int64_t)>& part) {
        for (int64_t i = 0; i < count; ++i) part(i);
    }

    // One layer: checks the input count for the op, relabels flatten/reshape itself, and calls the
    // method of the layer's op below. Throws Error for bad inputs (as the reference does).
    Tensor run_layer(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs);

protected:
    // Each method computes what the reference op of the same name computes (docs/semantics.md);
    // `layer` gives the name and context for messages and statistics. The defaults throw Error
    // ("backend X does not run op Y"): a backend that lacks an op must also say so in
    // unsupported_reason, so that verify reports a skip instead of a failure.
    // conv2d without a fused residual (op.residual is empty).
    virtual Tensor conv2d(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input);
    // residual_add(conv2d_accumulate(input, op.weight, op.bias, op.params), identity, op.residual->stage).
    virtual Tensor conv2d_residual(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input,
                                   const Tensor& identity);
    virtual Tensor fully_connected(const QuantizedLayer& layer, const FullyConnectedLayer& op, const Tensor& input);
    virtual Tensor residual_add(const QuantizedLayer& layer, const ResidualAddLayer& op, const Tensor& main,
                                const Tensor& identity);
    virtual Tensor max_pool2d(const QuantizedLayer& layer, const MaxPool2dLayer& op, const Tensor& input);
    virtual Tensor average_pool2d(const QuantizedLayer& layer, const AveragePool2dLayer& op, const Tensor& input);
    virtual Tensor global_average_pool(const QuantizedLayer& layer, const GlobalAveragePoolLayer& op,
                                       const Tensor& input);
    virtual Tensor concat(const QuantizedLayer& layer, const ConcatLayer& op, const std::vector<const Tensor*>& inputs);
    // Elementwise rescale and clamp: by definition a one-input concat (RequantizeLayer), which is
    // what this default runs.
    virtual Tensor requantize(const QuantizedLayer& layer, const RequantizeLayer& op, const Tensor& input);

private:
    [[noreturn]] Tensor not_implemented(const QuantizedLayer& layer) const;
};

}  // namespace dyadic::quant
