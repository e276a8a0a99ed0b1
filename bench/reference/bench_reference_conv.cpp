// Times the reference conv2d (accumulation and output stage) on a few representative layers and
// prints a table (stderr) and one JSON object (stdout) with GMAC/s per layer. Single-threaded.
// Both the best wall time and the best thread CPU time are reported: on a shared machine the CPU
// time is the steadier of the two (it excludes time the thread spent descheduled).
//
//   bench_reference_conv [min_seconds_per_case]   (default 1.0)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/conv2d.h"

namespace {

using dyadic::Conv2dParams;
using dyadic::IntType;
using dyadic::Tensor;

struct Case {
    std::string name;
    dyadic::Shape input;   // NCHW
    dyadic::Shape weight;  // OIHW
    Conv2dParams params;
};

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

Tensor random_tensor(const dyadic::Shape& shape, IntType type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int32_t> dist(static_cast<int32_t>(type.min()), static_cast<int32_t>(type.max()));
    for (int32_t& v : t.data) v = dist(rng);
    return t;
}

struct Result {
    std::string name;
    double macs;
    double best_seconds;
    double best_cpu_seconds;
    int runs;
};

Result run_case(const Case& c, double min_seconds, std::mt19937& rng) {
    const Tensor input = random_tensor(c.input, IntType::unsigned_bits(8), rng);
    const Tensor weight = random_tensor(c.weight, IntType::signed_bits(8), rng);
    const dyadic::Shape out = dyadic::conv2d_output_shape(c.input, c.weight, c.params);
    Tensor bias({out[1]}, IntType::int32());
    std::uniform_int_distribution<int32_t> bias_dist(-1000, 1000);
    for (int32_t& v : bias.data) v = bias_dist(rng);
    dyadic::OutputStage stage;
    for (int64_t o = 0; o < out[1]; ++o) stage.multipliers.push_back(dyadic::to_dyadic(0.0007 + 0.00001 * o));
    stage.output_type = IntType::unsigned_bits(8);
    stage.relu = true;

    const double macs = static_cast<double>(dyadic::element_count(out)) * c.weight[1] * c.weight[2] * c.weight[3];
    double best = 1e30, best_cpu = 1e30, total = 0.0;
    int runs = 0;
    int64_t checksum = 0;  // keeps the result alive
    while (total < min_seconds || runs < 3) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = thread_cpu_seconds();
        const Tensor y = dyadic::conv2d(input, weight, bias, c.params, stage);
        const double cpu_seconds = thread_cpu_seconds() - cpu_start;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best_cpu = std::min(best_cpu, cpu_seconds);
        checksum += y.data[y.data.size() / 2];
        best = std::min(best, seconds);
        total += seconds;
        ++runs;
    }
    if (checksum == -1) std::fprintf(stderr, "unexpected checksum\n");
    return {c.name, macs, best, best_cpu, runs};
}

}  // namespace

int main(int argc, char** argv) try {
    const double min_seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    Conv2dParams same3x3;
    same3x3.pad_top = same3x3.pad_left = same3x3.pad_bottom = same3x3.pad_right = 1;
    Conv2dParams strided = same3x3;
    strided.stride_h = strided.stride_w = 2;
    Conv2dParams depthwise = same3x3;
    depthwise.groups = 144;
    const std::vector<Case> cases = {
        {"resnet50_conv2_3x3", {1, 64, 56, 56}, {64, 64, 3, 3}, same3x3},
        {"resnet50_conv3_3x3_stride2", {1, 128, 56, 56}, {128, 128, 3, 3}, strided},
        {"mobilenetv2_depthwise_3x3", {1, 144, 56, 56}, {144, 1, 3, 3}, depthwise},
    };

    std::mt19937 rng(2021);
    std::vector<Result> results;
    for (const Case& c : cases) results.push_back(run_case(c, min_seconds, rng));

    std::fprintf(stderr, "%-28s %8s %9s %8s %9s %8s %5s\n", "layer", "MMAC", "wall ms", "GMAC/s", "cpu ms",
                 "GMAC/s", "runs");
    for (const Result& r : results) {
        std::fprintf(stderr, "%-28s %8.1f %9.2f %8.3f %9.2f %8.3f %5d\n", r.name.c_str(), r.macs / 1e6,
                     r.best_seconds * 1e3, r.macs / r.best_seconds / 1e9, r.best_cpu_seconds * 1e3,
                     r.macs / r.best_cpu_seconds / 1e9, r.runs);
    }
    std::printf("{\"benchmark\": \"reference_conv2d\", \"activations\": \"uint8\", \"weights\": \"int8\", \"results\": [");
    for (size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        std::printf("%s{\"layer\": \"%s\", \"macs\": %.0f, \"best_seconds\": %.6f, \"gmac_per_s\": %.4f, "
                    "\"best_cpu_seconds\": %.6f, \"gmac_per_cpu_s\": %.4f, \"runs\": %d}",
                    i ? ", " : "", r.name.c_str(), r.macs, r.best_seconds, r.macs / r.best_seconds / 1e9,
                    r.best_cpu_seconds, r.macs / r.best_cpu_seconds / 1e9, r.runs);
    }
    std::printf("]}\n");
    return 0;
} catch (const dyadic::Error& e) {
    std::fprintf(stderr, "bench_reference_conv: %s\n", e.what());
    return 1;
}
