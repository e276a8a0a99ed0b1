#pragma once
// Golden directories (docs/golden.md): every layer's integer inputs, output and parameters, as
// computed by the reference executor, written as .npy files and $readmemh images with one
// manifest.json describing them, for testbenches and tools outside the project. The directory
// appears complete or not at all. Header is C++17.
#include <map>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::golden {

inline constexpr const char* kGoldenFormat = "dyadic-golden";
inline constexpr int kGoldenFormatVersion = 1;

struct GoldenOptions {
    bool replace_existing = false;  // replace a non-empty directory (else an Error)
    // Where the inputs came from, recorded under "source" in manifest.json, e.g.
    // {"kind": "fashion-mnist", "split": "test", "first": "0", "count": "2"}.
    std::map<std::string, std::string> source;
};

// Runs the model on the quantized input (the model input's type, any batch size) with the
// reference executor and writes every layer into `directory`. `float_input`, when not null, is
// the float NCHW input the quantized one was made from; it is written as input_float.npy.
void write_model_golden(const std::string& directory, const quant::QuantizedModel& model, const Tensor& quantized_input,
                        const std::vector<float>* float_input, const GoldenOptions& options);

// One layer on the given inputs (one per layer.inputs entry, same order; their scales, when
// set, are recorded): the reference computes the output. For a case that reproduces alone, such
// as a differential test's failure.
void write_layer_golden(const std::string& directory, const quant::QuantizedLayer& layer,
                        const std::vector<Tensor>& inputs, const GoldenOptions& options);

}  // namespace dyadic::golden
