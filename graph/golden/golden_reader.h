#pragma once
// Reads golden directories (docs/golden.md) back: each layer as a self-contained case (the layer,
// its inputs, the reference's output), so that a backend can be checked against files written
// elsewhere or a differential test failure replayed. Header is C++17.
#include <cstddef>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::golden {

struct GoldenLayer {
    size_t index = 0;
    // layer.inputs are 0 .. inputs.size()-1 and layer.output is inputs.size(): positions in this
    // case, not ids of any model.
    quant::QuantizedLayer layer;
    std::vector<Tensor> inputs;
    Tensor output;  // what the reference computed
};

// Number of layers the manifest lists; throws Error for a missing or malformed manifest.
size_t golden_layer_count(const std::string& directory);

// Layer `index` of the manifest with every file it names, checked against the manifest (dtype,
// shape, type range). Throws Error naming the file or the field that is wrong.
GoldenLayer read_golden_layer(const std::string& directory, size_t index);

}  // namespace dyadic::golden
