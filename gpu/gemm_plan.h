#pragma once
// Everything a conv2d or fully connected layer needs on the GPU, prepared once on the host: the
// implicit-GEMM geometry, the MMA shape, weights reordered to [group][output channel][k] in their
// packed container and zero padded to whole tiles, and the epilogue's per-channel constants.
// The CUDA backend uploads it; the host emulation runs it directly.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gpu/element_storage.h"
#include "gpu/epilogue.h"
#include "gpu/implicit_gemm.h"
#include "gpu/mma_layout.h"
#include "gpu/operand_registers.h"
#include "gpu/warp_tile.h"
#include "graph/quant/quantized_model.h"
#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::gpu {

struct GemmPlan {
    ConvGeometry geometry;
    MmaShape shape = MmaShape::m16n8k32_8bit;
    bool a_is_signed = true;
    StorageFormat input_format;
    bool input_runs_contiguous = false;
    std::vector<uint32_t> weights;
    StorageFormat weight_format;
    int64_t weight_rows = 0, weight_k = 0;
    std::vector<int32_t> bias;  // empty: no bias
    std::vector<int32_t> mantissa, shift;
    int32_t lo = 0, hi = 0;
    std::optional<StorageFormat> identity_format;  // set for a fused residual
    int32_t identity_mantissa = 0, identity_shift = 0;
    StorageFormat output_format;
    Shape output_shape;  // NCHW, or [N, M] for fully connected
    IntType output_type;

    int64_t blocks_m() const { return (geometry.gemm_m() + kBlockTileM - 1) / kBlockTileM; }
    int64_t blocks_n() const { return weight_rows / kBlockTileN; }

    // The kernel arguments over buffers that hold this plan's data (host or device memory).
    GemmOperands operands(const uint32_t* input, const uint32_t* weight_words) const;
    Epilogue epilogue(const int32_t* bias_values, const int32_t* mantissas, const int32_t* shifts,
                      const uint32_t* identity, uint32_t* output) const;
};

// Why this backend cannot run the layer with inputs of these types, or "" when it can: operands
// wider than 8 bits (the integer MMAs take at most 8).
std::string gemm_unsupported_reason(const IntType& input_type, const Tensor& weight);

// native_int4: the device has 4-bit Tensor Cores (sm_80, sm_86, sm_89); otherwise 4-bit operands
// go through the 8-bit MMA. Throws Error for shapes the reference refuses or operands over 8 bits.
// `identity_type` is the fused residual identity's type (layer.residual set) and nullopt otherwise.
GemmPlan plan_conv2d(const quant::Conv2dLayer& layer, const Shape& input_shape, const IntType& input_type,
                     const std::optional<IntType>& identity_type, bool native_int4);
GemmPlan plan_fully_connected(const quant::FullyConnectedLayer& layer, const Shape& input_shape,
                              const IntType& input_type, bool native_int4);

}  // namespace dyadic::gpu
