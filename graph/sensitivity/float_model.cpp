#include "graph/sensitivity/float_model.h"

#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "util/error.h"

namespace dyadic::sensitivity {

ir::Graph load_float_model(const std::string& onnx_path) {
    ir::Graph graph = ir::import_onnx_file(onnx_path);
    require(graph.inputs().size() == 1 && graph.outputs().size() == 1,
            onnx_path + ": the model must have one input and one output (the logits)");
    ir::run_standard_passes(graph);
    return graph;
}

ir::FloatTensor calibration_images(const dataset::LabelledImages& images, std::size_t count,
                                   const dataset::InputNormalization& normalization) {
    const dataset::FloatBatch batch = dataset::normalized_batch(images, 0, count, normalization);
    return ir::FloatTensor(Shape(batch.shape.begin(), batch.shape.end()), batch.values);
}

}  // namespace dyadic::sensitivity
