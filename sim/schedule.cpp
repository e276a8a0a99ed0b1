#include "sim/schedule.h"

#include <algorithm>
#include <map>
#include <utility>

namespace dyadic::sim {
namespace {

std::vector<Range> split(int64_t total, int64_t tile) {
    std::vector<Range> ranges;
    for (int64_t b = 0; b < total; b += tile) ranges.push_back(Range{b, std::min(total, b + tile)});
    return ranges;
}

}  // namespace

Schedule build_schedule(const ConvShape& s, const Mapping& mapping) {
    const std::vector<Range> m_ranges = split(s.out_per_group(), mapping.tile_m);
    const std::vector<Range> k_ranges = split(s.reduction(), mapping.tile_k);
    const std::vector<Range> t_ranges = split(s.output_rows(), mapping.tile_rows);
    const auto extent = [&](LoopDim d) {
        return static_cast<int64_t>(d == LoopDim::m ? m_ranges.size() : d == LoopDim::k ? k_ranges.size() : t_ranges.size());
    };
    const LoopOrder& order = mapping.order;
    int k_pos = 0;
    for (int i = 0; i < 3; ++i) {
        if (order[static_cast<size_t>(i)] == LoopDim::k) k_pos = i;
    }

    Schedule schedule;
    int weight_bank = 1, input_bank = 1;  // flipped before the first load
    int64_t prev_w_key = -1, prev_x_key = -1;
    int64_t prev_block_key = -1;
    std::map<std::pair<int64_t, int64_t>, int64_t> tile_of_block;  // (mi, ti) -> tile index
    for (int64_t g = 0; g < s.groups(); ++g) {
        std::array<int64_t, 3> idx{};
        for (idx[0] = 0; idx[0] < extent(order[0]); ++idx[0]) {
            for (idx[1] = 0; idx[1] < extent(order[1]); ++idx[1]) {
                for (idx[2] = 0; idx[2] < extent(order[2]); ++idx[2]) {
                    int64_t mi = 0, ki = 0, ti = 0;
                    for (size_t p = 0; p < 3; ++p) {
                        (order[p] == LoopDim::m ? mi : order[p] == LoopDim::k ? ki : ti) = idx[p];
                    }
                    Step step;
                    step.group = g;
                    step.m = m_ranges[static_cast<size_t>(mi)];
                    step.k = k_ranges[static_cast<size_t>(ki)];
                    step.rows = t_ranges[static_cast<size_t>(ti)];
                    const int64_t w_key = (g * extent(LoopDim::m) + mi) * extent(LoopDim::k) + ki;
                    const int64_t x_key = (g * extent(LoopDim::k) + ki) * extent(LoopDim::t) + ti;
                    if (w_key != prev_w_key) {
                        step.load_weights = true;
                        weight_bank ^= 1;
                        if (!schedule.steps.empty()) schedule.steps.back().release_weights = true;
                    }
                    if (x_key != prev_x_key) {
                        step.load_inputs = true;
                        input_bank ^= 1;
                        if (!schedule.steps.empty()) schedule.steps.back().release_inputs = true;
                    }
                    prev_w_key = w_key;
                    prev_x_key = x_key;
                    step.weight_bank = weight_bank;
                    step.input_bank = input_bank;

                    // The block is fixed by the loops outside k (and the group).
                    int64_t block_key = g;
                    for (int p = 0; p < k_pos; ++p) block_key = block_key * extent(order[static_cast<size_t>(p)]) + idx[static_cast<size_t>(p)];
                    if (block_key != prev_block_key) {
                        if (!schedule.steps.empty()) schedule.steps.back().last_step_of_block = true;
                        AccumulatorBlock block;
                        block.bank = schedule.blocks.empty() ? 0 : schedule.blocks.back().bank ^ 1;
                        schedule.blocks.push_back(block);
                        tile_of_block.clear();
                        prev_block_key = block_key;
                    }
                    AccumulatorBlock& block = schedule.blocks.back();
                    auto [it, inserted] = tile_of_block.try_emplace({mi, ti}, static_cast<int64_t>(block.tiles.size()));
                    if (inserted) {
                        OutputTile tile;
                        tile.group = g;
                        tile.m = step.m;
                        tile.rows = step.rows;
                        tile.accumulator_offset =
                            block.tiles.empty() ? 0
                                                : block.tiles.back().accumulator_offset +
                                                      block.tiles.back().m.size() * block.tiles.back().pixels(s.out_w);
                        block.tiles.push_back(tile);
                    }
                    step.block = static_cast<int64_t>(schedule.blocks.size()) - 1;
                    step.tile = it->second;
                    step.first_k = ki == 0;
                    schedule.steps.push_back(step);
                }
            }
        }
    }
    if (!schedule.steps.empty()) {
        schedule.steps.back().release_weights = true;
        schedule.steps.back().release_inputs = true;
        schedule.steps.back().last_step_of_block = true;
    }
    return schedule;
}

}  // namespace dyadic::sim
