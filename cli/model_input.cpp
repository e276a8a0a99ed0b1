#include "cli/model_input.h"

#include "cli/data_options.h"
#include "graph/dataset/preprocessing.h"
#include "graph/golden/npy.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_metadata.h"
#include "graph/verify/random_input.h"
#include "util/error.h"

namespace dyadic::cli {

void add_image_options(ArgParser& parser) {
    parser.option("--image", "index", "first image (0..59999)", std::string("0"))
        .option("--count", "n", "number of images (1..10000)", std::string("1"))
        .option("--split", "name", "Fashion-MNIST: test or train", std::string("test"));
    add_data_options(parser);
}

void add_random_options(ArgParser& parser) {
    parser.option("--random", "n", "instead of images: n (1..1024) random input tensors over the input type's range")
        .option("--seed", "s", "seed of --random (0..2^31-1)", std::string("1"));
}

ModelInput data_input(const quant::QuantizedModel& model, const ArgParser& parser) {
    const std::string split = parser.get("--split");
    if (split != "test" && split != "train") throw UsageError("--split must be test or train");
    const int first = parser.get_int("--image", 0, 59999);
    const int count = parser.get_int("--count", 1, 10000);
    PreprocessingChoice preprocessing = model_preprocessing(model, parser);
    const auto data = open_model_data(model, parser, split == "test" ? dataset::Split::test : dataset::Split::train,
                                      preprocessing);
    // The images the data has after --image bound --count (before anything else can fail).
    const int64_t available = data->size() - first;
    if (available < 1) throw UsageError("--image must lie in 0.." + std::to_string(data->size() - 1));
    if (count > available) throw UsageError("--count must lie in 1.." + std::to_string(available) + " from image " + std::to_string(first));
    dataset::LabelledBatch batch = data->batch(first, count);
    ModelInput input;
    input.quantized = quant::quantize_model_input(model, batch.inputs.values,
                                                  Shape(batch.inputs.shape.begin(), batch.inputs.shape.end()));
    input.floats = std::move(batch.inputs.values);
    input.labels = std::move(batch.labels);
    input.first_image = first;
    input.source = data->provenance();
    input.source["first"] = std::to_string(first);
    input.source["count"] = std::to_string(count);
    if (input.source["kind"] == "fashion-mnist") input.source["split"] = split;
    if (data->preprocessed()) {
        input.source["preprocessing"] = dataset::preprocessing_json(preprocessing.preprocessing);
    }
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
