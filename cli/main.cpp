// dyadic: the command-line front end. Dispatches to one subcommand and turns every error into a
// message on stderr and a non-zero exit status.
#include <cerrno>
#include <cstdio>
#include <cstring>
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

// Flushes standard output and reports a write error (a full disk, a closed pipe, /dev/full):
// results that never arrived must not end in exit status 0. std::cout shares stdout's buffer
// (sync_with_stdio), so one fflush covers both.
int checked_exit(const std::string& name, int status) {
    std::cout.flush();
    errno = 0;
    const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
    if (!failed) return status;
    const int error = errno;
    std::cerr << "dyadic " << name << ": error: cannot write standard output"
              << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << '\n';
    return status == 0 ? 1 : status;
}

int run_command(const std::string& name, const dyadic::cli::Args& args) {
    using namespace dyadic::cli;
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
        return checked_exit(name, 0);
    }
    return checked_exit(name, run_command(name, Args(argv + 2, argv + argc)));
}
