#pragma once
// InceptionV3 (torchvision layout, inference: no auxiliary classifier) at ImageNet shapes:
// input "input" [1, 3, 299, 299], output "logits" [1, 1000], ~5.7 GMAC per image. Synthetic
// seeded parameters, unfolded Conv/BatchNormalization/Relu like an ONNX export; names follow
// torchvision ("Mixed_5b.branch5x5_2.conv"). Header is C++17.
#include <cstdint>

#include "graph/ir/graph.h"

namespace dyadic::ir {

Graph build_inception_v3(uint64_t seed = 3);

}  // namespace dyadic::ir
