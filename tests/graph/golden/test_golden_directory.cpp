// Golden directories: what the writer puts in them reads back as the same layers, inputs and
// reference outputs; every .hex image equals its .npy; the directory appears whole or not at all.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "graph/golden/golden_reader.h"
#include "graph/golden/golden_writer.h"
#include "graph/golden/npy.h"
#include "graph/golden/readmemh.h"
#include "graph/golden/tensor_files.h"
#include "graph/quant/integer_executor.h"
#include "graph/verify/random_case.h"
#include "tests/graph/quant/sample_model.h"
#include "util/error.h"

namespace {

namespace fs = std::filesystem;
using namespace dyadic;
using namespace dyadic::golden;
using Catch::Matchers::Contains;

// A fresh directory under the system temporary directory, removed with everything in it.
class ScratchDirectory {
public:
    ScratchDirectory() {
        std::random_device seed;
        path_ = fs::temp_directory_path() / ("dyadic-golden-test-" + std::to_string(seed()));
        fs::create_directories(path_);
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

nlohmann::json manifest_of(const fs::path& directory) { return nlohmann::json::parse(slurp(directory / "manifest.json")); }

Tensor sample_input(const quant::QuantizedModel& model, int64_t batch, unsigned seed) {
    std::mt19937 rng(seed);
    Shape shape = model.tensors[static_cast<size_t>(model.input)].shape;
    shape[0] = batch;
    return quant::testing::random_tensor(rng, shape, model.tensors[static_cast<size_t>(model.input)].type);
}

// Every tensor entry of the manifest: its .hex (and .packed.hex) image read back equals its .npy.
void check_hex_images(const fs::path& directory, const nlohmann::json& entry) {
    const IntType type = parse_int_type(entry.at("type").get<std::string>());
    const std::vector<int64_t> npy = npy_integers(read_npy((directory / entry.at("file").get<std::string>()).string()), "npy");
    const std::vector<int32_t> expected(npy.begin(), npy.end());
    CHECK(parse_readmemh(slurp(directory / entry.at("hex").get<std::string>()), type, "hex") == expected);
    CHECK(entry.contains("packed_hex") == (type.bits <= 4));
    if (entry.contains("packed_hex")) {
        CHECK(parse_readmemh_packed(slurp(directory / entry.at("packed_hex").get<std::string>()), expected.size(), type,
                                    "packed") == expected);
    }
}

size_t index_of(const quant::QuantizedModel& model, const std::string& name) {
    for (size_t i = 0; i < model.layers.size(); ++i) {
        if (model.layers[i].name == name) return i;
    }
    throw Error("no layer " + name);
}

std::vector<fs::path> entries_of(const fs::path& parent) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(parent)) out.push_back(e.path().filename());
    return out;
}

}  // namespace

TEST_CASE("golden: a model's directory reads back layer by layer as the reference computed it", "[golden]") {
    const quant::QuantizedModel model = quant::testing::sample_model();
    const Tensor input = sample_input(model, 2, 21);
    // The independent record of what the reference computes: run_model's own callback.
    std::vector<std::vector<Tensor>> inputs_seen;
    std::vector<Tensor> outputs_seen;
    quant::run_model(model, input, [&](size_t, const quant::QuantizedLayer&, const std::vector<const Tensor*>& in,
                                       const Tensor& out) {
        inputs_seen.emplace_back();
        for (const Tensor* t : in) inputs_seen.back().push_back(*t);
        outputs_seen.push_back(out);
    });

    ScratchDirectory scratch;
    const fs::path out = scratch.path() / "golden";
    write_model_golden(out.string(), model, input, nullptr, GoldenOptions{false, {{"kind", "test"}}});
    REQUIRE(golden_layer_count(out.string()) == model.layers.size());
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const quant::QuantizedLayer& original = model.layers[i];
        INFO("layer " << original.name);
        const GoldenLayer golden = read_golden_layer(out.string(), i);
        CHECK(golden.layer.name == original.name);
        CHECK(golden.layer.op == original.op);  // weights, biases, (b, c), geometry, types, scales
        REQUIRE(golden.inputs.size() == inputs_seen[i].size());
        for (size_t k = 0; k < golden.inputs.size(); ++k) {
            CHECK(golden.inputs[k].shape == inputs_seen[i][k].shape);
            CHECK(golden.inputs[k].type == inputs_seen[i][k].type);
            CHECK(golden.inputs[k].data == inputs_seen[i][k].data);
            CHECK(golden.inputs[k].scales == std::vector<double>{
                                                 model.tensors[static_cast<size_t>(original.inputs[k])].scale});
        }
        CHECK(golden.output.shape == outputs_seen[i].shape);
        CHECK(golden.output.type == outputs_seen[i].type);
        CHECK(golden.output.data == outputs_seen[i].data);
        // Replaying the case alone gives the same output.
        std::vector<const Tensor*> pointers;
        for (const Tensor& t : golden.inputs) pointers.push_back(&t);
        CHECK(quant::run_layer(golden.layer, pointers).data == golden.output.data);
    }

    const nlohmann::json manifest = manifest_of(out);
    CHECK(manifest["format"] == "dyadic-golden");
    CHECK(manifest["model"] == "sample");
    CHECK(manifest["batch"] == 2);
    CHECK(manifest["source"]["kind"] == "test");
    REQUIRE(manifest["outputs"].size() == 2);
    CHECK(manifest["outputs"][0]["tensor"] == "logits");
    CHECK(manifest["outputs"][0]["file"] == manifest["layers"][index_of(model, "fc")]["output"]["file"]);
    check_hex_images(out, manifest["input"]);
    for (const auto& layer : manifest["layers"]) {
        for (const auto& in : layer["inputs"]) check_hex_images(out, in);
        check_hex_images(out, layer["output"]);
        for (const auto& [role, entry] : layer["parameters"].items()) check_hex_images(out, entry);
    }
    // The first conv's attributes as docs/golden.md lists them.
    const auto& conv1 = manifest["layers"][0];
    CHECK(conv1["op"] == "conv2d");
    CHECK(conv1["attributes"]["padding"] == nlohmann::json({1, 1, 1, 1}));
    CHECK(conv1["attributes"]["clamp"] == nlohmann::json({0, 255}));
    CHECK(conv1["parameters"]["weight"]["dtype"] == "int8");
    CHECK(conv1["parameters"]["weight"]["type"] == "int4");
    CHECK(conv1["parameters"]["shifts"]["dtype"] == "uint8");
    // Nothing but the directory itself is left beside it.
    CHECK(entries_of(scratch.path()) == std::vector<fs::path>{"golden"});
}

TEST_CASE("golden: one layer on given inputs is a directory of its own", "[golden]") {
    const quant::QuantizedModel model = quant::testing::sample_model(9);
    const quant::QuantizedLayer& conv2 = model.layers[2];  // conv with a fused residual, 2-bit weights
    REQUIRE(conv2.name == "conv2");
    std::mt19937 rng(4);
    const IntType u8 = IntType::unsigned_bits(8);
    std::vector<Tensor> inputs = {quant::testing::random_tensor(rng, {3, 5, 4, 4}, u8),
                                  quant::testing::random_tensor(rng, {3, 5, 4, 4}, u8)};
    ScratchDirectory scratch;
    const fs::path out = scratch.path() / "case";
    write_layer_golden(out.string(), conv2, inputs, GoldenOptions{false, {{"seed", "4"}}});
    const GoldenLayer golden = read_golden_layer(out.string(), 0);
    CHECK(golden.layer.op == conv2.op);
    CHECK(golden.layer.inputs == std::vector<quant::TensorId>{0, 1});
    CHECK(golden.layer.output == 2);
    CHECK(golden.inputs[1].data == inputs[1].data);
    const Tensor expected = quant::run_layer(conv2, {&inputs[0], &inputs[1]});
    CHECK(golden.output.data == expected.data);
    const nlohmann::json manifest = manifest_of(out);
    CHECK(manifest["layers"][0]["attributes"]["fused_residual"] == true);
    CHECK(manifest["layers"][0]["parameters"].contains("identity_multipliers"));
    CHECK(manifest["layers"][0]["parameters"]["weight"].contains("packed_hex"));
}

TEST_CASE("golden: the directory appears complete or not at all", "[golden]") {
    const quant::QuantizedModel model = quant::testing::sample_model();
    const Tensor input = sample_input(model, 1, 2);
    ScratchDirectory scratch;
    const fs::path out = scratch.path() / "golden";

    SECTION("a failure half way leaves nothing behind") {
        quant::QuantizedModel broken = model;
        // A shift outside [0, 62] in the fully connected layer: the reference throws there, after
        // ten layers' files are written.
        std::get<quant::FullyConnectedLayer>(broken.layers[index_of(model, "fc")].op).output_stage.multipliers[0].shift = 63;
        CHECK_THROWS_AS(write_model_golden(out.string(), broken, input, nullptr, {}), Error);
        CHECK(entries_of(scratch.path()).empty());
    }
    SECTION("an existing non-empty directory is refused unless replacing is asked for") {
        fs::create_directories(out);
        std::ofstream(out / "keep.txt") << "mine";
        CHECK_THROWS_WITH(write_model_golden(out.string(), model, input, nullptr, {}),
                          Contains("exists and is not empty"));
        CHECK(slurp(out / "keep.txt") == "mine");
        write_model_golden(out.string(), model, input, nullptr, GoldenOptions{true, {}});
        CHECK(!fs::exists(out / "keep.txt"));
        CHECK(golden_layer_count(out.string()) == model.layers.size());
        CHECK(entries_of(scratch.path()) == std::vector<fs::path>{"golden"});
    }
    SECTION("an existing empty directory is filled") {
        fs::create_directories(out);
        write_model_golden(out.string() + "/", model, input, nullptr, {});
        CHECK(golden_layer_count(out.string()) == model.layers.size());
    }
    SECTION("missing parent directories are created") {
        const fs::path nested = scratch.path() / "a" / "b" / "golden";
        write_model_golden(nested.string(), model, input, nullptr, {});
        CHECK(golden_layer_count(nested.string()) == model.layers.size());
        CHECK(entries_of(scratch.path() / "a" / "b") == std::vector<fs::path>{"golden"});
    }
    SECTION("a file in the way is refused") {
        std::ofstream(out) << "file";
        CHECK_THROWS_WITH(write_model_golden(out.string(), model, input, nullptr, {}), Contains("is not a directory"));
    }
}

TEST_CASE("golden: the reader refuses files that disagree with the manifest", "[golden]") {
    const quant::QuantizedModel model = quant::testing::sample_model();
    ScratchDirectory scratch;
    const fs::path out = scratch.path() / "golden";
    write_model_golden(out.string(), model, sample_input(model, 1, 3), nullptr, {});
    nlohmann::json manifest = manifest_of(out);
    const auto rewrite = [&](const nlohmann::json& m) { std::ofstream(out / "manifest.json") << m.dump(); };

    CHECK_THROWS_WITH(read_golden_layer(out.string(), 99), Contains("layer 99 does not exist"));
    {
        nlohmann::json m = manifest;
        m["layers"][0]["inputs"][0]["file"] = "../escape.npy";
        rewrite(m);
        CHECK_THROWS_WITH(read_golden_layer(out.string(), 0), Contains("leaves the golden directory"));
    }
    {
        nlohmann::json m = manifest;
        m["layers"][0]["inputs"][0]["type"] = "int16";  // the file holds uint8
        rewrite(m);
        CHECK_THROWS_WITH(read_golden_layer(out.string(), 0), Contains("does not match the manifest's int16"));
    }
    {
        nlohmann::json m = manifest;
        m["layers"][0]["parameters"]["shifts"]["file"] = m["layers"][0]["parameters"]["weight"]["file"];
        m["layers"][0]["parameters"]["shifts"]["type"] = "int4";
        m["layers"][0]["parameters"]["shifts"]["shape"] = m["layers"][0]["parameters"]["weight"]["shape"];
        rewrite(m);
        CHECK_THROWS_WITH(read_golden_layer(out.string(), 0), Contains("must be vectors of one length"));
    }
    {
        nlohmann::json m = manifest;
        m["layers"][0]["attributes"].erase("groups");
        rewrite(m);
        CHECK_THROWS_WITH(read_golden_layer(out.string(), 0), Contains("attribute 'groups' is missing"));
    }
    {
        nlohmann::json m = manifest;
        m["version"] = 2;
        rewrite(m);
        CHECK_THROWS_WITH(golden_layer_count(out.string()), Contains("unsupported golden format version"));
    }
    std::ofstream(out / "manifest.json") << "{";
    CHECK_THROWS_WITH(golden_layer_count(out.string()), Contains("not valid JSON"));
    CHECK_THROWS_WITH(parse_int_type("uint32"), Contains("allowed"));
    CHECK_THROWS_WITH(parse_int_type("int08"), Contains("unknown integer type"));
    CHECK(parse_int_type("uint16") == IntType::unsigned_bits(16));
}

TEST_CASE("golden: differential test cases round-trip as single-layer directories", "[golden]") {
    // The seeded generator of `dyadic fuzz-diff` covers every op kind, 2..8-bit operands, extreme
    // multipliers and shifts: each case written and read back is the same layer, and replaying it
    // gives what the reference computes.
    ScratchDirectory scratch;
    std::map<std::string, int> kinds;
    for (uint64_t seed = 1; seed <= 60; ++seed) {
        const verify::LayerCase c = verify::random_layer_case(seed);
        INFO("seed " << seed << ": " << c.description);
        const fs::path out = scratch.path() / ("seed-" + std::to_string(seed));
        write_layer_golden(out.string(), c.layer, c.inputs, GoldenOptions{false, {{"seed", std::to_string(seed)}}});
        const GoldenLayer golden = read_golden_layer(out.string(), 0);
        CHECK(golden.layer.op == c.layer.op);
        REQUIRE(golden.inputs.size() == c.inputs.size());
        for (size_t k = 0; k < c.inputs.size(); ++k) {
            CHECK(golden.inputs[k].type == c.inputs[k].type);
            CHECK(golden.inputs[k].shape == c.inputs[k].shape);
            CHECK(golden.inputs[k].data == c.inputs[k].data);
        }
        CHECK(golden.output.data == quant::run_layer(c.layer, c.input_pointers()).data);
        ++kinds[quant::op_name(c.layer.op)];
        fs::remove_all(out);
    }
    CHECK(kinds.size() >= 6);  // the generator's mix reaches most op kinds within 60 seeds
}
