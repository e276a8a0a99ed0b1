#include "graph/sensitivity/hutchinson.h"

#include <cmath>
#include <random>
#include <string>

#include "util/error.h"

namespace dyadic::sensitivity {
namespace {

// SplitMix64's finaliser: a bijective mix, so distinct inputs give well-spread seeds.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

TraceEstimate summarize_quadratic_forms(const std::vector<double>& quadratic_forms) {
    const std::size_t count = quadratic_forms.size();
    require(count >= 2, "Hutchinson: at least two samples are needed for a standard error, got " +
                            std::to_string(count));
    double sum = 0.0;
    for (const double q : quadratic_forms) {
        require(std::isfinite(q), "Hutchinson: a quadratic form is not finite");
        sum += q;
    }
    const double mean = sum / static_cast<double>(count);
    double squares = 0.0;
    for (const double q : quadratic_forms) squares += (q - mean) * (q - mean);
    const double variance = squares / static_cast<double>(count - 1);
    return TraceEstimate{mean, std::sqrt(variance / static_cast<double>(count)), static_cast<int>(count)};
}

uint64_t rademacher_seed(uint64_t base_seed, uint64_t layer, uint64_t sample) {
    return mix(mix(mix(base_seed) ^ layer) ^ sample);
}

uint64_t activation_rademacher_seed(uint64_t base_seed, uint64_t layer, uint64_t sample, uint64_t image) {
    constexpr uint64_t kActivationStream = 0x61637469766174ULL;  // "activat": apart from the weight seeds
    return mix(rademacher_seed(base_seed ^ kActivationStream, layer, sample) ^ image);
}

std::vector<float> rademacher_vector(int64_t count, uint64_t seed) {
    std::vector<float> v(static_cast<std::size_t>(count));
    std::mt19937_64 engine(seed);
    uint64_t bits = 0;
    for (int64_t i = 0; i < count; ++i) {
        if (i % 64 == 0) bits = engine();  // one draw gives 64 signs
        v[i] = (bits >> (i % 64)) & 1U ? 1.0f : -1.0f;
    }
    return v;
}

}  // namespace dyadic::sensitivity
