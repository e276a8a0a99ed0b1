// The catalogue of bad inputs (issue classes and the cases handled before them). Each case runs
// the real executable on a hostile input and asserts, independently of the code under test's
// internals, what a user sees: a message naming the problem, a non-zero exit status that is not
// a crash (no signal, not the "internal error" status 3), and no output file or temporary left.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "graph/golden/npy.h"
#include "graph/onnx/onnx_file.h"
#include "image_test_files.h"
#include "graph/quant/model_file.h"
#include "sample_model.h"
#include "sim/accel_config.h"

using namespace dyadic;
namespace fs = std::filesystem;

namespace {

struct Outcome {
    int status = -1;  // exit status; 128 + n for a signal
    std::string out, err;
};

class Workspace {
public:
    Workspace() : dir_(fs::temp_directory_path() / ("dyadic-bad-inputs-" + std::to_string(::getpid()))) {
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "run");
    }
    ~Workspace() { fs::remove_all(dir_); }
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    std::string write(const std::string& name, const std::string& bytes) const {
        std::ofstream(path(name), std::ios::binary) << bytes;
        return path(name);
    }

    // Runs `command` (a shell line) with its standard output to `stdout_to` (a file by default).
    Outcome run(const std::string& command, const std::string& stdout_to = "") const {
        const std::string out = path("stdout.txt"), err = path("stderr.txt");
        const std::string line = "cd " + path("run") + " && " + command + " > " + (stdout_to.empty() ? out : stdout_to) +
                                 " 2> " + err;
        const int raw = std::system(line.c_str());
        Outcome o;
        o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
        o.out = slurp(out);
        o.err = slurp(err);
        return o;
    }

    // Nothing was written into the output directory, not even a temporary.
    bool run_directory_empty() const { return fs::is_empty(path("run")); }

private:
    static std::string slurp(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    fs::path dir_;
};

const std::string kDyadic = DYADIC_CLI;
const std::string kAccelConfig = DYADIC_ACCEL_CONFIG_TOOL;
const std::string kSource = fs::current_path().string();  // ctest runs the tests in the source tree

// A refusal: the expected status, the message, no crash, nothing written.
void expect_refusal(const Workspace& w, const Outcome& o, int status, const std::string& message) {
    INFO("stderr: " << o.err);
    CHECK(o.status == status);
    CHECK(o.err.find(message) != std::string::npos);
    CHECK(o.err.find("internal error") == std::string::npos);
    CHECK(w.run_directory_empty());
}

void set_u32(std::string& bytes, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
}
void set_i64(std::string& bytes, size_t at, int64_t v) {
    for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i)));
}
// Recomputes the payload CRC, so a forged field reaches the parser behind a valid checksum.
std::string reseal(std::string file) {
    const std::string payload = file.substr(quant::kModelHeaderBytes);
    set_u32(file, 16, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(payload.data()),
                                                 static_cast<uInt>(payload.size()))));
    return file;
}
std::string shape_bytes(const std::vector<int64_t>& dims) {
    std::string s(4 + 8 * dims.size(), '\0');
    set_u32(s, 0, static_cast<uint32_t>(dims.size()));
    for (size_t i = 0; i < dims.size(); ++i) set_i64(s, 4 + 8 * i, dims[i]);
    return s;
}

onnx::ModelProto small_onnx() { return onnx_io::load_model(kSource + "/models/fmnist_resnet_small.onnx"); }
onnx::NodeProto& first_conv(onnx::ModelProto& model) {
    for (auto& node : *model.mutable_graph()->mutable_node())
        if (node.op_type() == "Conv") return node;
    FAIL("the bundled model has no Conv");
    throw;
}

}  // namespace

TEST_CASE("bad inputs: absurd ONNX dimensions overflow no count", "[bad_inputs][onnx]") {
    Workspace w;
    onnx::ModelProto model = small_onnx();
    auto* dims = model.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    dims->mutable_dim(2)->set_dim_value(int64_t{1} << 32);
    dims->mutable_dim(3)->set_dim_value(int64_t{1} << 32);
    const std::string path = w.write("huge.onnx", model.SerializeAsString());
    expect_refusal(w, w.run(kDyadic + " import " + path), 1, "64-bit");
}

TEST_CASE("bad inputs: ONNX int64 attributes that do not fit an int are refused by name", "[bad_inputs][onnx]") {
    Workspace w;
    for (const char* attribute : {"strides", "pads", "dilations"}) {
        onnx::ModelProto model = small_onnx();
        onnx::NodeProto& conv = first_conv(model);
        bool found = false;
        for (auto& a : *conv.mutable_attribute()) {
            if (a.name() != attribute) continue;
            a.set_ints(0, 4294967297);  // 2^32 + 1: a plain cast to int gives 1
            found = true;
        }
        if (!found) {
            auto* a = conv.add_attribute();
            a->set_name(attribute);
            a->set_type(onnx::AttributeProto::INTS);
            for (int i = 0; i < (std::string(attribute) == "pads" ? 4 : 2); ++i) a->add_ints(i == 0 ? 4294967297 : 1);
        }
        const std::string path = w.write("attr.onnx", model.SerializeAsString());
        INFO(attribute);
        expect_refusal(w, w.run(kDyadic + " import " + path), 1,
                       std::string("attribute '") + attribute + "' = 4294967297 lies outside");
    }
}

TEST_CASE("bad inputs: accelerator configurations beyond a real accelerator name the field", "[bad_inputs][config]") {
    Workspace w;
    const std::string good = sim::to_json_text(sim::default_accel_config());
    for (const sim::AccelParameter& p : sim::accel_parameters()) {
        // One above the bound, set in the JSON text.
        std::string text = good;
        const std::string key = "\"" + std::string(p.key) + "\": ";
        const size_t at = text.find(key);
        REQUIRE(at != std::string::npos);
        const size_t end = text.find_first_of(",\n}", at + key.size());
        text.replace(at + key.size(), end - at - key.size(), std::to_string(p.max + 1));
        const std::string path = w.write("big.json", text);
        INFO(p.path);
        expect_refusal(w, w.run(kAccelConfig + " --config " + path + " --emit-sv out.svh"), 1,
                       p.path + " must lie in " + std::to_string(p.min) + ".." + std::to_string(p.max));
        expect_refusal(w, w.run(kDyadic + " sim no-model.dyqm --config " + path), 1, p.path + " must lie in");
    }
    std::string huge = good;
    huge.replace(huge.find("\"rows\": 16"), 10, "\"rows\": 18446744073709551616");
    expect_refusal(w, w.run(kAccelConfig + " --config " + w.write("huge.json", huge) + " --emit-sv out.svh"), 1,
                   "array.rows");
    std::string odd = good;
    odd.replace(odd.find("\"input_bytes\": 262144"), 21, "\"input_bytes\": 262143");
    expect_refusal(w, w.run(kAccelConfig + " --config " + w.write("odd.json", odd) + " --emit-sv out.svh"), 1,
                   "scratchpads.input_bytes must be even");
    std::string unknown = good;
    unknown.replace(unknown.find("\"rows\""), 6, "\"rowz\"");
    expect_refusal(w, w.run(kAccelConfig + " --config " + w.write("unknown.json", unknown) + " --emit-sv out.svh"), 1,
                   "\"rows\"");
}

TEST_CASE("bad inputs: count flags are bounded", "[bad_inputs][flags]") {
    Workspace w;
    const std::string problem = kSource + "/bench/ilp/fmnist_study/problem.json";
    expect_refusal(w, w.run(kDyadic + " ilp " + problem + " --pareto 2147483647 --csv out.csv"), 2,
                   "--pareto must lie in 2..1000, got 2147483647");
    expect_refusal(w, w.run(kDyadic + " ilp " + problem + " --pareto 99999999999999999999"), 2,
                   "--pareto expects an integer in 2..1000");
    expect_refusal(w, w.run(kDyadic + " ilp " + problem + " --time-limit -1"), 2, "--time-limit must lie in");
    const std::string model = w.write("m.dyqm", quant::serialize_model(quant::testing::sample_model()));
    expect_refusal(w, w.run(kDyadic + " sim " + model + " --batch 2147483647"), 2, "--batch must lie in 1..1024");
    expect_refusal(w, w.run(kDyadic + " sim " + model + " --seed -1"), 2, "--seed must lie in");
    expect_refusal(w, w.run(kDyadic + " eval " + model + " --batch 0"), 2, "--batch must lie in 1..10000");
    expect_refusal(w, w.run(kDyadic + " eval " + model + " --count 10001"), 2, "--count must lie in 1..10000");
    expect_refusal(w, w.run(kDyadic + " run " + model + " --count 2147483647"), 2, "--count must lie in 1..10000");
    expect_refusal(w, w.run(kDyadic + " run " + model + " --random 2147483647"), 2, "--random must lie in 1..1024");
    expect_refusal(w, w.run(kDyadic + " run " + model + " --image 9999 --count 2"), 2, "--count must lie in 1..1");
    expect_refusal(w, w.run(kDyadic + " quantize models/x.onnx --output out.dyqm --calibration-images 0"), 2,
                   "--calibration-images must lie in 1..60000");
    expect_refusal(w, w.run(kDyadic + " sensitivity x.onnx --samples 1"), 2, "--samples must lie in 2..100000");
    expect_refusal(w, w.run(kDyadic + " compare x.onnx --batch 1e9"), 2, "--batch expects an integer");
}

TEST_CASE("bad inputs: a write error on standard output is an error", "[bad_inputs][stdout]") {
    Workspace w;
    const std::string model = w.write("m.dyqm", quant::serialize_model(quant::testing::sample_model()));
    const Outcome ok = w.run(kDyadic + " inspect " + model);
    REQUIRE(ok.status == 0);
    REQUIRE(!ok.out.empty());
    expect_refusal(w, w.run(kDyadic + " inspect " + model, "/dev/full"), 1, "cannot write standard output");
    expect_refusal(w, w.run(kDyadic + " import " + kSource + "/models/fmnist_resnet_small.onnx", "/dev/full"), 1,
                   "cannot write standard output");
    expect_refusal(w, w.run(kDyadic + " --help", "/dev/full"), 1, "cannot write standard output");
    expect_refusal(w, w.run(kAccelConfig + " --print", "/dev/full"), 1, "cannot write standard output");
}

TEST_CASE("bad inputs: a directory where a file is expected is named as such", "[bad_inputs][paths]") {
    Workspace w;
    const std::string dir = w.path("adir");
    fs::create_directories(dir);
    for (const std::string& command :
         {"inspect " + dir, "import " + dir, "ilp " + dir + " --out out.json", "sim " + dir,
          "quantize " + kSource + "/models/fmnist_resnet_small.onnx --bits " + dir + " --output out.dyqm",
          "ilp-problem " + kSource + "/models/fmnist_resnet_small.onnx --sensitivity " + dir + " --out out.json"}) {
        INFO(command);
        expect_refusal(w, w.run(kDyadic + " " + command), 1, "is a directory, not a file");
    }
    expect_refusal(w, w.run(kAccelConfig + " --config " + dir + " --emit-sv out.svh"), 1, "is a directory");
}

TEST_CASE("bad inputs: forged model files behind a valid checksum", "[bad_inputs][model_file]") {
    Workspace w;
    const std::string file = quant::serialize_model(quant::testing::sample_model());
    // The first conv weight [5, 3, 3, 3]: its first dimension forged to 2^40.
    std::string forged = file;
    const size_t at = forged.find(shape_bytes({5, 3, 3, 3}));
    REQUIRE(at != std::string::npos);
    set_i64(forged, at + 4, int64_t{1} << 40);
    const std::string path = w.write("forged.dyqm", reseal(forged));
    expect_refusal(w, w.run(kDyadic + " inspect " + path), 1, "(dimension 0 is 1099511627776)");

    std::string negative = file;
    set_i64(negative, at + 12, -3);
    expect_refusal(w, w.run(kDyadic + " inspect " + w.write("neg.dyqm", reseal(negative))), 1,
                   "dimension 1 is negative (-3)");
    std::string tag = file;
    tag.back() = static_cast<char>(0x7f);
    expect_refusal(w, w.run(kDyadic + " inspect " + w.write("crc.dyqm", tag)), 1, "corrupted (CRC32");
    expect_refusal(w, w.run(kDyadic + " inspect " + w.write("cut.dyqm", file.substr(0, file.size() / 2))), 1,
                   "truncated");
    expect_refusal(w, w.run(kDyadic + " inspect " + w.write("empty.dyqm", "")), 1, "not a dyadic model file");
    expect_refusal(w, w.run(kDyadic + " inspect no/such/m.dyqm"), 1, "cannot open model file");
}

TEST_CASE("bad inputs: malformed ONNX, ILP and configuration text", "[bad_inputs][parsers]") {
    Workspace w;
    std::string noise(4096, '\0');
    uint32_t x = 12345;
    for (char& c : noise) c = static_cast<char>((x = x * 1103515245 + 12345) >> 24);
    expect_refusal(w, w.run(kDyadic + " import " + w.write("noise.onnx", noise)), 1, "not a valid ONNX model");
    expect_refusal(w, w.run(kDyadic + " ilp " + w.write("p.json", "{\"layers\": [") + " --out out.json"), 1,
                   "invalid JSON");
    expect_refusal(w, w.run(kDyadic + " ilp " + w.write("q.json", "{\"layers\": 3}") + " --out out.json"), 1, "layers");
    expect_refusal(w, w.run(kAccelConfig + " --config " + w.write("c.json", "{\"name\": \"x\"}") + " --emit-sv out.svh"),
                   1, "clock_mhz");
}

TEST_CASE("bad inputs: unusable flags and output paths", "[bad_inputs][usage]") {
    Workspace w;
    const std::string problem = kSource + "/bench/ilp/fmnist_study/problem.json";
    expect_refusal(w, w.run(kDyadic + " ilp " + problem + " --no-such-flag"), 2, "unknown option --no-such-flag");
    expect_refusal(w, w.run(kDyadic + " ilp"), 2, "missing argument <problem>");
    expect_refusal(w, w.run(kDyadic + " no-such-command"), 2, "unknown command");
    // An output in a directory that does not exist: the solve runs, the write fails, nothing remains.
    expect_refusal(w, w.run(kDyadic + " ilp " + problem + " --frac bops=0.5 --out missing/dir/out.json"), 1,
                   "missing/dir/out.json");
}

TEST_CASE("bad inputs: the user's data (.npy batches, image folders) is refused by file and problem", "[bad_inputs][data]") {
    Workspace w;
    // The sample model takes [N, 3, 7, 7] and records no preprocessing: --mean/--std supply it.
    const std::string model = w.write("m.dyqm", quant::serialize_model(quant::testing::sample_model()));
    const std::string eval = kDyadic + " eval " + model + " --mean 0.5 --std 0.25 ";
    golden::write_npy(w.path("x.npy"), golden::npy_from_floats({2, 3, 7, 7}, std::vector<float>(2 * 3 * 7 * 7, 0.5f)));
    golden::write_npy(w.path("y3.npy"), golden::npy_from_integers(golden::NpyDtype::int64, {3}, {0, 1, 2}));
    golden::write_npy(w.path("i16.npy"), golden::npy_from_integers(golden::NpyDtype::int16, {1, 3, 7, 7},
                                                                   std::vector<int64_t>(3 * 7 * 7, 1)));
    golden::write_npy(w.path("grey.npy"), golden::npy_from_floats({2, 1, 7, 7}, std::vector<float>(2 * 7 * 7, 0.5f)));
    golden::write_npy(w.path("fy.npy"), golden::npy_from_floats({2}, {0.f, 1.f}));
    expect_refusal(w, w.run(eval + "--npy " + w.path("i16.npy")), 1, "i16.npy: input batches are float32");
    expect_refusal(w, w.run(eval + "--npy " + w.path("x.npy") + " --labels " + w.path("y3.npy")), 1,
                   "y3.npy: 3 labels for 2 inputs");
    expect_refusal(w, w.run(eval + "--npy " + w.path("x.npy") + " --labels " + w.path("fy.npy")), 1,
                   "fy.npy: labels must be an integer array");
    expect_refusal(w, w.run(eval + "--npy " + w.path("x.npy")), 1, "x.npy has no labels");
    golden::write_npy(w.path("y2.npy"), golden::npy_from_integers(golden::NpyDtype::int64, {2}, {0, 1}));
    expect_refusal(w, w.run(eval + "--npy " + w.path("grey.npy") + " --labels " + w.path("y2.npy")), 1,
                   "inputs of shape [C, H, W] = [1, 7, 7], the model takes [3, 7, 7]");
    expect_refusal(w, w.run(eval + "--npy " + w.path("x.npy") + " --layout nwhc"), 1, "nchw or nhwc, got 'nwhc'");
    expect_refusal(w, w.run(eval + "--npy " + w.path("x.npy") + " --folder " + w.path("")), 2, "exclude each other");

    // Image folders: empty, a class without images, a truncated JPEG, a PNG claiming 70000 x 70000.
    fs::create_directories(w.path("empty"));
    expect_refusal(w, w.run(eval + "--folder " + w.path("empty")), 1, "empty: no class subfolders");
    fs::create_directories(w.path("bare/cat"));
    expect_refusal(w, w.run(eval + "--folder " + w.path("bare")), 1, "no .jpg, .jpeg or .png image in class folder 'cat'");
    std::vector<uint8_t> pixels(16 * 16 * 3);
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 37);
    const std::string jpeg = testing::encode_jpeg(16, 16, 3, pixels);
    fs::create_directories(w.path("cut/a"));
    fs::create_directories(w.path("cut/b"));
    w.write("cut/a/ok.jpg", jpeg);
    w.write("cut/b/cut.jpg", jpeg.substr(0, jpeg.size() / 2));
    expect_refusal(w, w.run(eval + "--folder " + w.path("cut")), 1, "cut/b/cut.jpg: corrupt or truncated JPEG");
    std::string huge = testing::encode_png(1, 1, 1, 8, {0});
    set_u32(huge, 16, 0);  // IHDR width and height, big endian: 70000 = 0x00011170
    const std::string side("\x00\x01\x11\x70", 4);
    huge.replace(16, 4, side);
    huge.replace(20, 4, side);
    const uint32_t crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(huge.data() + 12), 17));
    for (int i = 0; i < 4; ++i) huge[29 + i] = static_cast<char>(crc >> (8 * (3 - i)));
    fs::create_directories(w.path("huge/a"));
    w.write("huge/a/big.png", huge);
    expect_refusal(w, w.run(eval + "--folder " + w.path("huge")), 1, "big.png: the image is 70000x70000 pixels; at most");

    // No partial output: quantize on bad data writes no model; compare --save-dir under a file fails.
    expect_refusal(w, w.run(kDyadic + " quantize " + kSource + "/models/fmnist_resnet_small.onnx --npy " +
                            w.path("i16.npy") + " --output out.dyqm"),
                   1, "i16.npy: input batches are float32");
    expect_refusal(w, w.run(kDyadic + " quantize " + kSource + "/models/fmnist_resnet_small.onnx --folder " +
                            w.path("cut") + " --resize 32 --calibration-images 2 --output out.dyqm"),
                   1, "cut.jpg: corrupt or truncated JPEG");
    w.write("run-file", "x");
    expect_refusal(w, w.run(kDyadic + " compare " + kSource + "/models/fmnist_resnet_small.onnx --bits w8a8 --save-dir " +
                            w.path("run-file") + "/models"),
                   1, "cannot create the folder");
}

TEST_CASE("bad inputs: calibration data (compare, explore --accuracy) is refused by option, file and problem",
          "[bad_inputs][data][calibration]") {
    Workspace w;
    // Evaluation data of the bundled small model's [1, 28, 28] inputs, so no dataset is needed.
    golden::write_npy(w.path("x.npy"), golden::npy_from_floats({4, 1, 28, 28}, std::vector<float>(4 * 28 * 28, 0.5f)));
    golden::write_npy(w.path("y.npy"), golden::npy_from_integers(golden::NpyDtype::int64, {4}, {0, 1, 2, 3}));
    golden::write_npy(w.path("c2.npy"), golden::npy_from_floats({2, 1, 28, 28}, std::vector<float>(2 * 28 * 28, 0.5f)));
    golden::write_npy(w.path("small.npy"), golden::npy_from_floats({2, 1, 7, 7}, std::vector<float>(2 * 7 * 7, 0.5f)));
    golden::write_npy(w.path("i16.npy"), golden::npy_from_integers(golden::NpyDtype::int16, {1, 1, 28, 28},
                                                                   std::vector<int64_t>(28 * 28, 1)));
    const std::string compare = kDyadic + " compare " + kSource + "/models/fmnist_resnet_small.onnx --bits w8a8 --npy " +
                                w.path("x.npy") + " --labels " + w.path("y.npy") + " --json out.json ";
    expect_refusal(w, w.run(compare + "--calibration-images 2 --calibration-npy " + w.path("none.npy")), 1,
                   "--calibration-npy: cannot open .npy file '" + w.path("none.npy") + "'");
    expect_refusal(w, w.run(compare + "--calibration-images 2 --calibration-folder " + w.path("none")), 1,
                   "--calibration-folder: " + w.path("none") + ": not a directory");
    expect_refusal(w, w.run(compare + "--calibration-images 1 --calibration-npy " + w.path("i16.npy")), 1,
                   "--calibration-npy: " + w.path("i16.npy") + ": input batches are float32");
    expect_refusal(w, w.run(compare + "--calibration-images 2 --calibration-npy " + w.path("small.npy")), 1,
                   "--calibration-npy: " + w.path("small.npy") +
                       ": inputs of shape [C, H, W] = [1, 7, 7], the model takes [1, 28, 28]");
    // Fewer calibration images than asked for is refused, as quantize refuses it.
    expect_refusal(w, w.run(compare + "--calibration-images 3 --calibration-npy " + w.path("c2.npy")), 1,
                   "--calibration-images 3: --calibration-npy " + w.path("c2.npy") + " holds only 2 images");
    expect_refusal(w, w.run(compare + "--calibration-images 5"), 1,
                   "--calibration-images 5: --npy " + w.path("x.npy") + " holds only 4 images");
    expect_refusal(w, w.run(compare + "--calibration-npy " + w.path("c2.npy") + " --calibration-folder " + w.path("")),
                   2, "--calibration-npy and --calibration-folder exclude each other");

    // explore --accuracy checks its data before the sweep: no output folder is made.
    const std::string explore = kDyadic + " explore " + kSource + "/models/fmnist_resnet_small.onnx --sensitivity s.json "
                                "--configs array=8x8 --budgets latency=0.5 --out out --npy " + w.path("x.npy") +
                                " --labels " + w.path("y.npy") + " --calibration-images 2 ";
    expect_refusal(w, w.run(explore + "--accuracy 5 --calibration-npy " + w.path("c2.npy")), 2,
                   "--accuracy must lie in 0..4, got 5");
    expect_refusal(w, w.run(explore + "--accuracy 4 --calibration-npy " + w.path("small.npy")), 1,
                   "--calibration-npy: " + w.path("small.npy") +
                       ": inputs of shape [C, H, W] = [1, 7, 7], the model takes [1, 28, 28]");
    expect_refusal(w, w.run(explore + "--accuracy 4 --calibration-folder " + w.path("none")), 1,
                   "--calibration-folder: " + w.path("none") + ": not a directory");
}
