#pragma once
// Which bit widths post-training quantization uses, per layer (docs/quantization.md, "Bit
// configuration"). A layer's activation bits are the width of the activation it READS (so that
// BOPS = MACs * weight bits * activation bits, as in HAWQ-V3); residual streams and model outputs
// have their own widths.
#include <map>
#include <string>

namespace dyadic::quant {

struct LayerBits {
    int weight_bits = 8;      // 2..8, conv and fully connected only
    int activation_bits = 8;  // 2..8: the width of the layer's (first) input
};

struct BitConfig {
    LayerBits defaults;
    std::map<std::string, LayerBits> layers;  // by IR node name; overrides `defaults`
    int residual_bits = 16;                   // 2..16: tensors produced by or read by a residual add
    int output_bits = 16;                     // 2..16: the model's outputs (logits)

    const LayerBits& for_layer(const std::string& name) const {
        const auto it = layers.find(name);
        return it == layers.end() ? defaults : it->second;
    }
};

// "w8a8", "w4a4", "w4a8", ...: uniform weight and activation bits (2..8), default residual and
// output widths. Throws Error for anything else.
BitConfig uniform_bit_config(const std::string& shorthand);

// JSON text, every field optional:
//   {"weight_bits": 8, "activation_bits": 8, "residual_bits": 16, "output_bits": 16,
//    "layers": {"conv1": {"weight_bits": 4, "activation_bits": 8}, ...}}
// Unknown keys and out-of-range widths are errors naming `source` and the key.
// An ILP result written by `dyadic ilp --out` ({"assignment": {"layer": 4 or "w4a8", ...}, ...}) is
// read too: each named layer takes its assigned widths (a plain number b means w = a = b).
BitConfig parse_bit_config(const std::string& json_text, const std::string& source);

// A shorthand (uniform_bit_config) or the path of a JSON file (parse_bit_config).
BitConfig load_bit_config(const std::string& shorthand_or_path);

// The JSON form parse_bit_config reads (round-trips).
std::string to_json(const BitConfig& config);

}  // namespace dyadic::quant
