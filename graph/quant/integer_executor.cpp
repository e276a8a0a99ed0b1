#include "graph/quant/integer_executor.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>

#include "graph/quant/reference_backend.h"
#include "util/error.h"
#include "reference/ops/quantize_input.h"

namespace dyadic::quant {
namespace {

// "[N, 1, 28, 28]": the batch dimension is free.
std::string batch_free(const Shape& shape) {
    std::string text = to_string(shape);
    const size_t comma = text.find(',');
    return comma == std::string::npos ? "[N]" : "[N" + text.substr(comma);
}

bool same_except_batch(const Shape& a, const Shape& b) {
    return a.size() == b.size() && !a.empty() && std::equal(a.begin() + 1, a.end(), b.begin() + 1);
}

}  // namespace

Tensor run_layer(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
    ReferenceBackend reference;
    return reference.run_layer(layer, inputs);
}

Tensor quantize_model_input(const QuantizedModel& model, const std::vector<float>& values, const Shape& shape) {
    require(model.input >= 0 && static_cast<size_t>(model.input) < model.tensors.size(),
            "model: input tensor id out of range");
    const TensorInfo& info = model.tensors[static_cast<size_t>(model.input)];
    require(same_except_batch(shape, info.shape),
            "model input: expected shape " + batch_free(info.shape) + ", got " + to_string(shape));
    Tensor quantized = quantize_input(values, shape, info.scale, info.type);
    quantized.scales = {info.scale};
    return quantized;
}

std::vector<Tensor> run_model(const QuantizedModel& model, const Tensor& quantized_input,
                              const LayerCallback& on_layer, const LayerRunner& runner) {
    const size_t tensor_count = model.tensors.size();
    const auto check_id = [&](TensorId id, const std::string& what) {
        require(id >= 0 && static_cast<size_t>(id) < tensor_count, "model: " + what + " tensor id " +
                                                                      std::to_string(id) + " is out of range");
    };
    check_id(model.input, "input");
    const TensorInfo& input_info = model.tensors[static_cast<size_t>(model.input)];
    require(quantized_input.type == input_info.type, "model input: expected " + input_info.type.name() + ", got " +
                                                         quantized_input.type.name());
    require(same_except_batch(quantized_input.shape, input_info.shape),
            "model input: expected shape " + batch_free(input_info.shape) + ", got " +
                to_string(quantized_input.shape));

    // The last layer reading each tensor; model outputs are never released, unread tensors at once.
    constexpr size_t kKeep = static_cast<size_t>(-1);
    constexpr size_t kUnread = static_cast<size_t>(-2);
    std::vector<size_t> last_use(tensor_count, kUnread);
    for (size_t i = 0; i < model.layers.size(); ++i) {
        for (const TensorId id : model.layers[i].inputs) {
            check_id(id, "layer '" + model.layers[i].name + "' input");
            last_use[static_cast<size_t>(id)] = i;
        }
        check_id(model.layers[i].output, "layer '" + model.layers[i].name + "' output");
    }
    for (const TensorId id : model.outputs) {
        check_id(id, "output");
        last_use[static_cast<size_t>(id)] = kKeep;
    }

    std::vector<std::optional<Tensor>> live(tensor_count);
    live[static_cast<size_t>(model.input)] = quantized_input;
    live[static_cast<size_t>(model.input)]->scales = {input_info.scale};
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const QuantizedLayer& layer = model.layers[i];
        inputs.clear();
        for (const TensorId id : layer.inputs) {
            const std::optional<Tensor>& slot = live[static_cast<size_t>(id)];
            require(slot.has_value(), "model: layer '" + layer.name + "' reads tensor '" +
                                          model.tensors[static_cast<size_t>(id)].name + "' before it is produced");
            inputs.push_back(&*slot);
        }
        Tensor output = runner(layer, inputs);
        output.scales = {model.tensors[static_cast<size_t>(layer.output)].scale};
        if (on_layer) on_layer(i, layer, inputs, output);
        if (last_use[static_cast<size_t>(layer.output)] != kUnread) live[static_cast<size_t>(layer.output)] = std::move(output);
        for (const TensorId id : layer.inputs) {
            if (last_use[static_cast<size_t>(id)] == i) live[static_cast<size_t>(id)].reset();
        }
    }
    std::vector<Tensor> outputs;
    for (const TensorId id : model.outputs) {
        require(live[static_cast<size_t>(id)].has_value(), "model: output tensor '" +
                                                               model.tensors[static_cast<size_t>(id)].name +
                                                               "' is never produced");
        outputs.push_back(*live[static_cast<size_t>(id)]);
    }
    return outputs;
}

namespace {

// Images first .. first + count - 1 of an [N, ...] tensor.
Tensor image_range(const Tensor& batch, int64_t first, int64_t count) {
    Shape shape = batch.shape;
    shape[0] = count;
    const int64_t per_image = batch.shape[0] == 0 ? 0 : batch.size() / batch.shape[0];
    Tensor part(shape, batch.type, Tensor::uninitialized);
    part.scales = batch.scales;
    std::copy_n(batch.data.begin() + first * per_image, count * per_image, part.data.begin());
    return part;
}

}  // namespace

int64_t part_size(int64_t batch, int64_t preferred, int concurrent) {
    require(batch >= 0 && concurrent >= 1, "part_size: batch " + std::to_string(batch) + ", concurrent parts " +
                                               std::to_string(concurrent));
    if (preferred <= 0 || preferred >= batch) {
        if (concurrent == 1 || batch <= 1) return std::max<int64_t>(batch, 1);
        preferred = batch;
    }
    int64_t parts = (batch + preferred - 1) / preferred;
    parts = std::min(batch, (parts + concurrent - 1) / concurrent * concurrent);
    return (batch + parts - 1) / parts;
}

namespace {

// run_model over a batch of `batch` images in parts of part_size images through
// backend.run_parts; part_input(first, count) makes the quantized input of images first ..
// first + count - 1 (on the part's own thread).
std::vector<Tensor> run_parts_of(const QuantizedModel& model, int64_t batch, LayerBackend& backend,
                                 const std::function<Tensor(int64_t first, int64_t count)>& part_input) {
    const LayerRunner runner = [&](const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
        return backend.run_layer(layer, inputs);
    };
    const int64_t size = part_size(batch, backend.preferred_batch(), backend.concurrent_parts());
    if (size >= batch) return run_model(model, part_input(0, batch), {}, runner);
    const int64_t parts = (batch + size - 1) / size;
    std::vector<std::vector<Tensor>> results(static_cast<size_t>(parts));
    backend.run_parts(parts, [&](int64_t part) {
        const int64_t first = part * size;
        results[static_cast<size_t>(part)] = run_model(model, part_input(first, std::min(size, batch - first)), {}, runner);
    });
    // Each model output, the parts' images one after the other.
    std::vector<Tensor> outputs;
    for (size_t i = 0; i < results[0].size(); ++i) {
        Shape shape = results[0][i].shape;
        require(!shape.empty() && shape[0] == size, "model: an output without the input's batch dimension");
        shape[0] = batch;
        Tensor& output = outputs.emplace_back(shape, results[0][i].type, Tensor::uninitialized);
        output.scales = results[0][i].scales;
        const int64_t per_image = results[0][i].size() / size;
        for (int64_t part = 0; part < parts; ++part) {
            const Tensor& result = results[static_cast<size_t>(part)][i];
            const int64_t first = part * size;
            require(result.size() == per_image * std::min(size, batch - first), "model: parts' outputs differ in shape");
            std::copy(result.data.begin(), result.data.end(), output.data.begin() + first * per_image);
        }
    }
    return outputs;
}

}  // namespace

std::vector<Tensor> run_model_in_parts(const QuantizedModel& model, const Tensor& quantized_input,
                                       LayerBackend& backend) {
    require(!quantized_input.shape.empty(), "model input: a tensor without a batch dimension");
    const int64_t batch = quantized_input.shape[0];
    return run_parts_of(model, batch, backend, [&](int64_t first, int64_t count) {
        return count == batch ? quantized_input : image_range(quantized_input, first, count);
    });
}

std::vector<Tensor> run_model_in_parts(const QuantizedModel& model, const std::vector<float>& values,
                                       const Shape& shape, LayerBackend& backend) {
    // A bad shape or a non-finite value: the whole batch's message, with the batch's shape and
    // the value's index in the batch rather than in its part.
    const bool known_input = model.input >= 0 && static_cast<size_t>(model.input) < model.tensors.size();
    if (!known_input || !same_except_batch(shape, model.tensors[static_cast<size_t>(model.input)].shape) ||
        element_count(shape) != static_cast<int64_t>(values.size()) ||
        !std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); })) {
        return run_model_in_parts(model, quantize_model_input(model, values, shape), backend);
    }
    const int64_t batch = shape[0], per_image = batch == 0 ? 0 : element_count(shape) / batch;
    return run_parts_of(model, batch, backend, [&](int64_t first, int64_t count) {
        if (count == batch) return quantize_model_input(model, values, shape);
        Shape part_shape = shape;
        part_shape[0] = count;
        const auto begin = values.begin() + first * per_image;
        return quantize_model_input(model, std::vector<float>(begin, begin + count * per_image), part_shape);
    });
}

}  // namespace dyadic::quant
