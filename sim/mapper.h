#pragma once
// The mapper (docs/accelerator.md, "Mapping"): tiles a conv/FC layer's per-group GEMM onto the
// array within the scratchpad banks and, for each tiling, picks the loop order of the three tile
// loops (output channels m, reduction k, output rows t) that moves the fewest DRAM bytes; among
// tilings it keeps the one with the fewest bytes of those within 2% of the fastest estimate.
// Each operand tile stays resident while the loops it does not depend on iterate inside the
// innermost loop it depends on; partial sums never leave the accumulator memory (an order whose
// live partial sums do not fit an accumulator bank is infeasible).
#include <array>
#include <cstdint>
#include <string>

#include "sim/accel_config.h"
#include "sim/conv_shape.h"
#include "sim/precision_mode.h"

namespace dyadic::sim {

// Storage bits of the operands (storage_bits()), 0 for an absent identity.
struct OperandFormats {
    int weight_bits = 8;
    int input_bits = 8;
    int output_bits = 8;
    int identity_bits = 0;
    PrecisionMode mode;
};

enum class LoopDim { m, k, t };
using LoopOrder = std::array<LoopDim, 3>;  // outermost first

std::string loop_order_name(const LoopOrder& order);  // "m,t,k"

// Bytes of per-channel post-processing parameters in DRAM: bias (int32), multiplier mantissa
// (int32) and shift (one byte).
inline constexpr int64_t kParamBytesPerChannel = 9;

struct Mapping {
    int64_t tile_m = 0;     // output channels per tile (within a group)
    int64_t tile_k = 0;     // reduction elements per tile
    int64_t tile_rows = 0;  // output rows (of N * OH) per tile
    LoopOrder order{LoopDim::m, LoopDim::t, LoopDim::k};
    int64_t m_tiles = 0, k_tiles = 0, t_tiles = 0;

    // Predicted DRAM traffic.
    int64_t weight_bytes = 0, input_bytes = 0, output_bytes = 0, identity_bytes = 0, param_bytes = 0;
    int64_t dram_bytes() const { return weight_bytes + input_bytes + output_bytes + identity_bytes + param_bytes; }

    // Array cycles: streaming (compute) and per-fold fill/drain, summed over all tiles and folds.
    int64_t compute_cycles = 0;
    int64_t fill_drain_cycles = 0;
    int64_t steps = 0;  // tiles computed (groups * m_tiles * k_tiles * t_tiles)
    int64_t weight_fetches = 0, input_fetches = 0;  // tile loads of each operand

    // A bound-based estimate of the layer's cycles: the largest of the array, DRAM (bandwidth and
    // per-load latency on each DMA channel) and post-processing times, plus the first loads and
    // the last tile's post-processing and store, which double buffering cannot hide.
    int64_t estimated_cycles = 0;

    // Largest tiles, for the record.
    int64_t max_weight_tile_bytes = 0, max_input_tile_bytes = 0, accumulator_live_entries = 0;

    std::string describe() const;
};

// Evaluates one tiling and order; returns false (with `why`) when it does not fit the banks.
bool evaluate_mapping(const ConvShape& shape, const OperandFormats& formats, const AccelConfig& config,
                      int64_t tile_m, int64_t tile_k, int64_t tile_rows, const LoopOrder& order, Mapping& out,
                      std::string* why = nullptr);

// For every candidate tiling, the loop order with the fewest DRAM bytes (ties: lower estimated
// time, fewer tiles); of those tilings, the one with the fewest DRAM bytes among those whose
// estimated time is within 2% of the fastest (ties: lower estimate, fewer tiles). Throws Error
// naming the layer shape when no tiling fits.
Mapping map_layer(const ConvShape& shape, const OperandFormats& formats, const AccelConfig& config);

// Bytes of the elements [begin, end) of a row that starts on a byte boundary.
inline int64_t span_bytes(int64_t begin, int64_t end, int bits) { return (end * bits + 7) / 8 - (begin * bits) / 8; }

}  // namespace dyadic::sim
