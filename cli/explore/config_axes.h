#pragma once
// The hardware axes of a design-space sweep, as written on the command line:
//   "array=8x8,16x16;input_kb=64,256;bandwidth=8,16"
// Each axis is `name=v1,v2,...`; axes are separated by ';'. Short names cover the usual knobs
// (array = RxC, input_kb, weight_kb, accumulator_entries, bandwidth, dram_latency, ppu_lanes,
// clock_mhz); any other name is a dotted key of the configuration JSON ("dram.latency_cycles")
// and takes an integer. Every point is the base configuration with the point's values set, then
// parsed by sim::parse_accel_config, so the configuration's own validation judges it.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dyadic::cli::explore {

struct ConfigAxis {
    std::string name;
    std::vector<std::string> values;  // as written
};

// Throws Error naming the item for an empty axis, a repeated axis or value, or a malformed item.
std::vector<ConfigAxis> parse_config_axes(const std::string& text);

// One point of the product: (axis name, value) in axis order.
using AxisValues = std::vector<std::pair<std::string, std::string>>;

// Every combination, the last axis varying fastest. Throws Error beyond 10000 points.
std::vector<AxisValues> axis_product(const std::vector<ConfigAxis>& axes);

// The base configuration JSON with the point's values set (the name becomes the point's
// "axis=value ..." text). Throws Error naming the axis for a value that is not of its form or
// a dotted key the base does not have; the caller validates the result (parse_accel_config).
nlohmann::json apply_axis_values(const nlohmann::json& base, const AxisValues& values);

}  // namespace dyadic::cli::explore
