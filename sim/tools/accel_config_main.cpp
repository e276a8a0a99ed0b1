// dyadic_accel_config: validates an accelerator configuration, emits its SystemVerilog package and
// reports its area estimate (sim/area_model.h).
//   dyadic_accel_config [--config accel.json] [--emit-sv out.svh] [--print] [--area] [--area-json out.json]
// Without --config the built-in sim/configs/default.json is used. Output files are written to a
// temporary name and renamed, so a failure never leaves a half-written file.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "util/atomic_file.h"
#include "util/error.h"
#include "sim/accel_config.h"
#include "sim/area_model.h"
#include "sim/sv_package.h"

namespace {

int usage() {
    std::cerr << "usage: dyadic_accel_config [--config accel.json] [--emit-sv out.svh] [--print] [--area]\n"
                 "                           [--area-json out.json]\n"
                 "  --print      the configuration as JSON (the default when nothing else is asked)\n"
                 "  --area       the area estimate and its breakdown as a table\n"
                 "  --area-json  the area estimate and its breakdown as JSON ('-': standard output)\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::string config_path, sv_path, area_json_path;
    bool print = false, area_table = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) {
            config_path = args[++i];
        } else if (args[i] == "--emit-sv" && i + 1 < args.size()) {
            sv_path = args[++i];
        } else if (args[i] == "--print") {
            print = true;
        } else if (args[i] == "--area") {
            area_table = true;
        } else if (args[i] == "--area-json" && i + 1 < args.size()) {
            area_json_path = args[++i];
        } else {
            return usage();
        }
    }
    try {
        const dyadic::sim::AccelConfig config =
            config_path.empty() ? dyadic::sim::default_accel_config() : dyadic::sim::load_accel_config(config_path);
        if (!sv_path.empty()) dyadic::write_file_atomically(sv_path, dyadic::sim::emit_sv_package(config));
        if (print || (sv_path.empty() && !area_table && area_json_path.empty()))
            std::cout << dyadic::sim::to_json_text(config) << "\n";
        if (area_table || !area_json_path.empty()) {
            const dyadic::sim::AreaEstimate area = dyadic::sim::estimate_area(config);
            if (area_table) std::cout << dyadic::sim::area_to_table(area);
            if (area_json_path == "-") {
                std::cout << dyadic::sim::area_to_json(area) << "\n";
            } else if (!area_json_path.empty()) {
                dyadic::write_file_atomically(area_json_path, dyadic::sim::area_to_json(area) + "\n");
            }
        }
        dyadic::require(std::cout.flush() && std::fflush(stdout) == 0, "cannot write standard output");
        return 0;
    } catch (const dyadic::Error& e) {
        std::cerr << "dyadic_accel_config: " << e.what() << "\n";
        return 1;
    }
}
