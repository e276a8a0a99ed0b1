#include "ilp/problem_json.h"

#include <cmath>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "ilp/ties.h"
#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::ilp {
namespace {

// ordered_json keeps the file's key order, so metrics and budgets are reported in that order.
using Json = nlohmann::ordered_json;

const char* const kBitsKey = "bits";
const char* const kSensitivityKey = "sensitivity";

class ProblemParser {
public:
    explicit ProblemParser(std::string source) : source_(std::move(source)) {}

    Problem parse(const std::string& text) {
        Json root;
        try {
            root = Json::parse(text);
        } catch (const Json::exception& e) {  // parse_error, or out_of_range for numbers beyond double
            fail(std::string("invalid JSON: ") + e.what());
        }
        check(root.is_object(), "the top level must be a JSON object");
        for (const auto& [key, value] : root.items()) {
            // Unknown keys are rejected so a typo such as "budget" cannot silently drop constraints.
            check(key == "layers" || key == "ties" || key == "budgets",
                  "unknown top-level key '" + key + "' (expected layers, ties, budgets)");
        }
        check(root.contains("layers"), "missing 'layers'");
        parse_layers(root.at("layers"));
        collect_metrics();
        if (root.contains("ties")) parse_ties(root.at("ties"));
        if (root.contains("budgets")) parse_budgets(root.at("budgets"));
        // Builds the tie groups once so label mismatches between tied layers surface here.
        try {
            build_tie_groups(problem_);
        } catch (const Error& e) {
            fail(e.what());
        }
        return std::move(problem_);
    }

private:
    [[noreturn]] void fail(const std::string& message) const { throw Error(source_ + ": " + message); }
    void check(bool condition, const std::string& message) const {
        if (!condition) fail(message);
    }

    static bool is_number(const Json& value) { return value.is_number(); }  // booleans are not numbers

    void parse_layers(const Json& layers) {
        check(layers.is_array(), "'layers' must be an array");
        check(!layers.empty(), "'layers' is empty");
        std::set<std::string> names;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const Json& layer_json = layers[i];
            const std::string where = "layers[" + std::to_string(i) + "]";
            check(layer_json.is_object(), where + " must be an object");
            check(layer_json.contains("name") && layer_json.at("name").is_string(),
                  where + " needs a string 'name'");
            Layer layer;
            layer.name = layer_json.at("name").get<std::string>();
            check(!layer.name.empty(), where + " has an empty name");
            check(names.insert(layer.name).second, "duplicate layer name '" + layer.name + "'");
            const std::string layer_where = "layer '" + layer.name + "'";
            check(layer_json.contains("choices") && layer_json.at("choices").is_array(),
                  layer_where + " needs a 'choices' array");
            const Json& choices = layer_json.at("choices");
            check(!choices.empty(), layer_where + " has no choices");
            std::set<std::string> labels;
            for (std::size_t c = 0; c < choices.size(); ++c) {
                Choice choice = parse_choice(choices[c], layer_where + " choice " + std::to_string(c));
                check(labels.insert(choice.label).second,
                      layer_where + " lists bits '" + choice.label + "' twice");
                layer.choices.push_back(std::move(choice));
            }
            problem_.layers.push_back(std::move(layer));
            raw_choices_.push_back(&choices);
        }
    }

    Choice parse_choice(const Json& choice_json, const std::string& where) {
        check(choice_json.is_object(), where + " must be an object");
        Choice choice;
        check(choice_json.contains(kBitsKey), where + " has no 'bits'");
        const Json& bits = choice_json.at(kBitsKey);
        if (bits.is_number_integer()) {
            choice.numeric_bits = bits.get<long long>();
            check(*choice.numeric_bits > 0, where + ": 'bits' must be positive");
            choice.label = std::to_string(*choice.numeric_bits);
        } else if (bits.is_string() && !bits.get<std::string>().empty()) {
            choice.label = bits.get<std::string>();
        } else {
            fail(where + ": 'bits' must be an integer or a non-empty string such as \"w4a8\"");
        }
        check(choice_json.contains(kSensitivityKey) && is_number(choice_json.at(kSensitivityKey)),
              where + " needs a numeric 'sensitivity'");
        choice.sensitivity = choice_json.at(kSensitivityKey).get<double>();
        check(std::isfinite(choice.sensitivity), where + ": 'sensitivity' is not finite");
        for (const auto& [key, value] : choice_json.items()) {
            if (key == kBitsKey || key == kSensitivityKey || !is_number(value)) continue;
            check(std::isfinite(value.get<double>()), where + ": '" + key + "' is not finite");
        }
        return choice;
    }

    // A metric is a numeric field that every choice carries; the first choice fixes the order.
    void collect_metrics() {
        const Json& first = (*raw_choices_.front())[0];
        for (const auto& [key, value] : first.items()) {
            if (key == kBitsKey || key == kSensitivityKey || !is_number(value)) continue;
            if (!first_choice_lacking(key)) problem_.metrics.push_back(key);
        }
        for (std::size_t l = 0; l < problem_.layers.size(); ++l) {
            for (std::size_t c = 0; c < problem_.layers[l].choices.size(); ++c) {
                const Json& choice_json = (*raw_choices_[l])[c];
                auto& values = problem_.layers[l].choices[c].metric_values;
                for (const auto& metric : problem_.metrics) values.push_back(choice_json.at(metric).get<double>());
            }
        }
    }

    // "layer 'x' choice 2" for the first choice without a numeric `metric`, or an empty optional.
    std::optional<std::string> first_choice_lacking(const std::string& metric) const {
        for (std::size_t l = 0; l < problem_.layers.size(); ++l) {
            const Json& choices = *raw_choices_[l];
            for (std::size_t c = 0; c < choices.size(); ++c) {
                if (!choices[c].contains(metric) || !is_number(choices[c].at(metric))) {
                    return "layer '" + problem_.layers[l].name + "' choice " + std::to_string(c) + " (bits " +
                           problem_.layers[l].choices[c].label + ")";
                }
            }
        }
        return std::nullopt;
    }

    void parse_ties(const Json& ties) {
        check(ties.is_array(), "'ties' must be an array of arrays of layer names");
        std::unordered_map<std::string, std::size_t> index_of;
        for (std::size_t l = 0; l < problem_.layers.size(); ++l) index_of[problem_.layers[l].name] = l;
        for (std::size_t g = 0; g < ties.size(); ++g) {
            const std::string where = "ties[" + std::to_string(g) + "]";
            check(ties[g].is_array(), where + " must be an array of layer names");
            check(!ties[g].empty(), where + " is empty");
            std::vector<std::size_t> group;
            for (const Json& name : ties[g]) {
                check(name.is_string(), where + " must contain layer names (strings)");
                auto found = index_of.find(name.get<std::string>());
                check(found != index_of.end(), where + " names unknown layer '" + name.get<std::string>() + "'");
                group.push_back(found->second);
            }
            problem_.ties.push_back(std::move(group));
        }
    }

    void parse_budgets(const Json& budgets) {
        check(budgets.is_object(), "'budgets' must be an object mapping metric names to limits");
        for (const auto& [metric, limit] : budgets.items()) {
            check(metric != kBitsKey && metric != kSensitivityKey,
                  "'" + metric + "' cannot be budgeted (sensitivity is the objective, bits the label)");
            check(is_number(limit), "budget '" + metric + "' must be a number");
            check(std::isfinite(limit.get<double>()), "budget '" + metric + "' is not finite");
            auto index = find_metric(problem_, metric);
            if (!index) {
                auto lacking = first_choice_lacking(metric);
                fail("budget on '" + metric + "', but " + (lacking ? *lacking : std::string("some choice")) +
                     " has no numeric '" + metric + "'");
            }
            problem_.budgets.push_back(Budget{*index, limit.get<double>()});
        }
    }

    std::string source_;
    Problem problem_;
    std::vector<const Json*> raw_choices_;  // each layer's "choices" array, for metric lookups
};

}  // namespace

Problem parse_problem(const std::string& json_text, const std::string& source) {
    return ProblemParser(source).parse(json_text);
}

std::string problem_to_json(const Problem& problem) {
    Json root;
    Json layers = Json::array();
    for (const auto& layer : problem.layers) {
        Json choices = Json::array();
        for (const auto& choice : layer.choices) {
            Json entry;
            if (choice.numeric_bits) {
                entry[kBitsKey] = *choice.numeric_bits;
            } else {
                entry[kBitsKey] = choice.label;
            }
            entry[kSensitivityKey] = choice.sensitivity;
            for (std::size_t m = 0; m < problem.metrics.size(); ++m) entry[problem.metrics[m]] = choice.metric_values[m];
            choices.push_back(std::move(entry));
        }
        layers.push_back(Json{{"name", layer.name}, {"choices", std::move(choices)}});
    }
    root["layers"] = std::move(layers);
    if (!problem.ties.empty()) {
        Json ties = Json::array();
        for (const auto& tie : problem.ties) {
            Json names = Json::array();
            for (std::size_t layer : tie) names.push_back(problem.layers[layer].name);
            ties.push_back(std::move(names));
        }
        root["ties"] = std::move(ties);
    }
    if (!problem.budgets.empty()) {
        Json budgets = Json::object();
        for (const auto& budget : problem.budgets) budgets[problem.metrics[budget.metric]] = budget.limit;
        root["budgets"] = std::move(budgets);
    }
    return root.dump(1) + "\n";
}

Problem load_problem_file(const std::string& path) {
    return parse_problem(read_file(path, "problem file"), path);
}

}  // namespace dyadic::ilp
