#pragma once
// One layer as the accelerator's controller receives it (docs/accelerator.md, "Layer jobs"): the
// layer registers (shapes, types, multipliers that are not per channel), where each tensor lies
// in DRAM, and for conv/FC layers the mapper's tiling and schedule. Per-channel parameters (bias,
// multipliers) are in DRAM and travel through the DMA like every other operand.
// Header is C++17 and free of SystemC.
#include <cstdint>
#include <memory>
#include <vector>

#include "reference/dyadic.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/pool2d_params.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"
#include "sim/conv_shape.h"
#include "sim/mapper.h"
#include "sim/schedule.h"
#include "sim/storage_format.h"
#include "sim/tile_layout.h"

namespace dyadic::sim {

// A conv or fully connected layer on the array, with its fused output stage.
struct ConvJob {
    ConvShape shape;
    OperandFormats formats;
    Mapping mapping;
    Schedule schedule;
    TensorPlacement input, weight, identity, output;
    int64_t param_base = 0;  // kParamBytesPerChannel bytes per output channel
    bool residual = false;   // output = residual_add(acc, identity) instead of requantize(acc)
    Dyadic identity_multiplier;
    ClampRange range{0, 0};  // output clamp (ReLU folded in)
};

enum class StreamOp { max_pool, average_pool, global_average_pool, residual_add, concat };

// A tile of a post-processing-only layer: whole planes of a block of channels of one image.
struct StreamTile {
    int64_t n = 0;
    Range channels;     // output channels
    int operand = 0;    // concat: the input these channels come from
    std::vector<std::shared_ptr<const TileLayout>> inputs;  // in the PPU input bank, one per operand read
    std::shared_ptr<const TileLayout> output;
};

// Pooling, a standalone residual add or a concat, done by the post-processing unit alone.
struct StreamJob {
    StreamOp op = StreamOp::max_pool;
    std::vector<TensorPlacement> inputs;
    TensorPlacement output;
    Pool2dParams pool;
    AveragePoolStage average;
    Dyadic global_multiplier;
    ResidualAddStage add;
    std::vector<Dyadic> concat_multipliers;
    std::vector<int64_t> concat_channel_offsets;  // first output channel of each input
    ClampRange range{0, 0};
    std::vector<StreamTile> tiles;
};

struct LayerJob {
    bool functional = true;  // false: timing only (no data moves, no arithmetic)
    bool is_conv = true;
    ConvJob conv;
    StreamJob stream;
};

}  // namespace dyadic::sim
