#include "graph/quant/reference_backend.h"

#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/residual_add.h"

namespace dyadic::quant {

Tensor ReferenceBackend::conv2d(const QuantizedLayer&, const Conv2dLayer& op, const Tensor& input) {
    return dyadic::conv2d(input, op.weight, op.bias, op.params, op.output_stage);
}

Tensor ReferenceBackend::conv2d_residual(const QuantizedLayer&, const Conv2dLayer& op, const Tensor& input,
                                         const Tensor& identity) {
    return dyadic::residual_add(conv2d_accumulate(input, op.weight, op.bias, op.params), identity, op.residual->stage);
}

Tensor ReferenceBackend::fully_connected(const QuantizedLayer&, const FullyConnectedLayer& op, const Tensor& input) {
    return dyadic::fully_connected(input, op.weight, op.bias, op.output_stage);
}

Tensor ReferenceBackend::residual_add(const QuantizedLayer&, const ResidualAddLayer& op, const Tensor& main,
                                      const Tensor& identity) {
    return dyadic::residual_add(main, identity, op.stage);
}

Tensor ReferenceBackend::max_pool2d(const QuantizedLayer&, const MaxPool2dLayer& op, const Tensor& input) {
    return dyadic::max_pool2d(input, op.params);
}

Tensor ReferenceBackend::average_pool2d(const QuantizedLayer&, const AveragePool2dLayer& op, const Tensor& input) {
    return dyadic::average_pool2d(input, op.params, op.stage);
}

Tensor ReferenceBackend::global_average_pool(const QuantizedLayer&, const GlobalAveragePoolLayer& op,
                                             const Tensor& input) {
    return dyadic::global_average_pool(input, op.multiplier, op.output_type);
}

Tensor ReferenceBackend::concat(const QuantizedLayer&, const ConcatLayer& op, const std::vector<const Tensor*>& inputs) {
    return concat_channels(inputs, op.multipliers, op.output_type);
}

}  // namespace dyadic::quant
