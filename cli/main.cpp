// dyadic: the command-line front end. Dispatches to one subcommand and turns every error into a
// message on stderr and a non-zero exit status.
#include <exception>
#include <iostream>
#include <new>

#include "cli/args.h"
#include "cli/commands.h"
#include "util/error.h"

namespace {

void print_overview() {
    std::cout << "usage: dyadic <command> [arguments] [--help]\n\n"
                 "Integer-only (dyadic) neural-network inference: golden reference, quantization,\n"
                 "bit allocation, accelerator simulation and cross-backend verification.\n\ncommands:\n";
    for (const auto& command : dyadic::cli::command_table()) {
        std::string name = command.name;
        std::cout << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << command.summary
                  << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dyadic::cli;
    if (argc < 2) {
        print_overview();
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_overview();
        return 0;
    }
    const Args args(argv + 2, argv + argc);
    for (const auto& command : command_table()) {
        if (name != command.name) continue;
        try {
            return command.run(args);
        } catch (const HelpRequested&) {
            return 0;
        } catch (const UsageError& error) {
            std::cerr << "dyadic " << name << ": " << error.what() << "\n(see dyadic " << name << " --help)\n";
            return 2;
        } catch (const dyadic::Error& error) {
            std::cerr << "dyadic " << name << ": error: " << error.what() << '\n';
            return 1;
        } catch (const std::bad_alloc&) {
            std::cerr << "dyadic " << name << ": error: out of memory\n";
            return 1;
        } catch (const std::exception& error) {
            std::cerr << "dyadic " << name << ": internal error: " << error.what() << '\n';
            return 3;
        }
    }
    std::cerr << "dyadic: unknown command '" << name << "'\n";
    print_overview();
    return 2;
}
