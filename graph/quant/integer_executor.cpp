#include "graph/quant/integer_executor.h"

#include <algorithm>
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

std::vector<Tensor> run_model_in_parts(const QuantizedModel& model, const Tensor& quantized_input, int64_t part,
                                       const LayerRunner& runner) {
    require(!quantized_input.shape.empty(), "model input: a tensor without a batch dimension");
    const int64_t batch = quantized_input.shape[0];
    if (part <= 0 || part >= batch) return run_model(model, quantized_input, {}, runner);
    std::vector<Tensor> outputs;
    for (int64_t first = 0; first < batch; first += part) {
        const int64_t count = std::min(part, batch - first);
        std::vector<Tensor> results = run_model(model, image_range(quantized_input, first, count), {}, runner);
        if (outputs.empty()) {
            // Room for the whole batch in each output, filled part by part below.
            for (const Tensor& r : results) {
                Shape shape = r.shape;
                require(!shape.empty() && shape[0] == count, "model: an output without the input's batch dimension");
                shape[0] = batch;
                outputs.emplace_back(shape, r.type, Tensor::uninitialized);
                outputs.back().scales = r.scales;
            }
        }
        for (size_t i = 0; i < results.size(); ++i) {
            const int64_t per_image = results[i].size() / count;
            std::copy(results[i].data.begin(), results[i].data.end(), outputs[i].data.begin() + first * per_image);
        }
    }
    return outputs;
}

}  // namespace dyadic::quant
