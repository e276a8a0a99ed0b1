// The integer executor must be exactly the reference ops, wired by the model's tensor ids.
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "graph/quant/integer_executor.h"
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

TEST_CASE("run_model_in_parts equals run_model on the whole batch for every part size", "[quant][executor]") {
    // Batch 5 through the two-output sample model, in parts of 1 to 6 images (uneven last parts,
    // and parts of the whole batch or more), against one run_model over all 5 images.
    const QuantizedModel m = testing::sample_model();
    std::mt19937 rng(17);
    const Tensor input = testing::random_tensor(rng, {5, 3, 7, 7}, m.tensors[0].type);
    const std::vector<Tensor> whole = run_model(m, input);
    for (int64_t part = 0; part <= 6; ++part) {
        INFO("part " << part);
        size_t calls = 0;
        const auto counting = [&](const QuantizedLayer& layer, const std::vector<const Tensor*>& in) {
            ++calls;
            return run_layer(layer, in);
        };
        const std::vector<Tensor> parts = run_model_in_parts(m, input, part, counting);
        REQUIRE(parts.size() == whole.size());
        for (size_t i = 0; i < whole.size(); ++i) {
            CHECK(equal_values(parts[i], whole[i]));
            CHECK(parts[i].scales == whole[i].scales);
        }
        const int64_t runs = part <= 0 || part >= 5 ? 1 : (5 + part - 1) / part;
        CHECK(calls == static_cast<size_t>(runs) * m.layers.size());
    }
}
