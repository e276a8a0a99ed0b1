#include "cpu/cpu_backend.h"

#include "cpu/conv2d.h"
#include "cpu/fully_connected.h"
#include "cpu/runtime.h"
#include "cpu/pooling.h"
#include "cpu/rescale.h"
#include "util/error.h"
#include "util/scope_exit.h"

namespace dyadic::cpu {

CpuBackend::CpuBackend(int threads, std::optional<Isa> isa)
    : isa_(isa.value_or(best_isa())), pool_(std::make_unique<ThreadPool>(threads)) {
    require(isa_supported(isa_), std::string("cpu path ") + isa_name(isa_) + " is not supported by this CPU");
}

std::string CpuBackend::path() const {
    return std::string(isa_name(isa_)) + ", " + std::to_string(threads()) + (threads() == 1 ? " thread" : " threads");
}

Runtime CpuBackend::runtime() {
    return Runtime{isa_, pool_.get(), parts_running_ ? nullptr : &last_layer_path_, weights_.get()};
}

void CpuBackend::run_parts(int64_t count, const std::function<void(int64_t)>& part) {
    // A part's layers call pool_->parallel_for from inside a task of this pool, which then runs
    // their tasks on the part's own thread (util/thread_pool.h).
    parts_running_ = count > 1 && threads() > 1;
    const ScopeExit reset([this] { parts_running_ = false; });
    pool_->parallel_for(count, part);
}

Tensor CpuBackend::conv2d(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input) {
    return cpu::conv2d(input, op.weight, op.bias, op.params, op.output_stage, runtime());
}

Tensor CpuBackend::conv2d_residual(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input,
                                   const Tensor& identity) {
    return cpu::conv2d_residual(input, op.weight, op.bias, op.params, identity, op.residual->stage, runtime());
}

Tensor CpuBackend::fully_connected(const quant::QuantizedLayer&, const quant::FullyConnectedLayer& op,
                                   const Tensor& input) {
    return cpu::fully_connected(input, op.weight, op.bias, op.output_stage, runtime());
}

Tensor CpuBackend::residual_add(const quant::QuantizedLayer&, const quant::ResidualAddLayer& op, const Tensor& main,
                                const Tensor& identity) {
    return cpu::residual_add(main, identity, op.stage, runtime());
}

Tensor CpuBackend::max_pool2d(const quant::QuantizedLayer&, const quant::MaxPool2dLayer& op, const Tensor& input) {
    return cpu::max_pool2d(input, op.params, runtime());
}

Tensor CpuBackend::average_pool2d(const quant::QuantizedLayer&, const quant::AveragePool2dLayer& op,
                                  const Tensor& input) {
    return cpu::average_pool2d(input, op.params, op.stage, runtime());
}

Tensor CpuBackend::global_average_pool(const quant::QuantizedLayer&, const quant::GlobalAveragePoolLayer& op,
                                       const Tensor& input) {
    return cpu::global_average_pool(input, op.multiplier, op.output_type, runtime());
}

Tensor CpuBackend::concat(const quant::QuantizedLayer&, const quant::ConcatLayer& op,
                          const std::vector<const Tensor*>& inputs) {
    return cpu::concat_channels(inputs, op.multipliers, op.output_type, runtime());
}

}  // namespace dyadic::cpu
