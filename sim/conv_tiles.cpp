#include "sim/conv_tiles.h"

namespace dyadic::sim {

std::vector<SegmentSpec> input_tile_specs(const ConvShape& s, int64_t group, Range k, Range rows) {
    const ReductionFootprint fp = reduction_footprint(s, k);
    const Range cols = fp.partial_columns ? input_columns(s, fp.kx_begin, fp.kx_end) : Range{0, s.in_w};
    std::vector<SegmentSpec> specs;
    for_each_image_rows(s, rows, [&](const ImageRows& ir) {
        const Range in_rows = input_rows(s, ir.oh_begin, ir.oh_end, fp.ky_begin, fp.ky_end);
        for (int64_t c = 0; c < fp.c_count; ++c) {
            specs.push_back(SegmentSpec{ir.n, group * s.in_per_group() + fp.c_first + c, in_rows, cols});
        }
    });
    return specs;
}

std::vector<SegmentSpec> weight_tile_specs(const ConvShape& s, int64_t group, Range m, Range k) {
    std::vector<SegmentSpec> specs;
    specs.reserve(static_cast<size_t>(m.size()));
    for (int64_t o = m.begin; o < m.end; ++o) {
        specs.push_back(SegmentSpec{group * s.out_per_group() + o, 0, Range{0, 1}, k});
    }
    return specs;
}

std::vector<SegmentSpec> output_tile_specs(const ConvShape& s, int64_t group, Range m, Range rows) {
    std::vector<SegmentSpec> specs;
    for_each_image_rows(s, rows, [&](const ImageRows& ir) {
        for (int64_t o = m.begin; o < m.end; ++o) {
            specs.push_back(SegmentSpec{ir.n, group * s.out_per_group() + o, Range{ir.oh_begin, ir.oh_end},
                                        Range{0, s.out_w}});
        }
    });
    return specs;
}

}  // namespace dyadic::sim
