#pragma once
// models/<name>.json next to each bundled models/<name>.onnx: how to feed the model and what
// accuracy its float version reached, e.g.
//   {"input_mean": 0.286, "input_std": 0.353, "classes": ["T-shirt/top", ...], "fp32_top1": 0.93}
#include <string>
#include <vector>

#include "graph/dataset/normalized_batch.h"

namespace dyadic::dataset {

struct ModelSidecar {
    InputNormalization normalization;
    std::vector<std::string> classes;
    double fp32_top1 = 0.0;  // fraction in [0, 1] measured on the test split
};

// Parses sidecar JSON text; `source` names it in error messages. Throws dyadic::Error for invalid
// JSON, missing or mistyped fields, std <= 0, no classes, or fp32_top1 outside [0, 1].
ModelSidecar parse_model_sidecar(const std::string& json_text, const std::string& source);

// Reads and parses a sidecar file.
ModelSidecar read_model_sidecar(const std::string& path);

// "models/foo.onnx" -> "models/foo.json".
std::string sidecar_path_for_model(const std::string& onnx_path);

}  // namespace dyadic::dataset
