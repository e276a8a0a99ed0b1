// dyadic fuzz-diff: randomized differential testing. Seeded random single layers (every op kind,
// 2..8-bit operands, forced rounding ties, extreme multipliers, shapes up to several accelerator
// tiles) and small graphs run on the given backends and on the reference, compared with ==.
// A failing case prints its seed and is written as a golden directory that reproduces it
// (`dyadic verify --golden DIR`); `--seed S --cases 1` replays it from the seed alone.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "graph/golden/golden_writer.h"
#include "graph/verify/differential.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {

int fuzz_diff(const Args& args) {
    ArgParser parser("dyadic fuzz-diff",
                     "Randomized differential testing of backends against the reference: seeded random layers\n"
                     "and small graphs, every output compared with ==. Exit status 0 only when all are equal.");
    parser.option("--backends", "list", "backends to test: cpu, sim, rtl, gpu (ref compares the reference with itself)",
                  std::string("sim"))
        .option("--cases", "n", "single-layer cases", std::string("1000"))
        .option("--graphs", "n", "small-graph cases", std::string("0"))
        .option("--seed", "s", "seed of the first case (case i uses seed + i)", std::string("1"))
        .flag("--require-all", "a skipped case is a failure")
        .option("--failures", "dir", "each failing layer case is written here as a golden directory\n"
                "<dir>/seed-<S>-<backend> (docs/golden.md); replay with dyadic verify --golden",
                std::string("fuzz-diff-failures"))
        .option("--config", "json", "sim: accelerator configuration (default: built in)")
        .option("--json", "path", "write the report as JSON");
    parser.parse(args);
    verify::DifferentialOptions options;
    options.layer_cases = parser.get_int("--cases", 0, 10000000);
    options.graph_cases = parser.get_int("--graphs", 0, 1000000);
    const int seed = parser.get_int("--seed", 0, std::numeric_limits<int>::max());
    options.seed = static_cast<uint64_t>(seed);

    BackendOptions backend_options;
    backend_options.accel_config = parser.get_optional("--config");
    const BackendSet backend_set = make_backends(parser.get("--backends"), backend_options);
    const std::vector<quant::LayerBackend*> backends = backend_set.pointers();
    const std::string failures = parser.get("--failures");
    options.on_layer_failure = [&](const verify::LayerCase& c, const std::string& backend, const std::string& what) {
        const std::string seed_text = std::to_string(c.seed);
        const std::string directory = failures + "/seed-" + seed_text + "-" + backend;
        golden::GoldenOptions golden_options;
        golden_options.replace_existing = true;
        golden_options.source = {{"kind", "fuzz-diff"}, {"seed", seed_text}, {"backend", backend},
                                 {"case", c.description}, {"difference", what}};
        std::filesystem::create_directories(failures);
        golden::write_layer_golden(directory, c.layer, c.inputs, golden_options);
        std::fprintf(stderr,
                     "fuzz-diff: %s differs on seed %s (%s): %s\n  written to %s; replay: dyadic verify --golden %s "
                     "--backends %s, or dyadic fuzz-diff --backends %s --seed %s --cases 1\n",
                     backend.c_str(), seed_text.c_str(), c.description.c_str(), what.c_str(), directory.c_str(),
                     directory.c_str(), backend.c_str(), backend.c_str(), seed_text.c_str());
    };
    verify::DifferentialReport report;
    {
        ProgressBar progress("fuzz-diff", options.layer_cases + options.graph_cases);
        options.on_progress = [&](int64_t done, int64_t) { progress.update(done); };
        report = verify::run_differential(backends, options);
    }
    const bool require_all = parser.has("--require-all");
    std::cout << verify::differential_table(report);
    std::printf("%s in %.2f s wall time\n", report.passed(require_all) ? "PASSED" : "FAILED", report.seconds);
    if (const auto path = parser.get_optional("--json")) {
        write_file_atomically(*path, verify::differential_json(report, require_all) + "\n");
        std::cerr << "wrote " << *path << '\n';
    }
    return report.passed(require_all) ? 0 : 1;
}

}  // namespace dyadic::cli::commands
