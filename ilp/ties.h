#pragma once
// Tie groups: layers that must take the same candidate (e.g. a ResNet downsample conv and the
// first conv of its unit, which read the same quantized input). Tied layers are matched by the
// candidates' bits labels, so each must offer exactly the same set of labels.
#include <cstddef>
#include <string>
#include <vector>

#include "ilp/problem.h"

namespace dyadic::ilp {

// One decision of the allocation: a set of layers that choose together (a single untied layer
// is a group of one). Candidate k of the group is labels[k]; for member m it is
// layers[m].choices[choice_index[k][m]].
struct TieGroup {
    std::vector<std::size_t> layers;                     // ascending layer indices
    std::vector<std::string> labels;                     // in the first member's choice order
    std::vector<std::vector<std::size_t>> choice_index;  // [candidate][member] -> choice index
};

// Partitions all layers into groups, merging ties that share a layer. Groups are ordered by their
// first layer. Throws Error naming the layers when tied layers offer different bits labels.
std::vector<TieGroup> build_tie_groups(const Problem& problem);

}  // namespace dyadic::ilp
