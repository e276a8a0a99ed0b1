// Model sidecar parsing: a valid document, every rejected malformation, and the bundled sidecars.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "graph/dataset/model_sidecar.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::dataset;
using Catch::Matchers::Contains;

TEST_CASE("Model sidecar reads normalization, classes and accuracy", "[dataset][sidecar]") {
    const ModelSidecar sidecar = parse_model_sidecar(
        R"({"input_mean": 0.286, "input_std": 0.353, "classes": ["a", "b"], "fp32_top1": 0.9312, "seed": 1})",
        "test");
    CHECK(sidecar.normalization.mean == 0.286);
    CHECK(sidecar.normalization.std == 0.353);
    CHECK(sidecar.classes == std::vector<std::string>{"a", "b"});
    CHECK(sidecar.fp32_top1 == 0.9312);
}

TEST_CASE("Model sidecar rejects malformed documents", "[dataset][sidecar]") {
    const std::string classes = R"("classes": ["a"])";
    CHECK_THROWS_WITH(parse_model_sidecar("{", "s.json"), Contains("s.json") && Contains("invalid JSON"));
    CHECK_THROWS_WITH(parse_model_sidecar("[1]", "s"), Contains("JSON object"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_std": 1, "fp32_top1": 0.5, )" + classes + "}", "s"),
                      Contains("missing field 'input_mean'"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": "0", "input_std": 1, "fp32_top1": 0.5, )" + classes + "}", "s"),
                      Contains("'input_mean' must be a number"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": 0, "input_std": 0, "fp32_top1": 0.5, )" + classes + "}", "s"),
                      Contains("'input_std' must be positive"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": 0, "input_std": 1, "fp32_top1": 93.1, )" + classes + "}", "s"),
                      Contains("fraction"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": 0, "input_std": 1, "fp32_top1": 0.5})", "s"),
                      Contains("missing field 'classes'"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": 0, "input_std": 1, "fp32_top1": 0.5, "classes": []})", "s"),
                      Contains("non-empty array"));
    CHECK_THROWS_WITH(parse_model_sidecar(R"({"input_mean": 0, "input_std": 1, "fp32_top1": 0.5, "classes": [1]})", "s"),
                      Contains("must be a string"));
}

TEST_CASE("Model sidecar file errors name the file", "[dataset][sidecar]") {
    CHECK_THROWS_WITH(read_model_sidecar("no/such/model.json"), Contains("no/such/model.json"));
    CHECK(sidecar_path_for_model("models/fmnist_resnet.onnx") == "models/fmnist_resnet.json");
    CHECK(sidecar_path_for_model("dir.v2/model") == "dir.v2/model.json");
}

// Tests run from the repository root (dyadic_add_test's WORKING_DIRECTORY).
TEST_CASE("Bundled model sidecars describe Fashion-MNIST inputs", "[dataset][sidecar]") {
    for (const char* name : {"models/fmnist_resnet_small.json", "models/fmnist_resnet.json"}) {
        INFO(name);
        REQUIRE(std::filesystem::exists(name));
        const ModelSidecar sidecar = read_model_sidecar(name);
        CHECK(sidecar.normalization.mean == 0.2860);
        CHECK(sidecar.normalization.std == 0.3530);
        REQUIRE(sidecar.classes.size() == 10);
        CHECK(sidecar.classes[9] == "Ankle boot");
        CHECK(sidecar.fp32_top1 > 0.85);
        CHECK(std::filesystem::exists(std::string(name).substr(0, std::string(name).size() - 5) + ".onnx"));
    }
}
