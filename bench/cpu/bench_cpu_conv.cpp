// Times the cpu backend's conv2d (accumulation and the exact output stage, uint8 activations,
// int8 weights, uint8 ReLU output) on the layers of bench/reference, on every instruction path
// this CPU runs, with 1 and 2 threads, next to the reference on one thread; checks each result
// == the reference's. Prints a table (stderr) and one JSON object (stdout). Best of the runs.
//
//   bench_cpu_conv [min_seconds_per_case]   (default 1.0)
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "cpu/conv2d.h"
#include "reference/ops/conv2d.h"
#include "util/error.h"

namespace {

using namespace dyadic;

struct Case {
    std::string name;
    Shape input, weight;
    Conv2dParams params;
};

Tensor random_tensor(const Shape& shape, IntType type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int32_t> dist(static_cast<int32_t>(type.min()), static_cast<int32_t>(type.max()));
    for (int32_t& v : t.data) v = dist(rng);
    return t;
}

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Timing {
    double seconds = 1e30;      // best wall time
    double cpu_seconds = 1e30;  // best CPU time of the process (all threads): steadier on a shared machine
};

Timing best_of(double min_seconds, const std::function<void()>& run) {
    Timing best;
    double total = 0.0;
    for (int runs = 0; total < min_seconds || runs < 3; ++runs) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = process_cpu_seconds();
        run();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best.cpu_seconds = std::min(best.cpu_seconds, process_cpu_seconds() - cpu_start);
        best.seconds = std::min(best.seconds, seconds);
        total += seconds;
    }
    return best;
}

struct Result {
    std::string layer, backend, path;
    int threads;
    double macs;
    Timing timing;
};

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
    for (const Case& c : cases) {
        const Tensor input = random_tensor(c.input, IntType::unsigned_bits(8), rng);
        const Tensor weight = random_tensor(c.weight, IntType::signed_bits(8), rng);
        const Shape out = conv2d_output_shape(c.input, c.weight, c.params);
        const Tensor bias = random_tensor({out[1]}, IntType::signed_bits(11), rng);
        Tensor bias32({out[1]}, IntType::int32(), bias.data);
        OutputStage stage;
        for (int64_t o = 0; o < out[1]; ++o) stage.multipliers.push_back(to_dyadic(0.0007 + 0.00001 * o));
        stage.output_type = IntType::unsigned_bits(8);
        stage.relu = true;
        const double macs = static_cast<double>(element_count(out)) * c.weight[1] * c.weight[2] * c.weight[3];

        Tensor want;
        results.push_back({c.name, "ref", "reference", 1, macs, best_of(min_seconds, [&] {
                               want = conv2d(input, weight, bias32, c.params, stage);
                           })});
        for (const cpu::Isa isa : cpu::supported_isas()) {
            for (const int threads : {1, 2}) {
                ThreadPool pool(threads);
                std::string path;
                const cpu::Runtime runtime{isa, &pool, &path};
                Tensor got;
                const Timing timing =
                    best_of(min_seconds, [&] { got = cpu::conv2d(input, weight, bias32, c.params, stage, runtime); });
                require(got.data == want.data, c.name + ": cpu path " + path + " differs from the reference");
                results.push_back({c.name, "cpu", path, threads, macs, timing});
            }
        }
    }
    std::fprintf(stderr, "%-28s %-26s %7s %9s %8s %9s %10s\n", "layer", "backend path", "threads", "wall ms", "GMAC/s",
                 "cpu ms", "GMAC/cpu-s");
    for (const Result& r : results) {
        std::fprintf(stderr, "%-28s %-26s %7d %9.2f %8.2f %9.2f %10.2f\n", r.layer.c_str(),
                     (r.backend + " " + r.path).c_str(), r.threads, r.timing.seconds * 1e3,
                     r.macs / r.timing.seconds / 1e9, r.timing.cpu_seconds * 1e3, r.macs / r.timing.cpu_seconds / 1e9);
    }
    std::printf("{\"benchmark\": \"cpu_conv2d\", \"activations\": \"uint8\", \"weights\": \"int8\", \"results\": [");
    for (size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        std::printf("%s{\"layer\": \"%s\", \"backend\": \"%s\", \"path\": \"%s\", \"threads\": %d, \"macs\": %.0f, "
                    "\"best_seconds\": %.6f, \"gmac_per_s\": %.3f, \"best_cpu_seconds\": %.6f, \"gmac_per_cpu_s\": %.3f}",
                    i ? ", " : "", r.layer.c_str(), r.backend.c_str(), r.path.c_str(), r.threads, r.macs,
                    r.timing.seconds, r.macs / r.timing.seconds / 1e9, r.timing.cpu_seconds,
                    r.macs / r.timing.cpu_seconds / 1e9);
    }
    std::printf("]}\n");
    return 0;
} catch (const dyadic::Error& e) {
    std::fprintf(stderr, "bench_cpu_conv: %s\n", e.what());
    return 1;
}
