// `dyadic inspect --json` (quant::model_json) on the hand-built sample model, which has every
// layer kind: each layer's attributes, multipliers, scales, bias and weight statistics against
// the model's own fields, and weight statistics against hand-counted values.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "graph/quant/model_json.h"
#include "graph/quant/model_stats.h"
#include "tests/graph/quant/inspect_json_check.h"
#include "tests/graph/quant/sample_model.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::quant;

TEST_CASE("model json: every layer of the sample model against its fields", "[quant][inspect]") {
    const QuantizedModel model = testing::sample_model();
    const nlohmann::json doc = nlohmann::json::parse(model_json(model));
    const std::map<std::string, int> ops = testing::check_inspect_json(doc, model);
    // The sample model has every layer kind, so every branch of the document was checked.
    CHECK(ops == std::map<std::string, int>{{"average_pool2d", 1}, {"concat", 1}, {"conv2d", 4},
                                            {"flatten", 1}, {"fully_connected", 1}, {"global_average_pool", 1},
                                            {"max_pool2d", 1}, {"requantize", 1}, {"reshape", 1},
                                            {"residual_add", 1}});

    // Hand-known values: conv3 has no bias; conv2 has a fused residual with identity to_dyadic(0.7);
    // the pool is 3x3, stride 2, padding 1; the reshape target is [5, 1, 1].
    const nlohmann::json& layers = doc["layers"];
    CHECK(layers[7]["name"] == "conv3");
    CHECK(layers[7]["bias"].is_null());
    CHECK(layers[7]["attributes"]["groups"] == 2);
    const Dyadic seven_tenths = to_dyadic(0.7);
    CHECK(layers[2]["residual_stage"]["identity_multiplier"]["b"] == seven_tenths.mantissa);
    CHECK(layers[2]["residual_stage"]["identity_multiplier"]["c"] == seven_tenths.shift);
    CHECK(layers[2]["output_stage"].is_null());
    CHECK(layers[1]["attributes"]["kernel"] == nlohmann::json{3, 3});
    CHECK(layers[1]["attributes"]["stride"] == nlohmann::json{2, 2});
    CHECK(layers[1]["attributes"]["padding"]["bottom"] == 1);
    CHECK(layers[11]["attributes"]["shape"] == nlohmann::json{5, 1, 1});
    CHECK(layers[0]["inputs"][0]["scale"] == 0.02);
    CHECK(layers[0]["output"]["type"] == "uint8");
    // The cost figures keep their names and values.
    CHECK(layers[0]["bops"] == model_stats(model).layers[0].bops);
    CHECK(doc["total"]["macs"] == model_stats(model).total_macs);
}

TEST_CASE("model json: a multiplier's value is b / 2^c", "[quant][inspect]") {
    QuantizedModel model = testing::sample_model();
    std::get<RequantizeLayer>(model.layers[6].op).multiplier = Dyadic{1610612736, 31};  // 0.75 exactly
    const nlohmann::json doc = nlohmann::json::parse(model_json(model));
    const nlohmann::json& m = doc["layers"][6]["multiplier"];
    CHECK(m["b"] == 1610612736);
    CHECK(m["c"] == 31);
    CHECK(m["value"].get<double>() == 0.75);
}

TEST_CASE("weight statistics: hand-counted", "[quant][inspect]") {
    const Tensor w({2, 2}, IntType::signed_bits(4), {-3, 0, 5, 5});
    const WeightStatistics s = weight_statistics(w);
    CHECK(s.count == 4);
    CHECK(s.min == -3);
    CHECK(s.max == 5);
    CHECK(s.mean_abs == 13.0 / 4.0);
    CHECK(s.histogram_first == -8);
    REQUIRE(s.histogram.size() == 16);
    std::vector<int64_t> expected(16, 0);
    expected[-3 + 8] = 1;
    expected[0 + 8] = 1;
    expected[5 + 8] = 2;
    CHECK(s.histogram == expected);

    const Tensor extremes({3}, IntType::signed_bits(2), {-2, 1, -2});
    const WeightStatistics e = weight_statistics(extremes);
    CHECK(e.histogram == std::vector<int64_t>{2, 0, 0, 1});  // bins -2, -1, 0, 1
    CHECK(e.mean_abs == 5.0 / 3.0);

    CHECK_THROWS_AS(weight_statistics(Tensor({1}, IntType::int32(), {0})), Error);
}
