#pragma once
// A Pareto sweep drawn as a self-contained SVG: the swept metric's achieved total on x, the summed
// sensitivity on y, axes with ticks, one marker per distinct trade-off and the staircase through
// them (the least objective reachable within each cost).
#include <string>

#include "ilp/pareto.h"
#include "ilp/problem.h"

namespace dyadic::ilp {

std::string frontier_to_svg(const Problem& problem, const Frontier& frontier);

}  // namespace dyadic::ilp
