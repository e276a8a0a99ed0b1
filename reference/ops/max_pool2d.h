#pragma once
// Max pooling (docs/semantics.md, "max_pool2d"): the maximum over the window's in-image
// elements (padding never wins). Output has the input's type and scale: no rescale.
#include "reference/ops/pool2d_params.h"
#include "reference/tensor.h"

namespace dyadic {

Tensor max_pool2d(const Tensor& input, const Pool2dParams& params);

}  // namespace dyadic
