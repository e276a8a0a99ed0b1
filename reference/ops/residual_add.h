#pragma once
// Residual add (docs/semantics.md, "residual_add"): a main branch (usually a conv's int32
// accumulator, bias included) plus an identity tensor, each brought to the output scale by its
// own dyadic multiplier and rounded separately, then summed and clamped.
#include <vector>

#include "reference/dyadic.h"
#include "reference/tensor.h"

namespace dyadic {

struct ResidualAddStage {
    std::vector<Dyadic> main_multipliers;  // size 1 or C (per channel, as the conv's weight scales are)
    Dyadic identity_multiplier;            // per tensor
    IntType output_type = IntType::signed_bits(16);
    bool relu = false;
};

// y = clamp(dyadic_scale(main, m_main[c]) + dyadic_scale(identity, m_id), lo, hi), computed in int64.
// main: any integer tensor up to int32, shape [N, C, ...]; identity: same shape, at most 16 bits.
Tensor residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage);

}  // namespace dyadic
