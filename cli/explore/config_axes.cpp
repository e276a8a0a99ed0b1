#include "cli/explore/config_axes.h"

#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "util/error.h"

namespace dyadic::cli::explore {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> items;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, separator)) items.push_back(item);
    if (!text.empty() && text.back() == separator) items.push_back("");
    return items;
}

int64_t positive_integer(const std::string& text, const std::string& axis) {
    require(!text.empty() && text.size() <= 12 && text.find_first_not_of("0123456789") == std::string::npos,
            "--configs: " + axis + "=" + text + " is not a positive integer");
    const int64_t value = std::stoll(text);
    require(value > 0, "--configs: " + axis + "=" + text + " is not a positive integer");
    return value;
}

// The JSON key(s) a short axis name sets and how its value converts.
void set_short_axis(nlohmann::json& config, const std::string& axis, const std::string& value) {
    if (axis == "array") {
        static const std::regex shape(R"((\d{1,6})x(\d{1,6}))");
        std::smatch m;
        require(std::regex_match(value, m, shape), "--configs: array=" + value + " is not of the form 16x16");
        config["array"]["rows"] = positive_integer(m[1], axis);
        config["array"]["cols"] = positive_integer(m[2], axis);
        return;
    }
    static const std::map<std::string, std::pair<std::vector<std::string>, int64_t>> scalar = {
        {"input_kb", {{"scratchpads", "input_bytes"}, 1024}},
        {"weight_kb", {{"scratchpads", "weight_bytes"}, 1024}},
        {"accumulator_entries", {{"scratchpads", "accumulator_entries"}, 1}},
        {"bandwidth", {{"dram", "bandwidth_bytes_per_cycle"}, 1}},
        {"dram_latency", {{"dram", "latency_cycles"}, 1}},
        {"ppu_lanes", {{"ppu", "lanes"}, 1}},
        {"clock_mhz", {{"clock_mhz"}, 1}},
    };
    const auto found = scalar.find(axis);
    require(found != scalar.end(), "--configs: unknown axis '" + axis + "'");
    const int64_t number = positive_integer(value, axis);
    require(number <= (int64_t{1} << 40) / found->second.second, "--configs: " + axis + "=" + value + " is too large");
    nlohmann::json* target = &config;
    for (const std::string& key : found->second.first) target = &(*target)[key];
    *target = number * found->second.second;
}

bool is_short_axis(const std::string& axis) {
    static const std::set<std::string> names = {"array",     "input_kb",     "weight_kb", "accumulator_entries",
                                                "bandwidth", "dram_latency", "ppu_lanes", "clock_mhz"};
    return names.count(axis) != 0;
}

}  // namespace

std::vector<ConfigAxis> parse_config_axes(const std::string& text) {
    std::vector<ConfigAxis> axes;
    std::set<std::string> names;
    static const std::regex name_pattern(R"([a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*)");
    for (const std::string& item : split(text, ';')) {
        const auto equals = item.find('=');
        require(equals != std::string::npos && equals > 0, "--configs: '" + item + "' is not of the form name=v1,v2");
        ConfigAxis axis;
        axis.name = item.substr(0, equals);
        require(std::regex_match(axis.name, name_pattern), "--configs: '" + axis.name + "' is not an axis name");
        require(is_short_axis(axis.name) || axis.name.find('.') != std::string::npos,
                "--configs: unknown axis '" + axis.name +
                    "' (array, input_kb, weight_kb, accumulator_entries, bandwidth, dram_latency, ppu_lanes, "
                    "clock_mhz, or a dotted configuration key such as dram.latency_cycles)");
        require(names.insert(axis.name).second, "--configs: axis '" + axis.name + "' is given twice");
        std::set<std::string> seen;
        for (const std::string& value : split(item.substr(equals + 1), ',')) {
            require(!value.empty(), "--configs: axis '" + axis.name + "' has an empty value");
            require(seen.insert(value).second, "--configs: " + axis.name + "=" + value + " is listed twice");
            axis.values.push_back(value);
        }
        require(!axis.values.empty(), "--configs: axis '" + axis.name + "' has no values");
        axes.push_back(std::move(axis));
    }
    require(!axes.empty(), "--configs: no axes in '" + text + "'");
    return axes;
}

std::vector<AxisValues> axis_product(const std::vector<ConfigAxis>& axes) {
    std::vector<AxisValues> points = {AxisValues{}};
    for (const ConfigAxis& axis : axes) {
        require(points.size() * axis.values.size() <= 10000, "--configs: more than 10000 configurations");
        std::vector<AxisValues> next;
        for (const AxisValues& point : points)
            for (const std::string& value : axis.values) {
                AxisValues extended = point;
                extended.emplace_back(axis.name, value);
                next.push_back(std::move(extended));
            }
        points = std::move(next);
    }
    return points;
}

nlohmann::json apply_axis_values(const nlohmann::json& base, const AxisValues& values) {
    nlohmann::json config = base;
    std::string name;
    for (const auto& [axis, value] : values) {
        if (!name.empty()) name += ' ';
        name += axis + "=" + value;
        if (is_short_axis(axis)) {
            set_short_axis(config, axis, value);
            continue;
        }
        nlohmann::json* target = &config;
        for (const std::string& key : split(axis, '.')) {
            require(target->is_object() && target->contains(key),
                    "--configs: the configuration has no key '" + axis + "'");
            target = &(*target)[key];
        }
        // Zero is a value too (array.weight_double_buffer=0,1); the configuration's bounds judge it.
        *target = value == "0" ? 0 : positive_integer(value, axis);
    }
    config["name"] = name;
    return config;
}

}  // namespace dyadic::cli::explore
