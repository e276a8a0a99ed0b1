// `dyadic inspect --json` on a quantized bundled model, end to end through the command line:
// the JSON the command prints against the model file read back with quant::load_model, every
// layer. The model is fmnist_resnet quantized with the ILP-mixed bit configuration (4- and 8-bit
// layers, requantized residual streams), which also exercises `--bits` reading an ILP result.
// Reported to CTest as skipped when Fashion-MNIST (needed for calibration) is not installed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "graph/dataset/fashion_mnist.h"
#include "graph/quant/model_file.h"
#include "tests/graph/quant/inspect_json_check.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

bool dataset_installed() {
    const std::string dir = dataset::default_fashion_mnist_directory();
    return std::filesystem::exists(dataset::fashion_mnist_images_path(dir, dataset::Split::train));
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() / ("dyadic_inspect_test_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

int run(const std::string& command) {
    INFO(command);
    return std::system(command.c_str());
}

}  // namespace

TEST_CASE("inspect --json: every layer of a quantized bundled model equals the model file", "[quant][inspect][fmnist]") {
    if (!dataset_installed()) {
        // CTest reports this line as a skip (SKIP_REGULAR_EXPRESSION), never as a pass.
        std::cout << "SKIPPED: Fashion-MNIST is not installed (scripts/install-deps.sh)" << std::endl;
        return;
    }
    TempDir dir;
    const std::string model_path = (dir.path / "mixed.dyqm").string();
    const std::string json_path = (dir.path / "inspect.json").string();
    // Tests run from the repository root.
    REQUIRE(run(std::string(DYADIC_CLI) + " quantize models/fmnist_resnet.onnx --bits models/fmnist_resnet.mixed.json" +
                " --calibration-images 64 --output " + model_path + " > /dev/null") == 0);
    REQUIRE(run(std::string(DYADIC_CLI) + " inspect " + model_path + " --json > " + json_path) == 0);

    std::ifstream file(json_path);
    std::stringstream text;
    text << file.rdbuf();
    const nlohmann::json doc = nlohmann::json::parse(text.str());
    const QuantizedModel model = load_model(model_path);
    const std::map<std::string, int> ops = testing::check_inspect_json(doc, model);
    // The network: a stem conv, a max pool, three residual blocks of two convs (block 1 also has a
    // 1x1 shortcut conv), a global average pool, flatten and the classifier. The uint16 streams
    // that convs read (the max pool output and blocks 0 and 1's outputs) each get one 8-bit copy.
    CHECK(ops == std::map<std::string, int>{{"conv2d", 8}, {"max_pool2d", 1}, {"requantize", 3},
                                            {"global_average_pool", 1}, {"flatten", 1}, {"fully_connected", 1}});
    bool has_w4 = false, has_w8 = false;
    for (const nlohmann::json& layer : doc["layers"]) {
        has_w4 = has_w4 || layer["weight_bits"] == 4;
        has_w8 = has_w8 || layer["weight_bits"] == 8;
    }
    CHECK(has_w4);
    CHECK(has_w8);
}
