// The data inputs end to end through the `dyadic` command line: a .npy batch in NCHW and in NHWC
// gives the same integer logits as the same data in the other layout and as the existing --input
// path (float32 quantized as the model says); Fashion-MNIST test images exported to .npy evaluate
// exactly as the IDX files do; preprocessing recorded in the model file is applied and announced;
// compare calibrates on held-out data as quantize does, and says when it evaluates its calibration images.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "graph/dataset/fashion_mnist.h"
#include "graph/golden/npy.h"
#include "graph/dataset/data_source.h"
#include "graph/quant/model_file.h"
#include "image_test_files.h"
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

// `environment`: assignments put before the command, e.g. "DYADIC_PROGRESS=1".
Result dyadic_cli(const TempDir& dir, const std::string& arguments, const std::string& environment = "") {
    const std::string out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string line =
        environment + " " + std::string(DYADIC_CLI) + " " + arguments + " > " + out + " 2> " + err;
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

// True, after saying so in the form ctest reports as skipped, when Fashion-MNIST is not installed.
bool skip_without_fashion_mnist() {
    if (fs::exists(dataset::fashion_mnist_images_path(dataset::default_fashion_mnist_directory(), dataset::Split::test)))
        return false;
    std::cout << "SKIPPED: Fashion-MNIST is not installed (scripts/install-deps.sh)" << std::endl;
    return true;
}

// Images [first, first + n) of a Fashion-MNIST split as .npy files in `dir`: `<name>.npy` (uint8
// pixels [n, 1, 28, 28]), `<name>3.npy` (the same as [n, 28, 28]) and `<name>_labels.npy` (int64 [n]).
void export_fashion_mnist(const TempDir& dir, const dataset::LabelledImages& images, int64_t first, int64_t n,
                          const std::string& name) {
    const int64_t size = static_cast<int64_t>(images.image_size());
    const std::vector<int64_t> pixels(images.pixels.begin() + first * size, images.pixels.begin() + (first + n) * size);
    const std::vector<int64_t> labels(images.labels.begin() + first, images.labels.begin() + first + n);
    golden::write_npy(dir / (name + ".npy"), golden::npy_from_integers(golden::NpyDtype::uint8, {n, 1, 28, 28}, pixels));
    golden::write_npy(dir / (name + "3.npy"), golden::npy_from_integers(golden::NpyDtype::uint8, {n, 28, 28}, pixels));
    golden::write_npy(dir / (name + "_labels.npy"), golden::npy_from_integers(golden::NpyDtype::int64, {n}, labels));
}

// The calibration tests' data: test images [0, n) as x.npy (with x_labels.npy) to evaluate, and
// training images [1000, 1000 + calibration_images) as c.npy to calibrate on, held out from them.
// Returns the options that evaluate x.npy with its labels.
std::string export_evaluation_and_calibration(const TempDir& dir, int64_t n, int64_t calibration_images) {
    export_fashion_mnist(dir, dataset::load_fashion_mnist(dataset::Split::test), 0, n, "x");
    export_fashion_mnist(dir, dataset::load_fashion_mnist(dataset::Split::train), 1000, calibration_images, "c");
    return " --npy " + dir / "x.npy" + " --labels " + dir / "x_labels.npy";
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
    if (skip_without_fashion_mnist()) return;
    TempDir dir;
    const std::string model = dir / "small.dyqm";
    dyadic_cli(dir, "quantize models/fmnist_resnet_small.onnx --bits w8a8 --calibration-images 32 --output " + model);
    constexpr int64_t n = 300;
    export_fashion_mnist(dir, dataset::load_fashion_mnist(dataset::Split::test), 0, n, "x");

    const Result idx = dyadic_cli(dir, "eval " + model + " --json --count " + std::to_string(n));
    const Result npy = dyadic_cli(dir, "eval " + model + " --json --npy " + dir / "x.npy" + " --labels " + dir / "x_labels.npy");
    const Result rank3 = dyadic_cli(dir, "eval " + model + " --json --npy " + dir / "x3.npy" + " --labels " + dir / "x_labels.npy");
    const auto top1 = [](const Result& r) { return nlohmann::json::parse(r.out).at("integer_top1").get<double>(); };
    CHECK(nlohmann::json::parse(npy.out).at("images") == n);
    CHECK(top1(npy) == top1(idx));
    CHECK(top1(rank3) == top1(idx));
    // The preprocessing came from the model file, and the command said so.
    // (a .npy of pixels is center-cropped to the model's input: here the whole image).
    CHECK(npy.err.find("preprocessing grayscale, crop 28x28, mean [0.286], std [0.353] (the model file)") !=
          std::string::npos);

    // Per image, the integer logits themselves.
    const auto run_idx = logits(dyadic_cli(dir, "run " + model + " --json --count 40 --image 100"));
    const auto run_npy =
        logits(dyadic_cli(dir, "run " + model + " --json --count 40 --image 100 --npy " + dir / "x.npy"));
    CHECK(run_idx == run_npy);

    // A file written before input_preprocessing existed (only input_mean/input_std) runs the same.
    quant::QuantizedModel legacy = quant::load_model(model);
    REQUIRE(legacy.metadata.erase("input_preprocessing") == 1);
    quant::save_model(legacy, dir / "legacy.dyqm");
    const Result legacy_run = dyadic_cli(dir, "run " + dir / "legacy.dyqm" + " --json --count 40 --image 100");
    CHECK(logits(legacy_run) == run_idx);
    CHECK(legacy_run.err.find("preprocessing grayscale, mean [0.286], std [0.353] (the model file)") != std::string::npos);
}

TEST_CASE("data inputs: quantize records an image folder's preprocessing, eval and run apply it", "[cli][data][folder]") {
    TempDir dir;
    // Two classes of 40 x 34 images (a JPEG class and a PNG class) for a 1 x 28 x 28 model:
    // resize 30 -> 35 x 30, center crop 28 x 28.
    const std::string folder = dir / "images";
    for (int i = 0; i < 4; ++i) {
        std::vector<uint8_t> grey(40 * 34), rgb(40 * 34 * 3);
        for (size_t p = 0; p < grey.size(); ++p) grey[p] = static_cast<uint8_t>((p * (7 + i)) % 251);
        for (size_t p = 0; p < rgb.size(); ++p) rgb[p] = static_cast<uint8_t>((p / 3 + 40 * i) % 256);
        fs::create_directories(folder + "/boots");
        fs::create_directories(folder + "/coats");
        std::ofstream(folder + "/boots/" + std::to_string(i) + ".png", std::ios::binary)
            << testing::encode_png(40, 34, 1, 8, grey);
        std::ofstream(folder + "/coats/" + std::to_string(i) + ".jpg", std::ios::binary)
            << testing::encode_jpeg(40, 34, 3, rgb);
    }
    const std::string model = dir / "m.dyqm";
    dyadic_cli(dir, "quantize models/fmnist_resnet_small.onnx --folder " + folder +
                        " --resize 30 --mean 0.5 --std 0.25 --calibration-images 8 --output " + model);
    const nlohmann::json metadata = nlohmann::json::parse(dyadic_cli(dir, "inspect " + model + " --json").out).at("metadata");
    CHECK(nlohmann::json::parse(metadata.at("input_preprocessing").get<std::string>()) ==
          nlohmann::json::parse(R"({"version":1,"channels":1,"resize":30,"crop":[28,28],"mean":[0.5],"std":[0.25]})"));
    CHECK(metadata.at("input_mean") == "0.5");
    CHECK(metadata.at("calibration").get<std::string>().find("8 images of " + folder) != std::string::npos);

    const Result eval = dyadic_cli(dir, "eval " + model + " --json --folder " + folder);
    CHECK(nlohmann::json::parse(eval.out).at("images") == 8);
    CHECK(eval.err.find("preprocessing grayscale, resize 30, crop 28x28, mean [0.5], std [0.25] (the model file)") !=
          std::string::npos);
    // What run computes from the folder equals the same images preprocessed here and given as float32.
    dataset::Preprocessing p;
    p.resize = 30;
    p.crop_height = p.crop_width = 28;
    p.mean = {0.5};
    p.std = {0.25};
    const dataset::LabelledBatch batch = dataset::image_folder_source(folder, p)->batch(0, 8);
    golden::write_npy(dir / "pre.npy", golden::npy_from_floats({8, 1, 28, 28}, batch.inputs.values));
    const auto from_folder = logits(dyadic_cli(dir, "run " + model + " --json --count 8 --folder " + folder));
    CHECK(from_folder == logits(dyadic_cli(dir, "run " + model + " --json --count 8 --npy " + dir / "pre.npy")));
    // An override is announced as such, and changes the inputs.
    const Result other = dyadic_cli(dir, "run " + model + " --json --count 8 --folder " + folder + " --resize 28");
    CHECK(other.err.find("resize 28, crop 28x28, mean [0.5], std [0.25] (the command line over the model file)") !=
          std::string::npos);
    CHECK(logits(other) != from_folder);

    // compare --save-dir makes the folder and its parents. Its models, calibrated once for all
    // configurations, are byte for byte what quantize makes of each configuration alone.
    const std::string save = dir / "saved/a/b";
    const std::string data_options = " --calibration-images 8 --folder " + folder +
                                     " --resize 30 --mean 0.5 --std 0.25 --batch 4";
    dyadic_cli(dir, "compare models/fmnist_resnet_small.onnx --bits w8a8 --bits w4a4" + data_options +
                        " --save-dir " + save);
    for (const std::string bits : {"w8a8", "w4a4"}) {
        const std::string saved = save + "/fmnist_resnet_small." + bits + ".dyqm";
        REQUIRE(fs::exists(saved));
        const std::string alone = dir / (bits + "-alone.dyqm");
        REQUIRE(dyadic_cli(dir, "quantize models/fmnist_resnet_small.onnx --bits " + bits + data_options +
                                    " --output " + alone).status == 0);
        CHECK(slurp(saved) == slurp(alone));
    }

    // A held-out folder (other pixels, one PNG class) calibrates: compare's model is quantize's on it.
    const std::string held = dir / "held";
    fs::create_directories(held + "/shirts");
    for (int i = 0; i < 3; ++i) {
        std::vector<uint8_t> grey(40 * 34);
        for (size_t p = 0; p < grey.size(); ++p) grey[p] = static_cast<uint8_t>((p * (3 + i) + 17) % 256);
        std::ofstream(held + "/shirts/" + std::to_string(i) + ".png", std::ios::binary)
            << testing::encode_png(40, 34, 1, 8, grey);
    }
    const std::string preprocessing = " --calibration-images 3 --resize 30 --mean 0.5 --std 0.25";
    const Result held_out = dyadic_cli(dir, "compare models/fmnist_resnet_small.onnx --bits w4a4 --folder " + folder +
                                                " --calibration-folder " + held + preprocessing + " --save-dir " +
                                                dir / "held-models");
    CHECK(held_out.err.find("warning") == std::string::npos);
    CHECK(held_out.out.find("calibrated on 3 images of " + held + " (3 images, 1 classes)\n") != std::string::npos);
    dyadic_cli(dir, "quantize models/fmnist_resnet_small.onnx --bits w4a4 --folder " + held + preprocessing +
                        " --output " + dir / "held-alone.dyqm");
    CHECK(slurp(dir / "held-models/fmnist_resnet_small.w4a4.dyqm") == slurp(dir / "held-alone.dyqm"));

    // Progress: none when stderr is not a terminal, unless asked; stdout stays JSON either way.
    CHECK(eval.err.find("images/s") == std::string::npos);
    const Result asked = dyadic_cli(dir, "eval " + model + " --json --folder " + folder, "DYADIC_PROGRESS=1");
    CHECK(asked.err.find("8/8 images") != std::string::npos);
    CHECK(asked.err.find("images/s") != std::string::npos);
    CHECK(nlohmann::json::parse(asked.out).at("images") == 8);
}

TEST_CASE("data inputs: compare calibrates on held-out data and says when calibration images are evaluated",
          "[cli][data][calibration][fmnist]") {
    if (skip_without_fashion_mnist()) return;
    TempDir dir;
    // Evaluation: 120 test images; calibration: 16 training images, not the first ones of the split.
    constexpr int64_t n = 120, calibration_images = 16;
    const std::string model = "models/fmnist_resnet_small.onnx";
    const std::string settings = " --bits w8a8 --bits w4a4 --calibration-images " + std::to_string(calibration_images);
    const std::string evaluation = export_evaluation_and_calibration(dir, n, calibration_images);
    const auto json = [&](const std::string& name) { return nlohmann::json::parse(slurp(dir / name)); };
    // The models `compare --save-dir` wrote, byte for byte those `quantize` makes of `data` alone.
    const auto same_as_quantize = [&](const std::string& saved, const std::string& data) {
        for (const std::string bits : {"w8a8", "w4a4"}) {
            const std::string alone = dir / (bits + "-alone.dyqm");
            dyadic_cli(dir, "quantize " + model + " --bits " + bits + " --calibration-images " +
                                std::to_string(calibration_images) + data + " --output " + alone);
            INFO(bits);
            CHECK(slurp(saved + "/fmnist_resnet_small." + bits + ".dyqm") == slurp(alone));
        }
    };

    // Held out: calibrated on c.npy, evaluated on all of x.npy, no warning.
    const Result held = dyadic_cli(dir, "compare " + model + settings + evaluation + " --calibration-npy " +
                                            dir / "c.npy" + " --save-dir " + dir / "held" + " --json " + dir / "held.json");
    const nlohmann::json held_doc = json("held.json");
    CHECK(held.err.find("warning") == std::string::npos);
    CHECK(held_doc.at("images") == n);
    CHECK(held_doc.at("data").at("file") == dir / "x.npy");
    CHECK(held_doc.at("calibration_data").at("file") == dir / "c.npy");
    CHECK(held_doc.at("calibration_images") == calibration_images);
    CHECK(held_doc.at("calibration_overlaps_evaluation") == false);
    CHECK(held_doc.at("calibration_images_evaluated") == 0);
    same_as_quantize(dir / "held", " --npy " + dir / "c.npy");
    // The integer accuracy is that of the saved model on the evaluation set, as `eval` measures it.
    const nlohmann::json w4a4_eval = nlohmann::json::parse(
        dyadic_cli(dir, "eval " + dir / "held/fmnist_resnet_small.w4a4.dyqm" + " --json" + evaluation).out);
    CHECK(w4a4_eval.at("images") == n);
    CHECK(held_doc.at("configurations").at(1).at("integer_top1") == w4a4_eval.at("integer_top1"));

    // Without a calibration source, the first 16 evaluated images calibrate: a warning with the
    // count, the flag in the JSON, and the models of `quantize` on those images.
    const Result own = dyadic_cli(dir, "compare " + model + settings + evaluation + " --save-dir " + dir / "own" +
                                           " --json " + dir / "own.json");
    const nlohmann::json own_doc = json("own.json");
    CHECK(own.err.find("warning: calibrating on the first 16 images of " + dir / "x.npy" +
                       ", which are also evaluated: 16 of the 120 evaluated images") != std::string::npos);
    CHECK(own_doc.at("images") == n);
    CHECK(own_doc.at("calibration_data").at("file") == dir / "x.npy");
    CHECK(own_doc.at("calibration_overlaps_evaluation") == true);
    CHECK(own_doc.at("calibration_images_evaluated") == calibration_images);
    same_as_quantize(dir / "own", evaluation);
    // Evaluating fewer images than calibrate: every evaluated one was calibrated on.
    const Result few = dyadic_cli(dir, "compare " + model + settings + evaluation + " --count 10 --json " +
                                           dir / "few.json");
    CHECK(few.err.find("10 of the 10 evaluated images") != std::string::npos);
    CHECK(json("few.json").at("calibration_images_evaluated") == 10);

    // Fashion-MNIST's test split with a calibration batch: calibrated on the batch, not on the training split.
    const Result fmnist = dyadic_cli(dir, "compare " + model + settings + " --count 40 --calibration-npy " +
                                              dir / "c3.npy" + " --save-dir " + dir / "fmnist" + " --json " +
                                              dir / "fmnist.json");
    const nlohmann::json fmnist_doc = json("fmnist.json");
    CHECK(fmnist.err.find("warning") == std::string::npos);
    CHECK(fmnist_doc.at("images") == 40);
    CHECK(fmnist_doc.at("data").at("kind") == "fashion-mnist");
    CHECK(fmnist_doc.at("calibration_data").at("file") == dir / "c3.npy");
    CHECK(fmnist_doc.at("calibration_overlaps_evaluation") == false);
    same_as_quantize(dir / "fmnist", " --npy " + dir / "c3.npy");
}

TEST_CASE("data inputs: explore --accuracy evaluates the user's data, calibrated on held-out data",
          "[cli][data][calibration][explore][fmnist]") {
    if (skip_without_fashion_mnist()) return;
    TempDir dir;
    constexpr int64_t n = 40, calibration_images = 16;
    const std::string model = "models/fmnist_resnet_small.onnx";
    const std::string calibration = " --calibration-images " + std::to_string(calibration_images);
    const std::string evaluation = export_evaluation_and_calibration(dir, n, calibration_images);
    dyadic_cli(dir, "sensitivity " + model + " --images 8 --samples 2 --bits 4,8 --json " + dir / "s.json");
    dyadic_cli(dir, "quantize " + model + " --bits w8a8 --npy " + dir / "c.npy" + calibration + " --output " +
                        dir / "m.dyqm");
    const std::string sweep = dir / "sweep";
    const Result held = dyadic_cli(dir, "explore " + model + " --sensitivity " + dir / "s.json" +
                                            " --configs array=8x8 --budgets latency=0.5 --jobs 1 --out " + sweep +
                                            " --accuracy " + std::to_string(n) + evaluation + calibration +
                                            " --calibration-npy " + dir / "c.npy");
    CHECK(held.err.find("warning") == std::string::npos);
    // The timed w8a8 model shares the accuracy's calibration: quantize's on the calibration images.
    CHECK(slurp(sweep + "/model.w8a8.dyqm") == slurp(dir / "m.dyqm"));
    const nlohmann::json points = nlohmann::json::parse(slurp(sweep + "/points.json"));
    const nlohmann::json& accuracy = points.at("accuracy");
    CHECK(accuracy.at("images") == n);
    CHECK(accuracy.at("data").at("file") == dir / "x.npy");
    CHECK(accuracy.at("calibration_data").at("file") == dir / "c.npy");
    CHECK(accuracy.at("calibration_images") == calibration_images);
    CHECK(accuracy.at("calibration_overlaps_evaluation") == false);
    // The one row is on the front; its top-1 is that of quantize on the calibration data with the
    // row's ILP choice, evaluated by eval on the evaluation data.
    const nlohmann::json& row = points.at("points").at(0);
    REQUIRE(row.at("pareto") == true);
    CHECK(row.at("accuracy_images") == n);
    dyadic_cli(dir, "ilp " + sweep + "/points/0.problem.json --frac latency=0.5 --out " + dir / "bits.json");
    dyadic_cli(dir, "quantize " + model + " --bits " + dir / "bits.json" + " --npy " + dir / "c.npy" + calibration +
                        " --output " + dir / "row.dyqm");
    const nlohmann::json by_hand =
        nlohmann::json::parse(dyadic_cli(dir, "eval " + dir / "row.dyqm" + " --json" + evaluation).out);
    CHECK(row.at("integer_top1") == by_hand.at("integer_top1"));

    // Gathered again without a calibration source: the evaluated images calibrate, and it says so.
    const Result own =
        dyadic_cli(dir, "explore --gather " + sweep + " --accuracy " + std::to_string(n) + evaluation + calibration);
    CHECK(own.err.find("warning: calibrating on the first 16 images of " + dir / "x.npy" +
                       ", which are also evaluated: 16 of the 40 evaluated images") != std::string::npos);
    const nlohmann::json own_accuracy = nlohmann::json::parse(slurp(sweep + "/points.json")).at("accuracy");
    CHECK(own_accuracy.at("calibration_data").at("file") == dir / "x.npy");
    CHECK(own_accuracy.at("calibration_overlaps_evaluation") == true);
    CHECK(own_accuracy.at("calibration_images_evaluated") == calibration_images);
}
