// dyadic latency-table: the per-layer latency table the bit-allocation ILP reads
// (docs/latency-table.md): every conv and fully connected layer of an integer model timed at
// each candidate precision on a backend.
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

namespace dyadic::cli::commands {

int latency_table(const Args& args) {
    ArgParser parser("dyadic latency-table",
                     "Time every conv and fully connected layer of an integer model at each candidate precision\n"
                     "and write the latency table the ILP reads (docs/latency-table.md).");
    parser.positional("model", "integer model (.dyqm)")
        .option("--backend", "name", "timing backend: sim (the SystemC accelerator model)", std::string("sim"))
        .option("--bits", "list", "candidates: bit widths (\"4,8\" = w4a4, w8a8) or labels (\"w4a8,w8a8\")",
                std::string("4,8"))
        .option("--config", "json", "accelerator configuration (default: sim/configs/default.json, built in)")
        .option("--json", "path", "write the table to this file (default: standard output)");
    parser.parse(args);
    const std::string backend = parser.get("--backend");
    if (backend != "sim") throw UsageError("unknown backend '" + backend + "' (available: sim)");
    const auto candidates = sim::parse_bit_candidates(parser.get("--bits"));
    const sim::AccelConfig config = parser.has("--config") ? sim::load_accel_config(parser.get("--config"))
                                                           : sim::default_accel_config();
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));

    std::vector<sim::LatencyRow> rows;
    {
        ProgressBar progress("latency-table", static_cast<int64_t>(model.layers.size()));
        rows = sim::build_latency_table(model, config, candidates,
                                        [&](size_t done, size_t) { progress.update(static_cast<int64_t>(done)); });
    }
    const std::string json = sim::latency_table_json(model.name, config, rows) + "\n";
    if (const auto path = parser.get_optional("--json")) {
        write_file_atomically(*path, json);
        std::cerr << "wrote " << *path << " (" << rows.size() << " layers x " << candidates.size() << " candidates)\n";
    } else {
        std::cout << json;
    }
    return 0;
}

}  // namespace dyadic::cli::commands
