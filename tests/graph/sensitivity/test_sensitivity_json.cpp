// The sensitivity file: round trip and clear errors for malformed files.
#include <catch2/catch.hpp>

#include <string>

#include "graph/sensitivity/sensitivity_json.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

SensitivityReport sample_report() {
    SensitivityReport report;
    report.model = "models/m.onnx";
    report.images = 256;
    report.samples = 3;
    report.seed = 12345678901234ULL;
    LayerSensitivity layer;
    layer.name = "layer1.0.conv1";
    layer.op = "Conv";
    layer.n_params = 36864;
    layer.trace = TraceEstimate{12.345678901234567, 0.25, 3};
    layer.quadratic_forms = {12.0, 12.5, 12.536};
    layer.per_bits = {{2, 0.5, 1.0 / 3.0}, {8, 1e-6, 3.3e-10}};
    layer.cpu_seconds = 0.125;
    report.layers.push_back(layer);
    return report;
}

}  // namespace

TEST_CASE("sensitivity file round trip keeps every number exactly", "[sensitivity][json]") {
    const SensitivityReport report = sample_report();
    const SensitivityReport back = parse_sensitivity_report(sensitivity_report_json(report), "test");
    CHECK(back.model == report.model);
    CHECK(back.images == 256);
    CHECK(back.samples == 3);
    CHECK(back.seed == report.seed);
    REQUIRE(back.layers.size() == 1);
    const LayerSensitivity& l = back.layers[0];
    CHECK(l.name == "layer1.0.conv1");
    CHECK(l.op == "Conv");
    CHECK(l.n_params == 36864);
    CHECK(l.trace.trace == report.layers[0].trace.trace);
    CHECK(l.trace.standard_error == 0.25);
    CHECK(l.trace.samples == 3);
    CHECK(l.quadratic_forms == report.layers[0].quadratic_forms);
    CHECK(omega_at(l, 2) == 1.0 / 3.0);
    CHECK(omega_at(l, 8) == 3.3e-10);
    CHECK_THROWS_WITH(omega_at(l, 4), Catch::Contains("layer1.0.conv1") && Catch::Contains("4 bits"));
}

TEST_CASE("malformed sensitivity files are rejected with the problem named", "[sensitivity][json]") {
    const std::string good = sensitivity_report_json(sample_report());
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    CHECK_THROWS_WITH(parse_sensitivity_report("{", "s.json"), Catch::Contains("s.json: not valid JSON"));
    CHECK_THROWS_WITH(parse_sensitivity_report(replaced("dyadic-sensitivity", "other"), "s.json"),
                      Catch::Contains("\"format\""));
    CHECK_THROWS_WITH(parse_sensitivity_report(replaced("\"trace\"", "\"trace_\""), "s.json"),
                      Catch::Contains("missing field \"trace\""));
    CHECK_THROWS_WITH(parse_sensitivity_report(replaced("\"n_params\": 36864", "\"n_params\": \"x\""), "s.json"),
                      Catch::Contains("\"n_params\" must be an integer"));
    CHECK_THROWS_WITH(parse_sensitivity_report(replaced("\"omega\": {\n        \"2\"", "\"omega\": {\n        \"two\""),
                                               "s.json"),
                      Catch::Contains("bit-width key \"two\""));
    std::string twice = good;
    const auto layers_at = twice.find("\"layers\": [") + 11;
    const auto end = twice.rfind(']');
    const std::string entry = twice.substr(layers_at, end - layers_at);
    twice.insert(end, "," + entry);
    CHECK_THROWS_WITH(parse_sensitivity_report(twice, "s.json"), Catch::Contains("duplicate layer \"layer1.0.conv1\""));
    CHECK_THROWS_WITH(read_sensitivity_report("/nonexistent/s.json"), Catch::Contains("cannot open"));
}

TEST_CASE("activation sensitivities round trip exactly and are optional", "[sensitivity][json]") {
    SensitivityReport report = sample_report();
    CHECK_THROWS_WITH(activation_omega_at(report.layers[0], 4), Catch::Contains("no activation sensitivities"));
    ActivationSensitivity input;
    input.n_elements = 1568;
    input.trace = TraceEstimate{0.123456789012345678, 0.01, 3};
    input.quadratic_forms = {0.1, 0.12, 0.15};
    input.per_bits = {{4, 2.5, 1.0 / 7.0}, {8, 0.01, 1e-9}};
    input.cpu_seconds = 0.5;
    report.layers[0].activation = input;
    const SensitivityReport back = parse_sensitivity_report(sensitivity_report_json(report), "test");
    REQUIRE(back.layers[0].activation.has_value());
    const ActivationSensitivity& a = *back.layers[0].activation;
    CHECK(a.n_elements == 1568);
    CHECK(a.trace.trace == input.trace.trace);
    CHECK(a.trace.standard_error == 0.01);
    CHECK(a.trace.samples == 3);
    CHECK(a.quadratic_forms == input.quadratic_forms);
    CHECK(a.per_bits[0].error == 2.5);
    CHECK(activation_omega_at(back.layers[0], 4) == 1.0 / 7.0);
    CHECK(activation_omega_at(back.layers[0], 8) == 1e-9);
    CHECK(omega_at(back.layers[0], 2) == 1.0 / 3.0);  // the weight side is untouched
    CHECK_THROWS_WITH(activation_omega_at(back.layers[0], 2), Catch::Contains("no value for 2 bits"));

    const std::string text = sensitivity_report_json(report);
    std::string broken = text;
    broken.replace(broken.find("\"n_elements\""), 12, "\"elements\"");
    CHECK_THROWS_WITH(parse_sensitivity_report(broken, "s.json"),
                      Catch::Contains("activation") && Catch::Contains("missing field \"n_elements\""));
}
