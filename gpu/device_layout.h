#pragma once
// Reference tensors (NCHW, one int32 per element) to and from the GPU backend's memory layout:
// channels last (NHWC; [N, K] stays as it is) in the packed container of element_storage.h.
#include <cstdint>
#include <vector>

#include "gpu/element_storage.h"
#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::gpu {

StorageFormat storage_format(const IntType& type);

// [N, C, d2, d3, ...] -> words of N x d2 x d3 x ... x C elements in storage_format(type).
std::vector<uint32_t> to_device_layout(const Tensor& tensor);

// The inverse: words in the device layout of a tensor of `shape` (NCHW order) and `type`.
Tensor from_device_layout(const std::vector<uint32_t>& words, const Shape& shape, const IntType& type);

}  // namespace dyadic::gpu
