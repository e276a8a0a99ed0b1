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

void add_calibration_data_options(ArgParser& parser) {
    parser
        .option("--calibration-npy", "file", "held-out images to calibrate on (.npy as --npy, no labels needed)")
        .option("--calibration-folder", "dir", "held-out images to calibrate on (<dir>/<class>/<image> as --folder)")
        .option("--calibration-images", "n", "images to calibrate on (1..60000), the first of the calibration data",
                std::string("512"));
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

namespace {

// Where a source's images come from, as the options name them; neither `npy` nor `folder`:
// Fashion-MNIST.
struct SourceOptions {
    std::optional<std::string> npy, labels, folder;
};

// What `step` returns; an Error it throws comes back with `flag` (the option whose data it is
// about) in front of its message, when `flag` is not empty.
template <class Step>
auto naming_option(const std::string& flag, Step&& step) -> decltype(step()) {
    try {
        return step();
    } catch (const Error& error) {
        if (flag.empty()) throw;
        throw Error(flag + ": " + error.what());
    }
}

// The data `options` name, through `choice` (see open_data). `flag`, when not empty, names the
// option in front of every error about the data.
std::unique_ptr<dataset::DataSource> open_source(const ArgParser& parser, const SourceOptions& options,
                                                 dataset::Split split, PreprocessingChoice& choice,
                                                 const std::array<int64_t, 3>& model_input, const std::string& origin,
                                                 const std::string& flag) {
    dataset::Preprocessing& p = choice.preprocessing;
    if (model_input[0] == 1 || model_input[0] == 3) p.channels = static_cast<int>(model_input[0]);
    // The user's images are center-cropped to the model's input unless the preprocessing says otherwise.
    if (p.crop_height == 0 && (options.npy || options.folder)) {
        p.crop_height = model_input[1];
        p.crop_width = model_input[2];
    }
    std::unique_ptr<dataset::DataSource> source = naming_option(flag, [&]() -> std::unique_ptr<dataset::DataSource> {
        if (options.npy)
            return dataset::npy_source(*options.npy, options.labels, dataset::parse_layout(parser.get("--layout")), p);
        if (options.folder) return dataset::image_folder_source(*options.folder, p);
        const std::string directory = parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory());
        const std::string name =
            std::string("Fashion-MNIST ") + (split == dataset::Split::test ? "test" : "training") + " split";
        return dataset::fashion_mnist_source(dataset::load_fashion_mnist(split, directory), name, p);
    });
    const bool needs_normalization = source->preprocessed() && !choice.complete;
    if (source->preprocessed() && choice.complete) {
        std::cerr << "preprocessing " << dataset::describe(p) << " ("
                  << (choice.overridden ? "the command line over " + origin : origin) << ")\n";
    }
    return dataset::with_check(std::move(source), [=](const dataset::DataSource& data) {
        naming_option(flag, [&] {
            require(!needs_normalization, "no input normalization for " + data.description() + ": " + origin +
                                              " has none; pass --mean and --std");
            dataset::require_input_shape(data, model_input);
        });
    });
}

}  // namespace

std::unique_ptr<dataset::DataSource> open_data(const ArgParser& parser, dataset::Split split,
                                               PreprocessingChoice& choice, const std::array<int64_t, 3>& model_input,
                                               const std::string& origin) {
    if (parser.has("--npy") && parser.has("--folder")) throw UsageError("--npy and --folder exclude each other");
    if (parser.has("--labels") && !parser.has("--npy")) throw UsageError("--labels goes with --npy");
    const SourceOptions options{parser.get_optional("--npy"), parser.get_optional("--labels"),
                                parser.get_optional("--folder")};
    return open_source(parser, options, split, choice, model_input, origin, "");
}

int64_t CalibrationAndEvaluationData::overlapping_images(int64_t evaluated) const {
    return calibration ? 0 : std::min<int64_t>(calibration_images, evaluated);
}

void CalibrationAndEvaluationData::warn_if_overlapping(int64_t evaluated) const {
    const int64_t overlap = overlapping_images(evaluated);
    if (overlap == 0) return;
    std::cerr << "warning: calibrating on the first " << calibration_images << " images of "
              << evaluation->description() << ", which are also evaluated: " << overlap << " of the " << evaluated
              << " evaluated images were calibrated on, so the accuracy is not a held-out measurement; "
                 "--calibration-npy or --calibration-folder calibrates on held-out images\n";
}

CalibrationAndEvaluationData open_calibration_and_evaluation_data(const ArgParser& parser, PreprocessingChoice& choice,
                                                                  const std::array<int64_t, 3>& model_input,
                                                                  const std::string& origin) {
    const auto npy = parser.get_optional("--calibration-npy");
    const auto folder = parser.get_optional("--calibration-folder");
    if (npy && folder) throw UsageError("--calibration-npy and --calibration-folder exclude each other");
    CalibrationAndEvaluationData data;
    data.calibration_images = parser.get_int("--calibration-images", 1, 60000);
    data.evaluation = open_data(parser, dataset::Split::test, choice, model_input, origin);
    const bool user_data = parser.has("--npy") || parser.has("--folder");
    if (npy || folder) {
        data.calibration_flag = npy ? "--calibration-npy" : "--calibration-folder";
        data.calibration = open_source(parser, SourceOptions{npy, std::nullopt, folder}, dataset::Split::train, choice,
                                       model_input, origin, data.calibration_flag);
    } else if (user_data) {
        data.calibration_flag = parser.has("--npy") ? "--npy" : "--folder";
    } else {
        data.calibration = open_source(parser, SourceOptions{}, dataset::Split::train, choice, model_input, origin, "");
    }
    const dataset::DataSource& calibration = data.calibration_source();
    const std::string named = data.calibration_flag.empty() ? "" : data.calibration_flag + " ";
    require(data.calibration_images <= calibration.size(),
            "--calibration-images " + std::to_string(data.calibration_images) + ": " + named + calibration.description() +
                " holds only " + std::to_string(calibration.size()) + " images");
    return data;
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
