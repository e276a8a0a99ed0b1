#include "graph/verify/random_case.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <type_traits>
#include <utility>

#include "reference/dyadic.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/pool2d_params.h"
#include "reference/requantize.h"
#include "util/error.h"

namespace dyadic::verify {
namespace {

// Draws from one mt19937_64 stream with our own mapping to ranges (the standard distributions'
// output differs between library implementations; a seed must mean the same case everywhere).
class Draw {
public:
    explicit Draw(uint64_t seed) : rng_(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) {}
    int64_t uniform(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
    }
    bool chance(int percent) { return uniform(0, 99) < percent; }
    double unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

private:
    std::mt19937_64 rng_;
};

IntType activation_type(Draw& d, bool allow_16_bits) {
    const int bits = allow_16_bits && d.chance(12) ? 16 : static_cast<int>(d.uniform(2, 8));
    return d.chance(50) ? IntType::unsigned_bits(bits) : IntType::signed_bits(bits);
}

// Uniform over the type's range; one tensor in ten holds only the extremes of its range.
Tensor random_tensor(Draw& d, const Shape& shape, IntType type) {
    Tensor t(shape, type);
    const bool extremes = d.chance(10);
    for (int32_t& v : t.data) {
        v = static_cast<int32_t>(extremes ? (d.chance(50) ? type.min() : type.max()) : d.uniform(type.min(), type.max()));
    }
    t.scales = {1.0};
    return t;
}

Tensor random_weight(Draw& d, const Shape& shape, int bits) {
    Tensor w = random_tensor(d, shape, IntType::signed_bits(bits));
    w.scales.assign(static_cast<size_t>(shape[0]), 0.01);
    return w;
}

enum class Mode { spread, ties, extreme };

Mode pick_mode(Draw& d) {
    const int64_t r = d.uniform(0, 99);
    return r < 60 ? Mode::spread : r < 85 ? Mode::ties : Mode::extreme;
}

const char* mode_name(Mode m) { return m == Mode::spread ? "spread" : m == Mode::ties ? "tie" : "extreme"; }

// A multiplier that maps values of typical magnitude `typical` onto an output range of `out_max`:
// spread around the matching ratio; a power of two 2^-k (b = 2^30, c = 30 + k) whose exact halves
// are rounding ties; or an extreme of the (b, c) range.
Dyadic multiplier(Draw& d, Mode mode, double typical, double out_max) {
    typical = std::max(typical, 1.0);
    out_max = std::max(out_max, 1.0);
    if (mode == Mode::spread) {
        const double r = out_max / typical * std::exp2(d.unit() * 4.0 - 2.0);
        return to_dyadic(std::clamp(r, 0x1.0p-31, 0x1.0p30));
    }
    if (mode == Mode::ties) {
        const int k = static_cast<int>(std::lround(std::log2(typical / out_max))) + static_cast<int>(d.uniform(-1, 1));
        return Dyadic{kMantissaMin, 30 + std::clamp(k, 1, 32)};
    }
    static const Dyadic extremes[] = {{0x7fffffff, 0}, {kMantissaMin, 0}, {0x7fffffff, 62}, {kMantissaMin, 62},
                                      {0x7fffffff, 31}, {kMantissaMin, 31}};
    return extremes[d.uniform(0, 5)];
}

std::vector<Dyadic> multipliers(Draw& d, Mode mode, int64_t channels, double typical, double out_max) {
    const int64_t count = d.chance(30) ? 1 : channels;
    std::vector<Dyadic> out;
    for (int64_t i = 0; i < count; ++i) out.push_back(multiplier(d, mode, typical, out_max));
    return out;
}

double magnitude(const IntType& t) { return static_cast<double>(std::max(-t.min(), t.max())); }

IntType output_type(Draw& d) {
    const int bits = d.chance(8) ? 16 : static_cast<int>(d.uniform(2, 8));
    return d.chance(50) ? IntType::unsigned_bits(bits) : IntType::signed_bits(bits);
}

Tensor random_bias(Draw& d, int64_t channels, double typical) {
    if (d.chance(20)) return Tensor{};  // no bias: shape [] and no data
    Tensor b({channels}, IntType::int32());
    const int64_t range = static_cast<int64_t>(std::min(typical * 2.0, 1.0e8)) + 1;
    for (int32_t& v : b.data) v = static_cast<int32_t>(d.uniform(-range, range));
    return b;
}

std::string shape_text(const Shape& s) { return to_string(s); }

struct ConvPick {
    Shape input, weight;
    Conv2dParams params;
    std::string text;
};

// A valid conv geometry: retries until conv2d_output_shape accepts it (a bounded number of draws,
// each a function of the seed).
ConvPick conv_geometry(Draw& d, bool depthwise, bool large) {
    for (int attempt = 0;; ++attempt) {
        ConvPick p;
        const int64_t n = d.uniform(1, 2);
        const int kh = static_cast<int>(d.chance(10) ? d.uniform(1, 5) : std::vector<int64_t>{1, 3, 3, 5}[d.uniform(0, 3)]);
        const int kw = d.chance(10) ? static_cast<int>(d.uniform(1, 5)) : kh;
        Conv2dParams& c = p.params;
        c.stride_h = static_cast<int>(d.uniform(1, 3));
        c.stride_w = d.chance(80) ? c.stride_h : static_cast<int>(d.uniform(1, 3));
        c.dilation_h = d.chance(20) ? 2 : 1;
        c.dilation_w = d.chance(80) ? c.dilation_h : static_cast<int>(d.uniform(1, 2));
        c.pad_top = static_cast<int>(d.uniform(0, kh - 1));
        c.pad_bottom = d.chance(80) ? c.pad_top : static_cast<int>(d.uniform(0, kh - 1));
        c.pad_left = static_cast<int>(d.uniform(0, kw - 1));
        c.pad_right = d.chance(80) ? c.pad_left : static_cast<int>(d.uniform(0, kw - 1));
        int64_t c_in, c_out;
        if (depthwise) {
            c_in = c_out = d.uniform(1, large ? 48 : 32);
            c.groups = static_cast<int>(c_in);
        } else {
            c.groups = d.chance(25) ? static_cast<int>(d.uniform(2, 4)) : 1;
            c_in = c.groups * d.uniform(1, large ? 8 : 6);
            c_out = c.groups * d.uniform(1, large ? 12 : 10);
            if (large) {
                c_in = c.groups * (32 / c.groups);
                c_out = c.groups * (48 / c.groups);
            }
        }
        const int64_t h = large ? d.uniform(40, 56) : d.uniform(1, 20);
        const int64_t w = large ? d.uniform(40, 56) : d.uniform(1, 20);
        p.input = {n, c_in, h, w};
        p.weight = {c_out, c_in / c.groups, kh, kw};
        try {
            conv2d_output_shape(p.input, p.weight, p.params);
        } catch (const Error&) {
            require(attempt < 1000, "random case: no valid conv geometry found");
            continue;
        }
        p.text = std::to_string(kh) + "x" + std::to_string(kw) + " s" + std::to_string(c.stride_h) + "," +
                 std::to_string(c.stride_w) + " d" + std::to_string(c.dilation_h) + "," + std::to_string(c.dilation_w) +
                 " p" + std::to_string(c.pad_top) + "," + std::to_string(c.pad_left) + "," + std::to_string(c.pad_bottom) +
                 "," + std::to_string(c.pad_right) + " g" + std::to_string(c.groups) + " " + shape_text(p.input) +
                 " -> " + std::to_string(c_out);
        return p;
    }
}

Pool2dParams pool_geometry(Draw& d, Shape& input) {
    for (int attempt = 0;; ++attempt) {
        Pool2dParams p;
        p.kernel_h = static_cast<int>(d.uniform(1, 4));
        p.kernel_w = d.chance(80) ? p.kernel_h : static_cast<int>(d.uniform(1, 4));
        p.stride_h = static_cast<int>(d.uniform(1, 3));
        p.stride_w = d.chance(80) ? p.stride_h : static_cast<int>(d.uniform(1, 3));
        p.pad_top = static_cast<int>(d.uniform(0, p.kernel_h - 1));
        p.pad_bottom = static_cast<int>(d.uniform(0, p.kernel_h - 1));
        p.pad_left = static_cast<int>(d.uniform(0, p.kernel_w - 1));
        p.pad_right = static_cast<int>(d.uniform(0, p.kernel_w - 1));
        input = {d.uniform(1, 2), d.uniform(1, 12), d.uniform(1, 17), d.uniform(1, 17)};
        try {
            pool2d_output_shape(input, p, "pool");
            return p;
        } catch (const Error&) {
            require(attempt < 1000, "random case: no valid pooling geometry found");
        }
    }
}

std::string type_text(const IntType& t) { return t.name(); }

void conv_case(Draw& d, LayerCase& c, bool depthwise, bool fused_residual) {
    const bool large = d.chance(3);
    const ConvPick g = conv_geometry(d, depthwise, large);
    const IntType in_type = activation_type(d, false);
    const int w_bits = static_cast<int>(d.uniform(2, 8));
    const Tensor input = random_tensor(d, g.input, in_type);
    quant::Conv2dLayer op;
    op.weight = random_weight(d, g.weight, w_bits);
    op.params = g.params;
    const int64_t k = g.weight[1] * g.weight[2] * g.weight[3];
    const double typical = std::sqrt(static_cast<double>(k)) * magnitude(in_type) * std::exp2(w_bits - 2) / 2.0;
    op.bias = random_bias(d, g.weight[0], typical);
    const Mode mode = pick_mode(d);
    const IntType out = output_type(d);
    const bool relu = d.chance(40);
    c.inputs = {input};
    if (!fused_residual) {
        op.output_stage = OutputStage{multipliers(d, mode, g.weight[0], typical, magnitude(out)), out, relu};
        c.description = std::string(depthwise ? "depthwise " : "") + "conv2d " + g.text + " w" +
                        std::to_string(w_bits) + " " + type_text(in_type) + " -> " + type_text(out) +
                        (relu ? " relu" : "") + ", " + mode_name(mode) + " multipliers";
    } else {
        const Shape out_shape = conv2d_output_shape(g.input, g.weight, g.params);
        const IntType id_type = activation_type(d, true);
        c.inputs.push_back(random_tensor(d, out_shape, id_type));
        ResidualAddStage stage;
        stage.main_multipliers = multipliers(d, mode, g.weight[0], typical, magnitude(out));
        stage.identity_multiplier = multiplier(d, pick_mode(d), magnitude(id_type) / 2, magnitude(out));
        stage.output_type = out;
        stage.relu = relu;
        op.residual = quant::FusedResidual{stage};
        c.description = "conv2d+residual " + g.text + " w" + std::to_string(w_bits) + " " + type_text(in_type) +
                        " + identity " + type_text(id_type) + " -> " + type_text(out) + (relu ? " relu" : "") + ", " +
                        mode_name(mode) + " multipliers";
    }
    c.layer.op = op;
}

void fully_connected_case(Draw& d, LayerCase& c) {
    const int64_t n = d.uniform(1, 3), k = d.uniform(1, 600), m = d.uniform(1, 64);
    const IntType in_type = activation_type(d, false);
    const int w_bits = static_cast<int>(d.uniform(2, 8));
    quant::FullyConnectedLayer op;
    op.weight = random_weight(d, {m, k}, w_bits);
    const double typical = std::sqrt(static_cast<double>(k)) * magnitude(in_type) * std::exp2(w_bits - 2) / 2.0;
    op.bias = random_bias(d, m, typical);
    const Mode mode = pick_mode(d);
    const IntType out = output_type(d);
    op.output_stage = OutputStage{multipliers(d, mode, m, typical, magnitude(out)), out, d.chance(30)};
    c.inputs = {random_tensor(d, {n, k}, in_type)};
    c.layer.op = op;
    c.description = "fully_connected [" + std::to_string(n) + ", " + std::to_string(k) + "] -> " + std::to_string(m) +
                    " w" + std::to_string(w_bits) + " " + type_text(in_type) + " -> " + type_text(out) + ", " +
                    mode_name(mode) + " multipliers";
}

Shape activation_shape(Draw& d) { return {d.uniform(1, 2), d.uniform(1, 16), d.uniform(1, 14), d.uniform(1, 14)}; }

void residual_add_case(Draw& d, LayerCase& c) {
    const Shape shape = activation_shape(d);
    // The main branch is any width up to int32 (an accumulator), the identity at most 16 bits.
    const IntType main_type = d.chance(40) ? IntType::int32() : activation_type(d, true);
    const IntType id_type = activation_type(d, true);
    Tensor main(shape, main_type);
    const int64_t main_range = main_type.bits == 32 ? (int64_t{1} << d.uniform(8, 30)) : 0;
    for (int32_t& v : main.data) {
        v = static_cast<int32_t>(main_type.bits == 32 ? d.uniform(-main_range, main_range)
                                                      : d.uniform(main_type.min(), main_type.max()));
    }
    const Mode mode = pick_mode(d);
    const IntType out = output_type(d);
    ResidualAddStage stage;
    const double main_typical = main_type.bits == 32 ? static_cast<double>(main_range) / 2 : magnitude(main_type) / 2;
    stage.main_multipliers = multipliers(d, mode, shape[1], main_typical, magnitude(out));
    stage.identity_multiplier = multiplier(d, pick_mode(d), magnitude(id_type) / 2, magnitude(out));
    stage.output_type = out;
    stage.relu = d.chance(40);
    c.inputs = {main, random_tensor(d, shape, id_type)};
    c.layer.op = quant::ResidualAddLayer{stage};
    c.description = "residual_add " + shape_text(shape) + " " + type_text(main_type) + " + " + type_text(id_type) +
                    " -> " + type_text(out) + ", " + mode_name(mode) + " multipliers";
}

void pool_case(Draw& d, LayerCase& c, bool average) {
    Shape shape;
    const Pool2dParams p = pool_geometry(d, shape);
    const IntType in_type = activation_type(d, true);
    c.inputs = {random_tensor(d, shape, in_type)};
    const std::string geometry = std::to_string(p.kernel_h) + "x" + std::to_string(p.kernel_w) + " s" +
                                 std::to_string(p.stride_h) + "," + std::to_string(p.stride_w) + " p" +
                                 std::to_string(p.pad_top) + "," + std::to_string(p.pad_left) + "," +
                                 std::to_string(p.pad_bottom) + "," + std::to_string(p.pad_right);
    if (!average) {
        c.layer.op = quant::MaxPool2dLayer{p};
        c.description = "max_pool2d " + geometry + " " + shape_text(shape) + " " + type_text(in_type);
        return;
    }
    const IntType out = output_type(d);
    const bool include_pad = d.chance(30);
    const double ratio = magnitude(out) / magnitude(in_type) * std::exp2(d.unit() * 2.0 - 1.0);
    c.layer.op = quant::AveragePool2dLayer{p, make_average_pool_stage(ratio, p.kernel_h * p.kernel_w, out, include_pad)};
    c.description = "average_pool2d " + geometry + (include_pad ? " count_include_pad " : " ") + shape_text(shape) +
                    " " + type_text(in_type) + " -> " + type_text(out);
}

void global_pool_case(Draw& d, LayerCase& c) {
    const Shape shape = activation_shape(d);
    const IntType in_type = activation_type(d, true);
    const IntType out = output_type(d);
    const Mode mode = pick_mode(d);
    const double typical = static_cast<double>(shape[2] * shape[3]) * magnitude(in_type) / 2;
    c.inputs = {random_tensor(d, shape, in_type)};
    c.layer.op = quant::GlobalAveragePoolLayer{multiplier(d, mode, typical, magnitude(out)), out};
    c.description = "global_average_pool " + shape_text(shape) + " " + type_text(in_type) + " -> " + type_text(out) +
                    ", " + mode_name(mode) + " multiplier";
}

void concat_case(Draw& d, LayerCase& c) {
    const int64_t n = d.uniform(1, 2), h = d.uniform(1, 12), w = d.uniform(1, 12);
    const int64_t count = d.uniform(1, 4);
    const IntType out = output_type(d);
    const Mode mode = pick_mode(d);
    quant::ConcatLayer op;
    op.output_type = out;
    c.description = "concat ->" + type_text(out) + " of";
    for (int64_t i = 0; i < count; ++i) {
        const IntType t = activation_type(d, true);
        const Shape shape{n, d.uniform(1, 8), h, w};
        c.inputs.push_back(random_tensor(d, shape, t));
        op.multipliers.push_back(multiplier(d, mode, magnitude(t) / 2, magnitude(out)));
        c.description += " " + shape_text(shape) + " " + type_text(t);
    }
    c.description += std::string(", ") + mode_name(mode) + " multipliers";
    c.layer.op = op;
}

void requantize_case(Draw& d, LayerCase& c) {
    const Shape shape = activation_shape(d);
    const IntType in_type = activation_type(d, true);
    const IntType out = output_type(d);
    const Mode mode = pick_mode(d);
    c.inputs = {random_tensor(d, shape, in_type)};
    c.layer.op = quant::RequantizeLayer{multiplier(d, mode, magnitude(in_type) / 2, magnitude(out)), out};
    c.description = "requantize " + shape_text(shape) + " " + type_text(in_type) + " -> " + type_text(out) + ", " +
                    mode_name(mode) + " multiplier";
}

bool is_tie(int64_t value, const Dyadic& m) {
    if (m.shift == 0) return false;
    const int64_t product = value * m.mantissa;  // |value| < 2^31 and b < 2^31: fits int64
    const int64_t low = product & ((int64_t{1} << m.shift) - 1);  // product mod 2^c, also for negatives
    return low == (int64_t{1} << (m.shift - 1));
}

void count_tie(TieCount& count, int64_t value, const Dyadic& m, const ClampRange* range) {
    if (!is_tie(value, m)) return;
    if (range != nullptr) {
        const int64_t r = dyadic_scale(value, m);
        if (r < range->lo || r > range->hi) return;  // clamped away: the rounding is not visible
    }
    (value > 0 ? count.positive : count.negative) += 1;
}

// Channel of flat element i of an [N, C, ...] tensor.
int64_t channel_of(const Tensor& t, size_t i) {
    int64_t inner = 1;
    for (size_t a = 2; a < t.shape.size(); ++a) inner *= t.shape[a];
    return (static_cast<int64_t>(i) / inner) % t.shape[1];
}

const Dyadic& per_channel(const std::vector<Dyadic>& ms, int64_t channel) {
    return ms.size() == 1 ? ms[0] : ms[static_cast<size_t>(channel)];
}


// Builds a model tensor by tensor; every layer's output info is what the layer produces.
class GraphBuilder {
public:
    explicit GraphBuilder(quant::QuantizedModel& m) : m_(m) {}
    quant::TensorId tensor(const std::string& name, Shape shape, IntType type) {
        m_.tensors.push_back(quant::TensorInfo{name, std::move(shape), type, 1.0});
        return static_cast<quant::TensorId>(m_.tensors.size() - 1);
    }
    const quant::TensorInfo& info(quant::TensorId id) const { return m_.tensors[static_cast<size_t>(id)]; }
    quant::TensorId layer(const std::string& name, std::vector<quant::TensorId> inputs, Shape shape, IntType type,
                          quant::LayerOp op) {
        const quant::TensorId out = tensor(name, std::move(shape), type);
        m_.layers.push_back(quant::QuantizedLayer{name, std::move(inputs), out, std::move(op)});
        return out;
    }
    // A conv with padding (k - 1) / 2 and the given stride, random weights, bias and multipliers.
    quant::TensorId conv(Draw& d, const std::string& name, quant::TensorId x, int64_t c_out, int k, int stride,
                         IntType out, bool relu, std::optional<std::pair<quant::TensorId, IntType>> residual = {}) {
        const quant::TensorInfo& in = info(x);
        quant::Conv2dLayer op;
        op.params.stride_h = op.params.stride_w = stride;
        op.params.pad_top = op.params.pad_left = op.params.pad_bottom = op.params.pad_right = (k - 1) / 2;
        const int w_bits = static_cast<int>(d.uniform(2, 8));
        op.weight = random_weight(d, {c_out, in.shape[1], k, k}, w_bits);
        const double typical = std::sqrt(static_cast<double>(in.shape[1] * k * k)) * magnitude(in.type) *
                               std::exp2(w_bits - 2) / 2.0;
        op.bias = random_bias(d, c_out, typical);
        const Mode mode = pick_mode(d) == Mode::extreme ? Mode::spread : pick_mode(d);
        Shape shape = conv2d_output_shape(in.shape, op.weight.shape, op.params);
        std::vector<quant::TensorId> inputs{x};
        if (residual) {
            ResidualAddStage stage;
            stage.main_multipliers = multipliers(d, mode, c_out, typical, magnitude(out));
            stage.identity_multiplier = multiplier(d, Mode::spread, magnitude(residual->second) / 2, magnitude(out));
            stage.output_type = out;
            stage.relu = relu;
            op.residual = quant::FusedResidual{stage};
            inputs.push_back(residual->first);
        } else {
            op.output_stage = OutputStage{multipliers(d, mode, c_out, typical, magnitude(out)), out, relu};
        }
        return layer(name, inputs, std::move(shape), out, op);
    }

private:
    quant::QuantizedModel& m_;
};

IntType unsigned_activation(Draw& d) { return IntType::unsigned_bits(static_cast<int>(d.uniform(2, 8))); }

// stem conv -> max pool -> conv -> conv + fused residual (int16 or uint16 stream) -> requantize ->
// global average pool -> flatten -> fully connected: the shape of the bundled ResNets.
void residual_graph(Draw& d, GraphBuilder& g, quant::QuantizedModel& m) {
    const int64_t n = d.uniform(1, 2), c = d.uniform(2, 24), h = d.uniform(6, 20), w = d.uniform(6, 20);
    m.input = g.tensor("input", {n, d.uniform(1, 3), h, w}, d.chance(50) ? IntType::unsigned_bits(8) : IntType::signed_bits(8));
    const IntType a = unsigned_activation(d);
    const quant::TensorId stem = g.conv(d, "stem", m.input, c, 3, 1, a, true);
    Pool2dParams pool;
    const quant::TensorInfo& stem_info = g.info(stem);
    const quant::TensorId pooled = g.layer("pool", {stem}, pool2d_output_shape(stem_info.shape, pool, "pool"), a,
                                           quant::MaxPool2dLayer{pool});
    const quant::TensorId conv1 = g.conv(d, "conv1", pooled, c, 3, 1, unsigned_activation(d), true);
    const IntType stream = d.chance(50) ? IntType::unsigned_bits(16) : IntType::signed_bits(16);
    const quant::TensorId block =
        g.conv(d, "conv2", conv1, c, 3, 1, stream, !stream.is_signed, std::make_pair(pooled, a));
    const IntType a2 = unsigned_activation(d);
    const quant::TensorId requant = g.layer("requant", {block}, g.info(block).shape, a2,
                                            quant::RequantizeLayer{multiplier(d, Mode::spread, 20000, magnitude(a2)), a2});
    const Shape gap_shape{n, c, 1, 1};
    const double plane = static_cast<double>(g.info(requant).shape[2] * g.info(requant).shape[3]);
    const quant::TensorId gap =
        g.layer("gap", {requant}, gap_shape, IntType::unsigned_bits(8),
                quant::GlobalAveragePoolLayer{multiplier(d, Mode::spread, plane * magnitude(a2) / 2, 255),
                                              IntType::unsigned_bits(8)});
    const quant::TensorId flat = g.layer("flatten", {gap}, {n, c}, IntType::unsigned_bits(8), quant::FlattenLayer{});
    quant::FullyConnectedLayer fc;
    const int64_t classes = d.uniform(2, 12);
    fc.weight = random_weight(d, {classes, c}, static_cast<int>(d.uniform(2, 8)));
    fc.bias = random_bias(d, classes, 1000);
    fc.output_stage = OutputStage{multipliers(d, pick_mode(d), classes, std::sqrt(c) * 255 * 16, 127),
                                  IntType::signed_bits(8), false};
    m.outputs = {g.layer("fc", {flat}, {n, classes}, IntType::signed_bits(8), fc)};
}

// Two parallel convs (1x1 and 3x3) -> concat -> average pool -> strided 1x1 conv: the shape of an
// Inception module.
void concat_graph(Draw& d, GraphBuilder& g, quant::QuantizedModel& m) {
    const int64_t n = d.uniform(1, 2), h = d.uniform(3, 16), w = d.uniform(3, 16);
    m.input = g.tensor("input", {n, d.uniform(1, 12), h, w}, unsigned_activation(d));
    const quant::TensorId a = g.conv(d, "branch1x1", m.input, d.uniform(1, 12), 1, 1, unsigned_activation(d), true);
    const quant::TensorId b = g.conv(d, "branch3x3", m.input, d.uniform(1, 12), 3, 1, unsigned_activation(d), true);
    const IntType cat_type = unsigned_activation(d);
    quant::ConcatLayer cat;
    cat.output_type = cat_type;
    for (const quant::TensorId t : {a, b}) {
        cat.multipliers.push_back(multiplier(d, pick_mode(d), magnitude(g.info(t).type) / 2, magnitude(cat_type)));
    }
    const int64_t channels = g.info(a).shape[1] + g.info(b).shape[1];
    const quant::TensorId joined = g.layer("concat", {a, b}, {n, channels, h, w}, cat_type, cat);
    Pool2dParams avg;
    avg.kernel_h = avg.kernel_w = 3;
    avg.stride_h = avg.stride_w = 1;
    avg.pad_top = avg.pad_left = avg.pad_bottom = avg.pad_right = 1;
    const IntType pooled_type = unsigned_activation(d);
    const quant::TensorId pooled =
        g.layer("avgpool", {joined}, {n, channels, h, w}, pooled_type,
                quant::AveragePool2dLayer{avg, make_average_pool_stage(magnitude(pooled_type) / magnitude(cat_type), 9,
                                                                       pooled_type, d.chance(50))});
    m.outputs = {g.conv(d, "reduce", pooled, d.uniform(1, 16), 1, 2, IntType::signed_bits(8), false)};
}

}  // namespace

GraphCase random_graph_case(uint64_t seed) {
    Draw d(seed ^ 0x5EED5EED5EED5EEDULL);
    GraphCase c;
    c.seed = seed;
    GraphBuilder g(c.model);
    const bool residual = d.chance(50);
    if (residual) {
        residual_graph(d, g, c.model);
    } else {
        concat_graph(d, g, c.model);
    }
    c.model.name = "graph" + std::to_string(seed);
    quant::validate(c.model);
    c.description = std::string(residual ? "residual" : "concat") + " graph, input " +
                    to_string(c.model.tensors[static_cast<size_t>(c.model.input)].shape) + " " +
                    c.model.tensors[static_cast<size_t>(c.model.input)].type.name() + ", " +
                    std::to_string(c.model.layers.size()) + " layers";
    const quant::TensorInfo& in = c.model.tensors[static_cast<size_t>(c.model.input)];
    c.input = random_tensor(d, in.shape, in.type);
    return c;
}

std::vector<const Tensor*> LayerCase::input_pointers() const {
    std::vector<const Tensor*> out;
    for (const Tensor& t : inputs) out.push_back(&t);
    return out;
}

LayerCase random_layer_case(uint64_t seed) {
    Draw d(seed);
    LayerCase c;
    c.seed = seed;
    const int64_t kind = d.uniform(0, 99);
    if (kind < 30) conv_case(d, c, false, false);
    else if (kind < 38) conv_case(d, c, true, false);
    else if (kind < 48) fully_connected_case(d, c);
    else if (kind < 60) conv_case(d, c, false, true);
    else if (kind < 68) residual_add_case(d, c);
    else if (kind < 74) pool_case(d, c, false);
    else if (kind < 82) pool_case(d, c, true);
    else if (kind < 88) global_pool_case(d, c);
    else if (kind < 94) concat_case(d, c);
    else requantize_case(d, c);
    c.layer.name = "case" + std::to_string(seed);
    c.layer.output = static_cast<quant::TensorId>(c.inputs.size());
    for (size_t i = 0; i < c.inputs.size(); ++i) c.layer.inputs.push_back(static_cast<quant::TensorId>(i));
    return c;
}

TieCount count_rounding_ties(const LayerCase& c) {
    TieCount count;
    std::visit(
        [&](const auto& op) {
            using T = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<T, quant::Conv2dLayer> || std::is_same_v<T, quant::FullyConnectedLayer>) {
                Tensor acc;
                if constexpr (std::is_same_v<T, quant::Conv2dLayer>) {
                    acc = conv2d_accumulate(c.inputs[0], op.weight, op.bias, op.params);
                } else {
                    acc = fully_connected_accumulate(c.inputs[0], op.weight, op.bias);
                }
                bool residual = false;
                if constexpr (std::is_same_v<T, quant::Conv2dLayer>) residual = op.residual.has_value();
                if (!residual) {
                    const ClampRange range = clamp_range(op.output_stage.output_type, op.output_stage.relu);
                    for (size_t i = 0; i < acc.data.size(); ++i) {
                        count_tie(count, acc.data[i], op.output_stage.multiplier_for(channel_of(acc, i)), &range);
                    }
                } else if constexpr (std::is_same_v<T, quant::Conv2dLayer>) {
                    const ResidualAddStage& s = op.residual->stage;
                    for (size_t i = 0; i < acc.data.size(); ++i) {
                        count_tie(count, acc.data[i], per_channel(s.main_multipliers, channel_of(acc, i)), nullptr);
                        count_tie(count, c.inputs[1].data[i], s.identity_multiplier, nullptr);
                    }
                }
            } else if constexpr (std::is_same_v<T, quant::ResidualAddLayer>) {
                for (size_t i = 0; i < c.inputs[0].data.size(); ++i) {
                    count_tie(count, c.inputs[0].data[i], per_channel(op.stage.main_multipliers, channel_of(c.inputs[0], i)),
                              nullptr);
                    count_tie(count, c.inputs[1].data[i], op.stage.identity_multiplier, nullptr);
                }
            } else if constexpr (std::is_same_v<T, quant::RequantizeLayer>) {
                const ClampRange range = clamp_range(op.output_type, false);
                for (const int32_t v : c.inputs[0].data) count_tie(count, v, op.multiplier, &range);
            } else if constexpr (std::is_same_v<T, quant::ConcatLayer>) {
                const ClampRange range = clamp_range(op.output_type, false);
                for (size_t k = 0; k < c.inputs.size(); ++k) {
                    for (const int32_t v : c.inputs[k].data) count_tie(count, v, op.multipliers[k], &range);
                }
            } else if constexpr (std::is_same_v<T, quant::GlobalAveragePoolLayer>) {
                const Tensor& x = c.inputs[0];
                const ClampRange range = clamp_range(op.output_type, false);
                const int64_t plane = x.shape[2] * x.shape[3];
                for (int64_t p = 0; p < x.shape[0] * x.shape[1]; ++p) {
                    int64_t sum = 0;
                    for (int64_t i = 0; i < plane; ++i) sum += x.data[static_cast<size_t>(p * plane + i)];
                    count_tie(count, sum, op.multiplier, &range);
                }
            }
        },
        c.layer.op);
    return count;
}

}  // namespace dyadic::verify
