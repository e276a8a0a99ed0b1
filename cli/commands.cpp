// The subcommand table. Each command lives in cli/commands/<name>.cpp and defines its run
// function in namespace dyadic::cli::commands; add it here and to cli/CMakeLists.txt.
#include "cli/commands.h"

namespace dyadic::cli::commands {
int version(const Args& args);
}  // namespace dyadic::cli::commands

namespace dyadic::cli {

const std::vector<Command>& command_table() {
    static const std::vector<Command> table = {
        {"version", "print the version of dyadic and of its file formats", commands::version},
    };
    return table;
}

}  // namespace dyadic::cli
