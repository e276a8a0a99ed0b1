// The bit-allocation problem file: read back by ilp/'s parser and checked against values derived
// independently from the graph (weight sizes, MACs from the shapes), plus the ties and the latency table
// (its latency and energy).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "graph/sensitivity/ilp_problem_file.h"
#include "graph/sensitivity/latency_table.h"
#include "graph/sensitivity/weight_layers.h"
#include "brute_force.h"
#include "ilp/problem.h"
#include "ilp/problem_json.h"
#include "ilp/solver.h"
#include "util/error.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

// A sensitivity report for the graph with made-up but distinct numbers.
SensitivityReport report_for(const ir::Graph& graph) {
    SensitivityReport report;
    report.images = 4;
    report.samples = 2;
    double value = 1.0;
    for (const WeightLayer& layer : weight_layers(graph)) {
        LayerSensitivity s;
        s.name = layer.name;
        s.n_params = layer.n_params;
        for (const int bits : {2, 4, 8}) s.per_bits.push_back({bits, 0.0, value / bits});
        value += 1.0;
        report.layers.push_back(s);
    }
    return report;
}

// Adds activation sensitivities (distinct made-up numbers) to every layer of `report`.
void add_activation_sensitivities(SensitivityReport& report, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.5, 2.0);
    for (LayerSensitivity& layer : report.layers) {
        ActivationSensitivity input;
        input.n_elements = 16;
        const double scale = unit(rng);
        for (const int bits : {2, 4, 8}) input.per_bits.push_back({bits, 0.0, scale * unit(rng) / (bits * bits)});
        layer.activation = input;
    }
}

// Per-operand latency: MACs x w x a / 64 cycles plus a per-layer constant.
std::string per_operand_latency_text(const ir::Graph& graph, const std::vector<quant::BitCandidate>& candidates) {
    std::string text = R"({"backend": "test", "unit": "cycles", "layers": [)";
    bool first = true;
    for (const WeightLayer& layer : weight_layers(graph)) {
        text += first ? "" : ",";
        first = false;
        text += R"({"name": ")" + layer.name + R"(", "candidates": [)";
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            text += c ? "," : "";
            text += R"({"bits": ")" + candidates[c].label + R"(", "cycles": )" +
                    std::to_string(layer.macs * candidates[c].weight_bits * candidates[c].activation_bits / 64 + 100) + "}";
        }
        text += "]}";
    }
    return text + "]}";
}

std::string latency_table_text(const ir::Graph& graph, const std::string& skip_layer, const std::string& skip_bits) {
    std::string text = R"({"backend": "test", "unit": "cycles", "layers": [)";
    bool first = true;
    for (const WeightLayer& layer : weight_layers(graph)) {
        if (layer.name == skip_layer && skip_bits.empty()) continue;
        text += first ? "" : ",";
        text += R"({"name": ")";
        text += layer.name;
        text += R"(", "candidates": [)";
        first = false;
        bool first_candidate = true;
        for (const int bits : {4, 8}) {
            const std::string label = candidate_label(bits);
            if (layer.name == skip_layer && label == skip_bits) continue;
            text += first_candidate ? "" : ",";
            text += R"({"bits": ")";
            text += label;
            text += R"(", "cycles": )";
            text += std::to_string(layer.macs * bits / 8);
            text += "}";
            first_candidate = false;
        }
        text += "]}";
    }
    return text + "]}";
}

}  // namespace

TEST_CASE("ties: conv layers reading the same tensor", "[sensitivity][ilp]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const auto ties = shared_input_ties(graph);
    REQUIRE(ties.size() == 1);
    CHECK_THAT(ties[0], Catch::UnorderedEquals(std::vector<std::string>{"unit.conv1", "unit.downsample"}));
}

TEST_CASE("problem file: sensitivity, size, BOPs and latency per candidate, read back by ilp/", "[sensitivity][ilp]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const SensitivityReport report = report_for(graph);
    const LatencyTable latency = parse_latency_table(latency_table_text(graph, "", ""), "latency.json");
    CHECK(latency.latency_field == "cycles");
    ProblemOptions options;
    options.bits = {4, 8};
    options.latency = &latency;
    const ilp::Problem problem = ilp::parse_problem(ilp_problem_json(graph, report, options), "problem.json");

    // Independent expectations: weights from the nodes, MACs from the output shapes.
    std::map<std::string, std::pair<int64_t, int64_t>> expected;  // name -> (params, macs)
    for (const ir::NodeId id : graph.nodes()) {
        const ir::Node& node = graph.node(id);
        if (node.op != ir::OpKind::Conv && node.op != ir::OpKind::FullyConnected) continue;
        const Shape& out = graph.value(node.outputs[0]).shape;
        int64_t outputs = 1;
        for (std::size_t d = 1; d < out.size(); ++d) outputs *= out[d];
        expected[node.name] = {node.weight.size(), outputs * (node.weight.size() / node.weight.dim(0))};
    }
    CHECK(expected.at("unit.conv1").second == 6 * 2 * 2 * 4 * 3 * 3);
    CHECK(expected.at("fc").second == 10 * 8);

    REQUIRE(problem.layers.size() == expected.size());
    REQUIRE(problem.metrics == std::vector<std::string>{"size_bits", "bops", "latency"});
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        const ilp::Layer& layer = problem.layers[l];
        INFO("layer " << layer.name);
        const auto [params, macs] = expected.at(layer.name);
        REQUIRE(layer.choices.size() == 2);
        for (const ilp::Choice& choice : layer.choices) {
            REQUIRE(choice.numeric_bits.has_value());
            const long long bits = *choice.numeric_bits;
            CHECK(choice.sensitivity == Approx((l + 1.0) / bits));
            CHECK(choice.metric_values[0] == static_cast<double>(params * bits));
            CHECK(choice.metric_values[1] == static_cast<double>(macs * bits * bits));
            CHECK(choice.metric_values[2] == static_cast<double>(macs * bits / 8));
        }
    }
    REQUIRE(problem.ties.size() == 1);
    REQUIRE(problem.ties[0].size() == 2);
    CHECK_THAT((std::vector<std::string>{problem.layers[problem.ties[0][0]].name, problem.layers[problem.ties[0][1]].name}),
               Catch::UnorderedEquals(std::vector<std::string>{"unit.conv1", "unit.downsample"}));

    options.latency = nullptr;
    const ilp::Problem without = ilp::parse_problem(ilp_problem_json(graph, report, options), "problem.json");
    CHECK(without.metrics == std::vector<std::string>{"size_bits", "bops"});
}

TEST_CASE("problem file errors: missing latency entries, foreign sensitivity files, absent bit widths",
          "[sensitivity][ilp]") {
    const ir::Graph graph = testing::small_residual_cnn();
    SensitivityReport report = report_for(graph);
    ProblemOptions options;

    const LatencyTable no_candidate = parse_latency_table(latency_table_text(graph, "unit.conv2", "w8a8"), "t.json");
    options.latency = &no_candidate;
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options),
                      Catch::Contains("no candidate w8a8 for layer \"unit.conv2\" (it has w4a4)"));
    const LatencyTable no_layer = parse_latency_table(latency_table_text(graph, "fc", ""), "t.json");
    options.latency = &no_layer;
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("no layer \"fc\""));
    options.latency = nullptr;

    options.bits = {3};
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("no value for 3 bits"));
    options.bits = {4, 4};
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("distinct"));
    options.bits = {4, 8};

    report.layers[1].n_params += 1;
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("in the sensitivity file"));
    report.layers[1].n_params -= 1;
    report.layers[2].name = "other";
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("has no layer"));
    report.layers.erase(report.layers.begin() + 2);
    report.layers.push_back(report_for(graph).layers[2]);
    report.layers.push_back(report.layers[0]);
    report.layers.back().name = "extra";
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("'extra', which the model does not have"));
}

TEST_CASE("latency tables: field choice and malformed tables", "[sensitivity][ilp]") {
    const LatencyTable ms = parse_latency_table(
        R"({"backend": "gpu", "unit": "ms", "layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": 10, "latency_ms": 0.5}]}]})",
        "t.json");
    CHECK(ms.latency_field == "latency_ms");
    CHECK(latency_of(ms, "a", "w4a4") == 0.5);
    CHECK(candidate_label(4) == "w4a4");
    // As `dyadic latency-table` writes them: both fields, unit cycles.
    const LatencyTable cycles = parse_latency_table(
        R"({"backend": "sim", "unit": "cycles", "layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": 10, "latency_ms": 0.5}]}]})",
        "t.json");
    CHECK(cycles.latency_field == "cycles");
    CHECK(latency_of(cycles, "a", "w4a4") == 10.0);
    const LatencyTable unnamed = parse_latency_table(
        R"({"layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": 10, "latency_ms": 0.5}, {"bits": "w8a8", "cycles": 20}]}]})",
        "t.json");
    CHECK(unnamed.latency_field == "cycles");  // latency_ms is not in every candidate
    CHECK_THROWS_WITH(
        parse_latency_table(R"({"unit": "ms", "layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": 1}]}]})",
                            "t.json"),
        Catch::Contains("not every candidate gives \"latency_ms\""));
    CHECK_THROWS_WITH(parse_latency_table("[", "t.json"), Catch::Contains("t.json: not valid JSON"));
    CHECK_THROWS_WITH(parse_latency_table(R"({"layers": [{"name": "a", "candidates": [{"bits": "w4a4"}]}]})", "t.json"),
                      Catch::Contains("neither"));
    CHECK_THROWS_WITH(
        parse_latency_table(R"({"layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": -1}]}]})", "t.json"),
        Catch::Contains("non-negative"));
    CHECK_THROWS_WITH(parse_latency_table(
                          R"({"layers": [{"name": "a", "candidates": [{"bits": "w4a4", "cycles": 1}, {"bits": "w4a4", "cycles": 2}]}]})",
                          "t.json"),
                      Catch::Contains("twice"));
}

TEST_CASE("problem file with per-operand candidates: Omega_w(w) + Omega_a(a), size n*w, BOPS MACs*w*a, latency by label",
          "[sensitivity][ilp][candidates]") {
    const ir::Graph graph = testing::small_residual_cnn();
    SensitivityReport report = report_for(graph);
    ProblemOptions options;
    options.candidates = quant::parse_bit_candidates("w8a8,w4a8,w8a4,w4a4,w2a8");
    // Without activation sensitivities a w != a candidate is refused, naming it.
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options),
                      Catch::Contains("candidate w4a8") && Catch::Contains("no activation sensitivities"));
    add_activation_sensitivities(report, 5);
    const LatencyTable latency = parse_latency_table(per_operand_latency_text(graph, options.candidates), "t.json");
    options.latency = &latency;
    const ilp::Problem problem = ilp::parse_problem(ilp_problem_json(graph, report, options), "problem.json");

    REQUIRE(problem.metrics == std::vector<std::string>{"size_bits", "bops", "latency"});
    const std::vector<WeightLayer> layers = weight_layers(graph);
    REQUIRE(problem.layers.size() == layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const ilp::Layer& layer = problem.layers[l];
        INFO("layer " << layer.name);
        REQUIRE(layer.choices.size() == 5);
        // Hand-computed per candidate: (label, w, a).
        const std::vector<std::tuple<std::string, int, int>> expected = {
            {"w8a8", 8, 8}, {"w4a8", 4, 8}, {"w8a4", 8, 4}, {"w4a4", 4, 4}, {"w2a8", 2, 8}};
        for (std::size_t c = 0; c < 5; ++c) {
            const auto& [label, w, a] = expected[c];
            const ilp::Choice& choice = layer.choices[c];
            CHECK(choice.label == label);
            CHECK_FALSE(choice.numeric_bits.has_value());
            const LayerSensitivity& s = report.layers[l];
            double omega_w = 0.0, omega_a = 0.0;
            for (const auto& b : s.per_bits)
                if (b.bits == w) omega_w = b.omega;
            for (const auto& b : s.activation->per_bits)
                if (b.bits == a) omega_a = b.omega;
            CHECK(choice.sensitivity == omega_w + omega_a);
            CHECK(choice.metric_values[0] == static_cast<double>(layers[l].n_params * w));
            CHECK(choice.metric_values[1] == static_cast<double>(layers[l].macs * w * a));
            CHECK(choice.metric_values[2] == static_cast<double>(layers[l].macs * w * a / 64 + 100));
        }
    }
    REQUIRE(problem.ties.size() == 1);  // the residual unit's shared input stays tied

    options.candidates = quant::parse_bit_candidates("w4a8,w3a8");
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("no value for 3 bits"));
    options.candidates = {{"w4a4", 4, 8}};
    CHECK_THROWS_WITH(ilp_problem_json(graph, report, options), Catch::Contains("distinct w<2..8>a<2..8>"));
}

TEST_CASE("ILP over per-operand candidates equals brute force, with the residual unit's tie",
          "[sensitivity][ilp][candidates][brute]") {
    const ir::Graph graph = testing::small_residual_cnn();
    ProblemOptions options;
    options.candidates = quant::parse_bit_candidates("w8a8,w4a8,w8a4,w4a4,w2a8");
    int feasible = 0, infeasible = 0;
    for (uint64_t seed = 1; seed <= 12; ++seed) {
        SensitivityReport report = report_for(graph);
        add_activation_sensitivities(report, seed);
        const LatencyTable latency = parse_latency_table(per_operand_latency_text(graph, options.candidates), "t.json");
        options.latency = seed % 2 ? &latency : nullptr;
        ilp::Problem problem = ilp::parse_problem(ilp_problem_json(graph, report, options), "problem.json");
        REQUIRE(ilp::testing::assignment_count(problem) == 5.0 * 5 * 5 * 5 * 5);  // 6 layers, one tie
        const ilp::testing::BruteForceResult all = ilp::testing::brute_force(problem);
        // Budgets at a seed-dependent fraction between the cheapest and the dearest total.
        const double t = 0.05 + 0.08 * static_cast<double>(seed);
        for (std::size_t m = 0; m < problem.metrics.size(); ++m)
            if ((seed + m) % 2 == 0 || m == 1)
                ilp::set_budget(problem, m, all.min_total[m] + t * (all.max_total[m] - all.min_total[m]));
        const ilp::testing::BruteForceResult expected = ilp::testing::brute_force(problem);
        INFO("seed " << seed);
        if (!expected.best_objective) {
            CHECK_THROWS_AS(ilp::solve(problem), ilp::InfeasibleBudgetError);
            ++infeasible;
            continue;
        }
        const ilp::Solution solution = ilp::solve(problem);
        CHECK(std::fabs(solution.objective - *expected.best_objective) <= 1e-9 * std::max(1.0, *expected.best_objective));
        ++feasible;
    }
    CHECK(feasible + infeasible == 12);
    CHECK(feasible >= 8);
}

namespace {

// A table with energy as a sim table gives it: MACs x bricks x 75 fJ plus 20 pJ per weight byte
// (a made-up price, not proportional to BOPS or latency).
std::string energy_table_text(const ir::Graph& graph, const std::vector<quant::BitCandidate>& candidates) {
    const auto slices = [](int bits) { return bits <= 4 ? 1 : 2; };
    nlohmann::json layers = nlohmann::json::array();
    for (const WeightLayer& layer : weight_layers(graph)) {
        nlohmann::json choices = nlohmann::json::array();
        for (const quant::BitCandidate& c : candidates) {
            const double energy = 0.075 * static_cast<double>(layer.macs * slices(c.weight_bits) * slices(c.activation_bits)) +
                                  20.0 * static_cast<double>(layer.n_params * c.weight_bits) / 8.0;
            choices.push_back({{"bits", c.label},
                               {"cycles", layer.macs * c.weight_bits * c.activation_bits / 64 + 100},
                               {"energy_pj", energy}});
        }
        layers.push_back({{"name", layer.name}, {"candidates", choices}});
    }
    return nlohmann::json{{"backend", "sim"}, {"unit", "cycles"}, {"layers", layers}}.dump();
}

}  // namespace

TEST_CASE("energy from the latency table is an ILP metric: budgets on it equal brute force",
          "[sensitivity][ilp][energy][brute]") {
    const ir::Graph graph = testing::small_residual_cnn();
    ProblemOptions options;
    options.candidates = quant::parse_bit_candidates("w8a8,w4a8,w8a4,w4a4,w2a8");
    const std::string text = energy_table_text(graph, options.candidates);
    const LatencyTable latency = parse_latency_table(text, "t.json");
    REQUIRE(latency.has_energy());
    options.latency = &latency;
    int feasible = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        SensitivityReport report = report_for(graph);
        add_activation_sensitivities(report, seed);
        ilp::Problem problem = ilp::parse_problem(ilp_problem_json(graph, report, options), "problem.json");
        REQUIRE(problem.metrics == std::vector<std::string>{"size_bits", "bops", "latency", "energy"});
        const nlohmann::json table = nlohmann::json::parse(text);
        for (std::size_t l = 0; l < problem.layers.size(); ++l)
            for (std::size_t c = 0; c < problem.layers[l].choices.size(); ++c)
                CHECK(problem.layers[l].choices[c].metric_values[3] ==
                      table["layers"][l]["candidates"][c]["energy_pj"].get<double>());
        const ilp::testing::BruteForceResult all = ilp::testing::brute_force(problem);
        // An energy budget alone (seed 1: the least energy, i.e. minimising it), or with latency.
        const double t = seed == 1 ? 0.0 : 0.1 * static_cast<double>(seed);
        ilp::set_budget(problem, 3, all.min_total[3] + t * (all.max_total[3] - all.min_total[3]));
        if (seed % 3 == 0) ilp::set_budget(problem, 2, all.min_total[2] + 0.4 * (all.max_total[2] - all.min_total[2]));
        const ilp::testing::BruteForceResult expected = ilp::testing::brute_force(problem);
        INFO("seed " << seed);
        if (!expected.best_objective) {
            CHECK_THROWS_AS(ilp::solve(problem), ilp::InfeasibleBudgetError);
            continue;
        }
        const ilp::Solution solution = ilp::solve(problem);
        CHECK(std::fabs(solution.objective - *expected.best_objective) <= 1e-9 * std::max(1.0, *expected.best_objective));
        ++feasible;
    }
    CHECK(feasible >= 6);

    // Energy in some candidates only is refused; a table without energy gives no energy metric.
    nlohmann::json partial = nlohmann::json::parse(text);
    partial["layers"][0]["candidates"][1].erase("energy_pj");
    CHECK_THROWS_WITH(parse_latency_table(partial.dump(), "t.json"),
                      Catch::Contains("t.json: \"energy_pj\" is given for") && Catch::Contains("or for none"));
    const LatencyTable without = parse_latency_table(per_operand_latency_text(graph, options.candidates), "t.json");
    CHECK_FALSE(without.has_energy());
    CHECK_THROWS_WITH(energy_of(without, "fc", "w8a8"), Catch::Contains("no energy"));
}
