#include "sim/accel_config.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "sim/default_config_text.h"

namespace dyadic::sim {
namespace {

using nlohmann::json;

// Reads a JSON object's members strictly: every member the schema names must be read and no
// other member may be present (finish() checks the latter).
class StrictObject {
public:
    StrictObject(const json& object, std::string path, const std::string& origin)
        : object_(object), path_(std::move(path)), origin_(origin) {
        require(object_.is_object(), where() + " must be a JSON object");
    }

    const json& member(const std::string& key) {
        seen_.insert(key);
        const auto it = object_.find(key);
        require(it != object_.end(), where() + " lacks the required key \"" + key + "\"");
        return *it;
    }

    int64_t integer(const std::string& key, int64_t min_value) {
        const json& value = member(key);
        require(value.is_number_integer(), where(key) + " must be an integer");
        const int64_t v = value.get<int64_t>();
        require(v >= min_value, where(key) + " must be >= " + std::to_string(min_value) + ", got " + std::to_string(v));
        return v;
    }

    double positive_number(const std::string& key) {
        const json& value = member(key);
        require(value.is_number(), where(key) + " must be a number");
        const double v = value.get<double>();
        require(std::isfinite(v) && v > 0, where(key) + " must be positive");
        return v;
    }

    std::string text(const std::string& key) {
        const json& value = member(key);
        require(value.is_string(), where(key) + " must be a string");
        return value.get<std::string>();
    }

    StrictObject child(const std::string& key) { return StrictObject(member(key), path_ + key + ".", origin_); }

    void finish() const {
        for (auto it = object_.begin(); it != object_.end(); ++it) {
            require(seen_.count(it.key()) == 1, where() + " has the unknown key \"" + it.key() + "\"");
        }
    }

private:
    std::string where() const {
        return origin_ + ": " + (path_.empty() ? std::string("configuration") : path_.substr(0, path_.size() - 1));
    }
    std::string where(const std::string& key) const { return origin_ + ": " + path_ + key; }

    const json& object_;
    std::string path_;
    const std::string& origin_;
    std::set<std::string> seen_;
};

int to_int(int64_t v, const std::string& what) {
    require(v <= (int64_t{1} << 20), what + " is implausibly large (" + std::to_string(v) + ")");
    return static_cast<int>(v);
}

}  // namespace

AccelConfig parse_accel_config(const std::string& json_text, const std::string& origin) {
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(origin + ": not valid JSON (" + e.what() + ")");
    }
    AccelConfig c;
    StrictObject top(root, "", origin);
    c.name = top.text("name");
    c.clock_mhz = top.positive_number("clock_mhz");
    {
        StrictObject array = top.child("array");
        c.array_rows = to_int(array.integer("rows", 1), "array.rows");
        c.array_cols = to_int(array.integer("cols", 1), "array.cols");
        array.finish();
    }
    {
        StrictObject spad = top.child("scratchpads");
        c.input_scratchpad_bytes = spad.integer("input_bytes", 2);
        c.weight_scratchpad_bytes = spad.integer("weight_bytes", 2);
        c.accumulator_entries = spad.integer("accumulator_entries", 2);
        spad.finish();
    }
    {
        StrictObject dram = top.child("dram");
        c.dram_bandwidth_bytes_per_cycle = dram.integer("bandwidth_bytes_per_cycle", 1);
        c.dram_latency_cycles = dram.integer("latency_cycles", 0);
        dram.finish();
    }
    {
        StrictObject ppu = top.child("ppu");
        c.ppu_lanes = to_int(ppu.integer("lanes", 1), "ppu.lanes");
        c.ppu_pipeline_cycles = to_int(ppu.integer("pipeline_cycles", 0), "ppu.pipeline_cycles");
        c.ppu_input_buffer_bytes = ppu.integer("input_buffer_bytes", 2);
        c.ppu_output_buffer_bytes = ppu.integer("output_buffer_bytes", 2);
        c.ppu_param_channels = ppu.integer("param_channels", 1);
        ppu.finish();
    }
    top.finish();
    try {
        validate(c);
    } catch (const Error& e) {
        throw Error(origin + ": " + e.what());
    }
    return c;
}

AccelConfig load_accel_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    require(static_cast<bool>(in), "cannot read accelerator configuration " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_accel_config(text.str(), path);
}

AccelConfig default_accel_config() { return parse_accel_config(kDefaultConfigText, "sim/configs/default.json"); }

void validate(const AccelConfig& c) {
    require(!c.name.empty(), "configuration name is empty");
    require(std::isfinite(c.clock_mhz) && c.clock_mhz > 0, "clock_mhz must be positive");
    require(c.array_rows >= 1 && c.array_cols >= 1, "array rows and cols must be >= 1");
    const auto even = [](int64_t v, const char* what) {
        require(v >= 2 && v % 2 == 0, std::string(what) + " must be a positive even number (two banks), got " +
                                          std::to_string(v));
    };
    even(c.input_scratchpad_bytes, "scratchpads.input_bytes");
    even(c.weight_scratchpad_bytes, "scratchpads.weight_bytes");
    even(c.accumulator_entries, "scratchpads.accumulator_entries");
    even(c.ppu_input_buffer_bytes, "ppu.input_buffer_bytes");
    even(c.ppu_output_buffer_bytes, "ppu.output_buffer_bytes");
    require(c.dram_bandwidth_bytes_per_cycle >= 1, "dram.bandwidth_bytes_per_cycle must be >= 1");
    require(c.dram_latency_cycles >= 0, "dram.latency_cycles must be >= 0");
    require(c.ppu_lanes >= 1, "ppu.lanes must be >= 1");
    require(c.ppu_pipeline_cycles >= 0, "ppu.pipeline_cycles must be >= 0");
    require(c.ppu_param_channels >= 1, "ppu.param_channels must be >= 1");
}

std::string to_json_text(const AccelConfig& c, int indent) {
    json j;
    j["name"] = c.name;
    j["clock_mhz"] = c.clock_mhz;
    j["array"] = {{"rows", c.array_rows}, {"cols", c.array_cols}};
    j["scratchpads"] = {{"input_bytes", c.input_scratchpad_bytes},
                        {"weight_bytes", c.weight_scratchpad_bytes},
                        {"accumulator_entries", c.accumulator_entries}};
    j["dram"] = {{"bandwidth_bytes_per_cycle", c.dram_bandwidth_bytes_per_cycle},
                 {"latency_cycles", c.dram_latency_cycles}};
    j["ppu"] = {{"lanes", c.ppu_lanes},
                {"pipeline_cycles", c.ppu_pipeline_cycles},
                {"input_buffer_bytes", c.ppu_input_buffer_bytes},
                {"output_buffer_bytes", c.ppu_output_buffer_bytes},
                {"param_channels", c.ppu_param_channels}};
    return j.dump(indent);
}

}  // namespace dyadic::sim
