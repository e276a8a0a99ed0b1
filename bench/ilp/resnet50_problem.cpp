#include "resnet50_problem.h"

#include <cmath>
#include <random>
#include <string>

#include "ilp/bounds.h"
#include "ilp/budget_fraction.h"

namespace dyadic::ilp::bench {
namespace {

struct ConvShape {
    std::string name;
    double in_channels;
    double out_channels;
    double kernel;
    double out_size;  // output height = width
};

// torchvision ResNet50 (v1.5: stride on the 3x3 conv), 224x224 input.
std::vector<ConvShape> bottleneck_convs() {
    std::vector<ConvShape> convs;
    const int blocks[] = {3, 4, 6, 3};
    const double planes[] = {64, 128, 256, 512};
    double in_channels = 64;
    double size = 56;
    for (int stage = 0; stage < 4; ++stage) {
        for (int block = 0; block < blocks[stage]; ++block) {
            const std::string prefix = "layer" + std::to_string(stage + 1) + "." + std::to_string(block) + ".";
            const double p = planes[stage];
            const double stride = (stage > 0 && block == 0) ? 2 : 1;
            const double out = size / stride;
            convs.push_back({prefix + "conv1", in_channels, p, 1, size});
            convs.push_back({prefix + "conv2", p, p, 3, out});
            convs.push_back({prefix + "conv3", p, 4 * p, 1, out});
            if (block == 0) convs.push_back({prefix + "downsample", in_channels, 4 * p, 1, out});
            in_channels = 4 * p;
            size = out;
        }
    }
    return convs;
}

}  // namespace

Problem resnet50_problem(std::uint64_t seed, const Resnet50Budgets& budgets) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> trace_spread(0.0, 1.0);
    std::uniform_real_distribution<double> jitter(0.9, 1.1);

    Problem problem;
    problem.metrics = {"size_bits", "bops", "latency"};
    const auto convs = bottleneck_convs();
    for (std::size_t i = 0; i < convs.size(); ++i) {
        const ConvShape& conv = convs[i];
        const double parameters = conv.kernel * conv.kernel * conv.in_channels * conv.out_channels;
        const double macs = parameters * conv.out_size * conv.out_size;
        // Hessian-trace-like curvature, larger in early layers.
        const double curvature = trace_spread(rng) * 40.0 / (1.0 + static_cast<double>(i) / 8.0);
        Layer layer;
        layer.name = conv.name;
        for (int bits : {4, 8}) {
            Choice choice;
            choice.label = std::to_string(bits);
            choice.numeric_bits = bits;
            const double step = std::ldexp(1.0, -bits);  // relative quantization step
            choice.sensitivity = curvature * step * step * jitter(rng);
            const double b = bits;
            // Milliseconds on a notional integer accelerator: compute at 2e13 bit-ops/ms-equivalent
            // against weight traffic at 4e9 bits/ms, plus a fixed launch cost.
            const double latency = std::max(macs * b * b / 2e12, parameters * b / 4e8) + 0.01;
            choice.metric_values = {parameters * b, macs * b * b, latency * jitter(rng)};
            layer.choices.push_back(choice);
        }
        problem.layers.push_back(layer);
        if (conv.name.ends_with("downsample")) {
            // Tie the downsample with the first conv of the same unit (three layers earlier).
            problem.ties.push_back({problem.layers.size() - 4, problem.layers.size() - 1});
        }
    }
    apply_budget_fractions(problem, {{"size_bits", budgets.size_fraction},
                                     {"bops", budgets.bops_fraction},
                                     {"latency", budgets.latency_fraction}});
    return problem;
}

}  // namespace dyadic::ilp::bench
