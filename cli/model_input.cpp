#include "cli/model_input.h"

#include "cli/fashion_mnist_eval.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/golden/npy.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_metadata.h"
#include "graph/verify/random_input.h"
#include "util/error.h"

namespace dyadic::cli {

void add_image_options(ArgParser& parser) {
    parser.option("--image", "index", "first Fashion-MNIST image (0..59999)", std::string("0"))
        .option("--count", "n", "number of images (1..10000)", std::string("1"))
        .option("--split", "name", "test or train", std::string("test"))
        .option("--data", "dir", "Fashion-MNIST directory")
        .option("--mean", "value", "input normalization mean (default: from the model file)")
        .option("--std", "value", "input normalization std (default: from the model file)");
}

void add_random_options(ArgParser& parser) {
    parser.option("--random", "n", "instead of images: n (1..1024) random input tensors over the input type's range")
        .option("--seed", "s", "seed of --random (0..2^31-1)", std::string("1"));
}

ModelInput fashion_mnist_input(const quant::QuantizedModel& model, const ArgParser& parser) {
    const std::string split = parser.get("--split");
    if (split != "test" && split != "train") throw UsageError("--split must be test or train");
    const int first = parser.get_int("--image", 0, 59999);
    const int count = parser.get_int("--count", 1, 10000);
    const dataset::LabelledImages images = dataset::load_fashion_mnist(
        split == "test" ? dataset::Split::test : dataset::Split::train,
        parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory()));
    // The images the split has after --image bound --count (before anything else can fail).
    const int64_t available = static_cast<int64_t>(images.count) - first;
    if (available < 1) throw UsageError("--image must lie in 0.." + std::to_string(images.count - 1));
    if (count > available) throw UsageError("--count must lie in 1.." + std::to_string(available) + " from image " + std::to_string(first));
    const dataset::InputNormalization normalization = model_normalization(model, parser);
    dataset::FloatBatch batch = dataset::normalized_batch(images, static_cast<size_t>(first), static_cast<size_t>(count),
                                                          normalization);
    ModelInput input;
    input.quantized = quant::quantize_model_input(model, batch.values, Shape(batch.shape.begin(), batch.shape.end()));
    input.floats = std::move(batch.values);
    input.labels.assign(images.labels.begin() + first, images.labels.begin() + first + count);
    input.first_image = first;
    input.source = {{"kind", "fashion-mnist"},
                    {"split", split},
                    {"first", std::to_string(first)},
                    {"count", std::to_string(count)},
                    {"mean", quant::number_text(normalization.mean)},
                    {"std", quant::number_text(normalization.std)}};
    return input;
}

ModelInput random_input(const quant::QuantizedModel& model, int64_t count, uint64_t seed) {
    if (count < 1) throw UsageError("--random must be >= 1");
    ModelInput input;
    input.quantized = verify::random_model_input(model, seed, count);
    input.source = {{"kind", "random"}, {"count", std::to_string(count)}, {"seed", std::to_string(seed)}};
    return input;
}

ModelInput npy_input(const quant::QuantizedModel& model, const std::string& path) {
    const quant::TensorInfo& info = model.tensors.at(static_cast<size_t>(model.input));
    const golden::NpyArray array = golden::read_npy(path);
    ModelInput input;
    if (array.dtype == golden::NpyDtype::float32) {
        input.floats = golden::npy_floats(array, path);
        input.quantized = quant::quantize_model_input(model, input.floats, array.shape);
    } else {
        input.quantized = golden::tensor_from_npy(array, info.type, path + " (model input " + info.type.name() + ")");
    }
    input.source = {{"kind", "npy"}, {"file", path}, {"dtype", golden::npy_dtype_name(array.dtype)}};
    return input;
}

}  // namespace dyadic::cli
