#pragma once
// A ResNet50-like bit-allocation problem for benchmarks: the 52 convolutions of the bottleneck
// stages (the stem and the classifier stay at 8 bits, as in HAWQ-V3), each at 4 or 8 bits, with
// each downsample conv tied to its unit's first conv (they read the same quantized input).
// Sizes and BOPs come from the real layer shapes; sensitivities and latencies are seeded
// stand-ins with the right shape (sensitivity falls ~16x per halving of the step, latency follows
// a roofline of compute and weight traffic).
#include <cstdint>

#include "ilp/problem.h"

namespace dyadic::ilp::bench {

// Budgets are set at these fractions of each metric's range (budget_fraction.h).
struct Resnet50Budgets {
    double size_fraction = 0.5;
    double bops_fraction = 0.4;
    double latency_fraction = 0.45;
};

Problem resnet50_problem(std::uint64_t seed, const Resnet50Budgets& budgets = {});

}  // namespace dyadic::ilp::bench
