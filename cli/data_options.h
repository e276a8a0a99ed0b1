#pragma once
// The one place where commands read their images: the data options every command that
// calibrates or evaluates shares (--data, --npy, --labels, --layout, --folder, --resize, --mean,
// --std), the held-out calibration data of commands that do both (--calibration-npy,
// --calibration-folder), the preprocessing they imply, and the data sources they open
// (docs/data.md).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.h"
#include "graph/dataset/data_source.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/ir/graph.h"
#include "graph/quant/quantized_model.h"

namespace dyadic::cli {

void add_data_options(ArgParser& parser);

// --calibration-npy, --calibration-folder and --calibration-images, for commands that calibrate
// and then evaluate (compare, explore --accuracy): held-out images to calibrate on, and how many.
void add_calibration_data_options(ArgParser& parser);

// The preprocessing of a quantized model: the one its file records (or, in files written before
// input_preprocessing existed, input_mean/input_std with one channel and no resize), with --mean,
// --std and --resize on the command line replacing parts of it. `complete` is false when neither
// the file nor the command line gives a mean and std.
struct PreprocessingChoice {
    dataset::Preprocessing preprocessing;
    bool complete = true;
    bool overridden = false;  // some part came from the command line
};
PreprocessingChoice model_preprocessing(const quant::QuantizedModel& model, const ArgParser& parser);

// The preprocessing for calibrating a float model whose input is `input_shape` [N, C, H, W]:
// --mean/--std/--resize, else the sidecar's mean and std (`sidecar` may be absent).
PreprocessingChoice float_model_preprocessing(const Shape& input_shape, const std::optional<dataset::ModelSidecar>& sidecar,
                                              const ArgParser& parser);

// The data the options name (--npy, --folder, else the Fashion-MNIST `split` from --data or the
// default directory), through `choice` (which comes back as applied: channels and crop filled in).
// The user's images (uint8 .npy, image folders) are center-cropped to the model's height and width
// unless the preprocessing names a crop. When the source preprocesses raw pixels, says on stderr
// which preprocessing applies and where it comes from (`origin`: "the model file", "the sidecar").
// Its batches first check that the preprocessing is complete and the inputs are the model's
// [C, H, W], so that a command checks its own flags against the data's size first.
std::unique_ptr<dataset::DataSource> open_data(const ArgParser& parser, dataset::Split split,
                                               PreprocessingChoice& choice, const std::array<int64_t, 3>& model_input,
                                               const std::string& origin);

// The data of a command that calibrates on some images and evaluates on others.
struct CalibrationAndEvaluationData {
    std::unique_ptr<dataset::DataSource> evaluation;
    // Null when the evaluation data calibrates on its own first images (calibration_source()).
    std::unique_ptr<dataset::DataSource> calibration;
    std::string calibration_flag;  // the option that names the calibration data (empty for Fashion-MNIST)
    int calibration_images = 0;    // --calibration-images: the first images of calibration_source()

    const dataset::DataSource& calibration_source() const { return calibration ? *calibration : *evaluation; }
    // How many of the first `evaluated` evaluation images were calibrated on: all the calibration
    // images among them when the sources are one, else none.
    int64_t overlapping_images(int64_t evaluated) const;
    // When some of the first `evaluated` images were calibrated on, says so on stderr (how many,
    // and the options that avoid it): the accuracy is not a held-out measurement.
    void warn_if_overlapping(int64_t evaluated) const;
};

// The evaluation data as open_data(parser, test split) opens it, and the calibration data:
// --calibration-npy (laid out as --layout says) or --calibration-folder, through the same `choice`;
// else the Fashion-MNIST training split when the evaluation data is Fashion-MNIST's test split;
// else the evaluation data itself. Errors about the calibration data name its option; a calibration
// source with fewer than --calibration-images images is refused, as `quantize` refuses it.
CalibrationAndEvaluationData open_calibration_and_evaluation_data(const ArgParser& parser, PreprocessingChoice& choice,
                                                                  const std::array<int64_t, 3>& model_input,
                                                                  const std::string& origin);

// Opens the data for a quantized model (its input tensor's shape) through `choice`
// (model_preprocessing(model, parser), as applied when it returns), or that choice.
std::unique_ptr<dataset::DataSource> open_model_data(const quant::QuantizedModel& model, const ArgParser& parser,
                                                     dataset::Split split, PreprocessingChoice& choice);
std::unique_ptr<dataset::DataSource> open_model_data(const quant::QuantizedModel& model, const ArgParser& parser,
                                                     dataset::Split split);

// The value of a count option that selects inputs of a source with `available` of them: a
// UsageError unless it lies in 1..available.
int64_t count_option(const ArgParser& parser, const std::string& name, int64_t available);

// [C, H, W] of a [N, C, H, W] shape; Error naming `what` for another rank.
std::array<int64_t, 3> image_shape(const Shape& shape, const std::string& what);

}  // namespace dyadic::cli
