// The differential generator and runner: cases are a function of the seed; 1000 seeds cover every
// op kind, every weight width, signed and unsigned activations, rounding ties of both signs and
// layers that need several accelerator tiles; the tie counter agrees with a second, independent
// formulation; and a backend with a planted rounding bug (ties rounded down) is caught.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "graph/golden/golden_writer.h"
#include "graph/quant/reference_backend.h"
#include "graph/verify/differential.h"
#include "graph/verify/golden_replay.h"
#include "graph/verify/random_case.h"
#include "reference/requantize.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

// The reference, except that requantize layers round exact halves down instead of up.
class TiesDownBackend : public ReferenceBackend {
public:
    std::string name() const override { return "ties-down"; }

protected:
    Tensor requantize(const QuantizedLayer&, const RequantizeLayer& op, const Tensor& input) override {
        Tensor out(input.shape, op.output_type);
        const Dyadic m = op.multiplier;
        const ClampRange range = clamp_range(op.output_type, false);
        for (size_t i = 0; i < input.data.size(); ++i) {
            const int64_t p = int64_t{input.data[i]} * m.mantissa;
            const int64_t half = m.shift > 0 ? (int64_t{1} << (m.shift - 1)) - 1 : 0;
            out.data[i] = static_cast<int32_t>(std::clamp((p + half) >> m.shift, range.lo, range.hi));
        }
        return out;
    }
};

// v * b / 2^c has fractional part exactly 1/2: (v * b) >> (c - 1) is odd and nothing lies below it.
bool tie_by_halves(int64_t v, const Dyadic& m) {
    if (m.shift == 0) return false;
    const int64_t p = v * m.mantissa;
    const int64_t below = m.shift > 1 ? p & ((int64_t{1} << (m.shift - 1)) - 1) : 0;
    return ((p >> (m.shift - 1)) & 1) == 1 && below == 0;
}

}  // namespace

TEST_CASE("a case is a function of its seed", "[verify][differential]") {
    for (uint64_t seed : {1u, 77u, 4242u}) {
        const verify::LayerCase a = verify::random_layer_case(seed), b = verify::random_layer_case(seed);
        CHECK(a.description == b.description);
        CHECK(a.layer == b.layer);
        REQUIRE(a.inputs.size() == b.inputs.size());
        for (size_t i = 0; i < a.inputs.size(); ++i) CHECK(a.inputs[i].data == b.inputs[i].data);
        const verify::GraphCase g = verify::random_graph_case(seed), h = verify::random_graph_case(seed);
        CHECK(g.model == h.model);
        CHECK(g.input.data == h.input.data);
    }
    CHECK(verify::random_layer_case(1).description != verify::random_layer_case(2).description);
}

TEST_CASE("1000 seeds cover every op kind, width, signedness, tie sign and multi-tile layers", "[verify][differential]") {
    std::set<std::string> kinds;
    std::set<int> weight_bits;
    std::set<std::string> activation_types;
    int64_t large = 0, depthwise = 0, dilated = 0, grouped = 0, no_bias = 0;
    verify::TieCount ties;
    for (uint64_t seed = 1; seed <= 1000; ++seed) {
        const verify::LayerCase c = verify::random_layer_case(seed);
        kinds.insert(op_name(c.layer.op));
        for (const Tensor& t : c.inputs) activation_types.insert(t.type.name());
        if (const Tensor* w = weight_of(c.layer)) weight_bits.insert(w->type.bits);
        if (const auto* conv = std::get_if<Conv2dLayer>(&c.layer.op)) {
            // More output pixels x channels than the default accelerator's 65536 accumulator entries.
            if (c.inputs[0].shape[2] >= 40 && conv->weight.shape[0] >= 32) ++large;
            if (conv->params.groups > 1 && conv->params.groups == conv->weight.shape[0]) ++depthwise;
            else if (conv->params.groups > 1) ++grouped;
            if (conv->params.dilation_h > 1 || conv->params.dilation_w > 1) ++dilated;
            if (conv->bias.data.empty()) ++no_bias;
        }
        const verify::TieCount t = verify::count_rounding_ties(c);
        ties.positive += t.positive;
        ties.negative += t.negative;
    }
    CHECK(kinds == std::set<std::string>{"conv2d", "fully_connected", "residual_add", "max_pool2d", "average_pool2d",
                                         "global_average_pool", "concat", "requantize"});
    CHECK(weight_bits == std::set<int>{2, 3, 4, 5, 6, 7, 8});
    for (int bits = 2; bits <= 8; ++bits) {
        CHECK(activation_types.count("int" + std::to_string(bits)) == 1);
        CHECK(activation_types.count("uint" + std::to_string(bits)) == 1);
    }
    CHECK(activation_types.count("int16") == 1);
    CHECK(activation_types.count("uint16") == 1);
    CHECK(activation_types.count("int32") == 1);  // residual_add main branches
    CHECK(large >= 3);
    CHECK(depthwise >= 20);
    CHECK(grouped >= 20);
    CHECK(dilated >= 20);
    CHECK(no_bias >= 20);
    CHECK(ties.positive >= 1000);
    CHECK(ties.negative >= 1000);
}

TEST_CASE("the tie counter agrees with an independent formulation", "[verify][differential]") {
    int64_t checked = 0;
    for (uint64_t seed = 1; seed <= 3000 && checked < 30; ++seed) {
        const verify::LayerCase c = verify::random_layer_case(seed);
        const auto* op = std::get_if<RequantizeLayer>(&c.layer.op);
        if (op == nullptr) continue;
        verify::TieCount expected;
        const ClampRange range = clamp_range(op->output_type, false);
        for (const int32_t v : c.inputs[0].data) {
            if (!tie_by_halves(v, op->multiplier)) continue;
            // v * b / 2^c = q / 2 with q odd: rounded half up it is floor((q + 1) / 2).
            const int64_t q = (int64_t{v} * op->multiplier.mantissa) >> (op->multiplier.shift - 1);
            const int64_t rounded = (q + 1) >> 1;
            if (rounded < range.lo || rounded > range.hi) continue;
            (v > 0 ? expected.positive : expected.negative) += 1;
        }
        const verify::TieCount got = verify::count_rounding_ties(c);
        CHECK(got.positive == expected.positive);
        CHECK(got.negative == expected.negative);
        ++checked;
    }
    CHECK(checked == 30);
}

TEST_CASE("a backend that rounds ties down is caught, and the reference against itself passes", "[verify][differential]") {
    ReferenceBackend reference;
    TiesDownBackend ties_down;
    verify::DifferentialOptions options;
    options.layer_cases = 1000;
    options.graph_cases = 20;
    options.seed = 1;
    int64_t reported = 0;
    options.on_layer_failure = [&](const verify::LayerCase& c, const std::string& backend, const std::string&) {
        CHECK(backend == "ties-down");
        CHECK(std::holds_alternative<RequantizeLayer>(c.layer.op));
        ++reported;
    };
    const verify::DifferentialReport report = verify::run_differential({&reference, &ties_down}, options);
    CHECK(report.backends[0].equal == 1020);
    CHECK(report.backends[0].differ == 0);
    CHECK(report.backends[1].differ > 0);
    CHECK(report.backends[1].differ == reported);
    CHECK(report.backends[1].failures.size() == std::min<size_t>(20, static_cast<size_t>(reported)));
    CHECK_FALSE(report.passed(false));
}

TEST_CASE("a failing case written as a golden directory replays the same difference", "[verify][differential][golden]") {
    ReferenceBackend reference;
    TiesDownBackend ties_down;
    verify::DifferentialOptions options;
    options.layer_cases = 400;
    options.seed = 1;
    const std::filesystem::path root = std::filesystem::temp_directory_path() / "dyadic_test_fuzz_replay";
    std::filesystem::remove_all(root);
    std::vector<std::pair<std::string, std::string>> written;  // directory, what fuzz-diff saw
    options.on_layer_failure = [&](const verify::LayerCase& c, const std::string&, const std::string& what) {
        if (!written.empty()) return;
        const std::string dir = (root / ("seed-" + std::to_string(c.seed))).string();
        std::filesystem::create_directories(root);
        golden::write_layer_golden(dir, c.layer, c.inputs, {});
        written.emplace_back(dir, what);
    };
    verify::run_differential({&ties_down}, options);
    REQUIRE(written.size() == 1);
    const verify::VerifyReport report = verify::replay_golden(written[0].first, {&reference, &ties_down});
    REQUIRE(report.checks.size() == 1);
    CHECK(report.checks[0][0].outcome == verify::Outcome::equal);  // the files are what the reference computes
    CHECK(report.checks[0][1].outcome == verify::Outcome::differ);
    CHECK(verify::describe(report.checks[0][1].diff) == written[0].second);
    std::filesystem::remove_all(root);
}
