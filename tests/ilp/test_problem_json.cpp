// Reading problem files: the documented format, metrics found by field, every malformation named.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "ilp/problem_json.h"
#include "random_problem.h"
#include "util/error.h"

using namespace dyadic::ilp;

namespace {

const char* const kExample = R"({
  "layers": [
    { "name": "layer1.0.conv1", "choices": [
        {"bits": 4, "sensitivity": 0.46, "size_bits": 147456, "bops": 1.85e9, "latency": 0.21},
        {"bits": 8, "sensitivity": 0.0016, "size_bits": 294912, "bops": 7.4e9, "latency": 0.36} ] },
    { "name": "layer2.0.conv1", "choices": [
        {"bits": "w4a8", "sensitivity": 0.3, "size_bits": 1000, "bops": 2e9, "latency": 0.1},
        {"bits": "w8a8", "sensitivity": 0.01, "size_bits": 2000, "bops": 4e9, "latency": 0.2} ] },
    { "name": "layer2.0.downsample", "choices": [
        {"bits": "w8a8", "sensitivity": 0.02, "size_bits": 3000, "bops": 5e9, "latency": 0.3},
        {"bits": "w4a8", "sensitivity": 0.5, "size_bits": 1500, "bops": 2.5e9, "latency": 0.15} ] }
  ],
  "ties": [ ["layer2.0.conv1", "layer2.0.downsample"] ],
  "budgets": { "size_bits": 5.0e7, "bops": 8.0e10, "latency": 4.2 }
})";

// Replaces the first occurrence of `from` in the example.
std::string example_with(const std::string& from, const std::string& to) {
    std::string text = kExample;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

void require_error(const std::string& text, const std::string& expected) {
    INFO(text);
    REQUIRE_THROWS_AS(parse_problem(text), dyadic::Error);
    REQUIRE_THROWS_WITH(parse_problem(text), Catch::Contains(expected));
}

}  // namespace

TEST_CASE("ilp: the documented example parses", "[ilp][parse]") {
    const Problem problem = parse_problem(kExample);
    REQUIRE(problem.layers.size() == 3);
    REQUIRE(problem.layers[0].name == "layer1.0.conv1");
    REQUIRE(problem.layers[0].choices[0].label == "4");
    REQUIRE(problem.layers[0].choices[0].numeric_bits == 4);
    REQUIRE(problem.layers[0].choices[1].sensitivity == 0.0016);
    REQUIRE(problem.layers[1].choices[0].label == "w4a8");
    REQUIRE_FALSE(problem.layers[1].choices[0].numeric_bits.has_value());
    REQUIRE(problem.metrics == std::vector<std::string>{"size_bits", "bops", "latency"});
    REQUIRE(problem.layers[0].choices[0].metric_values == std::vector<double>{147456, 1.85e9, 0.21});
    REQUIRE(problem.ties == std::vector<std::vector<std::size_t>>{{1, 2}});
    REQUIRE(problem.budgets.size() == 3);
    REQUIRE(problem.budgets[1].metric == 1);
    REQUIRE(problem.budgets[1].limit == 8.0e10);
}

TEST_CASE("ilp: ties and budgets are optional", "[ilp][parse]") {
    const Problem problem = parse_problem(R"({"layers": [{"name": "a", "choices": [{"bits": 8, "sensitivity": 0}]}]})");
    REQUIRE(problem.metrics.empty());
    REQUIRE(problem.ties.empty());
    REQUIRE(problem.budgets.empty());
}

TEST_CASE("ilp: a metric is a numeric field every choice carries", "[ilp][parse]") {
    const Problem problem = parse_problem(R"({"layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 1, "energy": 2, "area": 5, "note": "x"},
                                  {"bits": 8, "sensitivity": 0, "energy": 3, "area": 6}]},
        {"name": "b", "choices": [{"bits": 4, "sensitivity": 1, "energy": 1},
                                  {"bits": 8, "sensitivity": 0, "energy": 4, "area": 9}]}],
        "budgets": {"energy": 5}})");
    REQUIRE(problem.metrics == std::vector<std::string>{"energy"});  // area is missing in b's 4-bit choice
    REQUIRE(problem.layers[1].choices[1].metric_values == std::vector<double>{4});

    require_error(R"({"layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 1, "area": 5}, {"bits": 8, "sensitivity": 0, "area": 6}]},
        {"name": "b", "choices": [{"bits": 4, "sensitivity": 1}, {"bits": 8, "sensitivity": 0, "area": 9}]}],
        "budgets": {"area": 5}})",
                  "budget on 'area', but layer 'b' choice 0 (bits 4) has no numeric 'area'");
}

TEST_CASE("ilp: malformed problem files are named errors", "[ilp][parse]") {
    require_error("", "invalid JSON");
    require_error(std::string(kExample).substr(0, 200), "invalid JSON");  // truncated
    require_error("[1, 2]", "top level must be a JSON object");
    require_error(R"({"layers": []})", "'layers' is empty");
    require_error(R"({"ties": []})", "missing 'layers'");
    require_error(R"({"layers": {}})", "'layers' must be an array");
    require_error(example_with("\"budgets\"", "\"budget\""), "unknown top-level key 'budget'");
    require_error(example_with("\"name\": \"layer1.0.conv1\",", ""), "layers[0] needs a string 'name'");
    require_error(example_with("\"layer1.0.conv1\"", "\"\""), "layers[0] has an empty name");
    require_error(example_with("layer2.0.downsample\", \"choices\"", "layer2.0.conv1\", \"choices\""),
                  "duplicate layer name 'layer2.0.conv1'");
    require_error(R"({"layers": [{"name": "a", "choices": []}]})", "layer 'a' has no choices");
    require_error(R"({"layers": [{"name": "a"}]})", "layer 'a' needs a 'choices' array");
    require_error(R"({"layers": [{"name": "a", "choices": [{"sensitivity": 1}]}]})", "layer 'a' choice 0 has no 'bits'");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 4.5, "sensitivity": 1}]}]})",
                  "'bits' must be an integer or a non-empty string");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 0, "sensitivity": 1}]}]})", "'bits' must be positive");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": "", "sensitivity": 1}]}]})",
                  "'bits' must be an integer or a non-empty string");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 4}]}]})", "needs a numeric 'sensitivity'");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 4, "sensitivity": "low"}]}]})",
                  "needs a numeric 'sensitivity'");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 4, "sensitivity": 1}, {"bits": 4, "sensitivity": 0}]}]})",
                  "layer 'a' lists bits '4' twice");
    require_error(R"({"layers": [{"name": "a", "choices": [{"bits": 4, "sensitivity": 1, "bops": 1e999}]}]})",
                  "invalid JSON");  // the JSON reader refuses numbers beyond double
    require_error(example_with("\"layer2.0.downsample\"]", "\"layer9\"]"), "ties[0] names unknown layer 'layer9'");
    require_error(example_with("[\"layer2.0.conv1\", \"layer2.0.downsample\"]", "[]"), "ties[0] is empty");
    require_error(example_with("[ [\"layer2.0.conv1\", \"layer2.0.downsample\"] ]", "{}"), "'ties' must be an array");
    require_error(example_with("[\"layer2.0.conv1\", \"layer2.0.downsample\"]", "[\"layer2.0.conv1\", 3]"),
                  "ties[0] must contain layer names");
    require_error(example_with("\"bops\": 8.0e10", "\"bops\": \"lots\""), "budget 'bops' must be a number");
    require_error(example_with("\"bops\": 8.0e10", "\"sensitivity\": 1"), "'sensitivity' cannot be budgeted");
    require_error(example_with("\"bops\": 8.0e10", "\"energy\": 1"), "budget on 'energy', but layer 'layer1.0.conv1' choice 0");
    require_error(example_with("{ \"size_bits\"", "[ \"size_bits\""), "invalid JSON");
    require_error(example_with("\"budgets\": {", "\"budgets\": 3, \"x\": {"), "unknown top-level key 'x'");
}

TEST_CASE("ilp: tied layers must offer the same bits labels", "[ilp][parse][ties]") {
    require_error(example_with("{\"bits\": \"w8a8\", \"sensitivity\": 0.02", "{\"bits\": \"w8a4\", \"sensitivity\": 0.02"),
                  "tied layers 'layer2.0.conv1' {w4a8,w8a8} and 'layer2.0.downsample' {w4a8,w8a4} offer different bits");
    // A tie across layers with different numbers of choices.
    require_error(R"({"layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 1}, {"bits": 8, "sensitivity": 0}]},
        {"name": "b", "choices": [{"bits": 4, "sensitivity": 1}]}], "ties": [["a", "b"]]})",
                  "tied layers 'a' {4,8} and 'b' {4} offer different bits");
}

TEST_CASE("ilp: problem files are read from disk, with the path in errors", "[ilp][parse]") {
    const std::string path = "ilp_test_problem.json";
    std::ofstream(path) << kExample;
    REQUIRE(load_problem_file(path).layers.size() == 3);
    std::ofstream(path) << "{\"layers\": [";
    REQUIRE_THROWS_WITH(load_problem_file(path), Catch::StartsWith(path + ": invalid JSON"));
    std::remove(path.c_str());
    REQUIRE_THROWS_WITH(load_problem_file(path), Catch::Contains("cannot open problem file '" + path + "'"));
}

TEST_CASE("ilp: problem_to_json round-trips exactly", "[ilp][parse]") {
    for (int seed = 1; seed <= 50; ++seed) {
        const Problem original = testing::random_problem(static_cast<std::uint64_t>(seed));
        const Problem copy = parse_problem(problem_to_json(original));
        REQUIRE(copy.metrics == original.metrics);
        REQUIRE(copy.layers.size() == original.layers.size());
        for (std::size_t l = 0; l < original.layers.size(); ++l) {
            REQUIRE(copy.layers[l].name == original.layers[l].name);
            for (std::size_t c = 0; c < original.layers[l].choices.size(); ++c) {
                const Choice& a = original.layers[l].choices[c];
                const Choice& b = copy.layers[l].choices[c];
                REQUIRE(a.label == b.label);
                REQUIRE(a.numeric_bits == b.numeric_bits);
                REQUIRE(a.sensitivity == b.sensitivity);
                REQUIRE(a.metric_values == b.metric_values);
            }
        }
        REQUIRE(copy.ties == original.ties);
        REQUIRE(copy.budgets.size() == original.budgets.size());
        for (std::size_t b = 0; b < original.budgets.size(); ++b) {
            REQUIRE(copy.budgets[b].metric == original.budgets[b].metric);
            REQUIRE(copy.budgets[b].limit == original.budgets[b].limit);
        }
    }
}
