// Per-layer MACs, weight sizes and BOPS, checked against hand-derived counts for the sample model.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "graph/quant/model_metadata.h"
#include "graph/quant/model_stats.h"
#include "util/error.h"
#include "tests/graph/quant/sample_model.h"

using namespace dyadic::quant;

TEST_CASE("model stats: MACs, weight bits and BOPS per layer", "[quant][stats]") {
    const ModelStats stats = model_stats(testing::sample_model());
    REQUIRE(stats.layers.size() == 13);
    const LayerStats& conv1 = stats.layers[0];  // 5x3x3x3 kernel over a 7x7 output, w4 a8
    CHECK(conv1.op == "conv2d");
    CHECK(conv1.macs == 5 * 3 * 3 * 3 * 7 * 7);
    CHECK(conv1.weight_bits == 4);
    CHECK(conv1.activation_bits == 8);
    CHECK(conv1.weight_size_bits == 135 * 4);
    CHECK(conv1.bias_size_bits == 5 * 32);
    CHECK(conv1.bops == conv1.macs * 4 * 8);
    const LayerStats& conv2 = stats.layers[2];  // w2 on a uint8 input, int16 output
    CHECK(conv2.macs == 5 * 5 * 3 * 3 * 4 * 4);
    CHECK(conv2.bops == conv2.macs * 2 * 8);
    CHECK(conv2.output_bits == 16);
    const LayerStats& conv3 = stats.layers[7];  // grouped: 6 outputs x 5 inputs per group, 4x4
    CHECK(conv3.macs == 6 * 5 * 4 * 4);
    CHECK(conv3.activation_bits == 4);  // reads the uint4 requantized tensor
    CHECK(conv3.bops == conv3.macs * 3 * 4);
    CHECK(conv3.bias_size_bits == 0);
    const LayerStats& fc = stats.layers[10];
    CHECK(fc.macs == 5 * 6);
    CHECK(fc.bops == 30 * 5 * 8);
    CHECK(stats.layers[1].macs == 0);  // max pool
    CHECK(stats.layers[1].weight_bits == 0);
    CHECK(stats.layers[3].activation_bits == 16);  // the add reads the int16 stream

    int64_t macs = 0, bops = 0;
    for (const LayerStats& s : stats.layers) {
        macs += s.macs;
        bops += s.bops;
    }
    CHECK(stats.total_macs == macs);
    CHECK(stats.total_bops == bops);

    const auto json = nlohmann::json::parse(stats_json(stats));
    CHECK(json["layers"].size() == 13);
    CHECK(json["layers"][0]["name"] == "conv1");
    CHECK(json["layers"][0]["bops"] == conv1.bops);
    CHECK(json["total"]["macs"] == macs);
    const std::string table = stats_table(stats);
    CHECK(table.find("conv1") != std::string::npos);
    CHECK(table.find(std::to_string(conv1.bops)) != std::string::npos);
}

TEST_CASE("model metadata: numbers, classes and argmax", "[quant][metadata]") {
    QuantizedModel model = testing::sample_model();
    CHECK_FALSE(metadata_number(model, kMetadataInputMean).has_value());
    model.metadata[kMetadataInputMean] = number_text(0.286);
    CHECK(metadata_number(model, kMetadataInputMean) == 0.286);  // 17 digits read back exactly
    model.metadata[kMetadataInputStd] = "0.35x";
    CHECK_THROWS_WITH(metadata_number(model, kMetadataInputStd), Catch::Contains("input_std"));
    CHECK(metadata_classes(model).empty());
    model.metadata[kMetadataClasses] = R"(["a", "b"])";
    CHECK(metadata_classes(model) == std::vector<std::string>{"a", "b"});
    model.metadata[kMetadataClasses] = "[1]";
    CHECK_THROWS_AS(metadata_classes(model), dyadic::Error);

    const dyadic::Tensor logits({3, 4}, dyadic::IntType::signed_bits(8), {1, 5, 5, 0, -3, -2, -9, -2, 0, 0, 0, 7});
    CHECK(argmax_rows(logits) == std::vector<int>{1, 1, 3});  // ties go to the lowest index
}
