#include "cli/data_options.h"

#include <algorithm>
#include <iostream>

#include "graph/dataset/preprocessing.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli {

void add_data_options(ArgParser& parser) {
    parser.option("--data", "dir", "Fashion-MNIST directory (default: $DYADIC_FASHION_MNIST_DIR or "
                                   "/usr/share/datasets/fashion-mnist)")
        .option("--npy", "file", "instead of Fashion-MNIST: an input batch (.npy, float32 model inputs or uint8 pixels)")
        .option("--labels", "file", "with --npy: the labels (.npy of integers, shape [N])")
        .option("--layout", "order", "with --npy: nchw or nhwc", std::string("nchw"))
        .option("--folder", "dir", "instead of Fashion-MNIST: JPEG/PNG images in <dir>/<class>/<image>")
        .option("--resize", "n", "resize the shorter image side to n pixels before the center crop (0..65536)")
        .option("--mean", "m[,m,m]", "input normalization mean, one or one per channel (default: from the model)")
        .option("--std", "s[,s,s]", "input normalization std, one or one per channel (default: from the model)");
}

namespace {

// Applies --mean, --std and --resize to `choice`.
void apply_overrides(PreprocessingChoice& choice, const ArgParser& parser) {
    if (const auto mean = parser.get_optional("--mean")) {
        choice.preprocessing.mean = dataset::parse_number_list(*mean, "--mean");
        choice.overridden = true;
    }
    if (const auto std = parser.get_optional("--std")) {
        choice.preprocessing.std = dataset::parse_number_list(*std, "--std");
        choice.overridden = true;
    }
    if (parser.has("--resize")) {
        choice.preprocessing.resize = parser.get_int("--resize", 0, 65536);
        choice.overridden = true;
    }
}

}  // namespace

int64_t count_option(const ArgParser& parser, const std::string& name, int64_t available) {
    constexpr int64_t kIntMax = 0x7fffffff;
    return parser.get_int(name, 1, static_cast<int>(std::min(available, kIntMax)));
}

std::array<int64_t, 3> image_shape(const Shape& shape, const std::string& what) {
    require(shape.size() == 4, what + ": the model input is " + to_string(shape) +
                                   "; image data needs a [N, C, H, W] input");
    return {shape[1], shape[2], shape[3]};
}

PreprocessingChoice model_preprocessing(const quant::QuantizedModel& model, const ArgParser& parser) {
    PreprocessingChoice choice;
    const auto recorded = model.metadata.find(quant::kMetadataInputPreprocessing);
    if (recorded != model.metadata.end()) {
        choice.preprocessing = dataset::parse_preprocessing_json(recorded->second, model.name);
    } else {
        const Shape& shape = model.tensors.at(static_cast<size_t>(model.input)).shape;
        choice.preprocessing.channels = shape.size() == 4 && shape[1] == 3 ? 3 : 1;
        const auto mean = quant::metadata_number(model, quant::kMetadataInputMean);
        const auto std = quant::metadata_number(model, quant::kMetadataInputStd);
        choice.complete = mean && std;
        if (mean) choice.preprocessing.mean = {*mean};
        if (std) choice.preprocessing.std = {*std};
    }
    apply_overrides(choice, parser);
    if (parser.has("--mean") && parser.has("--std")) choice.complete = true;
    return choice;
}

PreprocessingChoice float_model_preprocessing(const Shape& input_shape, const std::optional<dataset::ModelSidecar>& sidecar,
                                              const ArgParser& parser) {
    PreprocessingChoice choice;
    choice.preprocessing.channels = input_shape.size() == 4 && input_shape[1] == 3 ? 3 : 1;
    choice.complete = sidecar.has_value();
    if (sidecar) {
        choice.preprocessing.mean = {sidecar->normalization.mean};
        choice.preprocessing.std = {sidecar->normalization.std};
    }
    apply_overrides(choice, parser);
    if (parser.has("--mean") && parser.has("--std")) choice.complete = true;
    return choice;
}

std::unique_ptr<dataset::DataSource> open_data(const ArgParser& parser, dataset::Split split,
                                               PreprocessingChoice& choice, const std::array<int64_t, 3>& model_input,
                                               const std::string& origin) {
    if (parser.has("--npy") && parser.has("--folder")) throw UsageError("--npy and --folder exclude each other");
    if (parser.has("--labels") && !parser.has("--npy")) throw UsageError("--labels goes with --npy");
    dataset::Preprocessing& p = choice.preprocessing;
    if (model_input[0] == 1 || model_input[0] == 3) p.channels = static_cast<int>(model_input[0]);
    // The user's images are center-cropped to the model's input unless the preprocessing says otherwise.
    if (p.crop_height == 0 && (parser.has("--npy") || parser.has("--folder"))) {
        p.crop_height = model_input[1];
        p.crop_width = model_input[2];
    }
    std::unique_ptr<dataset::DataSource> source;
    if (const auto npy = parser.get_optional("--npy")) {
        source = dataset::npy_source(*npy, parser.get_optional("--labels"), dataset::parse_layout(parser.get("--layout")), p);
    } else if (const auto folder = parser.get_optional("--folder")) {
        source = dataset::image_folder_source(*folder, p);
    } else {
        const std::string directory = parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory());
        const std::string name = std::string("Fashion-MNIST ") + (split == dataset::Split::test ? "test" : "training") +
                                 " split";
        source = dataset::fashion_mnist_source(dataset::load_fashion_mnist(split, directory), name, p);
    }
    const bool needs_normalization = source->preprocessed() && !choice.complete;
    if (source->preprocessed() && choice.complete) {
        std::cerr << "preprocessing " << dataset::describe(p) << " ("
                  << (choice.overridden ? "the command line over " + origin : origin) << ")\n";
    }
    return dataset::with_check(std::move(source), [=](const dataset::DataSource& data) {
        require(!needs_normalization,
                "no input normalization for " + data.description() + ": " + origin + " has none; pass --mean and --std");
        dataset::require_input_shape(data, model_input);
    });
}

std::unique_ptr<dataset::DataSource> open_model_data(const quant::QuantizedModel& model, const ArgParser& parser,
                                                     dataset::Split split, PreprocessingChoice& choice) {
    const Shape& shape = model.tensors.at(static_cast<size_t>(model.input)).shape;
    return open_data(parser, split, choice, image_shape(shape, model.name), "the model file");
}

std::unique_ptr<dataset::DataSource> open_model_data(const quant::QuantizedModel& model, const ArgParser& parser,
                                                     dataset::Split split) {
    PreprocessingChoice choice = model_preprocessing(model, parser);
    return open_model_data(model, parser, split, choice);
}

}  // namespace dyadic::cli
