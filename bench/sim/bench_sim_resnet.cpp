// Whole ResNet18/50 on the SystemC accelerator model: builds the network (graph/ir/builders),
// quantizes it post-training with seeded random calibration images, runs every layer on the
// simulator with bit-exact verification against the reference executor, prints cycles and
// energy, and writes the per-layer latency table (each conv/FC layer timed and priced at each
// candidate precision).
//   bench_sim_resnet [--depth 18|50 | --net resnet18|resnet50|inception_v3] [--bits w8a8] [--calibration n] [--no-verify]
//                    [--config accel.json] [--save model.dyqm] [--json report.json]
//                    [--latency-json table.json] [--latency-bits 4,8]
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "graph/ir/builders/inception_v3.h"
#include "graph/ir/builders/resnet.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/quantizer.h"
#include "util/error.h"
#include "util/atomic_file.h"
#include "sim/latency_table.h"
#include "graph/verify/random_input.h"
#include "sim/network.h"

using namespace dyadic;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int usage() {
    std::fprintf(stderr,
                 "usage: bench_sim_resnet [--depth 18|50 | --net resnet18|resnet50|inception_v3] [--bits w8a8] [--calibration n] [--no-verify]\n"
                 "       [--config accel.json] [--save model.dyqm] [--json report.json]\n"
                 "       [--latency-json table.json] [--latency-bits 4,8]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int calibration_images = 2;
    std::string net = "resnet50";
    bool verify = true;
    std::string bits = "w8a8", config_path, save_path, json_path, latency_path, latency_bits = "4,8";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (arg == "--depth") {
            net = "resnet" + value();
        } else if (arg == "--net") {
            net = value();
        } else if (arg == "--bits") {
            bits = value();
        } else if (arg == "--calibration") {
            calibration_images = std::stoi(value());
        } else if (arg == "--no-verify") {
            verify = false;
        } else if (arg == "--config") {
            config_path = value();
        } else if (arg == "--save") {
            save_path = value();
        } else if (arg == "--json") {
            json_path = value();
        } else if (arg == "--latency-json") {
            latency_path = value();
        } else if (arg == "--latency-bits") {
            latency_bits = value();
        } else {
            return usage();
        }
    }
    if (net != "resnet18" && net != "resnet50" && net != "inception_v3") return usage();
    try {
        const sim::AccelConfig config = config_path.empty() ? sim::default_accel_config() : sim::load_accel_config(config_path);
        auto start = std::chrono::steady_clock::now();
        ir::Graph graph = net == "resnet18" ? ir::build_resnet18()
                          : net == "resnet50" ? ir::build_resnet50()
                                              : ir::build_inception_v3();
        const int64_t side = net == "inception_v3" ? 299 : 224;
        ir::run_standard_passes(graph);
        ir::FloatTensor images({calibration_images, 3, side, side});
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (float& v : images.data) v = normal(rng);
        quant::QuantizeOptions options;
        options.bits = quant::uniform_bit_config(bits);
        const quant::QuantizedModel model =
            quant::quantize(graph, quant::collect_statistics(graph, images, 1, quant::needs_histograms(options.calibration)),
                            options, net + "_" + bits);
        std::printf("quantized %s (%zu layers) in %.1f s\n", model.name.c_str(), model.layers.size(), seconds_since(start));
        if (!save_path.empty()) quant::save_model(model, save_path);

        sim::Simulator simulator(config);
        const Tensor input = verify::random_model_input(model, 1);
        sim::NetworkOptions run_options;
        run_options.verify = verify;
        std::vector<double> layer_seconds;
        auto layer_start = std::chrono::steady_clock::now();
        run_options.on_layer = [&](size_t, size_t, const sim::LayerStats&) {
            layer_seconds.push_back(seconds_since(layer_start));
            layer_start = std::chrono::steady_clock::now();
        };
        start = std::chrono::steady_clock::now();
        layer_start = start;
        const sim::NetworkReport report = sim::simulate_model(simulator, model, input, run_options);
        const double wall = seconds_since(start);
        double slowest = 0;
        std::string slowest_name;
        for (size_t i = 0; i < layer_seconds.size(); ++i) {
            if (layer_seconds[i] > slowest) {
                slowest = layer_seconds[i];
                slowest_name = report.layers[i].name;
            }
        }
        std::printf("%s: %zu layers, %.3f GMAC, %lld cycles (%.3f ms at %g MHz), utilisation %.1f%%, DRAM %.1f MiB\n",
                    model.name.c_str(), report.layers.size(), static_cast<double>(report.total.macs) / 1e9,
                    static_cast<long long>(report.total.total_cycles),
                    static_cast<double>(report.total.total_cycles) / (config.clock_mhz * 1000.0), config.clock_mhz,
                    100.0 * report.total.utilisation, static_cast<double>(report.total.dram_bytes()) / (1 << 20));
        std::printf("  cycles: compute %lld, fill/drain %lld, memory stall %lld, post-processing %lld\n",
                    static_cast<long long>(report.total.compute_cycles), static_cast<long long>(report.total.fill_drain_cycles),
                    static_cast<long long>(report.total.memory_stall_cycles),
                    static_cast<long long>(report.total.post_processing_cycles));
        const sim::EnergyBreakdown& e = report.total.energy;
        std::printf("  energy %.1f uJ: compute %.1f, scratchpads %.1f, DRAM %.1f, post-processing %.1f, static %.1f uJ\n",
                    e.total_pj() / 1e6, e.compute_pj / 1e6, e.scratchpads_pj / 1e6, e.dram_pj / 1e6, e.ppu_pj / 1e6,
                    e.static_pj / 1e6);
        std::printf("  wall time %.2f s%s (%.3g simulated cycles/s); slowest layer %s %.2f s\n", wall,
                    verify ? " with every layer verified == against the reference" : "",
                    static_cast<double>(report.total.total_cycles) / wall, slowest_name.c_str(), slowest);
        if (!json_path.empty()) write_file_atomically(json_path, sim::report_json(report, config) + "\n");

        if (!latency_path.empty()) {
            start = std::chrono::steady_clock::now();
            const auto rows = sim::build_latency_table(model, config, sim::parse_bit_candidates(latency_bits));
            write_file_atomically(latency_path, sim::latency_table_json(model.name, config, rows) + "\n");
            std::printf("latency table: %zu layers x %s in %.2f s -> %s\n", rows.size(), latency_bits.c_str(),
                        seconds_since(start), latency_path.c_str());
        }
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_sim_resnet: %s\n", e.what());
        return 1;
    }
}
