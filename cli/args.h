#pragma once
// A small, strict command-line parser shared by every `dyadic` subcommand: positional arguments,
// --options with values (repeatable), --flags, and a generated --help text.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dyadic::cli {

// Wrong usage (unknown option, missing argument): main prints the message and the usage, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by parse() after printing the help text for --help / -h: main exits 0.
struct HelpRequested {};

class ArgParser {
public:
    ArgParser(std::string command, std::string summary);

    ArgParser& positional(const std::string& name, const std::string& help, bool required = true);
    ArgParser& option(const std::string& name, const std::string& value_name, const std::string& help,
                      std::optional<std::string> default_value = std::nullopt);
    ArgParser& flag(const std::string& name, const std::string& help);

    // Parses args (without the program and subcommand names). Throws UsageError or HelpRequested.
    void parse(const std::vector<std::string>& args);

    bool has(const std::string& name) const;                        // flag set, option given or defaulted
    std::string get(const std::string& name) const;                 // last value; throws UsageError if absent
    std::vector<std::string> get_all(const std::string& name) const;  // every value of a repeated option
    std::optional<std::string> get_optional(const std::string& name) const;
    // An integer option within [min, max] (UsageError naming the option and its bounds otherwise):
    // every count from the command line is bounded, so no flag can start 2^31 runs or allocations.
    int get_int(const std::string& name, int min, int max) const;
    // Any int; prefer the bounded form for every count.
    int get_int(const std::string& name) const;
    double get_double(const std::string& name) const;

    std::string usage() const;

private:
    struct Spec {
        std::string name, value_name, help;
        bool is_flag = false, is_positional = false, required = false;
        std::optional<std::string> default_value;
    };
    std::string command_, summary_;
    std::vector<Spec> specs_;
    std::map<std::string, std::vector<std::string>> values_;

    const Spec* find(const std::string& name) const;
};

}  // namespace dyadic::cli
