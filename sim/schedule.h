#pragma once
// The tile schedule of a mapped conv/FC layer (docs/accelerator.md, "Schedule"): the sequence of
// array steps in loop order, which operand tiles each step loads and releases, and how the output
// tiles are grouped into accumulator blocks (the partial sums live together in one bank).
// The controller turns it into DMA, array and post-processing commands.
#include <cstdint>
#include <vector>

#include "sim/conv_shape.h"
#include "sim/mapper.h"

namespace dyadic::sim {

struct OutputTile {
    int64_t group = 0;
    Range m;     // group-local output channels
    Range rows;  // global output rows (of N * OH)
    int64_t accumulator_offset = 0;  // entry offset in the bank; layout [m][pixel]
    int64_t pixels(int64_t out_w) const { return rows.size() * out_w; }
};

struct AccumulatorBlock {
    int bank = 0;
    std::vector<OutputTile> tiles;  // in the order their last partial sum completes
};

struct Step {
    int64_t group = 0;
    Range m, k, rows;
    bool load_weights = false, load_inputs = false;      // a new tile is fetched for this step
    bool release_weights = false, release_inputs = false;  // its tile is not used after this step
    int weight_bank = 0, input_bank = 0;
    int64_t block = 0;          // index into Schedule::blocks
    int64_t tile = 0;           // index into the block's tiles
    bool first_k = false;       // partial sums start from zero
    bool last_step_of_block = false;
};

struct Schedule {
    std::vector<Step> steps;
    std::vector<AccumulatorBlock> blocks;
};

Schedule build_schedule(const ConvShape& shape, const Mapping& mapping);

}  // namespace dyadic::sim
