#include "graph/sensitivity/layer_sensitivity.h"

#include <algorithm>
#include <ctime>

#include "graph/ir/executor.h"
#include "graph/quant/calibration.h"
#include "graph/sensitivity/activation_quantization.h"
#include "graph/sensitivity/softmax_cross_entropy.h"
#include "graph/sensitivity/tangent_propagation.h"
#include "graph/sensitivity/weight_layers.h"
#include "graph/sensitivity/weight_quantization.h"
#include "util/error.h"

namespace dyadic::sensitivity {
namespace {

ir::FloatTensor batch_slice(const ir::FloatTensor& images, int64_t first, int64_t count) {
    const int64_t per_image = images.size() / images.dim(0);
    Shape shape = images.shape;
    shape[0] = count;
    return ir::FloatTensor(shape, std::vector<float>(images.data.begin() + first * per_image,
                                                     images.data.begin() + (first + count) * per_image));
}

// The activation direction of sample `sample` for images [first, first + count): one Rademacher
// vector per image (activation_rademacher_seed), so batching does not change it.
ir::FloatTensor activation_direction(const Shape& batch_shape, int64_t first, uint64_t seed, std::size_t layer,
                                     int sample) {
    ir::FloatTensor direction(batch_shape);
    const int64_t count = batch_shape.at(0), per_image = direction.size() / count;
    for (int64_t n = 0; n < count; ++n) {
        const std::vector<float> v =
            rademacher_vector(per_image, activation_rademacher_seed(seed, layer, static_cast<uint64_t>(sample),
                                                                    static_cast<uint64_t>(first + n)));
        std::copy(v.begin(), v.end(), direction.data.begin() + n * per_image);
    }
    return direction;
}

}  // namespace

std::vector<LayerSensitivity> estimate_layer_sensitivities(const ir::Graph& graph, const ir::FloatTensor& images,
                                                           const SensitivityOptions& options,
                                                           const ProgressCallback& progress) {
    require(options.samples >= 2, "sensitivity: at least two Hutchinson samples per layer are needed");
    require(options.batch_size >= 1, "sensitivity: batch size must be at least 1");
    require(!options.bits.empty(), "sensitivity: no candidate bit widths");
    for (const int bits : options.bits)
        require(bits >= 2 && bits <= 8, "sensitivity: candidate bit width " + std::to_string(bits) + " is outside 2..8");
    require(graph.inputs().size() == 1, "sensitivity: the graph must have exactly one input");
    require(!images.shape.empty() && images.dim(0) >= 1 && images.size() > 0, "sensitivity: no calibration images");

    const std::vector<WeightLayer> layers = weight_layers(graph);
    require(!layers.empty(), "sensitivity: the graph has no Conv or FullyConnected layer");
    const ir::FloatExecutor executor(graph);
    const TangentPropagator propagator(graph);

    const int64_t image_count = images.dim(0);
    const int64_t batches = (image_count + options.batch_size - 1) / options.batch_size;
    const int64_t total = batches * static_cast<int64_t>(layers.size()) * options.samples * (options.activations ? 2 : 1);
    int64_t done = 0;

    // Activation quantizers per layer and bit width, calibrated on the same images as the Hessian.
    std::vector<std::vector<ActivationQuantizer>> quantizers(layers.size());
    if (options.activations) {
        const quant::CalibrationStatistics statistics =
            quant::collect_statistics(graph, images, options.batch_size, /*histograms=*/true);
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const std::string& input = graph.node(layers[l].node).inputs.at(0);
            const auto found = statistics.find(input);
            require(found != statistics.end(), "sensitivity: no calibration statistics for tensor '" + input + "'");
            for (const int bits : options.bits)
                quantizers[l].push_back(activation_quantizer(graph.value(input), found->second, bits));
        }
    }
    std::vector<std::vector<double>> input_sums(layers.size(), std::vector<double>(options.samples, 0.0));
    std::vector<std::vector<double>> input_errors(layers.size(), std::vector<double>(options.bits.size(), 0.0));
    std::vector<double> input_seconds(layers.size(), 0.0);
    std::vector<int64_t> input_elements(layers.size(), 0);

    // sums[layer][sample]: sum over images of u^T (d^2 L_n / dz^2) u; the same vector v is used for
    // every batch, so the per-sample quadratic form is over the whole calibration set.
    std::vector<std::vector<double>> sums(layers.size(), std::vector<double>(options.samples, 0.0));
    std::vector<double> seconds(layers.size(), 0.0);
    for (int64_t first = 0; first < image_count; first += options.batch_size) {
        const int64_t count = std::min(options.batch_size, image_count - first);
        ir::RunOptions keep_everything;
        keep_everything.keep_all = true;
        const ir::TensorMap activations =
            executor.run(ir::TensorMap{{graph.inputs()[0], batch_slice(images, first, count)}}, keep_everything);
        const ir::FloatTensor& logits = activations.at(graph.outputs()[0]);
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const std::clock_t start = std::clock();
            const ir::FloatTensor& weight = graph.node(layers[l].node).weight;
            for (int s = 0; s < options.samples; ++s) {
                const ir::FloatTensor direction(weight.shape,
                                                rademacher_vector(weight.size(), rademacher_seed(options.seed, l, s)));
                const ir::FloatTensor tangent = propagator.output_tangent(layers[l].node, direction, activations);
                sums[l][s] += cross_entropy_curvature_sum(logits, tangent);
                if (progress) progress(++done, total);
            }
            seconds[l] += static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
            if (!options.activations) continue;

            const std::clock_t input_start = std::clock();
            const ir::FloatTensor& input = activations.at(graph.node(layers[l].node).inputs.at(0));
            input_elements[l] = input.size() / count;
            for (int s = 0; s < options.samples; ++s) {
                const ir::FloatTensor direction = activation_direction(input.shape, first, options.seed, l, s);
                const ir::FloatTensor tangent = propagator.output_tangent_from_input(layers[l].node, direction, activations);
                input_sums[l][s] += cross_entropy_curvature_sum(logits, tangent);
                if (progress) progress(++done, total);
            }
            for (std::size_t b = 0; b < options.bits.size(); ++b)
                input_errors[l][b] += activation_error_squared(input, quantizers[l][b]);
            input_seconds[l] += static_cast<double>(std::clock() - input_start) / CLOCKS_PER_SEC;
        }
    }

    std::vector<LayerSensitivity> result;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        LayerSensitivity layer;
        layer.name = layers[l].name;
        layer.op = ir::op_name(layers[l].op);
        layer.n_params = layers[l].n_params;
        for (const double sum : sums[l]) layer.quadratic_forms.push_back(sum / static_cast<double>(image_count));
        layer.trace = summarize_quadratic_forms(layer.quadratic_forms);
        const ir::FloatTensor& weight = graph.node(layers[l].node).weight;
        for (const int bits : options.bits) {
            const double error = quantization_error_squared(weight, bits);
            layer.per_bits.push_back({bits, error, layer.trace.trace / static_cast<double>(layer.n_params) * error});
        }
        layer.cpu_seconds = seconds[l];
        if (options.activations) {
            ActivationSensitivity input;
            input.n_elements = input_elements[l];
            for (const double sum : input_sums[l]) input.quadratic_forms.push_back(sum / static_cast<double>(image_count));
            input.trace = summarize_quadratic_forms(input.quadratic_forms);
            for (std::size_t b = 0; b < options.bits.size(); ++b) {
                const double error = input_errors[l][b] / static_cast<double>(image_count);
                input.per_bits.push_back(
                    {options.bits[b], error, input.trace.trace / static_cast<double>(input.n_elements) * error});
            }
            input.cpu_seconds = input_seconds[l];
            layer.activation = std::move(input);
        }
        result.push_back(std::move(layer));
    }
    return result;
}

}  // namespace dyadic::sensitivity
