// dyadic latency-table: the per-layer latency table the bit-allocation ILP reads
// (docs/latency-table.md): every conv and fully connected layer of an integer model timed at
// each candidate precision on a backend (for the sim backend, with its energy).
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "graph/quant/model_file.h"
#include "util/error.h"
#include "util/atomic_file.h"
#include "sim/accel_config.h"
#include "sim/latency_table.h"
#include "gpu/build_availability.h"
#if DYADIC_HAVE_CUDA
#include "gpu/latency_table.h"
#endif

namespace dyadic::cli::commands {
namespace {

void write_table(const ArgParser& parser, const std::string& json, size_t rows, size_t candidates) {
    if (const auto path = parser.get_optional("--json")) {
        write_file_atomically(*path, json);
        std::cerr << "wrote " << *path << " (" << rows << " layers x " << candidates << " candidates)\n";
    } else {
        std::cout << json;
    }
}

int gpu_latency_table(const ArgParser& parser, const std::vector<sim::BitCandidate>& bits) {
#if DYADIC_HAVE_CUDA
    gpu::LatencyTiming timing;
    timing.batch = parser.get_int("--batch", 1, 4096);
    timing.repeats = parser.get_int("--repeats", 1, 100000);
    std::vector<gpu::LatencyCandidate> candidates;
    for (const sim::BitCandidate& c : bits) candidates.push_back({c.label, c.weight_bits, c.activation_bits});
    gpu::GpuBackend backend;
    if (!backend.unavailable_reason().empty()) throw Error("latency-table --backend gpu: " + backend.unavailable_reason());
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    std::vector<gpu::LatencyLayer> rows;
    {
        ProgressBar progress("latency-table", static_cast<int64_t>(model.layers.size()));
        rows = gpu::measure_latency_table(backend, model, candidates, timing,
                                          [&](size_t done, size_t) { progress.update(static_cast<int64_t>(done)); });
    }
    write_table(parser, gpu::latency_table_json(model.name, backend.device_description(), timing, rows) + "\n", rows.size(),
                candidates.size());
    return 0;
#else
    (void)parser;
    (void)bits;
    throw Error(std::string("latency-table --backend gpu: ") + gpu::kBuiltWithoutCuda);
#endif
}

}  // namespace

int latency_table(const Args& args) {
    ArgParser parser("dyadic latency-table",
                     "Time every conv and fully connected layer of an integer model at each candidate precision\n"
                     "and write the latency table the ILP reads (docs/latency-table.md).");
    parser.positional("model", "integer model (.dyqm)")
        .option("--backend", "name", "timing backend: sim (the SystemC accelerator model) or gpu (measured on the CUDA device)",
                std::string("sim"))
        .option("--bits", "list", "candidates: bit widths (\"4,8\" = w4a4, w8a8) or labels (\"w4a8,w8a8\")",
                std::string("4,8"))
        .option("--config", "json", "accelerator configuration (default: sim/configs/default.json, built in)")
        .option("--batch", "n", "gpu: images per timed run (1..4096)", std::string("1"))
        .option("--repeats", "n", "gpu: timed runs per layer and candidate, 1..100000 (the median is kept)", std::string("50"))
        .option("--json", "path", "write the table to this file (default: standard output); sim: then print the\n"
                                  "cycles and energy (compute, scratchpads, DRAM, post-processing, static) per layer");
    parser.parse(args);
    const std::string backend = parser.get("--backend");
    if (backend != "sim" && backend != "gpu") throw UsageError("unknown backend '" + backend + "' (available: sim, gpu)");
    const auto candidates = sim::parse_bit_candidates(parser.get("--bits"));
    if (backend == "gpu") return gpu_latency_table(parser, candidates);
    const sim::AccelConfig config = parser.has("--config") ? sim::load_accel_config(parser.get("--config"))
                                                           : sim::default_accel_config();
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));

    std::vector<sim::LatencyRow> rows;
    {
        ProgressBar progress("latency-table", static_cast<int64_t>(model.layers.size()));
        rows = sim::build_latency_table(model, config, candidates,
                                        [&](size_t done, size_t) { progress.update(static_cast<int64_t>(done)); });
    }
    write_table(parser, sim::latency_table_json(model.name, config, rows) + "\n", rows.size(), candidates.size());
    // With the JSON in a file, standard output is free for the table people read.
    if (parser.has("--json")) std::cout << sim::latency_table_text(rows);
    return 0;
}

}  // namespace dyadic::cli::commands
