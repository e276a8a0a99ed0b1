#pragma once
// The integer model: what post-training quantization produces, what model files hold, and what
// every backend (reference executor, SystemC model, RTL, CUDA) consumes one layer at a time.
//
// A plain value type: layers in topological order, each naming its input tensors and its one
// output tensor, with an op variant whose fields are exactly the reference ops' parameter structs,
// so that running a layer is one call into reference/ops with no arithmetic of our own.
// Header is C++17 so that the SystemC model (built as C++17) can include it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/pool2d_params.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"
#include "reference/tensor.h"

namespace dyadic::quant {

// Index into QuantizedModel::tensors.
using TensorId = int32_t;

// What the model knows about every tensor (activations, including the input and the outputs).
// Shapes are NCHW (or [N, K] after flatten) with N = 1; executors accept any batch size N, so
// dimension 0 is only nominal.
struct TensorInfo {
    std::string name;
    Shape shape;
    IntType type = IntType::signed_bits(8);
    double scale = 1.0;  // real value = scale * integer (per tensor, no zero point)
};

// A conv whose int32 accumulator (bias included) is the main branch of a residual add: the
// output is residual_add(conv2d_accumulate(x, W, b), identity, stage). The identity tensor is the
// layer's inputs[1]; the conv's own output_stage is then unused and must be empty.
struct FusedResidual {
    ResidualAddStage stage;
};

// inputs: {x} or, with a fused residual, {x, identity}.
struct Conv2dLayer {
    Tensor weight;  // OIHW, signed 2..8 bits, weight.scales = one scale per output channel
    Tensor bias;    // int32 [C_out] at scale weight.scales[o] * input scale, or empty (shape {})
    Conv2dParams params;
    OutputStage output_stage;  // per-output-channel multipliers; empty when `residual` is set
    std::optional<FusedResidual> residual;
};

// inputs: {x} with x of shape [N, K].
struct FullyConnectedLayer {
    Tensor weight;  // [M, K], signed, one scale per output row
    Tensor bias;    // int32 [M] or empty
    OutputStage output_stage;
};

// inputs: {main, identity}: a standalone add of two tensors (main may be any width up to int32).
struct ResidualAddLayer {
    ResidualAddStage stage;
};

// inputs: {x}; output has x's type and scale.
struct MaxPool2dLayer {
    Pool2dParams params;
};

// inputs: {x}
struct AveragePool2dLayer {
    Pool2dParams params;
    AveragePoolStage stage;
};

// inputs: {x}: [N, C, H, W] -> [N, C, 1, 1].
struct GlobalAveragePoolLayer {
    Dyadic multiplier;  // to_dyadic(input_scale / (output_scale * H * W))
    IntType output_type = IntType::unsigned_bits(8);
};

// inputs: {x_0, x_1, ...} concatenated along channels, each rescaled by its own multiplier.
struct ConcatLayer {
    std::vector<Dyadic> multipliers;  // one per input
    IntType output_type = IntType::unsigned_bits(8);
};

// inputs: {x} (NCHW): y = clamp(dyadic_scale(x, multiplier), output_type range), elementwise. Brings a
// tensor to another scale and width: the int16 residual stream down to the next conv's activation
// bits (as HAWQ-V3 does), or a standalone ReLU (an unsigned output type clamps at 0). Runs as the
// reference concat_channels with a single input, whose semantics is exactly this.
struct RequantizeLayer {
    Dyadic multiplier;  // to_dyadic(input_scale / output_scale)
    IntType output_type = IntType::unsigned_bits(8);
};

// inputs: {x}: [N, d1, d2, ...] -> [N, d1 * d2 * ...]. Metadata only: data, type and scale unchanged.
struct FlattenLayer {};

// inputs: {x}: [N, ...] -> [N] + shape. Metadata only.
struct ReshapeLayer {
    Shape shape;  // the output shape without the batch dimension
};

using LayerOp = std::variant<Conv2dLayer, FullyConnectedLayer, ResidualAddLayer, MaxPool2dLayer,
                             AveragePool2dLayer, GlobalAveragePoolLayer, ConcatLayer, RequantizeLayer, FlattenLayer,
                             ReshapeLayer>;

struct QuantizedLayer {
    std::string name;
    std::vector<TensorId> inputs;
    TensorId output = -1;
    LayerOp op;
};

struct QuantizedModel {
    std::string name;
    // Provenance and preprocessing, never read by an integer op: "source", "bits", "calibration",
    // "input_mean", "input_std", "classes", ... (docs/model-format.md lists the keys in use).
    std::map<std::string, std::string> metadata;
    std::vector<TensorInfo> tensors;
    // The float input is quantized with reference quantize_input using tensors[input].scale and
    // tensors[input].type: the only float operation in the integer model.
    TensorId input = 0;
    std::vector<TensorId> outputs;       // usually one: the logits
    std::vector<QuantizedLayer> layers;  // topological order: every input exists before its use
};

// Equality on every field (weights, biases, scales, multipliers, params); doubles compare with ==.
// Defined here because reference/'s structs carry no operator== of their own.
bool operator==(const TensorInfo& a, const TensorInfo& b);
bool operator==(const FusedResidual& a, const FusedResidual& b);
bool operator==(const Conv2dLayer& a, const Conv2dLayer& b);
bool operator==(const FullyConnectedLayer& a, const FullyConnectedLayer& b);
bool operator==(const ResidualAddLayer& a, const ResidualAddLayer& b);
bool operator==(const MaxPool2dLayer& a, const MaxPool2dLayer& b);
bool operator==(const AveragePool2dLayer& a, const AveragePool2dLayer& b);
bool operator==(const GlobalAveragePoolLayer& a, const GlobalAveragePoolLayer& b);
bool operator==(const ConcatLayer& a, const ConcatLayer& b);
bool operator==(const RequantizeLayer& a, const RequantizeLayer& b);
bool operator==(const FlattenLayer& a, const FlattenLayer& b);
bool operator==(const ReshapeLayer& a, const ReshapeLayer& b);
bool operator==(const QuantizedLayer& a, const QuantizedLayer& b);
bool operator==(const QuantizedModel& a, const QuantizedModel& b);
// C++17 has no rewritten comparisons.
inline bool operator!=(const TensorInfo& a, const TensorInfo& b) { return !(a == b); }
inline bool operator!=(const FusedResidual& a, const FusedResidual& b) { return !(a == b); }
inline bool operator!=(const Conv2dLayer& a, const Conv2dLayer& b) { return !(a == b); }
inline bool operator!=(const FullyConnectedLayer& a, const FullyConnectedLayer& b) { return !(a == b); }
inline bool operator!=(const ResidualAddLayer& a, const ResidualAddLayer& b) { return !(a == b); }
inline bool operator!=(const MaxPool2dLayer& a, const MaxPool2dLayer& b) { return !(a == b); }
inline bool operator!=(const AveragePool2dLayer& a, const AveragePool2dLayer& b) { return !(a == b); }
inline bool operator!=(const GlobalAveragePoolLayer& a, const GlobalAveragePoolLayer& b) { return !(a == b); }
inline bool operator!=(const ConcatLayer& a, const ConcatLayer& b) { return !(a == b); }
inline bool operator!=(const RequantizeLayer& a, const RequantizeLayer& b) { return !(a == b); }
inline bool operator!=(const FlattenLayer& a, const FlattenLayer& b) { return !(a == b); }
inline bool operator!=(const ReshapeLayer& a, const ReshapeLayer& b) { return !(a == b); }
inline bool operator!=(const QuantizedLayer& a, const QuantizedLayer& b) { return !(a == b); }
inline bool operator!=(const QuantizedModel& a, const QuantizedModel& b) { return !(a == b); }

// Field-wise equality of reference/ structs (shape, type, data and scales for tensors).
bool same(const Tensor& a, const Tensor& b);
bool same(const Conv2dParams& a, const Conv2dParams& b);
bool same(const Pool2dParams& a, const Pool2dParams& b);
bool same(const OutputStage& a, const OutputStage& b);
bool same(const ResidualAddStage& a, const ResidualAddStage& b);
bool same(const AveragePoolStage& a, const AveragePoolStage& b);

// "conv2d", "fully_connected", "residual_add", "max_pool2d", "average_pool2d",
// "global_average_pool", "concat", "requantize", "flatten", "reshape".
const char* op_name(const LayerOp& op);

// The layer's weight tensor (conv2d, fully_connected), or nullptr.
const Tensor* weight_of(const QuantizedLayer& layer);

// Bit widths as inspect, BOPS and the ILP see them: weight bits (0 for layers without weights)
// and activation bits (the width of the layer's first input).
int weight_bits(const QuantizedLayer& layer);
int activation_bits(const QuantizedModel& model, const QuantizedLayer& layer);

// The type of the layer's output as the layer itself defines it (output stage, residual stage,
// pooling or requantize type, or the input's type for max pool / flatten / reshape).
IntType layer_output_type(const QuantizedModel& model, const QuantizedLayer& layer);

// Throws Error naming the layer unless the model is well formed: tensor ids in range, every tensor
// produced once (the input by no layer), layers in topological order, input counts right for the
// op, weight/bias types and shapes consistent, output stages sized to the channels, every stored
// multiplier well formed, and each tensor's info (shape, type) matching what its layer produces.
void validate(const QuantizedModel& model);

}  // namespace dyadic::quant
