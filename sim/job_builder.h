#pragma once
// Turns a layer (reference op arguments) into the accelerator's layer job and DRAM image: places
// every tensor in DRAM in the storage format, writes the per-channel parameter records, maps and
// schedules conv/FC layers, and cuts post-processing-only layers into tiles. After the run,
// read_output unpacks the output tensor from the final DRAM contents.
#include <cstdint>
#include <optional>
#include <vector>

#include "reference/dyadic.h"
#include "reference/tensor.h"
#include "sim/accel_config.h"
#include "sim/layer_job.h"

namespace dyadic::sim {

struct ConvRequest {
    ConvShape shape;
    IntType input_type, weight_type, output_type;
    std::optional<IntType> identity_type;
    // Data; all null for a timing-only job.
    const Tensor* input = nullptr;
    const Tensor* weight = nullptr;
    const Tensor* bias = nullptr;  // may be null or empty (no bias) in a functional job
    const Tensor* identity = nullptr;
    std::vector<Dyadic> multipliers;  // one per output channel (output stage, or residual main branch)
    Dyadic identity_multiplier;
    ClampRange range{0, 0};
    const Mapping* forced_mapping = nullptr;
};

struct StreamRequest {
    StreamOp op = StreamOp::max_pool;
    std::vector<const Tensor*> inputs;  // 4-D NCHW (residual add: any rank >= 2, seen as 4-D)
    Shape output_shape;                 // 4-D
    IntType output_type;
    Pool2dParams pool;
    AveragePoolStage average;
    Dyadic global_multiplier;
    ResidualAddStage add;
    std::vector<Dyadic> concat_multipliers;
    ClampRange range{0, 0};
};

struct BuiltJob {
    LayerJob job;
    std::vector<uint8_t> dram;  // empty for timing-only jobs
};

BuiltJob build_conv_job(const ConvRequest& request, const AccelConfig& config);
BuiltJob build_stream_job(const StreamRequest& request, const AccelConfig& config);

// The output tensor of a finished job, of shape `shape` (the placement's 4-D data in row-major order).
Tensor read_output(const LayerJob& job, const std::vector<uint8_t>& dram, const Shape& shape, IntType type);

}  // namespace dyadic::sim
