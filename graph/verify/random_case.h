#pragma once
// Seeded random cases for differential testing of backends against the reference
// (`dyadic fuzz-diff`, tests): single layers of every kind and small graphs. A case is a pure
// function of its seed, on every machine (mt19937_64 with our own range mapping), so a failure is
// reproduced from the seed alone.
//
// What the cases cover: conv2d with stride, padding, dilation, groups and depthwise; fully
// connected; conv with a fused residual; residual add; max, average and global average pooling;
// concat; requantize; weight bits 2..8, activations signed and unsigned 2..8 bits and 16-bit
// streams; per-channel and per-tensor multipliers, including multipliers that force exact rounding
// ties (b = 2^30 with a shift that divides by a power of two) and extremes (c = 0, c = 62,
// b = 2^31 - 1); shapes from 1x1 up to layers that need several accelerator tiles. Every case keeps
// the accumulator inside int32 (the quantizer's bound), so the reference never refuses it.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::verify {

struct LayerCase {
    uint64_t seed = 0;
    std::string description;    // "conv2d 3x3 s2 p1 d1 g1 [2,16,9,11] -> 24 w4 uint8 -> int8 relu, tie multipliers"
    quant::QuantizedLayer layer;  // layer.inputs are placeholders 0, 1, ... (one per input)
    std::vector<Tensor> inputs;

    std::vector<const Tensor*> input_pointers() const;
};

LayerCase random_layer_case(uint64_t seed);

struct GraphCase {
    uint64_t seed = 0;
    std::string description;
    quant::QuantizedModel model;  // validated
    Tensor input;
};

GraphCase random_graph_case(uint64_t seed);

// Exact rounding ties among the rescales of a single-layer case: values v rescaled by (b, c) with
// c > 0 and v * b an odd multiple of 2^(c-1), whose rounded result is not clamped away. Counted
// for the conv / fully connected output stage, both terms of a residual add, requantize, concat
// and global average pooling (average pooling windows are not counted).
struct TieCount {
    int64_t positive = 0;
    int64_t negative = 0;
};
TieCount count_rounding_ties(const LayerCase& c);

}  // namespace dyadic::verify
