// Simulation speed of the SystemC accelerator model on single ResNet50 layers: wall time per
// layer, simulated cycles per wall second, and the reference conv2d's wall time on the same layer
// for scale. Random data (timing does not depend on it); every output is checked == against the
// reference.
//   bench_sim_layers [--config accel.json] [--repeat n]
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "util/error.h"
#include "reference/ops/conv2d.h"
#include "sim/accel_config.h"
#include "sim/simulator.h"

using namespace dyadic;

namespace {

struct LayerShape {
    const char* name;
    int64_t c_in, h, w, c_out, k, stride;
};

// Representative ResNet50 layers (batch 1, 224x224 input).
const LayerShape kLayers[] = {
    {"conv1 7x7/2", 3, 224, 224, 64, 7, 2},
    {"layer1 1x1 64->64", 64, 56, 56, 64, 1, 1},
    {"layer1 3x3 64", 64, 56, 56, 64, 3, 1},
    {"layer1 1x1 64->256", 64, 56, 56, 256, 1, 1},
    {"layer2 3x3/2 128", 128, 56, 56, 128, 3, 2},
    {"layer3 3x3 256", 256, 14, 14, 256, 3, 1},
    {"layer4 1x1 2048->512", 2048, 7, 7, 512, 1, 1},
    {"layer4 3x3 512", 512, 7, 7, 512, 3, 1},
};

Tensor random_tensor(const Shape& shape, IntType type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.is_signed ? -type.max() : 0, type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--repeat" && i + 1 < argc) {
            repeat = std::stoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: bench_sim_layers [--config accel.json] [--repeat n]\n");
            return 2;
        }
    }
    try {
        const sim::AccelConfig config = config_path.empty() ? sim::default_accel_config() : sim::load_accel_config(config_path);
        sim::Simulator simulator(config);
        std::mt19937 rng(1);
        std::printf("%-22s %-5s %9s %12s %9s %14s %9s %s\n", "layer", "bits", "GMAC", "cycles", "sim s", "cycles/s",
                    "ref s", "mapping");
        for (const LayerShape& l : kLayers) {
            for (const int bits : {8, 4}) {
                const Tensor x = random_tensor({1, l.c_in, l.h, l.w}, IntType::unsigned_bits(bits), rng);
                const Tensor w = random_tensor({l.c_out, l.c_in, l.k, l.k}, IntType::signed_bits(bits), rng);
                Conv2dParams p;
                p.stride_h = p.stride_w = static_cast<int>(l.stride);
                p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = static_cast<int>(l.k / 2);
                OutputStage stage;
                stage.output_type = IntType::unsigned_bits(bits);
                stage.relu = true;
                stage.multipliers = {to_dyadic(1.0 / (64.0 * static_cast<double>(l.c_in * l.k)))};
                double sim_seconds = 1e30, ref_seconds = 1e30;
                sim::LayerResult result;
                Tensor expected;
                for (int r = 0; r < repeat; ++r) {
                    auto start = std::chrono::steady_clock::now();
                    result = simulator.conv2d(x, w, Tensor(), p, stage, l.name);
                    sim_seconds = std::min(sim_seconds, seconds_since(start));
                    start = std::chrono::steady_clock::now();
                    expected = conv2d(x, w, Tensor(), p, stage);
                    ref_seconds = std::min(ref_seconds, seconds_since(start));
                }
                require(result.output.data == expected.data, std::string("output of ") + l.name + " differs from the reference");
                std::printf("%-22s w%da%-2d %9.3f %12lld %9.3f %14.3g %9.3f %s\n", l.name, bits, bits,
                            static_cast<double>(result.stats.macs) / 1e9, static_cast<long long>(result.stats.total_cycles),
                            sim_seconds, static_cast<double>(result.stats.total_cycles) / sim_seconds, ref_seconds,
                            result.stats.mapping.c_str());
            }
        }
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_sim_layers: %s\n", e.what());
        return 1;
    }
}
