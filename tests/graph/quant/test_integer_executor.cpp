// The integer executor must be exactly the reference ops, wired by the model's tensor ids.
#include <catch2/catch.hpp>
#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <random>

#include "graph/quant/integer_executor.h"
#include "graph/quant/reference_backend.h"
#include "util/thread_pool.h"
#include "util/error.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/quantize_input.h"
#include "reference/ops/residual_add.h"
#include "tests/graph/quant/sample_model.h"

namespace {

using namespace dyadic;
using namespace dyadic::quant;

bool equal_values(const Tensor& a, const Tensor& b) { return a.shape == b.shape && a.type == b.type && a.data == b.data; }

// A random input for every tensor a layer reads, drawn in the tensor's declared type and shape (batch 2).
std::vector<Tensor> random_inputs(std::mt19937& rng, const QuantizedModel& m, const QuantizedLayer& layer) {
    std::vector<Tensor> inputs;
    for (const TensorId id : layer.inputs) {
        Shape shape = m.tensors[static_cast<size_t>(id)].shape;
        shape[0] = 2;
        inputs.push_back(testing::random_tensor(rng, shape, m.tensors[static_cast<size_t>(id)].type));
    }
    return inputs;
}

std::vector<const Tensor*> pointers(const std::vector<Tensor>& tensors) {
    std::vector<const Tensor*> out;
    for (const Tensor& t : tensors) out.push_back(&t);
    return out;
}

}  // namespace

TEST_CASE("run_layer equals the direct reference op call for every layer kind", "[quant][executor]") {
    const QuantizedModel m = testing::sample_model();
    std::mt19937 rng(11);
    std::map<std::string, int> seen;
    for (const QuantizedLayer& layer : m.layers) {
        INFO("layer " << layer.name);
        const std::vector<Tensor> in = random_inputs(rng, m, layer);
        const Tensor got = run_layer(layer, pointers(in));
        Tensor expected;
        if (const auto* op = std::get_if<Conv2dLayer>(&layer.op)) {
            expected = op->residual ? residual_add(conv2d_accumulate(in[0], op->weight, op->bias, op->params), in[1],
                                                   op->residual->stage)
                                    : conv2d(in[0], op->weight, op->bias, op->params, op->output_stage);
        } else if (const auto* fc = std::get_if<FullyConnectedLayer>(&layer.op)) {
            expected = fully_connected(in[0], fc->weight, fc->bias, fc->output_stage);
        } else if (const auto* add = std::get_if<ResidualAddLayer>(&layer.op)) {
            expected = residual_add(in[0], in[1], add->stage);
        } else if (const auto* max = std::get_if<MaxPool2dLayer>(&layer.op)) {
            expected = max_pool2d(in[0], max->params);
        } else if (const auto* avg = std::get_if<AveragePool2dLayer>(&layer.op)) {
            expected = average_pool2d(in[0], avg->params, avg->stage);
        } else if (const auto* gap = std::get_if<GlobalAveragePoolLayer>(&layer.op)) {
            expected = global_average_pool(in[0], gap->multiplier, gap->output_type);
        } else if (const auto* cat = std::get_if<ConcatLayer>(&layer.op)) {
            expected = concat_channels(pointers(in), cat->multipliers, cat->output_type);
        } else if (const auto* requant = std::get_if<RequantizeLayer>(&layer.op)) {
            expected = concat_channels({&in[0]}, {requant->multiplier}, requant->output_type);
        } else if (std::holds_alternative<FlattenLayer>(layer.op)) {
            expected = Tensor({2, in[0].size() / 2}, in[0].type, in[0].data);
        } else if (const auto* reshape = std::get_if<ReshapeLayer>(&layer.op)) {
            Shape shape{2};
            shape.insert(shape.end(), reshape->shape.begin(), reshape->shape.end());
            expected = Tensor(shape, in[0].type, in[0].data);
        }
        CHECK(equal_values(got, expected));
        // The declared output type and (batch-free) shape match what the layer produced.
        const TensorInfo& info = m.tensors[static_cast<size_t>(layer.output)];
        CHECK(got.type == info.type);
        Shape declared = info.shape;
        declared[0] = 2;
        CHECK(got.shape == declared);
        ++seen[op_name(layer.op)];
    }
    CHECK(seen.size() == 10);  // every op kind was exercised
}

TEST_CASE("run_model chains run_layer through the tensor ids and reports every layer", "[quant][executor]") {
    const QuantizedModel m = testing::sample_model();
    std::mt19937 rng(5);
    const Tensor input = testing::random_tensor(rng, {3, 3, 7, 7}, m.tensors[0].type);

    // Independent wiring: keep every tensor, run the layers by hand.
    std::map<TensorId, Tensor> all{{m.input, input}};
    for (const QuantizedLayer& layer : m.layers) {
        std::vector<const Tensor*> in;
        for (const TensorId id : layer.inputs) in.push_back(&all.at(id));
        all[layer.output] = run_layer(layer, in);
    }

    std::vector<size_t> order;
    const std::vector<Tensor> outputs =
        run_model(m, input, [&](size_t index, const QuantizedLayer& layer, const std::vector<const Tensor*>& in,
                                const Tensor& out) {
            order.push_back(index);
            CHECK(&layer == &m.layers[index]);
            REQUIRE(in.size() == layer.inputs.size());
            for (size_t k = 0; k < in.size(); ++k) CHECK(equal_values(*in[k], all.at(layer.inputs[k])));
            CHECK(equal_values(out, all.at(layer.output)));
            CHECK(out.scales == std::vector<double>{m.tensors[static_cast<size_t>(layer.output)].scale});
        });
    REQUIRE(order.size() == m.layers.size());
    for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    REQUIRE(outputs.size() == 2);
    CHECK(equal_values(outputs[0], all.at(m.outputs[0])));
    CHECK(equal_values(outputs[1], all.at(m.outputs[1])));
}

TEST_CASE("run_model accepts a substitute layer runner", "[quant][executor]") {
    const QuantizedModel m = testing::sample_model();
    std::mt19937 rng(9);
    const Tensor input = testing::random_tensor(rng, {1, 3, 7, 7}, m.tensors[0].type);
    size_t calls = 0;
    const auto counting = [&](const QuantizedLayer& layer, const std::vector<const Tensor*>& in) {
        ++calls;
        return run_layer(layer, in);
    };
    const std::vector<Tensor> a = run_model(m, input, {}, counting);
    const std::vector<Tensor> b = run_model(m, input);
    CHECK(calls == m.layers.size());
    CHECK(equal_values(a[1], b[1]));
}

TEST_CASE("run_model quantizes float input with the model's input scale", "[quant][executor]") {
    const QuantizedModel m = testing::sample_model();
    std::vector<float> values(3 * 7 * 7);
    for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i) * 0.01f;
    const Tensor q = quantize_model_input(m, values, {1, 3, 7, 7});
    CHECK(equal_values(q, quantize_input(values, {1, 3, 7, 7}, 0.02, IntType::unsigned_bits(8))));
    CHECK(q.data[100] == 50);  // 1.0f / 0.02 = 50
    CHECK(q.data[146] == 73);  // 1.46f / 0.02 = 72.99999...
    CHECK_THROWS_WITH(quantize_model_input(m, values, {1, 3, 7, 6}), Catch::Contains("[N, 3, 7, 7]"));
}

TEST_CASE("run_model and run_layer reject mismatched inputs", "[quant][executor]") {
    const QuantizedModel m = testing::sample_model();
    CHECK_THROWS_WITH(run_model(m, Tensor({1, 3, 7, 7}, IntType::signed_bits(8))), Catch::Contains("expected uint8"));
    CHECK_THROWS_WITH(run_model(m, Tensor({1, 3, 6, 7}, IntType::unsigned_bits(8))), Catch::Contains("expected shape"));
    const Tensor x({1, 3, 7, 7}, IntType::unsigned_bits(8));
    CHECK_THROWS_WITH(run_layer(m.layers[0], {&x, &x}), Catch::Contains("conv1"));
}

TEST_CASE("requantize layer: rescale and clamp, hand-derived", "[quant][executor]") {
    // m = 0.5 exactly (b = 2^30, c = 31): 5 -> (5 * 2^30 + 2^30) >> 31 = 3 (2.5 rounds up), -5 -> -2,
    // 40 -> 20 -> clamped to uint4's 15, -1 -> 0 (-0.5 rounds up to 0), -3 -> -1 -> clamped to 0.
    QuantizedLayer layer{"rq", {0}, 1, RequantizeLayer{Dyadic{1 << 30, 31}, IntType::unsigned_bits(4)}};
    const Tensor x({1, 5, 1, 1}, IntType::signed_bits(8), {5, -5, 40, -1, -3});
    const Tensor y = run_layer(layer, {&x});
    CHECK(y.type == IntType::unsigned_bits(4));
    CHECK(y.data == std::vector<int32_t>{3, 0, 15, 0, 0});
    layer.op = RequantizeLayer{Dyadic{1 << 30, 31}, IntType::signed_bits(4)};
    CHECK(run_layer(layer, {&x}).data == std::vector<int32_t>{3, -2, 7, 0, -1});
}

TEST_CASE("part_size: at most the preferred size, balanced over the concurrent parts", "[quant][executor]") {
    // Hand-derived cases, then every batch, preference and concurrency in a small range against
    // the contract: parts no larger than preferred, no more rounds of `concurrent` parts than the
    // fewest parts that respect `preferred` need, and, with parts dealt to the threads in order,
    // no thread more than one image per round above an even split of the batch.
    CHECK(part_size(100, 32, 1) == 25);  // 4 parts of 25, not 32 + 32 + 32 + 4
    CHECK(part_size(100, 32, 2) == 25);
    CHECK(part_size(10000, 32, 2) == 32);
    CHECK(part_size(40, 0, 2) == 20);
    CHECK(part_size(7, 0, 1) == 7);
    for (int64_t batch = 1; batch <= 200; ++batch) {
        for (int64_t preferred = 0; preferred <= 40; ++preferred) {
            for (int concurrent = 1; concurrent <= 4; ++concurrent) {
                INFO("batch " << batch << ", preferred " << preferred << ", concurrent " << concurrent);
                const int64_t size = part_size(batch, preferred, concurrent);
                REQUIRE(size >= 1);
                if (preferred > 0) CHECK(size <= preferred);
                const int64_t parts = (batch + size - 1) / size, rounds = (parts + concurrent - 1) / concurrent;
                const int64_t fewest_parts = preferred > 0 ? (batch + preferred - 1) / preferred : 1;
                CHECK(rounds == (fewest_parts + concurrent - 1) / concurrent);
                std::vector<int64_t> load(static_cast<size_t>(concurrent), 0);
                for (int64_t part = 0; part < parts; ++part) {
                    load[static_cast<size_t>(part % concurrent)] += std::min(size, batch - part * size);
                }
                const int64_t even = (batch + concurrent - 1) / concurrent;
                CHECK(*std::max_element(load.begin(), load.end()) <= even + rounds - 1);
            }
        }
    }
    CHECK(part_size(0, 32, 2) == 1);
    CHECK_THROWS_AS(part_size(5, 32, 0), Error);
}

// The reference backend, asking for parts of `preferred` images and running them on a pool of
// `threads` at once, recording each part's image count as its first layer sees it.
class PartsBackend : public ReferenceBackend {
public:
    PartsBackend(int64_t preferred, int threads) : preferred_(preferred), pool_(threads) {}
    int64_t preferred_batch() const override { return preferred_; }
    int concurrent_parts() const override { return pool_.size(); }
    void run_parts(int64_t count, const std::function<void(int64_t)>& part) override { pool_.parallel_for(count, part); }
    std::vector<int64_t> part_images() const {
        std::lock_guard lock(mutex_);
        return part_images_;
    }

protected:
    Tensor conv2d(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input) override {
        if (layer.name == "conv1") {
            std::lock_guard lock(mutex_);
            part_images_.push_back(input.shape.at(0));
        }
        return ReferenceBackend::conv2d(layer, op, input);
    }

private:
    int64_t preferred_;
    ThreadPool pool_;
    mutable std::mutex mutex_;
    std::vector<int64_t> part_images_;
};

TEST_CASE("run_model_in_parts equals run_model on the whole batch for every part size", "[quant][executor]") {
    // Batches of 1 to 9 through the two-output sample model, in parts of 0 to 10 images (uneven
    // last parts, and parts of the whole batch or more) run one after the other or three at a
    // time, against one run_model over the whole batch.
    const QuantizedModel m = testing::sample_model();
    REQUIRE(m.layers[0].name == "conv1");
    std::mt19937 rng(17);
    for (int64_t batch = 1; batch <= 9; ++batch) {
        const Tensor input = testing::random_tensor(rng, {batch, 3, 7, 7}, m.tensors[0].type);
        const std::vector<Tensor> whole = run_model(m, input);
        for (int64_t preferred = 0; preferred <= 10; ++preferred) {
            for (const int threads : {1, 3}) {
                INFO("batch " << batch << ", preferred " << preferred << ", threads " << threads);
                PartsBackend backend(preferred, threads);
                const std::vector<Tensor> parts = run_model_in_parts(m, input, backend);
                REQUIRE(parts.size() == whole.size());
                for (size_t i = 0; i < whole.size(); ++i) {
                    CHECK(equal_values(parts[i], whole[i]));
                    CHECK(parts[i].scales == whole[i].scales);
                }
                // The parts the first layer saw: part_size's split, each image exactly once.
                const int64_t size = part_size(batch, preferred, threads);
                std::vector<int64_t> seen = backend.part_images(), expected;
                for (int64_t first = 0; first < batch; first += size) expected.push_back(std::min(size, batch - first));
                std::sort(seen.begin(), seen.end());
                std::sort(expected.begin(), expected.end());
                CHECK(seen == expected);
            }
        }
    }
}

TEST_CASE("run_model_in_parts: an error in one part reaches the caller, and the backend runs on",
          "[quant][executor]") {
    // Image 7 of 9 holds an element outside the input's type: the reference refuses it in the
    // part that holds it, on whichever of the 3 threads runs that part.
    const QuantizedModel m = testing::sample_model();
    std::mt19937 rng(23);
    Tensor input = testing::random_tensor(rng, {9, 3, 7, 7}, m.tensors[0].type);
    const std::vector<Tensor> whole = run_model(m, input);
    PartsBackend backend(2, 3);
    Tensor bad = input;
    bad.data[static_cast<size_t>(7 * 3 * 7 * 7 + 5)] = static_cast<int32_t>(bad.type.max() + 1);
    CHECK_THROWS_AS(run_model_in_parts(m, bad, backend), Error);
    const std::vector<Tensor> again = run_model_in_parts(m, input, backend);
    REQUIRE(again.size() == whole.size());
    for (size_t i = 0; i < whole.size(); ++i) CHECK(equal_values(again[i], whole[i]));
}

TEST_CASE("run_model_in_parts on a float batch quantizes each part as the whole batch would be",
          "[quant][executor]") {
    // Against quantize_model_input over the whole batch and one run_model; values on the rounding
    // ties of the input scale (k + 0.5 steps) and beyond the type's range included.
    const QuantizedModel m = testing::sample_model();
    const double scale = m.tensors[static_cast<size_t>(m.input)].scale;
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> steps(-400, 400);
    const Shape shape{7, 3, 7, 7};
    std::vector<float> values(static_cast<size_t>(element_count(shape)));
    for (float& v : values) v = static_cast<float>((steps(rng) + (rng() % 2 ? 0.5 : 0.0)) * scale);
    const std::vector<Tensor> whole = run_model(m, quantize_model_input(m, values, shape));
    for (const int64_t preferred : {0, 1, 2, 3, 7}) {
        INFO("preferred " << preferred);
        PartsBackend backend(preferred, 2);
        const std::vector<Tensor> parts = run_model_in_parts(m, values, shape, backend);
        REQUIRE(parts.size() == whole.size());
        for (size_t i = 0; i < whole.size(); ++i) CHECK(equal_values(parts[i], whole[i]));
    }
    // Bad input: the message the whole batch gives, naming the batch's shape or index.
    PartsBackend backend(2, 2);
    values[static_cast<size_t>(5 * 3 * 7 * 7 + 11)] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH(run_model_in_parts(m, values, shape, backend), Catch::Contains("[5, 0, 1, 4]"));
    CHECK_THROWS_WITH(run_model_in_parts(m, values, {7, 3, 7, 8}, backend), Catch::Contains("[7, 3, 7, 8]"));
}
