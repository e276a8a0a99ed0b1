// dyadic sim: runs an integer model on the SystemC model of the precision-scalable systolic
// accelerator (docs/accelerator.md) and prints per layer the cycles with their breakdown, the
// array utilisation, the DRAM bytes, the energy with its breakdown and the mapper's tiling;
// --verify compares every layer's output with the reference executor using == and stops at the
// first mismatch.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <limits>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "graph/quant/model_file.h"
#include "util/error.h"
#include "util/atomic_file.h"
#include "sim/accel_config.h"
#include "graph/verify/random_input.h"
#include "sim/network.h"
#ifdef DYADIC_WITH_RTL
#include "rtl/rtl_compute_core.h"
#endif

namespace dyadic::cli::commands {
namespace {

// The compute core named by --core: nullptr for the behavioural model.
std::unique_ptr<sim::ComputeCore> make_core(const std::string& name, const sim::AccelConfig& config) {
    if (name == "behavioural") return nullptr;
#ifdef DYADIC_WITH_RTL
    if (name == "rtl") {
        auto core = std::make_unique<rtl::RtlComputeCore>();
        const std::string refusal = core->config_refusal(config);
        if (!refusal.empty()) throw Error("--core rtl: " + refusal);
        return core;
    }
#else
    (void)config;
    if (name == "rtl") throw Error("--core rtl: this build has no RTL core (Verilator was not found)");
#endif
    throw UsageError("--core must be behavioural or rtl, got '" + name + "'");
}

void print_table(const sim::NetworkReport& report, const sim::AccelConfig& config) {
    std::printf("%-28s %-19s %-6s %11s %10s %9s %10s %9s %6s %10s %10s %9s %9s %9s %8s %8s  %s\n", "layer", "op", "bits",
                "cycles", "compute", "fill", "mem-stall", "post", "util", "DRAM KiB", "energy nJ", "MAC nJ", "SRAM nJ",
                "DRAM nJ", "PPU nJ", "stat nJ", "mapping");
    const auto row = [](const sim::LayerStats& s, const std::string& name) {
        const sim::EnergyBreakdown& e = s.energy;
        std::printf("%-28s %-19s %-6s %11lld %10lld %9lld %10lld %9lld %5.1f%% %10.1f %10.1f %9.1f %9.1f %9.1f %8.1f %8.1f  %s\n",
                    name.c_str(), s.op.c_str(), s.precision.c_str(), static_cast<long long>(s.total_cycles),
                    static_cast<long long>(s.compute_cycles), static_cast<long long>(s.fill_drain_cycles),
                    static_cast<long long>(s.memory_stall_cycles), static_cast<long long>(s.post_processing_cycles),
                    100.0 * s.utilisation, static_cast<double>(s.dram_bytes()) / 1024.0, e.total_pj() / 1e3,
                    e.compute_pj / 1e3, e.scratchpads_pj / 1e3, e.dram_pj / 1e3, e.ppu_pj / 1e3, e.static_pj / 1e3,
                    s.mapping.c_str());
    };
    for (const sim::LayerStats& s : report.layers) row(s, s.name);
    row(report.total, "total");
    const sim::EnergyBreakdown& e = report.total.energy;
    const double total = e.total_pj() > 0 ? e.total_pj() : 1.0;
    std::printf("%lld cycles = %.4f ms at %g MHz on a %dx%d array (%s)\n",
                static_cast<long long>(report.total.total_cycles),
                static_cast<double>(report.total.total_cycles) / (config.clock_mhz * 1000.0), config.clock_mhz,
                config.array_rows, config.array_cols, config.name.c_str());
    std::printf("energy %.3f uJ: compute %.1f%%, scratchpads %.1f%%, DRAM %.1f%%, post-processing %.1f%%, static %.1f%%\n",
                e.total_pj() / 1e6, 100.0 * e.compute_pj / total, 100.0 * e.scratchpads_pj / total,
                100.0 * e.dram_pj / total, 100.0 * e.ppu_pj / total, 100.0 * e.static_pj / total);
}

}  // namespace

int sim(const Args& args) {
    ArgParser parser("dyadic sim",
                     "Run an integer model on the SystemC model of the precision-scalable systolic accelerator\n"
                     "(docs/accelerator.md): per-layer cycles (compute, fill/drain, memory stall, post-processing),\n"
                     "array utilisation, DRAM bytes, energy (compute, scratchpads, DRAM, post-processing, static)\n"
                     "and tiling. The input is a seeded pseudo-random tensor of the\n"
                     "model's input type (timing does not depend on values).");
    parser.positional("model", "integer model (.dyqm)")
        .option("--config", "json", "accelerator configuration (default: sim/configs/default.json, built in)")
        .flag("--verify", "compare every layer's output with the reference executor (==); stop at the first mismatch")
        .option("--json", "path", "write the per-layer report as JSON")
        .option("--seed", "n", "seed of the input tensor (0..2^31-1)", std::string("1"))
        .option("--batch", "n", "images in the input batch (1..1024)", std::string("1"))
        .option("--core", "name",
                "what computes the array steps and conv/FC output tiles: behavioural, or rtl (the Verilated\n"
                "RTL core, whose own cycle counts the model then waits)",
                std::string("behavioural"));
    parser.parse(args);
    const int batch = parser.get_int("--batch", 1, 1024);
    const int seed = parser.get_int("--seed", 0, std::numeric_limits<int>::max());
    const sim::AccelConfig config = parser.has("--config") ? sim::load_accel_config(parser.get("--config"))
                                                           : sim::default_accel_config();
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const Tensor input = verify::random_model_input(model, static_cast<uint64_t>(seed), batch);

    const std::unique_ptr<sim::ComputeCore> core = make_core(parser.get("--core"), config);
    sim::Simulator simulator(config);
    simulator.set_compute_core(core.get());
    sim::NetworkOptions options;
    options.verify = parser.has("--verify");
    const auto start = std::chrono::steady_clock::now();
    sim::NetworkReport report;
    {
        ProgressBar progress("sim", static_cast<int64_t>(model.layers.size()));
        options.on_layer = [&](size_t index, size_t, const sim::LayerStats&) {
            progress.update(static_cast<int64_t>(index) + 1);
        };
        report = sim::simulate_model(simulator, model, input, options);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_table(report, config);
    if (options.verify) {
        std::printf("verified: all %zu layers equal the reference (==)\n", report.layers.size());
    }
    std::fprintf(stderr, "simulated in %.2f s wall time\n", seconds);
    if (const auto path = parser.get_optional("--json")) {
        write_file_atomically(*path, sim::report_json(report, config) + "\n");
        std::cerr << "wrote " << *path << '\n';
    }
    return 0;
}

}  // namespace dyadic::cli::commands
