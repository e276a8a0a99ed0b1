// ONNX import of small models built here with the ONNX protobuf API.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "graph/ir/executor.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/onnx/onnx_file.h"
#include "util/error.h"
#include "test_helpers.h"

using namespace dyadic;
using namespace dyadic::ir;
using dyadic::ir::testing::naive_conv;
using dyadic::ir::testing::random_tensor;
using dyadic::ir::testing::require_close;

namespace {

struct ModelMaker {
    onnx::ModelProto model;
    onnx::GraphProto* graph;

    explicit ModelMaker(int opset) {
        model.set_ir_version(8);
        auto* op = model.add_opset_import();
        op->set_domain("");
        op->set_version(opset);
        graph = model.mutable_graph();
        graph->set_name("test");
    }
    // dims: a negative entry is the symbolic batch "N".
    void input(const std::string& name, std::vector<int64_t> dims, int type = onnx::TensorProto::FLOAT) {
        auto* in = graph->add_input();
        in->set_name(name);
        auto* t = in->mutable_type()->mutable_tensor_type();
        t->set_elem_type(type);
        for (const int64_t d : dims) {
            auto* dim = t->mutable_shape()->add_dim();
            if (d < 0) dim->set_dim_param("N");
            else dim->set_dim_value(d);
        }
    }
    void output(const std::string& name) { graph->add_output()->set_name(name); }
    static void fill(onnx::TensorProto& t, const std::string& name, const FloatTensor& value) {
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        for (const int64_t d : value.shape) t.add_dims(d);
        for (const float v : value.data) t.add_float_data(v);
    }
    void initializer(const std::string& name, const FloatTensor& value) { fill(*graph->add_initializer(), name, value); }
    void int64_initializer(const std::string& name, const std::vector<int64_t>& values) {
        auto* t = graph->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(int64_t(values.size()));
        for (const int64_t v : values) t->add_int64_data(v);
    }
    onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, const std::string& output,
                          const std::string& name = "") {
        auto* n = graph->add_node();
        n->set_op_type(op);
        n->set_name(name);
        for (const auto& in : inputs) n->add_input(in);
        n->add_output(output);
        return *n;
    }
    static void ints(onnx::NodeProto& n, const std::string& name, std::vector<int64_t> values) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        for (const int64_t v : values) a->add_ints(v);
    }
    static void integer(onnx::NodeProto& n, const std::string& name, int64_t value) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }
    static void text(onnx::NodeProto& n, const std::string& name, const std::string& value) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s(value);
    }
    static void real(onnx::NodeProto& n, const std::string& name, float value) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }
    void constant(const std::string& output, const FloatTensor& value) {
        auto& n = node("Constant", {}, output);
        auto* a = n.add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        fill(*a->mutable_t(), output, value);
    }
};

struct BatchNormValues {
    FloatTensor scale, bias, mean, var;
};

BatchNormValues add_batch_norm(ModelMaker& m, const std::string& prefix, int64_t channels, uint32_t seed) {
    BatchNormValues v{random_tensor(Shape{channels}, seed, 0.5f, 1.5f), random_tensor(Shape{channels}, seed + 1),
                      random_tensor(Shape{channels}, seed + 2), random_tensor(Shape{channels}, seed + 3, 0.5f, 2.0f)};
    m.initializer(prefix + ".scale", v.scale);
    m.initializer(prefix + ".bias", v.bias);
    m.initializer(prefix + ".mean", v.mean);
    m.initializer(prefix + ".var", v.var);
    return v;
}

void naive_batch_norm(FloatTensor& t, const BatchNormValues& v, double epsilon) {
    const int64_t c_ = t.dim(1), inner = t.dim(2) * t.dim(3);
    for (int64_t i = 0; i < t.size(); ++i) {
        const int64_t c = (i / inner) % c_;
        t.data[i] = float((t.data[i] - double(v.mean.data[c])) / std::sqrt(double(v.var.data[c]) + epsilon) *
                              v.scale.data[c] + v.bias.data[c]);
    }
}

void relu(FloatTensor& t) {
    for (float& v : t.data) v = std::max(v, 0.0f);
}

// image -> Conv(pads 1) -> BN -> Relu -> Conv(SAME_UPPER) -> BN -> Add(., r1) -> Relu -> MaxPool 2x2
// -> GlobalAveragePool -> Flatten -> Gemm(transB) -> logits; symbolic batch.
struct ResidualModel {
    ModelMaker m{13};
    FloatTensor w1 = random_tensor(Shape{4, 1, 3, 3}, 1), b1 = random_tensor(Shape{4}, 2);
    FloatTensor w2 = random_tensor(Shape{4, 4, 3, 3}, 3);
    FloatTensor fc = random_tensor(Shape{3, 4}, 4), fc_bias = random_tensor(Shape{3}, 5);
    BatchNormValues bn1, bn2;

    ResidualModel() {
        m.input("image", {-1, 1, 8, 8});
        m.initializer("w1", w1);
        m.initializer("b1", b1);
        m.initializer("w2", w2);
        m.initializer("fc.weight", fc);
        m.initializer("fc.bias", fc_bias);
        bn1 = add_batch_norm(m, "bn1", 4, 10);
        bn2 = add_batch_norm(m, "bn2", 4, 20);
        m.ints(m.node("Conv", {"image", "w1", "b1"}, "c1", "conv1"), "pads", {1, 1, 1, 1});
        m.node("BatchNormalization", {"c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"}, "n1", "bn1");
        m.node("Relu", {"n1"}, "r1", "relu1");
        m.text(m.node("Conv", {"r1", "w2"}, "c2", "conv2"), "auto_pad", "SAME_UPPER");
        m.node("BatchNormalization", {"c2", "bn2.scale", "bn2.bias", "bn2.mean", "bn2.var"}, "n2", "bn2");
        m.node("Add", {"n2", "r1"}, "sum", "add");
        m.node("Relu", {"sum"}, "r2", "relu2");
        auto& pool = m.node("MaxPool", {"r2"}, "p", "pool");
        m.ints(pool, "kernel_shape", {2, 2});
        m.ints(pool, "strides", {2, 2});
        m.node("GlobalAveragePool", {"p"}, "g", "gap");
        m.node("Flatten", {"g"}, "f", "flatten");
        m.integer(m.node("Gemm", {"f", "fc.weight", "fc.bias"}, "logits", "fc"), "transB", 1);
        m.output("logits");
    }

    // The model's definition, op by op in double where it matters.
    FloatTensor evaluate(const FloatTensor& image) const {
        ConvAttributes same;
        same.pad_top = same.pad_left = same.pad_bottom = same.pad_right = 1;
        FloatTensor r1 = naive_conv(image, w1, b1, same);
        naive_batch_norm(r1, bn1, 1e-5);
        relu(r1);
        FloatTensor r2 = naive_conv(r1, w2, FloatTensor(), same);
        naive_batch_norm(r2, bn2, 1e-5);
        for (int64_t i = 0; i < r2.size(); ++i) r2.data[i] += r1.data[i];
        relu(r2);
        const int64_t n_ = image.dim(0);
        FloatTensor logits(Shape{n_, 3});
        for (int64_t n = 0; n < n_; ++n) {
            std::vector<double> features(4, 0.0);
            for (int64_t c = 0; c < 4; ++c) {
                for (int64_t y = 0; y < 4; ++y)
                    for (int64_t x = 0; x < 4; ++x) {
                        float best = -1e30f;
                        for (int dy = 0; dy < 2; ++dy)
                            for (int dx = 0; dx < 2; ++dx)
                                best = std::max(best, r2.data[((n * 4 + c) * 8 + 2 * y + dy) * 8 + 2 * x + dx]);
                        features[c] += best / 16.0;
                    }
            }
            for (int64_t o = 0; o < 3; ++o) {
                double acc = fc_bias.data[o];
                for (int64_t c = 0; c < 4; ++c) acc += features[c] * fc.data[o * 4 + c];
                logits.data[n * 3 + o] = float(acc);
            }
        }
        return logits;
    }
};

}  // namespace

TEST_CASE("ONNX import: a residual CNN runs like its definition, before and after passes", "[ir][onnx]") {
    const ResidualModel model;
    Graph g = import_onnx(model.m.model);
    REQUIRE(g.inputs() == std::vector<std::string>{"image"});
    REQUIRE(g.outputs() == std::vector<std::string>{"logits"});
    REQUIRE(g.value("image").shape == Shape{1, 1, 8, 8});  // symbolic batch imports as 1
    REQUIRE(g.node_count() == 11);
    REQUIRE(g.node(*g.producer("c2")).name == "conv2");
    REQUIRE(g.node(*g.producer("c2")).conv.pad_top == 1);  // SAME_UPPER, 3x3, stride 1
    REQUIRE(g.node(*g.producer("logits")).op == OpKind::FullyConnected);
    REQUIRE(g.value("logits").shape == Shape{1, 3});

    const FloatTensor images = random_tensor(Shape{5, 1, 8, 8}, 30);
    const FloatTensor expected = model.evaluate(images);
    require_close(FloatExecutor(g).run(images), expected);

    const PassReport report = run_standard_passes(g);
    REQUIRE(report.batch_norms_folded == 2);
    REQUIRE(report.residual_adds_fused == 1);
    REQUIRE(g.node_count() == 6);  // conv1, conv2 (+ residual, ReLU), pool, gap, flatten, fc
    const Node& conv2 = g.node(*g.producer("r2"));
    REQUIRE(conv2.name == "conv2");
    REQUIRE(conv2.inputs[1] == "r1");
    REQUIRE(g.value("f").non_negative);
    require_close(FloatExecutor(g).run(images), expected);
}

TEST_CASE("ONNX import: the model file path, and a missing file", "[ir][onnx]") {
    const ResidualModel model;
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "dyadic_test_graph_ir_model.onnx";
    {
        std::ofstream out(path, std::ios::binary);
        REQUIRE(model.m.model.SerializeToOstream(&out));
    }
    const Graph g = import_onnx_file(path.string());
    std::filesystem::remove(path);
    REQUIRE(g.node_count() == 11);
    REQUIRE_THROWS_AS(import_onnx_file(path.string()), Error);
}

TEST_CASE("ONNX import: Clip(0, 6) is a ReLU6, in attribute and input form", "[ir][onnx]") {
    for (const int opset : {6, 13}) {
        INFO("opset " << opset);
        ModelMaker m(opset);
        m.input("x", {2, 3});
        if (opset >= 11) {
            m.constant("lo", FloatTensor(Shape{}, {0.0f}));
            m.constant("hi", FloatTensor(Shape{}, {6.0f}));
            m.node("Clip", {"x", "lo", "hi"}, "y", "relu6");
        } else {
            auto& clip = m.node("Clip", {"x"}, "y", "relu6");
            m.real(clip, "min", 0.0f);
            m.real(clip, "max", 6.0f);
        }
        m.output("y");
        const Graph g = import_onnx(m.model);
        const Node& n = g.node(g.nodes().at(0));
        REQUIRE(n.op == OpKind::Relu);
        REQUIRE(n.activation.upper_bound == 6.0);
        const FloatTensor y = FloatExecutor(g).run(FloatTensor(Shape{2, 3}, {-1.0f, 0.5f, 5.9f, 6.1f, 100.0f, 3.0f}));
        REQUIRE(y.data == std::vector<float>{0.0f, 0.5f, 5.9f, 6.0f, 6.0f, 3.0f});
    }
}

TEST_CASE("ONNX import: Reshape from a Constant node, MatMul, Concat, AveragePool", "[ir][onnx]") {
    ModelMaker m(13);
    m.input("x", {-1, 2, 4, 4});
    auto& pool = m.node("AveragePool", {"x"}, "p", "avg");
    m.ints(pool, "kernel_shape", {3, 3});
    m.ints(pool, "pads", {1, 1, 1, 1});
    m.integer(pool, "count_include_pad", 1);
    m.integer(m.node("Concat", {"x", "p"}, "cat", "cat"), "axis", -3);
    auto& shape = m.node("Constant", {}, "shape");
    auto* a = shape.add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    a->mutable_t()->add_dims(2);
    a->mutable_t()->add_int64_data(0);
    a->mutable_t()->add_int64_data(-1);
    m.node("Reshape", {"cat", "shape"}, "flat", "reshape");
    const FloatTensor w = random_tensor(Shape{64, 5}, 40);
    m.initializer("w", w);
    m.node("MatMul", {"flat", "w"}, "y", "matmul");
    m.output("y");
    const Graph g = import_onnx(m.model);
    REQUIRE(g.value("cat").shape == Shape{1, 4, 4, 4});
    REQUIRE(g.value("flat").shape == Shape{1, 64});
    REQUIRE(g.node(*g.producer("p")).pool.count_include_pad);

    const FloatTensor x = random_tensor(Shape{3, 2, 4, 4}, 41);
    FloatTensor expected(Shape{3, 5});
    for (int64_t n = 0; n < 3; ++n) {
        std::vector<double> features;
        for (int64_t c = 0; c < 2; ++c)
            for (int64_t i = 0; i < 16; ++i) features.push_back(x.data[(n * 2 + c) * 16 + i]);
        for (int64_t c = 0; c < 2; ++c)
            for (int64_t y = 0; y < 4; ++y)
                for (int64_t xx = 0; xx < 4; ++xx) {
                    double sum = 0;
                    for (int64_t yy = y - 1; yy <= y + 1; ++yy)
                        for (int64_t xq = xx - 1; xq <= xx + 1; ++xq)
                            if (yy >= 0 && yy < 4 && xq >= 0 && xq < 4) sum += x.data[((n * 2 + c) * 4 + yy) * 4 + xq];
                    features.push_back(sum / 9.0);  // count_include_pad: always the full window
                }
        for (int64_t o = 0; o < 5; ++o) {
            double acc = 0;
            for (int64_t k = 0; k < 64; ++k) acc += features[k] * w.data[k * 5 + o];
            expected.data[n * 5 + o] = float(acc);
        }
    }
    require_close(FloatExecutor(g).run(x), expected);
}

TEST_CASE("ONNX import: unsupported or malformed models are rejected by name", "[ir][onnx]") {
    {
        ModelMaker m(13);
        m.input("x", {1, 4});
        m.node("Sigmoid", {"x"}, "y", "gate");
        m.output("y");
        REQUIRE_THROWS_WITH(import_onnx(m.model),
                            Catch::Contains("'gate'") && Catch::Contains("op 'Sigmoid' is not supported"));
    }
    {
        ModelMaker m(13);
        m.input("x", {1, 1, 4, 4});
        m.input("w", {2, 1, 3, 3});
        m.node("Conv", {"x", "w"}, "y", "conv_runtime_weight");
        m.output("y");
        REQUIRE_THROWS_WITH(import_onnx(m.model),
                            Catch::Contains("conv_runtime_weight") && Catch::Contains("must be an initializer"));
    }
    {
        ModelMaker m(13);
        m.input("x", {1, 4}, onnx::TensorProto::INT8);
        m.node("Relu", {"x"}, "y");
        m.output("y");
        REQUIRE_THROWS_WITH(import_onnx(m.model), Catch::Contains("only FLOAT"));
    }
    {
        ModelMaker m(13);
        m.input("x", {1, 2, 2, 2});
        m.initializer("w", random_tensor(Shape{2, 2, 5, 5}, 1));
        m.node("Conv", {"x", "w"}, "y", "too_big");
        m.output("y");
        REQUIRE_THROWS_WITH(import_onnx(m.model), Catch::Contains("too_big") && Catch::Contains("larger than"));
    }
    {
        ModelMaker m(13);
        m.input("x", {1, 4});
        m.node("Relu", {"x"}, "y");
        m.output("z");
        REQUIRE_THROWS_WITH(import_onnx(m.model), Catch::Contains("'z'"));
    }
}
