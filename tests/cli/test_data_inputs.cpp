// The data inputs end to end through the `dyadic` command line: a .npy batch in NCHW and in NHWC
// gives the same integer logits as the same data in the other layout and as the existing --input
// path (float32 quantized as the model says); Fashion-MNIST test images exported to .npy evaluate
// exactly as the IDX files do; preprocessing recorded in the model file is applied and announced.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "graph/dataset/fashion_mnist.h"
#include "graph/golden/npy.h"
#include "graph/quant/model_file.h"
#include "sample_model.h"

using namespace dyadic;
namespace fs = std::filesystem;

namespace {

struct Result {
    int status = -1;
    std::string out, err;
};

class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / ("dyadic-data-inputs-" + std::to_string(std::random_device{}()))) {
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

std::string slurp(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    std::string text;
    if (!f) return text;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
    return text;
}

Result dyadic_cli(const TempDir& dir, const std::string& arguments) {
    const std::string out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string line = std::string(DYADIC_CLI) + " " + arguments + " > " + out + " 2> " + err;
    const int raw = std::system(line.c_str());
    Result r{WIFEXITED(raw) ? WEXITSTATUS(raw) : 128, slurp(out), slurp(err)};
    INFO(line << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    return r;
}

// Every input's integer logits from `dyadic run ... --json`.
std::vector<std::vector<int64_t>> logits(const Result& r) {
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    std::vector<std::vector<int64_t>> rows;
    for (const auto& result : doc.at("results"))
        rows.push_back(result.at("logits").get<std::vector<int64_t>>());
    return rows;
}

bool dataset_installed() {
    return fs::exists(dataset::fashion_mnist_images_path(dataset::default_fashion_mnist_directory(), dataset::Split::test));
}

}  // namespace

TEST_CASE("data inputs: NCHW and NHWC .npy batches of the same data give identical integer logits", "[cli][data]") {
    TempDir dir;
    // The sample model takes [N, 3, 7, 7], so the two layouts differ byte for byte.
    const std::string model = dir / "m.dyqm";
    quant::save_model(quant::testing::sample_model(), model);
    constexpr int64_t n = 6, c = 3, h = 7, w = 7;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> real(-1.0f, 3.0f);
    std::uniform_int_distribution<int> level(0, 255);
    std::vector<float> floats_nchw(n * c * h * w), floats_nhwc(floats_nchw.size());
    std::vector<int64_t> pixels_nchw(floats_nchw.size()), pixels_nhwc(floats_nchw.size());
    for (auto& v : floats_nchw) v = real(rng);
    for (auto& v : pixels_nchw) v = level(rng);
    // The transposition, element by element.
    for (int64_t i = 0; i < n; ++i)
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t y = 0; y < h; ++y)
                for (int64_t x = 0; x < w; ++x) {
                    const int64_t from = ((i * c + ch) * h + y) * w + x, to = ((i * h + y) * w + x) * c + ch;
                    floats_nhwc[static_cast<size_t>(to)] = floats_nchw[static_cast<size_t>(from)];
                    pixels_nhwc[static_cast<size_t>(to)] = pixels_nchw[static_cast<size_t>(from)];
                }
    golden::write_npy(dir / "f_nchw.npy", golden::npy_from_floats({n, c, h, w}, floats_nchw));
    golden::write_npy(dir / "f_nhwc.npy", golden::npy_from_floats({n, h, w, c}, floats_nhwc));
    golden::write_npy(dir / "p_nchw.npy", golden::npy_from_integers(golden::NpyDtype::uint8, {n, c, h, w}, pixels_nchw));
    golden::write_npy(dir / "p_nhwc.npy", golden::npy_from_integers(golden::NpyDtype::uint8, {n, h, w, c}, pixels_nhwc));

    const std::string run = "run " + model + " --json --count " + std::to_string(n);
    const auto f_nchw = logits(dyadic_cli(dir, run + " --npy " + dir / "f_nchw.npy"));
    const auto f_nhwc = logits(dyadic_cli(dir, run + " --npy " + dir / "f_nhwc.npy --layout nhwc"));
    // The existing path: the float32 tensor quantized with the model's input scale.
    const auto f_input = logits(dyadic_cli(dir, "run " + model + " --json --input " + dir / "f_nchw.npy"));
    REQUIRE(f_nchw.size() == static_cast<size_t>(n));
    CHECK(f_nchw == f_nhwc);
    CHECK(f_nchw == f_input);

    // uint8 pixels through per-channel normalization: the same in both layouts, and equal to the
    // float32 batch normalized here, x = float32((p / 255 - mean[c]) / std[c]).
    const std::vector<double> mean{0.25, 0.5, 0.125}, std{0.5, 0.25, 2.0};
    const std::string norm = " --mean 0.25,0.5,0.125 --std 0.5,0.25,2";
    const auto p_nchw = logits(dyadic_cli(dir, run + " --npy " + dir / "p_nchw.npy" + norm));
    const auto p_nhwc = logits(dyadic_cli(dir, run + " --npy " + dir / "p_nhwc.npy --layout nhwc" + norm));
    std::vector<float> normalized(pixels_nchw.size());
    for (size_t i = 0; i < normalized.size(); ++i) {
        const size_t ch = (i / (h * w)) % c;
        normalized[i] = static_cast<float>((static_cast<double>(pixels_nchw[i]) / 255.0 - mean[ch]) / std[ch]);
    }
    golden::write_npy(dir / "normalized.npy", golden::npy_from_floats({n, c, h, w}, normalized));
    const auto by_hand = logits(dyadic_cli(dir, run + " --npy " + dir / "normalized.npy"));
    CHECK(p_nchw == p_nhwc);
    CHECK(p_nchw == by_hand);
    CHECK(p_nchw != f_nchw);  // the data differ, so must the logits
}

TEST_CASE("data inputs: Fashion-MNIST exported to .npy evaluates exactly as the IDX files", "[cli][data][fmnist]") {
    if (!dataset_installed()) {
        std::cout << "SKIPPED: Fashion-MNIST is not installed (scripts/install-deps.sh)" << std::endl;
        return;
    }
    TempDir dir;
    const std::string model = dir / "small.dyqm";
    dyadic_cli(dir, "quantize models/fmnist_resnet_small.onnx --bits w8a8 --calibration-images 32 --output " + model);
    const dataset::LabelledImages test = dataset::load_fashion_mnist(dataset::Split::test);
    constexpr int64_t n = 300;
    const std::vector<int64_t> pixels(test.pixels.begin(), test.pixels.begin() + n * 28 * 28);
    const std::vector<int64_t> labels(test.labels.begin(), test.labels.begin() + n);
    golden::write_npy(dir / "x.npy", golden::npy_from_integers(golden::NpyDtype::uint8, {n, 1, 28, 28}, pixels));
    golden::write_npy(dir / "x3.npy", golden::npy_from_integers(golden::NpyDtype::uint8, {n, 28, 28}, pixels));
    golden::write_npy(dir / "y.npy", golden::npy_from_integers(golden::NpyDtype::int64, {n}, labels));

    const Result idx = dyadic_cli(dir, "eval " + model + " --json --count " + std::to_string(n));
    const Result npy = dyadic_cli(dir, "eval " + model + " --json --npy " + dir / "x.npy" + " --labels " + dir / "y.npy");
    const Result rank3 = dyadic_cli(dir, "eval " + model + " --json --npy " + dir / "x3.npy" + " --labels " + dir / "y.npy");
    const auto top1 = [](const Result& r) { return nlohmann::json::parse(r.out).at("integer_top1").get<double>(); };
    CHECK(nlohmann::json::parse(npy.out).at("images") == n);
    CHECK(top1(npy) == top1(idx));
    CHECK(top1(rank3) == top1(idx));
    // The preprocessing came from the model file, and the command said so.
    CHECK(npy.err.find("preprocessing grayscale, mean [0.286], std [0.353] (the model file)") != std::string::npos);

    // Per image, the integer logits themselves.
    const auto run_idx = logits(dyadic_cli(dir, "run " + model + " --json --count 40 --image 100"));
    const auto run_npy =
        logits(dyadic_cli(dir, "run " + model + " --json --count 40 --image 100 --npy " + dir / "x.npy"));
    CHECK(run_idx == run_npy);
}
