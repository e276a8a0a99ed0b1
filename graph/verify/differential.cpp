#include "graph/verify/differential.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <sstream>

#include <nlohmann/json.hpp>

#include "graph/quant/integer_executor.h"
#include "graph/verify/model_verifier.h"
#include "util/error.h"

namespace dyadic::verify {
namespace {

constexpr size_t kFailuresKept = 20;

void note_failure(BackendTally& tally, const std::string& text) {
    if (tally.failures.size() < kFailuresKept) tally.failures.push_back(text);
}

void run_layer_case(const LayerCase& c, const std::vector<quant::LayerBackend*>& backends,
                    std::vector<BackendTally>& tallies, const DifferentialOptions& options) {
    const std::vector<const Tensor*> inputs = c.input_pointers();
    Tensor expected;
    try {
        expected = quant::run_layer(c.layer, inputs);
    } catch (const Error& e) {
        // The generator promises cases the reference accepts: this is a bug of the generator.
        throw Error("fuzz-diff: the reference refuses case seed " + std::to_string(c.seed) + " (" + c.description +
                    "): " + e.what());
    }
    for (size_t b = 0; b < backends.size(); ++b) {
        BackendTally& tally = tallies[b];
        if (!tally.unavailable.empty() || !backends[b]->unsupported_reason(c.layer, inputs).empty()) {
            ++tally.skipped;
            continue;
        }
        std::string what;
        try {
            const TensorDiff diff = diff_tensors(expected, backends[b]->run_layer(c.layer, inputs));
            if (diff.equal()) {
                ++tally.equal;
                continue;
            }
            ++tally.differ;
            what = describe(diff);
        } catch (const std::exception& e) {
            ++tally.failed;
            what = std::string("failed: ") + e.what();
        }
        note_failure(tally, "seed " + std::to_string(c.seed) + ": " + c.description + ": " + what);
        if (options.on_layer_failure) options.on_layer_failure(c, tally.name, what);
    }
}

void run_graph_case(const GraphCase& c, const std::vector<quant::LayerBackend*>& backends,
                    std::vector<BackendTally>& tallies) {
    ModelVerifier verifier(c.model, backends);
    verifier.add_batch(c.input, 0);
    const VerifyReport& report = verifier.report();
    for (size_t b = 0; b < backends.size(); ++b) {
        BackendTally& tally = tallies[b];
        // The graph's outcome for this backend is its worst layer's.
        Outcome worst = Outcome::equal;
        std::string what;
        bool compared = false;
        for (size_t i = 0; i < report.checks.size(); ++i) {
            const LayerCheck& check = report.checks[i][b];
            compared = compared || check.batches > 0;
            if (check.outcome == Outcome::differ || check.outcome == Outcome::failed) {
                if (worst == Outcome::equal) {
                    what = "layer '" + report.layer_names[i] + "': " +
                           (check.outcome == Outcome::differ ? describe(check.diff) : check.reason);
                }
                worst = check.outcome == Outcome::failed || worst == Outcome::failed ? Outcome::failed : Outcome::differ;
            }
        }
        if (worst == Outcome::differ) ++tally.differ;
        else if (worst == Outcome::failed) ++tally.failed;
        else if (!compared) ++tally.skipped;
        else ++tally.equal;
        if (!what.empty()) note_failure(tally, "graph seed " + std::to_string(c.seed) + ": " + c.description + ": " + what);
    }
}

}  // namespace

bool DifferentialReport::passed(bool require_all) const {
    bool compared = false;
    for (const BackendTally& t : backends) {
        if (t.differ > 0 || t.failed > 0) return false;
        if (require_all && t.skipped > 0) return false;
        compared = compared || t.equal > 0;
    }
    return compared;
}

DifferentialReport run_differential(const std::vector<quant::LayerBackend*>& backends, const DifferentialOptions& options) {
    require(options.layer_cases >= 0 && options.graph_cases >= 0, "fuzz-diff: case counts must not be negative");
    DifferentialReport report;
    report.layer_cases = options.layer_cases;
    report.graph_cases = options.graph_cases;
    report.seed = options.seed;
    for (quant::LayerBackend* b : backends) report.backends.push_back({b->name(), b->unavailable_reason(), 0, 0, 0, 0, {}});
    const auto start = std::chrono::steady_clock::now();
    const int64_t total = options.layer_cases + options.graph_cases;
    for (int64_t i = 0; i < options.layer_cases; ++i) {
        const LayerCase c = random_layer_case(options.seed + static_cast<uint64_t>(i));
        ++report.kinds[quant::op_name(c.layer.op)];
        const TieCount ties = count_rounding_ties(c);
        report.ties.positive += ties.positive;
        report.ties.negative += ties.negative;
        run_layer_case(c, backends, report.backends, options);
        if (options.on_progress) options.on_progress(i + 1, total);
    }
    for (int64_t j = 0; j < options.graph_cases; ++j) {
        const GraphCase c = random_graph_case(options.seed + static_cast<uint64_t>(j));
        ++report.kinds["graph"];
        run_graph_case(c, backends, report.backends);
        if (options.on_progress) options.on_progress(options.layer_cases + j + 1, total);
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

std::string differential_json(const DifferentialReport& report, bool require_all) {
    nlohmann::json j;
    j["seed"] = report.seed;
    j["layer_cases"] = report.layer_cases;
    j["graph_cases"] = report.graph_cases;
    j["kinds"] = report.kinds;
    j["ties"] = {{"positive", report.ties.positive}, {"negative", report.ties.negative}};
    nlohmann::json backends = nlohmann::json::array();
    for (const BackendTally& t : report.backends) {
        nlohmann::json b{{"name", t.name}, {"available", t.unavailable.empty()}, {"equal", t.equal},
                         {"differ", t.differ}, {"failed", t.failed}, {"skipped", t.skipped}, {"failures", t.failures}};
        if (!t.unavailable.empty()) b["reason"] = t.unavailable;
        backends.push_back(b);
    }
    j["backends"] = backends;
    j["seconds"] = report.seconds;
    j["passed"] = report.passed(require_all);
    return j.dump(2);
}

std::string differential_table(const DifferentialReport& report) {
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "%-8s %8s %8s %8s %8s\n", "backend", "equal", "differ", "failed", "skipped");
    out << line;
    for (const BackendTally& t : report.backends) {
        std::snprintf(line, sizeof line, "%-8s %8lld %8lld %8lld %8lld%s\n", t.name.c_str(), static_cast<long long>(t.equal),
                      static_cast<long long>(t.differ), static_cast<long long>(t.failed),
                      static_cast<long long>(t.skipped), t.unavailable.empty() ? "" : ("  (unavailable: " + t.unavailable + ")").c_str());
        out << line;
        for (const std::string& f : t.failures) out << "  " << t.name << ": " << f << '\n';
    }
    out << report.layer_cases << " layer cases, " << report.graph_cases << " graph cases from seed " << report.seed
        << "; kinds:";
    for (const auto& [kind, count] : report.kinds) out << ' ' << kind << '=' << count;
    out << "\nexact rounding ties exercised: " << report.ties.positive << " positive, " << report.ties.negative
        << " negative\n";
    return out.str();
}

}  // namespace dyadic::verify
