// The layer-by-layer verifier against test doubles whose faults are known: a backend that flips one
// element of one layer must be caught at exactly that layer and element (and, chained, cascade into
// the layers after it); unavailable, unsupporting and throwing backends are skipped or failed,
// never passed. The expected values come from the reference run itself.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph/quant/integer_executor.h"
#include "graph/quant/reference_backend.h"
#include "graph/verify/model_verifier.h"
#include "graph/verify/random_input.h"
#include "sample_model.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::quant;
using verify::Outcome;

namespace {

constexpr int64_t kBatch = 3;

// The reference, except that one element of the output of layer `target` is replaced.
class CorruptingBackend : public ReferenceBackend {
public:
    CorruptingBackend(std::string target, Shape at) : target_(std::move(target)), at_(std::move(at)) {}
    std::string name() const override { return "corrupt"; }

protected:
    Tensor conv2d_residual(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override {
        return corrupt(layer, ReferenceBackend::conv2d_residual(layer, op, input, identity));
    }
    Tensor concat(const QuantizedLayer& layer, const ConcatLayer& op, const std::vector<const Tensor*>& inputs) override {
        return corrupt(layer, ReferenceBackend::concat(layer, op, inputs));
    }

private:
    // The far end of the type's range from the true value: a change no later rounding can hide.
    Tensor corrupt(const QuantizedLayer& layer, Tensor out) const {
        if (layer.name != target_) return out;
        int32_t& v = out.at(at_[0], at_[1], at_[2], at_[3]);
        v = v > 0 ? static_cast<int32_t>(out.type.min()) : static_cast<int32_t>(out.type.max());
        return out;
    }
    std::string target_;
    Shape at_;
};

class UnavailableBackend : public ReferenceBackend {
public:
    std::string name() const override { return "absent"; }
    std::string unavailable_reason() const override { return "no such device"; }
};

class NoPoolingBackend : public ReferenceBackend {
public:
    std::string name() const override { return "nopool"; }
    std::string unsupported_reason(const QuantizedLayer& layer, const std::vector<const Tensor*>&) const override {
        const std::string op = op_name(layer.op);
        return op == "max_pool2d" || op == "average_pool2d" ? "no pooling unit" : "";
    }
};

class ThrowingBackend : public ReferenceBackend {
public:
    std::string name() const override { return "throws"; }

protected:
    Tensor fully_connected(const QuantizedLayer&, const FullyConnectedLayer&, const Tensor&) override {
        throw Error("kernel launch failed");
    }
};

size_t layer_index(const QuantizedModel& model, const std::string& name) {
    for (size_t i = 0; i < model.layers.size(); ++i) {
        if (model.layers[i].name == name) return i;
    }
    FAIL("no layer " << name);
    return 0;
}

// The reference output of layer `index` for `input`.
Tensor reference_output(const QuantizedModel& model, const Tensor& input, size_t index) {
    Tensor out;
    run_model(model, input, [&](size_t i, const QuantizedLayer&, const std::vector<const Tensor*>&, const Tensor& o) {
        if (i == index) out = o;
    });
    return out;
}

}  // namespace

TEST_CASE("a corrupted layer is caught at its first differing element, and only there", "[verify]") {
    const QuantizedModel model = testing::sample_model();
    const Tensor input = verify::random_model_input(model, 11, kBatch);
    const Shape at{1, 2, 3, 1};
    CorruptingBackend corrupt("conv2", at);
    ReferenceBackend reference;
    verify::ModelVerifier verifier(model, {&reference, &corrupt});
    verifier.add_batch(input, 0);
    const verify::VerifyReport& report = verifier.report();

    const size_t conv2 = layer_index(model, "conv2");
    const Tensor expected = reference_output(model, input, conv2);
    const int32_t true_value = expected.at(1, 2, 3, 1);
    for (size_t i = 0; i < model.layers.size(); ++i) {
        INFO("layer " << model.layers[i].name);
        CHECK(report.checks[i][0].outcome == Outcome::equal);  // the reference against itself
        // Fed the reference's inputs, the layers after conv2 are not affected.
        CHECK(report.checks[i][1].outcome == (i == conv2 ? Outcome::differ : Outcome::equal));
    }
    const verify::TensorDiff& d = report.checks[conv2][1].diff;
    CHECK(d.differing == 1);
    CHECK(d.first_at == at);
    CHECK(d.expected == true_value);
    CHECK(d.got == (true_value > 0 ? -32768 : 32767));
    CHECK(d.largest_difference == std::abs(int64_t{d.got} - true_value));
    CHECK(d.compared == expected.size());
    CHECK_FALSE(report.passed(false));
    CHECK(report.count(Outcome::differ) == 1);
}

TEST_CASE("chained, a corrupted layer cascades into the layers that read it", "[verify]") {
    const QuantizedModel model = testing::sample_model();
    const Tensor input = verify::random_model_input(model, 12, kBatch);
    CorruptingBackend corrupt("conv2", {0, 4, 2, 2});
    verify::VerifyOptions options;
    options.chained = true;
    verify::ModelVerifier verifier(model, {&corrupt}, options);
    verifier.add_batch(input, 0);
    const verify::VerifyReport& report = verifier.report();
    const size_t conv2 = layer_index(model, "conv2");
    for (size_t i = 0; i < conv2; ++i) CHECK(report.checks[i][0].outcome == Outcome::equal);
    CHECK(report.checks[conv2][0].outcome == Outcome::differ);
    // "add" reads conv2's int16 output directly: a value moved across the whole range changes it.
    CHECK(report.checks[layer_index(model, "add")][0].outcome == Outcome::differ);
    CHECK(report.chained);
}

TEST_CASE("batches add up and coordinates count images from the start of the input", "[verify]") {
    const QuantizedModel model = testing::sample_model();
    CorruptingBackend corrupt("cat", {2, 7, 0, 3});
    verify::ModelVerifier verifier(model, {&corrupt});
    const Tensor first = verify::random_model_input(model, 21, kBatch);
    const Tensor second = verify::random_model_input(model, 22, kBatch);
    verifier.add_batch(first, 10);
    verifier.add_batch(second, 13);
    const verify::VerifyReport& report = verifier.report();
    CHECK(report.images == 2 * kBatch);
    const verify::LayerCheck& cat = report.checks[layer_index(model, "cat")][0];
    CHECK(cat.outcome == Outcome::differ);
    CHECK(cat.batches == 2);
    CHECK(cat.diff.differing == 2);  // one element per batch
    CHECK(cat.diff.first_at == Shape{12, 7, 0, 3});  // image 2 of the batch that starts at image 10
    CHECK(cat.diff.compared == 2 * kBatch * 10 * 4 * 4);
}

TEST_CASE("an unavailable backend is skipped with its reason, never passed", "[verify]") {
    const QuantizedModel model = testing::sample_model();
    UnavailableBackend absent;
    ReferenceBackend reference;
    verify::ModelVerifier only_absent(model, {&absent});
    only_absent.add_batch(verify::random_model_input(model, 1, 1), 0);
    CHECK(only_absent.report().count(Outcome::skipped) == static_cast<int64_t>(model.layers.size()));
    CHECK(only_absent.report().checks[0][0].reason == "unavailable: no such device");
    CHECK_FALSE(only_absent.report().passed(false));  // nothing was compared

    verify::ModelVerifier with_reference(model, {&reference, &absent});
    with_reference.add_batch(verify::random_model_input(model, 1, 1), 0);
    CHECK(with_reference.report().passed(false));
    CHECK_FALSE(with_reference.report().passed(true));  // --require-all
}

TEST_CASE("an unsupported layer is skipped and a throwing backend fails", "[verify]") {
    const QuantizedModel model = testing::sample_model();
    NoPoolingBackend nopool;
    ThrowingBackend throws;
    verify::ModelVerifier verifier(model, {&nopool, &throws});
    verifier.add_batch(verify::random_model_input(model, 5, 2), 0);
    const verify::VerifyReport& report = verifier.report();
    CHECK(report.checks[layer_index(model, "pool1")][0].outcome == Outcome::skipped);
    CHECK(report.checks[layer_index(model, "pool1")][0].reason == "unsupported: no pooling unit");
    CHECK(report.checks[layer_index(model, "avg")][0].outcome == Outcome::skipped);
    CHECK(report.checks[layer_index(model, "conv1")][0].outcome == Outcome::equal);
    CHECK(report.checks[layer_index(model, "fc")][1].outcome == Outcome::failed);
    CHECK(report.checks[layer_index(model, "fc")][1].reason == "kernel launch failed");
    CHECK(report.checks[layer_index(model, "head")][1].outcome == Outcome::equal);
    CHECK_FALSE(report.passed(false));
}
