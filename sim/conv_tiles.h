#pragma once
// The segments of a conv step's operand and output tiles, in the order the array and the
// post-processing unit expect them (image-major, then channel). The controller turns them into
// TileLayouts; the blocks walk the same order.
#include <cstdint>
#include <vector>

#include "sim/conv_shape.h"
#include "sim/tile_layout.h"

namespace dyadic::sim {

// The input rows (all kernel rows) of images covered by `rows`, for the channels (or columns) the
// reduction range `k` of group `group` needs: segments ordered (image, channel).
std::vector<SegmentSpec> input_tile_specs(const ConvShape& s, int64_t group, Range k, Range rows);

// One segment per output channel of the tile: the reduction range `k` of its weight row. The
// weight tensor is placed as [C_out, 1, 1, K_g].
std::vector<SegmentSpec> weight_tile_specs(const ConvShape& s, int64_t group, Range m, Range k);

// One segment per (image, output channel): the tile's output rows of that image, whole width.
std::vector<SegmentSpec> output_tile_specs(const ConvShape& s, int64_t group, Range m, Range rows);

}  // namespace dyadic::sim
