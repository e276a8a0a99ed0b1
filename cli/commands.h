#pragma once
// Every `dyadic` subcommand: one file under cli/commands/ each, registered in cli/main.cpp.
// A command returns the process exit status; it reports errors by throwing dyadic::Error
// (exit 1) or cli::UsageError (exit 2).
#include <string>
#include <vector>

namespace dyadic::cli {

using Args = std::vector<std::string>;

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const Args& args);
};

// The table of subcommands, in the order `dyadic --help` lists them.
const std::vector<Command>& command_table();

}  // namespace dyadic::cli
