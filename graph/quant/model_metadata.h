#pragma once
// The metadata keys dyadic writes into integer models (docs/model-format.md, "Metadata") and
// helpers for the ones the command-line tools read back. Header is C++17.
#include <optional>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::quant {

inline constexpr const char* kMetadataSource = "source";            // ONNX file name
inline constexpr const char* kMetadataBits = "bits";                // bit configuration, JSON
inline constexpr const char* kMetadataCalibration = "calibration";  // e.g. "auto, 512 images"
inline constexpr const char* kMetadataInputMean = "input_mean";     // x = (pixel / 255 - mean) / std
inline constexpr const char* kMetadataInputStd = "input_std";
inline constexpr const char* kMetadataClasses = "classes";          // JSON array of class names
// Resize, crop, channels and per-channel mean/std, JSON (graph/dataset/preprocessing.h); absent
// in files written before it existed, which mean input_mean/input_std on one channel.
inline constexpr const char* kMetadataInputPreprocessing = "input_preprocessing";

// The number stored under `key`, or nullopt when absent; throws Error when it is not a number.
std::optional<double> metadata_number(const QuantizedModel& model, const std::string& key);

// The class names stored under "classes", or empty.
std::vector<std::string> metadata_classes(const QuantizedModel& model);

// Writes a double so that metadata_number reads back the same value (17 significant digits).
std::string number_text(double value);

// Index of the largest element of each row of a [N, C] (or [N, C, 1, 1]) tensor; ties go to the
// lowest index.
std::vector<int> argmax_rows(const Tensor& logits);

}  // namespace dyadic::quant
