// dyadic ilp-problem: the bit-allocation problem file (ilp/problem_json.h) for a model, from its
// sensitivity file and optionally a backend's latency table (graph/sensitivity/ilp_problem_file.h).
#include <iostream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "graph/quant/bit_candidates.h"
#include "graph/sensitivity/bit_widths.h"
#include "graph/sensitivity/float_model.h"
#include "graph/sensitivity/ilp_problem_file.h"
#include "graph/sensitivity/latency_table.h"
#include "graph/sensitivity/sensitivity_json.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {

int ilp_problem(const Args& args) {
    ArgParser parser("dyadic ilp-problem",
                     "Assemble the bit-allocation problem: per layer and candidate (w-bit weights, a-bit activations)\n"
                     "the sensitivity Omega_w(w) + Omega_a(a), size_bits = params * w, bops = MACs * w * a and, with a\n"
                     "latency table, the latency (and the energy, when the table has it) of candidate w<w>a<a>; layers\n"
                     "reading the same tensor are tied.");
    parser.positional("model", "float ONNX model the sensitivities were computed for")
        .option("--sensitivity", "path", "sensitivity file written by dyadic sensitivity --json")
        .option("--latency", "path", "latency table {\"backend\", \"unit\", \"layers\": [{\"name\", \"candidates\"}]}")
        .option("--bits", "list", "symmetric candidates w = a = b, labelled b", "4,8")
        .option("--candidates", "list", "per-operand candidates such as w8a8,w4a8,w8a4,w4a4,w2a8 (replaces --bits)")
        .option("--out", "path", "write the problem here (default: standard output)");
    parser.parse(args);
    if (!parser.has("--sensitivity")) throw UsageError("missing --sensitivity <path>");

    const ir::Graph graph = sensitivity::load_float_model(parser.get("model"));
    const sensitivity::SensitivityReport report = sensitivity::read_sensitivity_report(parser.get("--sensitivity"));
    sensitivity::ProblemOptions options;
    options.bits = sensitivity::parse_bit_widths(parser.get("--bits"));
    if (const auto list = parser.get_optional("--candidates")) options.candidates = quant::parse_bit_candidates(*list);
    sensitivity::LatencyTable latency;
    if (const auto path = parser.get_optional("--latency")) {
        latency = sensitivity::read_latency_table(*path);
        options.latency = &latency;
    }
    const std::string problem = sensitivity::ilp_problem_json(graph, report, options);

    if (const auto path = parser.get_optional("--out")) {
        write_file_atomically(*path, problem);
        std::cerr << "wrote " << *path << " (" << report.layers.size() << " layers, "
                  << sensitivity::shared_input_ties(graph).size() << " tie groups)\n";
    } else {
        std::cout << problem;
    }
    return 0;
}

}  // namespace dyadic::cli::commands
