#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"

namespace dyadic::cli::commands {

int version(const Args& args) {
    ArgParser parser("dyadic version", "Print the version of dyadic.");
    parser.parse(args);
    std::cout << "dyadic " << DYADIC_VERSION << '\n';
    return 0;
}

}  // namespace dyadic::cli::commands
