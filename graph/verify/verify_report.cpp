#include "graph/verify/verify_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace dyadic::verify {
namespace {

// A difference is described from the totals over all batches, not from the batch that found it.
std::string reason_of(const LayerCheck& check) {
    return check.outcome == Outcome::differ ? describe(check.diff) : check.reason;
}

nlohmann::json check_json(const LayerCheck& check) {
    nlohmann::json j;
    j["outcome"] = outcome_name(check.outcome);
    if (!reason_of(check).empty()) j["reason"] = reason_of(check);
    j["batches"] = check.batches;
    j["compared"] = check.diff.compared;
    j["differing"] = check.diff.differing;
    j["largest_difference"] = check.diff.largest_difference;
    if (!check.diff.layout_mismatch.empty()) j["layout_mismatch"] = check.diff.layout_mismatch;
    if (check.diff.differing > 0) {
        j["first"] = {{"index", check.diff.first_index},
                      {"at", check.diff.first_at},
                      {"expected", check.diff.expected},
                      {"got", check.diff.got}};
    }
    j["seconds"] = check.seconds;
    return j;
}

}  // namespace

std::string report_json(const VerifyReport& report, bool require_all) {
    nlohmann::json j;
    j["model"] = report.model;
    j["mode"] = report.chained ? "chained" : "independent";
    j["images"] = report.images;
    nlohmann::json backends = nlohmann::json::array();
    for (const BackendInfo& b : report.backends) {
        nlohmann::json e{{"name", b.name}, {"available", b.unavailable.empty()}};
        if (!b.unavailable.empty()) e["reason"] = b.unavailable;
        backends.push_back(e);
    }
    j["backends"] = backends;
    nlohmann::json layers = nlohmann::json::array();
    for (size_t i = 0; i < report.checks.size(); ++i) {
        nlohmann::json results = nlohmann::json::object();
        for (size_t b = 0; b < report.backends.size(); ++b) results[report.backends[b].name] = check_json(report.checks[i][b]);
        layers.push_back({{"index", i}, {"name", report.layer_names[i]}, {"op", report.layer_ops[i]}, {"results", results}});
    }
    j["layers"] = layers;
    j["summary"] = {{"equal", report.count(Outcome::equal)},
                    {"differ", report.count(Outcome::differ)},
                    {"failed", report.count(Outcome::failed)},
                    {"skipped", report.count(Outcome::skipped)}};
    j["require_all"] = require_all;
    j["passed"] = report.passed(require_all);
    return j.dump(2);
}

std::string report_table(const VerifyReport& report) {
    std::ostringstream out;
    size_t name_width = 5;
    for (const std::string& n : report.layer_names) name_width = std::max(name_width, n.size());
    name_width = std::min<size_t>(name_width, 32);
    char line[512];
    std::snprintf(line, sizeof line, "%5s  %-*s %-19s", "layer", static_cast<int>(name_width), "name", "op");
    out << line;
    for (const BackendInfo& b : report.backends) {
        std::snprintf(line, sizeof line, " %-9s", b.name.c_str());
        out << line;
    }
    out << '\n';
    for (size_t i = 0; i < report.checks.size(); ++i) {
        std::snprintf(line, sizeof line, "%5zu  %-*.*s %-19s", i, static_cast<int>(name_width),
                      static_cast<int>(name_width), report.layer_names[i].c_str(), report.layer_ops[i].c_str());
        out << line;
        for (const LayerCheck& c : report.checks[i]) {
            std::snprintf(line, sizeof line, " %-9s", outcome_name(c.outcome));
            out << line;
        }
        out << '\n';
    }
    // The details of everything that is not equal; unavailable backends once, not per layer.
    for (size_t b = 0; b < report.backends.size(); ++b) {
        if (!report.backends[b].unavailable.empty()) {
            out << report.backends[b].name << ": skipped, unavailable: " << report.backends[b].unavailable << '\n';
        }
    }
    for (size_t i = 0; i < report.checks.size(); ++i) {
        for (size_t b = 0; b < report.backends.size(); ++b) {
            const LayerCheck& c = report.checks[i][b];
            if (c.outcome == Outcome::equal || !report.backends[b].unavailable.empty()) continue;
            out << "layer " << i << " '" << report.layer_names[i] << "' " << report.backends[b].name << ": "
                << outcome_name(c.outcome) << ": " << reason_of(c) << '\n';
        }
    }
    out << report.images << " image(s), " << (report.chained ? "chained" : "independent") << " layers: "
        << report.count(Outcome::equal) << " equal, " << report.count(Outcome::differ) << " differ, "
        << report.count(Outcome::failed) << " failed, " << report.count(Outcome::skipped) << " skipped\n";
    return out.str();
}

}  // namespace dyadic::verify
