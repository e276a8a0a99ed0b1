#pragma once
// The integer input a command runs a model on, from one of three sources: images of a data source
// (Fashion-MNIST, a .npy batch, an image folder: cli/data_options.h) preprocessed as the model file
// records, seeded random tensors over the input type's range, or the user's own .npy tensor
// (already quantized, or float32 to be quantized as the model says). Shared by `run` and `golden`,
// so every command reads the same options the same way.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/args.h"
#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::cli {

struct ModelInput {
    Tensor quantized;                // the model input's type, [N, ...]
    std::vector<float> floats;       // the float input it was quantized from; empty when none
    std::vector<int> labels;         // one per image for labelled dataset images; empty otherwise
    int64_t first_image = 0;         // index of the first image (dataset images only)
    std::map<std::string, std::string> source;  // where it came from, for reports and manifests
};

// --image, --count, --split and the data options (--data, --npy, --folder, ...).
void add_image_options(ArgParser& parser);
// --random N, --seed S.
void add_random_options(ArgParser& parser);

// Images [--image, --image + --count) of the data the options name.
ModelInput data_input(const quant::QuantizedModel& model, const ArgParser& parser);
// N tensors uniform over the input type's range (verify::random_model_input: the same seed gives
// the same tensors on every machine, and the same as `dyadic verify --random N --seed S` for N up
// to its batch size).
ModelInput random_input(const quant::QuantizedModel& model, int64_t count, uint64_t seed);
// An integer .npy (values must fit the input type; any integer dtype) or a float32 one
// (quantized with the model's input scale and type); its shape is [N, ...] of the model input.
ModelInput npy_input(const quant::QuantizedModel& model, const std::string& path);

}  // namespace dyadic::cli
