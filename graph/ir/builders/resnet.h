#pragma once
// ResNet18 and ResNet50 (torchvision layout, v1.5: stride on the 3x3 conv) at ImageNet shapes:
// input "input" [1, 3, 224, 224], output "logits" [1, 1000]. Parameters are synthetic and seeded
// (graph/ir/builders/graph_builder.h); the graph is unfolded (Conv, BatchNormalization, Relu, Add)
// like an ONNX export, so run_standard_passes applies. Node and tensor names follow torchvision
// ("layer2.0.conv1", "layer2.0.downsample.0", ...). Header is C++17.
#include <cstdint>

#include "graph/ir/graph.h"

namespace dyadic::ir {

Graph build_resnet18(uint64_t seed = 18);  // ~1.82 GMAC per image
Graph build_resnet50(uint64_t seed = 50);  // ~4.1 GMAC per image

}  // namespace dyadic::ir
