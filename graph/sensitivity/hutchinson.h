#pragma once
// Hutchinson's trace estimator: for Rademacher vectors v (independent +-1 entries),
// E[v^T H v] = Tr(H), so the mean of S quadratic forms estimates the trace and their sample
// standard deviation / sqrt(S) is the standard error of that estimate. Header is C++17.
#include <cstdint>
#include <vector>

namespace dyadic::sensitivity {

struct TraceEstimate {
    double trace = 0.0;           // mean of the quadratic forms
    double standard_error = 0.0;  // sample standard deviation / sqrt(samples)
    int samples = 0;
};

// Mean and standard error of the quadratic forms v_s^T H v_s. Throws Error for fewer than two
// samples (no standard error) or a non-finite value.
TraceEstimate summarize_quadratic_forms(const std::vector<double>& quadratic_forms);

// The seed of sample `sample` of layer `layer`: a hash of the three, so each (layer, sample) has
// its own reproducible vector whatever order the computation visits them in.
uint64_t rademacher_seed(uint64_t base_seed, uint64_t layer, uint64_t sample);

// The seed of image `image`'s part of sample `sample` of the activation direction of layer
// `layer` (a separate stream from the weight directions): one vector per image, so the direction
// over the calibration set does not depend on how it is cut into batches.
uint64_t activation_rademacher_seed(uint64_t base_seed, uint64_t layer, uint64_t sample, uint64_t image);

// `count` independent entries, each -1 or +1 with probability 1/2, from the given seed.
std::vector<float> rademacher_vector(int64_t count, uint64_t seed);

}  // namespace dyadic::sensitivity
