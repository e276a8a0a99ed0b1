#include "cli/args.h"

#include <iostream>
#include <limits>
#include <sstream>

namespace dyadic::cli {

ArgParser::ArgParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

ArgParser& ArgParser::positional(const std::string& name, const std::string& help, bool required) {
    specs_.push_back(Spec{name, name, help, false, true, required, std::nullopt});
    return *this;
}

ArgParser& ArgParser::option(const std::string& name, const std::string& value_name, const std::string& help,
                             std::optional<std::string> default_value) {
    specs_.push_back(Spec{name, value_name, help, false, false, false, std::move(default_value)});
    return *this;
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
    specs_.push_back(Spec{name, "", help, true, false, false, std::nullopt});
    return *this;
}

const ArgParser::Spec* ArgParser::find(const std::string& name) const {
    for (const Spec& spec : specs_) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

void ArgParser::parse(const std::vector<std::string>& args) {
    std::vector<const Spec*> positionals;
    for (const Spec& spec : specs_) {
        if (spec.is_positional) positionals.push_back(&spec);
    }
    size_t next_positional = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage();
            throw HelpRequested{};
        }
        if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
            std::string name = arg, value;
            bool inline_value = false;
            if (const size_t eq = arg.find('='); eq != std::string::npos) {
                name = arg.substr(0, eq);
                value = arg.substr(eq + 1);
                inline_value = true;
            }
            const Spec* spec = find(name);
            if (spec == nullptr || spec->is_positional) throw UsageError("unknown option " + name);
            if (spec->is_flag) {
                if (inline_value) throw UsageError("option " + name + " takes no value");
                values_[name].push_back("true");
                continue;
            }
            if (!inline_value) {
                if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value <" + spec->value_name + ">");
                value = args[++i];
            }
            values_[name].push_back(value);
            continue;
        }
        if (next_positional >= positionals.size()) throw UsageError("unexpected argument '" + arg + "'");
        values_[positionals[next_positional++]->name].push_back(arg);
    }
    for (const Spec& spec : specs_) {
        if (spec.is_positional && spec.required && !values_.count(spec.name)) {
            throw UsageError("missing argument <" + spec.name + ">");
        }
        if (spec.default_value && !values_.count(spec.name)) values_[spec.name].push_back(*spec.default_value);
    }
}

bool ArgParser::has(const std::string& name) const { return values_.count(name) > 0; }

std::optional<std::string> ArgParser::get_optional(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second.back();
}

std::string ArgParser::get(const std::string& name) const {
    const auto value = get_optional(name);
    if (!value) throw UsageError("missing " + name);
    return *value;
}

std::vector<std::string> ArgParser::get_all(const std::string& name) const {
    const auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int ArgParser::get_int(const std::string& name, int min, int max) const {
    const std::string text = get(name);
    const std::string bounds = std::to_string(min) + ".." + std::to_string(max);
    long long value = 0;
    try {
        size_t used = 0;
        value = std::stoll(text, &used);
        if (used != text.size()) throw UsageError("");
    } catch (const std::exception&) {
        throw UsageError(name + " expects an integer in " + bounds + ", got '" + text + "'");
    }
    if (value < min || value > max) throw UsageError(name + " must lie in " + bounds + ", got " + text);
    return static_cast<int>(value);
}

int ArgParser::get_int(const std::string& name) const {
    return get_int(name, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
}

double ArgParser::get_double(const std::string& name) const {
    const std::string text = get(name);
    try {
        size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    throw UsageError(name + " expects a number, got '" + text + "'");
}

std::string ArgParser::usage() const {
    std::ostringstream out;
    out << "usage: " << command_;
    for (const Spec& spec : specs_) {
        if (spec.is_positional) out << (spec.required ? " <" : " [<") << spec.name << (spec.required ? ">" : ">]");
    }
    out << " [options]\n\n" << summary_ << "\n\n";
    for (const Spec& spec : specs_) {
        std::string left = spec.is_positional ? "<" + spec.name + ">"
                                              : spec.name + (spec.is_flag ? "" : " <" + spec.value_name + ">");
        out << "  " << left;
        out << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << spec.help;
        if (spec.default_value) out << " (default " << *spec.default_value << ")";
        out << '\n';
    }
    out << "  --help" << std::string(22, ' ') << "show this help\n";
    return out.str();
}

}  // namespace dyadic::cli
