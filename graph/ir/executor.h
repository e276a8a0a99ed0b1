#pragma once
// Float executor of the IR: evaluates a graph on a batch, with hooks for calibration (observe or
// keep any tensor) and for fake quantization (transform every tensor in place before it is read).
// Conv runs as a packed GEMM over an (implicit) im2col (kernels/sgemm.h: AVX2+FMA chosen at run
// time, portable otherwise), FullyConnected as an Eigen GEMM. Header is C++17.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"

namespace dyadic::ir {

using TensorMap = std::map<std::string, FloatTensor>;

struct RunOptions {
    // Tensors returned in addition to the graph outputs (graph inputs included if named).
    std::vector<std::string> keep;
    bool keep_all = false;  // return every tensor (memory: the whole batch's activations)
    // Called once per tensor as soon as it exists (graph inputs first, then each node's output),
    // before any node reads it. May change values in place, never the shape. graph/quant uses it
    // for fake quantization of activations.
    std::function<void(const std::string& tensor, FloatTensor& value)> transform;
    // Called right after `transform`, read-only: calibration statistics without keeping tensors.
    std::function<void(const std::string& tensor, const FloatTensor& value)> observe;
};

class FloatExecutor {
public:
    // Plans the evaluation (topological order, buffer lifetimes). The graph must outlive the
    // executor and must not change while it is used. Throws Error for an inconsistent graph.
    explicit FloatExecutor(const Graph& graph);

    // Evaluates the graph. `inputs` holds one tensor per graph input, with the graph input's
    // shape except dim 0 (any batch size). Returns the graph outputs plus the kept tensors.
    // Throws Error on a missing input or a shape mismatch.
    TensorMap run(const TensorMap& inputs, const RunOptions& options = {}) const;

    // One graph input, one graph output.
    FloatTensor run(const FloatTensor& input, const RunOptions& options = {}) const;

    // Single input / single output, evaluated `batch_size` images at a time (bounded memory);
    // returns the outputs of all images concatenated along dim 0. Hooks see each batch.
    FloatTensor run_in_batches(const FloatTensor& input, int64_t batch_size, const RunOptions& options = {}) const;

private:
    struct Step {
        NodeId node;
        std::vector<int> inputs;   // slots
        int output;                // slot
    };
    const Graph& graph_;
    std::vector<std::string> slot_names_;
    std::map<std::string, int> slots_;
    std::vector<Step> steps_;
    std::vector<int> last_use_;  // per slot: index of the last step reading it (-1: none)
};

}  // namespace dyadic::ir
