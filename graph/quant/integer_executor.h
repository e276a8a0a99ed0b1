#pragma once
// Runs the integer model on the bit-exact reference ops, one layer at a time.
// run_layer is the single definition of "what a layer computes"; every backend (SystemC model,
// RTL, CUDA) must produce the same Tensor for the same layer and inputs. Header is C++17.
#include <cstddef>
#include <functional>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::quant {

// The layer's output for the given inputs (one pointer per layer.inputs entry, same order),
// computed only by calls into reference/ops (ReferenceBackend, graph/quant/reference_backend.h):
// conv2d (or conv2d_accumulate + residual_add for a fused residual), fully_connected, residual_add,
// max_pool2d, average_pool2d, global_average_pool, concat_channels (requantize is a one-input
// concat). Flatten and reshape only relabel the shape. Throws Error on bad input.
Tensor run_layer(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs);

// Computes one layer; run_model uses run_layer unless a backend substitutes its own.
using LayerRunner = std::function<Tensor(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs)>;

// Called after each layer with the layer's index in model.layers, its inputs and its output, so
// that a caller can compare backends layer by layer or collect per-layer data.
using LayerCallback = std::function<void(size_t layer_index, const QuantizedLayer& layer,
                                         const std::vector<const Tensor*>& inputs, const Tensor& output)>;

// Quantizes a float NCHW batch with reference quantize_input and the model's input scale and type.
// shape must equal the model's input shape except for the batch dimension.
Tensor quantize_model_input(const QuantizedModel& model, const std::vector<float>& values, const Shape& shape);

// Runs every layer in order, starting from an already quantized input (the model input's type,
// any batch size), and returns the model outputs in model.outputs order. Each produced tensor's
// scales is set to its TensorInfo scale (metadata). Intermediate tensors are released after
// their last use, so memory stays at the live set. The model is assumed validated (validate() or
// load_model()); ids and the input's shape and type are still checked.
std::vector<Tensor> run_model(const QuantizedModel& model, const Tensor& quantized_input,
                              const LayerCallback& on_layer = {}, const LayerRunner& runner = run_layer);

// The size of the parts run_model_in_parts splits a batch of `batch` images into: at most
// `preferred` images (any number when preferred <= 0), the part count rounded up to a multiple of
// `concurrent` where the batch allows, so that concurrent parts end together instead of one thread
// running a last part alone; every part but the last has this size. One part (the whole batch)
// when preferred <= 0 and concurrent is 1.
int64_t part_size(int64_t batch, int64_t preferred, int concurrent);

// run_model over the input's images in parts of part_size(batch, backend.preferred_batch(),
// backend.concurrent_parts()) images, run through backend.run_parts (at the same time on the cpu
// backend's threads) with backend.run_layer, each model output concatenated along the batch.
// Equal to run_model on the whole batch, since every layer computes each image from that image
// alone; faster on backends whose layers run best on fewer images than the caller loads at once.
std::vector<Tensor> run_model_in_parts(const QuantizedModel& model, const Tensor& quantized_input,
                                       LayerBackend& backend);

// run_model_in_parts(model, quantize_model_input(model, values, shape), backend), with each part
// quantized in its own part, so that the backend's threads share the quantization too.
std::vector<Tensor> run_model_in_parts(const QuantizedModel& model, const std::vector<float>& values,
                                       const Shape& shape, LayerBackend& backend);

}  // namespace dyadic::quant
