#pragma once
// The backends a `dyadic` command can name (--backend, --backends): one place that knows every
// backend and how to build it, so commands never dispatch on backend names themselves.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "graph/quant/layer_backend.h"

namespace dyadic::cli {

struct BackendOptions {
    std::optional<std::string> accel_config;  // sim: accelerator configuration file (default: built in)
    int threads = 0;                          // cpu: worker threads (0: every core)
    std::optional<std::string> cpu_path;      // cpu: "scalar", "avx2" or "avx512_vnni" (default: the best)
    std::optional<std::string> rtl_trace;     // rtl: VCD of the tile of the first differing element
};

// Every name the registry knows, in the order `--help` lists them: "ref", "cpu", "sim", "rtl", "gpu".
const std::vector<std::string>& backend_names();

// Builds the named backend. A known backend that this build lacks comes back as an unavailable
// backend that says why (so verify reports it as skipped); an unknown name throws UsageError.
std::unique_ptr<quant::LayerBackend> make_backend(const std::string& name, const BackendOptions& options);

// --backend NAME (default `default_name`), --threads N and --cpu-path P: for commands that run
// the integer model on one backend (eval, compare, run).
void add_backend_options(ArgParser& parser, const std::string& default_name);

// The backend those options name; throws UsageError when it cannot run on this machine.
std::unique_ptr<quant::LayerBackend> backend_from_args(const ArgParser& parser);

// What made a number, for every report: "ref", "cpu (avx2, 2 threads)".
std::string backend_label(const quant::LayerBackend& backend);

// "ref,sim" -> {"ref", "sim"}; throws UsageError for an empty, unknown or repeated name.
std::vector<std::string> parse_backend_list(const std::string& text);

// The backends of a `--backends` list, built and owned together.
struct BackendSet {
    std::vector<std::unique_ptr<quant::LayerBackend>> owned;
    std::vector<quant::LayerBackend*> pointers() const;
};
BackendSet make_backends(const std::string& list, const BackendOptions& options);

}  // namespace dyadic::cli
