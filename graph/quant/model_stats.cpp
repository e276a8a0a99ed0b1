#include "graph/quant/model_stats.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "util/error.h"

namespace dyadic::quant {
namespace {

// MACs per image: one per weight per output position (conv), one per weight (fully connected).
int64_t layer_macs(const QuantizedModel& model, const QuantizedLayer& layer) {
    const Shape& out = model.tensors[static_cast<size_t>(layer.output)].shape;
    if (const auto* conv = std::get_if<Conv2dLayer>(&layer.op)) {
        const Shape& w = conv->weight.shape;  // [C_out, C_in / groups, KH, KW]
        return w[0] * w[1] * w[2] * w[3] * out[2] * out[3];
    }
    if (const auto* fc = std::get_if<FullyConnectedLayer>(&layer.op)) return fc->weight.size();
    return 0;
}

}  // namespace

ModelStats model_stats(const QuantizedModel& model) {
    ModelStats stats;
    for (const QuantizedLayer& layer : model.layers) {
        LayerStats s;
        s.name = layer.name;
        s.op = op_name(layer.op);
        s.output_shape = model.tensors[static_cast<size_t>(layer.output)].shape;
        s.weight_bits = weight_bits(layer);
        s.activation_bits = activation_bits(model, layer);
        s.output_bits = model.tensors[static_cast<size_t>(layer.output)].type.bits;
        s.macs = layer_macs(model, layer);
        if (const Tensor* weight = weight_of(layer)) s.weight_size_bits = weight->size() * weight->type.bits;
        if (const auto* conv = std::get_if<Conv2dLayer>(&layer.op)) s.bias_size_bits = conv->bias.size() * 32;
        if (const auto* fc = std::get_if<FullyConnectedLayer>(&layer.op)) s.bias_size_bits = fc->bias.size() * 32;
        s.bops = s.macs * s.weight_bits * s.activation_bits;
        stats.total_macs += s.macs;
        stats.total_weight_size_bits += s.weight_size_bits;
        stats.total_bias_size_bits += s.bias_size_bits;
        stats.total_bops += s.bops;
        stats.layers.push_back(std::move(s));
    }
    return stats;
}

WeightStatistics weight_statistics(const Tensor& weight) {
    require(weight.type.bits <= 16, "weight statistics: type " + weight.type.name() + " is wider than 16 bits");
    WeightStatistics s;
    s.count = weight.size();
    s.histogram_first = weight.type.min();
    s.histogram.assign(static_cast<size_t>(weight.type.max() - weight.type.min() + 1), 0);
    if (weight.data.empty()) return s;
    s.min = *std::min_element(weight.data.begin(), weight.data.end());
    s.max = *std::max_element(weight.data.begin(), weight.data.end());
    int64_t sum_abs = 0;  // at most 2^15 per element: exact for any tensor below 2^48 elements
    for (const int32_t w : weight.data) {
        require(weight.type.contains(w), "weight statistics: element " + std::to_string(w) + " outside " +
                                             weight.type.name());
        sum_abs += w < 0 ? -int64_t{w} : int64_t{w};
        ++s.histogram[static_cast<size_t>(w - s.histogram_first)];
    }
    s.mean_abs = static_cast<double>(sum_abs) / static_cast<double>(s.count);
    return s;
}

std::string stats_table(const ModelStats& stats) {
    size_t name_width = 5;  // "layer"
    for (const LayerStats& s : stats.layers) name_width = std::max(name_width, s.name.size());
    const int w = static_cast<int>(name_width);
    std::ostringstream out;
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-19s %-17s %3s %3s %3s %12s %12s %14s\n", w, "layer", "op", "output", "w",
                  "a", "out", "MACs", "weight bits", "BOPS");
    out << line;
    for (const LayerStats& s : stats.layers) {
        const std::string wbits = s.weight_bits ? std::to_string(s.weight_bits) : "-";
        out << std::string(s.name) << std::string(name_width - s.name.size(), ' ');
        std::snprintf(line, sizeof line, "  %-19s %-17s %3s %3d %3d %12lld %12lld %14lld\n", s.op.c_str(),
                      to_string(s.output_shape).c_str(), wbits.c_str(), s.activation_bits, s.output_bits,
                      static_cast<long long>(s.macs), static_cast<long long>(s.weight_size_bits),
                      static_cast<long long>(s.bops));
        out << line;
    }
    std::snprintf(line, sizeof line, "%-*s  %-19s %-17s %3s %3s %3s %12lld %12lld %14lld\n", w, "total", "", "", "", "",
                  "", static_cast<long long>(stats.total_macs), static_cast<long long>(stats.total_weight_size_bits),
                  static_cast<long long>(stats.total_bops));
    out << line;
    return out.str();
}

std::string stats_json(const ModelStats& stats) {
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerStats& s : stats.layers) {
        layers.push_back({{"name", s.name},
                          {"op", s.op},
                          {"output_shape", s.output_shape},
                          {"weight_bits", s.weight_bits},
                          {"activation_bits", s.activation_bits},
                          {"output_bits", s.output_bits},
                          {"macs", s.macs},
                          {"weight_size_bits", s.weight_size_bits},
                          {"bias_size_bits", s.bias_size_bits},
                          {"bops", s.bops}});
    }
    const nlohmann::json doc = {{"layers", layers},
                                {"total",
                                 {{"macs", stats.total_macs},
                                  {"weight_size_bits", stats.total_weight_size_bits},
                                  {"bias_size_bits", stats.total_bias_size_bits},
                                  {"bops", stats.total_bops}}}};
    return doc.dump(2) + "\n";
}

}  // namespace dyadic::quant
