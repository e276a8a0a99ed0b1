// Simulation speed of the Verilated RTL core against the behavioural SystemC core, on the same
// conv layers in the same run: each layer runs on the SystemC model with the behavioural core, then
// with the RTL core inside it (`dyadic sim --core rtl`), and the RTL array alone on the layer's
// whole GEMM (im2col, no SystemC). Cycles per wall second for each; the cycles of the two SystemC
// runs must be equal and every output == the reference.
//   bench_rtl_layers
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "reference/ops/conv2d.h"
#include "rtl/rtl_compute_core.h"
#include "rtl/rtl_core.h"
#include "sim/accel_config.h"
#include "sim/simulator.h"
#include "util/error.h"

using namespace dyadic;

namespace {

struct LayerShape {
    const char* name;
    int64_t c_in, h, w, c_out, k, stride;
};

// The bundled Fashion-MNIST ResNet's layer shapes and two ResNet50 layers.
const LayerShape kLayers[] = {
    {"fmnist stem 3x3 1->32", 1, 28, 28, 32, 3, 1},
    {"fmnist 3x3 32->64 /2", 32, 14, 14, 64, 3, 2},
    {"fmnist 3x3 64", 64, 7, 7, 64, 3, 1},
    {"resnet50 3x3 256 14x14", 256, 14, 14, 256, 3, 1},
    {"resnet50 1x1 64->256 56x56", 64, 56, 56, 256, 1, 1},
};

Tensor random_tensor(const Shape& shape, IntType type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The layer's whole GEMM on the RTL array alone; returns the array cycles.
int64_t array_alone(rtl::RtlCore& core, const Tensor& x, const Tensor& w, const Conv2dParams& p) {
    const Shape out = conv2d_output_shape(x.shape, w.shape, p);
    const int64_t reduction = w.dim(1) * w.dim(2) * w.dim(3), pixels = out[2] * out[3];
    std::vector<int32_t> columns(static_cast<size_t>(pixels * reduction));
    int32_t* column = columns.data();
    for (int64_t y = 0; y < out[2]; ++y) {
        for (int64_t xo = 0; xo < out[3]; ++xo) {
            for (int64_t c = 0; c < w.dim(1); ++c) {
                for (int64_t ky = 0; ky < w.dim(2); ++ky) {
                    for (int64_t kx = 0; kx < w.dim(3); ++kx) {
                        const int64_t iy = y * p.stride_h + ky - p.pad_top, ix = xo * p.stride_w + kx - p.pad_left;
                        *column++ = iy >= 0 && iy < x.dim(2) && ix >= 0 && ix < x.dim(3) ? x.at(0, c, iy, ix) : 0;
                    }
                }
            }
        }
    }
    std::vector<int32_t> acc(static_cast<size_t>(w.dim(0) * pixels), 0);
    return core.accumulate_gemm(rtl::pe_mode(w.type, x.type), w.data.data(), w.dim(0), reduction, columns.data(), pixels,
                                acc.data());
}

}  // namespace

int main() {
    try {
        const auto run_start = std::chrono::steady_clock::now();
        const sim::AccelConfig config = sim::default_accel_config();
        sim::Simulator simulator(config);
        rtl::RtlComputeCore core;
        require(core.config_refusal(config).empty(), core.config_refusal(config));
        rtl::RtlCore array;
        std::mt19937 rng(1);
        std::printf("%-28s %-5s %10s %9s %10s %9s %10s %6s %10s %9s %10s\n", "layer", "bits", "cycles", "beh s",
                    "beh c/s", "rtl s", "rtl c/s", "ratio", "array cyc", "array s", "array c/s");
        for (const LayerShape& l : kLayers) {
            for (const int bits : {8, 4}) {
                const Tensor x = random_tensor({1, l.c_in, l.h, l.w}, IntType::unsigned_bits(bits), rng);
                const Tensor w = random_tensor({l.c_out, l.c_in, l.k, l.k}, IntType::signed_bits(bits), rng);
                Conv2dParams p;
                p.stride_h = p.stride_w = static_cast<int>(l.stride);
                p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = static_cast<int>(l.k / 2);
                const OutputStage stage{{to_dyadic(1.0 / (64.0 * static_cast<double>(l.c_in * l.k)))},
                                        IntType::unsigned_bits(bits), true};
                const Tensor expected = conv2d(x, w, Tensor(), p, stage);

                simulator.set_compute_core(nullptr);
                auto start = std::chrono::steady_clock::now();
                const sim::LayerResult behavioural = simulator.conv2d(x, w, Tensor(), p, stage, l.name);
                const double behavioural_s = seconds_since(start);
                simulator.set_compute_core(&core);
                start = std::chrono::steady_clock::now();
                const sim::LayerResult cosim = simulator.conv2d(x, w, Tensor(), p, stage, l.name);
                const double cosim_s = seconds_since(start);
                start = std::chrono::steady_clock::now();
                const int64_t array_cycles = array_alone(array, x, w, p);
                const double array_s = seconds_since(start);

                require(behavioural.output.data == expected.data && cosim.output.data == expected.data,
                        std::string(l.name) + ": output differs from the reference");
                require(behavioural.stats.total_cycles == cosim.stats.total_cycles,
                        std::string(l.name) + ": the RTL core's cycles differ from the behavioural core's");
                const double cycles = static_cast<double>(cosim.stats.total_cycles);
                std::printf("%-28s w%da%-2d %10lld %9.3f %10.3g %9.3f %10.3g %6.0f %10lld %9.3f %10.3g\n", l.name, bits, bits,
                            static_cast<long long>(cosim.stats.total_cycles), behavioural_s, cycles / behavioural_s,
                            cosim_s, cycles / cosim_s, cosim_s / behavioural_s, static_cast<long long>(array_cycles),
                            array_s, static_cast<double>(array_cycles) / array_s);
            }
        }
        std::printf("whole run: %.2f s wall time\n", seconds_since(run_start));
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_rtl_layers: %s\n", e.what());
        return 1;
    }
}
