#include "sim/accel_config.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "util/checked.h"
#include "util/error.h"
#include "util/read_file.h"
#include "sim/default_config_text.h"

namespace dyadic::sim {
namespace {

using nlohmann::json;

#define DYADIC_ACCEL_CONFIG_FITS_SV(type, member, group, key, lo, hi, ...)                                        \
    static_assert((lo) >= 0 && (hi) <= int64_t{std::numeric_limits<uint32_t>::max()},                            \
                  group "." key ": bounds must fit a SystemVerilog int unsigned");                                \
    static_assert(int64_t{std::numeric_limits<type>::max()} >= (hi), group "." key ": max must fit the member");
DYADIC_ACCEL_CONFIG_PARAMETERS(DYADIC_ACCEL_CONFIG_FITS_SV)
#undef DYADIC_ACCEL_CONFIG_FITS_SV

// Reads a JSON object's members strictly: every member the schema names must be read and no
// other member may be present (finish() checks the latter).
class StrictObject {
public:
    StrictObject(const json& object, std::string path, const std::string& origin)
        : object_(&object), path_(std::move(path)), origin_(&origin) {
        require(object_->is_object(), where() + " must be a JSON object");
    }

    const json& member(const std::string& key) {
        seen_.insert(key);
        const auto it = object_->find(key);
        require(it != object_->end(), where() + " lacks the required key \"" + key + "\"");
        return *it;
    }

    // An integer member (range checks are the parameter table's); JSON allows integers beyond
    // int64, which are refused here rather than wrapped.
    int64_t integer(const std::string& key) {
        const json& value = member(key);
        require(value.is_number_integer(), where(key) + " must be an integer");
        require(!value.is_number_unsigned() || value.get<uint64_t>() <= uint64_t{std::numeric_limits<int64_t>::max()},
                where(key) + " does not fit in 64 bits, got " + value.dump());
        return value.get<int64_t>();
    }

    double number(const std::string& key) {
        const json& value = member(key);
        require(value.is_number(), where(key) + " must be a number");
        return value.get<double>();
    }

    std::string text(const std::string& key) {
        const json& value = member(key);
        require(value.is_string(), where(key) + " must be a string");
        return value.get<std::string>();
    }

    StrictObject child(const std::string& key) { return StrictObject(member(key), path_ + key + ".", *origin_); }

    void finish() const {
        for (auto it = object_->begin(); it != object_->end(); ++it) {
            require(seen_.count(it.key()) == 1, where() + " has the unknown key \"" + it.key() + "\"");
        }
    }

private:
    std::string where() const {
        return *origin_ + ": " + (path_.empty() ? std::string("configuration") : path_.substr(0, path_.size() - 1));
    }
    std::string where(const std::string& key) const { return *origin_ + ": " + path_ + key; }

    const json* object_;
    std::string path_;
    const std::string* origin_;
    std::set<std::string> seen_;
};

void check_clock(double mhz, const std::string& where) {
    require(std::isfinite(mhz) && mhz > 0 && mhz <= kMaxClockMhz,
            where + "clock_mhz must lie in (0, " + std::to_string(static_cast<int>(kMaxClockMhz)) + "], got " +
                json(mhz).dump());
}

}  // namespace

const std::vector<AccelParameter>& accel_parameters() {
#define DYADIC_ACCEL_CONFIG_ROW(type, member, group, key, lo, hi, banks, sv_name, sv_bank_bits, meaning)          \
    AccelParameter{group,                                                                                         \
                   key,                                                                                           \
                   std::string(group) + "." + key,                                                                \
                   lo,                                                                                            \
                   hi,                                                                                            \
                   banks,                                                                                         \
                   sv_name,                                                                                       \
                   sv_bank_bits,                                                                                  \
                   meaning,                                                                                       \
                   [](const AccelConfig& c) -> int64_t { return c.member; },                                      \
                   [](AccelConfig& c, int64_t v) { c.member = static_cast<type>(v); }},
    static const std::vector<AccelParameter> table{DYADIC_ACCEL_CONFIG_PARAMETERS(DYADIC_ACCEL_CONFIG_ROW)};
#undef DYADIC_ACCEL_CONFIG_ROW
    return table;
}

void check_parameter(const AccelParameter& p, int64_t value) {
    checked_range(value, p.min, p.max, p.path);
    require(p.banks == 1 || value % p.banks == 0,
            p.path + " must be even (two banks), got " + std::to_string(value));
}

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
    require(!c.name.empty(), origin + ": name is empty");
    c.clock_mhz = top.number("clock_mhz");
    check_clock(c.clock_mhz, origin + ": ");
    std::map<std::string, StrictObject> groups;
    for (const AccelParameter& p : accel_parameters()) {
        auto group = groups.find(p.group);
        if (group == groups.end()) group = groups.emplace(p.group, top.child(p.group)).first;
        const int64_t value = group->second.integer(p.key);
        try {
            check_parameter(p, value);
        } catch (const Error& e) {
            throw Error(origin + ": " + e.what());
        }
        p.set(c, value);
    }
    for (const auto& [name, group] : groups) group.finish();
    top.finish();
    return c;
}

AccelConfig load_accel_config(const std::string& path) {
    return parse_accel_config(read_file(path, "accelerator configuration"), path);
}

AccelConfig default_accel_config() { return parse_accel_config(kDefaultConfigText, "sim/configs/default.json"); }

void validate(const AccelConfig& c) {
    require(!c.name.empty(), "configuration name is empty");
    check_clock(c.clock_mhz, "");
    for (const AccelParameter& p : accel_parameters()) check_parameter(p, p.get(c));
}

std::string to_json_text(const AccelConfig& c, int indent) {
    json j;
    j["name"] = c.name;
    j["clock_mhz"] = c.clock_mhz;
    for (const AccelParameter& p : accel_parameters()) j[p.group][p.key] = p.get(c);
    return j.dump(indent);
}

}  // namespace dyadic::sim
