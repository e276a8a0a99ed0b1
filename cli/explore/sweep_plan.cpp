#include "cli/explore/sweep_plan.h"

#include <fstream>
#include <sstream>

#include "util/error.h"

namespace dyadic::cli::explore {

using nlohmann::json;

std::string plan_to_json(const SweepPlan& plan) {
    json points = json::array();
    for (const SweepPoint& point : plan.points) {
        json axes = json::array();
        for (const auto& [axis, value] : point.axes) axes.push_back({axis, value});
        points.push_back({{"axes", axes}, {"config", point.config}});
    }
    json budgets = json::array();
    for (const BudgetSet& set : plan.budgets) budgets.push_back(set.text);
    const json document = {{"format", "dyadic-explore-plan"}, {"version", 1},
                           {"model", plan.model},               {"int_model", plan.int_model},
                           {"sensitivity", plan.sensitivity},   {"candidates", plan.candidates},
                           {"budgets", budgets},      {"points", points}};
    return document.dump(1) + "\n";
}

SweepPlan parse_plan(const std::string& json_text, const std::string& source) {
    json document;
    try {
        document = json::parse(json_text);
    } catch (const json::parse_error& error) {
        throw Error(source + ": not valid JSON: " + error.what());
    }
    require(document.is_object() && document.value("format", "") == "dyadic-explore-plan",
            source + ": not a sweep plan (\"format\": \"dyadic-explore-plan\")");
    const auto text = [&](const char* key) {
        require(document.contains(key) && document[key].is_string(), source + ": missing \"" + key + "\" string");
        return document[key].get<std::string>();
    };
    SweepPlan plan;
    plan.model = text("model");
    plan.int_model = text("int_model");
    plan.sensitivity = text("sensitivity");
    plan.candidates = text("candidates");
    require(document.contains("budgets") && document["budgets"].is_array() && !document["budgets"].empty(),
            source + ": missing \"budgets\" list");
    for (const json& budget : document["budgets"]) {
        require(budget.is_string(), source + ": a budget set is not a string such as \"latency=0.5\"");
        plan.budgets.push_back(parse_budget_set(budget.get<std::string>()));
    }
    require(document.contains("points") && document["points"].is_array() && !document["points"].empty(),
            source + ": missing \"points\" list");
    for (const json& entry : document["points"]) {
        require(entry.is_object() && entry.contains("axes") && entry["axes"].is_array() && entry.contains("config"),
                source + ": a point lacks \"axes\" or \"config\"");
        SweepPoint point;
        for (const json& pair : entry["axes"]) {
            require(pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string(),
                    source + ": a point's axes must be [name, value] pairs");
            point.axes.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
        }
        point.config = entry["config"];
        plan.points.push_back(std::move(point));
    }
    return plan;
}

SweepPlan read_plan(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    require(static_cast<bool>(file), "cannot open sweep plan '" + path + "'");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_plan(text.str(), path);
}

std::string point_result_path(const std::string& plan_directory, std::size_t index) {
    return plan_directory + "/points/" + std::to_string(index) + ".json";
}

std::string point_file_path(const std::string& plan_directory, std::size_t index, const std::string& kind) {
    return plan_directory + "/points/" + std::to_string(index) + "." + kind + ".json";
}

}  // namespace dyadic::cli::explore
