#pragma once
// The fast CPU integer backend ("cpu"): every layer equal to the reference's with ==
// (docs/semantics.md, section 6.1), conv2d / conv+residual / fully_connected on int32-accumulating
// GEMM kernels chosen at run time, across images and within large layers on a thread pool.
// A layer's weights are packed on its first call and kept (cpu/prepared_weights.h).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu/isa.h"
#include "cpu/prepared_weights.h"
#include "cpu/runtime.h"
#include "util/thread_pool.h"
#include "graph/quant/layer_backend.h"

namespace dyadic::cpu {

class CpuBackend : public quant::LayerBackend {
public:
    // threads: 0 = every core. isa: the instruction path, default the best this CPU runs; throws
    // Error naming the path when the CPU cannot run the one asked for.
    explicit CpuBackend(int threads = 0, std::optional<Isa> isa = std::nullopt);

    std::string name() const override { return "cpu"; }
    // 32 images: fmnist_resnet w8a8 ran 13% faster on one thread at 32 than at 100 (every layer's
    // tensors but the stem's then fit a 1 MiB L2; bench/cpu/README.md).
    int64_t preferred_batch() const override { return 32; }
    // One part per thread, each part's layers on that thread alone: each core keeps its own
    // images in its L2 and no layer waits for the other threads (bench/cpu/README.md).
    int concurrent_parts() const override { return threads(); }
    void run_parts(int64_t count, const std::function<void(int64_t)>& part) override;

    Isa isa() const { return isa_; }
    int threads() const { return pool_->size(); }
    // "avx2, 2 threads": which path and how many threads, for reports.
    std::string path() const;
    // How the last layer ran, e.g. "avx2 s16s16 im2col gemm", "cpu pooling" or "reference (accumulator
    // bound 2415919104 exceeds int32)"; not written while run_parts runs parts side by side, when
    // no one layer is the last.
    const std::string& last_layer_path() const { return last_layer_path_; }

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

private:
    Runtime runtime();

    Isa isa_;
    std::unique_ptr<ThreadPool> pool_;
    // Each layer's weights packed once, not on every call (every part of every batch).
    std::unique_ptr<WeightCache> weights_ = std::make_unique<WeightCache>();
    std::string last_layer_path_;
    bool parts_running_ = false;  // set only by the caller of run_parts, before its threads start
};

}  // namespace dyadic::cpu
