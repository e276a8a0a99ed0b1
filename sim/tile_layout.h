#pragma once
// Which bytes of a DRAM tensor a tile occupies, and where they land in a scratchpad bank
// (docs/accelerator.md, "Memory layout"). The DMA engine moves `bursts`; the array and the
// post-processing unit find elements through `segments`. Both come from this one builder, so the
// bytes moved and the elements read cannot disagree.
#include <cstdint>
#include <vector>

#include "sim/conv_shape.h"
#include "sim/storage_format.h"

namespace dyadic::sim {

// A rectangle of rows x columns of one (n, c) plane of a tensor.
struct SegmentSpec {
    int64_t n = 0, c = 0;
    Range rows, cols;
};

struct TileSegment {
    SegmentSpec spec;
    int64_t local_bit = 0;         // bank bit address of element (rows.begin, cols.begin)
    int64_t local_row_bits = 0;    // bank bits between consecutive rows
    bool has_data() const { return !spec.rows.empty() && !spec.cols.empty(); }
};

struct Burst {
    int64_t dram_byte = 0;
    int64_t bytes = 0;
    int64_t local_byte = 0;  // offset in the bank
};

struct TileLayout {
    std::vector<TileSegment> segments;  // in the order of the specs
    std::vector<Burst> bursts;          // contiguous runs, adjacent runs merged
    int64_t bytes = 0;                  // bank bytes used = DRAM bytes moved (from local_base)
    int bits = 8;                       // storage bits of the elements
    bool is_signed = true;
};

// Whole rows (cols covering the full width) move as one run per segment; partial rows move one
// run per row, from the byte holding the first element to the byte holding the last.
// The tile starts at byte `local_base` of the bank (a second operand placed after a first one).
TileLayout build_tile_layout(const TensorPlacement& tensor, const std::vector<SegmentSpec>& specs,
                             int64_t local_base = 0);

// Bytes the layout of one segment takes (same rule as build_tile_layout, without building it).
int64_t segment_bytes(const TensorPlacement& tensor, const SegmentSpec& spec);

// Unpacks segment `index` of `layout` from `bank` into `out` as a dense rows x cols block.
template <typename T>
void unpack_segment(const TileLayout& layout, size_t index, const uint8_t* bank, T* out);

}  // namespace dyadic::sim
