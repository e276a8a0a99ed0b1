#include "sim/tile_layout.h"

namespace dyadic::sim {
namespace {

bool full_width(const TensorPlacement& t, const SegmentSpec& s) { return s.cols.begin == 0 && s.cols.end == t.w; }

// Byte span [first, last) of the columns of one row.
void column_span(const TensorPlacement& t, const SegmentSpec& s, int64_t row, int64_t& first, int64_t& last) {
    const int64_t begin_bit = t.bit_address(s.n, s.c, row, s.cols.begin);
    const int64_t end_bit = t.bit_address(s.n, s.c, row, s.cols.begin) + s.cols.size() * t.bits;
    first = begin_bit / 8;
    last = (end_bit + 7) / 8;
}

}  // namespace

int64_t segment_bytes(const TensorPlacement& t, const SegmentSpec& s) {
    if (s.rows.empty() || s.cols.empty()) return 0;
    if (full_width(t, s)) return s.rows.size() * t.row_stride();
    int64_t first = 0, last = 0;
    column_span(t, s, s.rows.begin, first, last);
    return s.rows.size() * (last - first);
}

TileLayout build_tile_layout(const TensorPlacement& t, const std::vector<SegmentSpec>& specs, int64_t local_base) {
    TileLayout layout;
    layout.bits = t.bits;
    layout.is_signed = t.type.is_signed;
    layout.segments.reserve(specs.size());
    int64_t local = local_base;
    const auto add_run = [&](int64_t dram_byte, int64_t bytes) {
        if (!layout.bursts.empty()) {
            Burst& last = layout.bursts.back();
            if (last.dram_byte + last.bytes == dram_byte && last.local_byte + last.bytes == local) {
                last.bytes += bytes;
                local += bytes;
                return;
            }
        }
        layout.bursts.push_back(Burst{dram_byte, bytes, local});
        local += bytes;
    };
    for (const SegmentSpec& s : specs) {
        TileSegment seg;
        seg.spec = s;
        if (seg.has_data()) {
            if (full_width(t, s)) {
                seg.local_bit = local * 8;
                seg.local_row_bits = t.row_stride() * 8;
                add_run(t.bit_address(s.n, s.c, s.rows.begin, 0) / 8, s.rows.size() * t.row_stride());
            } else {
                int64_t first = 0, last = 0;
                column_span(t, s, s.rows.begin, first, last);
                seg.local_bit = local * 8 + (t.bit_address(s.n, s.c, s.rows.begin, s.cols.begin) - first * 8);
                seg.local_row_bits = (last - first) * 8;
                for (int64_t r = s.rows.begin; r < s.rows.end; ++r) {
                    column_span(t, s, r, first, last);
                    add_run(first, last - first);
                }
            }
        }
        layout.segments.push_back(seg);
    }
    layout.bytes = local - local_base;
    return layout;
}

template <typename T>
void unpack_segment(const TileLayout& layout, size_t index, const uint8_t* bank, T* out) {
    const TileSegment& seg = layout.segments[index];
    if (!seg.has_data()) return;
    const int64_t cols = seg.spec.cols.size();
    for (int64_t r = 0; r < seg.spec.rows.size(); ++r) {
        unpack_elements(bank, seg.local_bit + r * seg.local_row_bits, cols, layout.bits, layout.is_signed,
                        out + r * cols);
    }
}

template void unpack_segment<int16_t>(const TileLayout&, size_t, const uint8_t*, int16_t*);
template void unpack_segment<int32_t>(const TileLayout&, size_t, const uint8_t*, int32_t*);

}  // namespace dyadic::sim
