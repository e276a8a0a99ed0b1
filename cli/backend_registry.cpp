#include "cli/backend_registry.h"

#include <algorithm>
#include <sstream>

#include "cli/args.h"
#include "cpu/cpu_backend.h"
#include "graph/quant/reference_backend.h"
#include "sim/accel_config.h"
#include "sim/sim_backend.h"
#include "gpu/build_availability.h"
#if DYADIC_HAVE_CUDA
#include "gpu/gpu_backend.h"
#endif
#include "util/error.h"
#ifdef DYADIC_WITH_RTL
#include "rtl/rtl_backend.h"
#endif

namespace dyadic::cli {
namespace {

// A backend that this build does not contain: it runs nothing (every op throws) and says why.
class UnavailableBackend : public quant::LayerBackend {
public:
    UnavailableBackend(std::string name, std::string reason) : name_(std::move(name)), reason_(std::move(reason)) {}
    std::string name() const override { return name_; }
    std::string unavailable_reason() const override { return reason_; }

private:
    std::string name_, reason_;
};

// The SystemC model owns its Simulator; the backend refers to it.
class OwningSimBackend : public sim::SimBackend {
public:
    explicit OwningSimBackend(std::unique_ptr<sim::Simulator> simulator)
        : sim::SimBackend(*simulator), simulator_(std::move(simulator)) {}

private:
    std::unique_ptr<sim::Simulator> simulator_;
};

}  // namespace

const std::vector<std::string>& backend_names() {
    static const std::vector<std::string> names = {"ref", "cpu", "sim", "rtl", "gpu"};
    return names;
}

std::unique_ptr<quant::LayerBackend> make_backend(const std::string& name, const BackendOptions& options) {
    if (name == "ref") return std::make_unique<quant::ReferenceBackend>();
    if (name == "sim") {
        sim::AccelConfig config =
            options.accel_config ? sim::load_accel_config(*options.accel_config) : sim::default_accel_config();
        return std::make_unique<OwningSimBackend>(std::make_unique<sim::Simulator>(std::move(config)));
    }
    if (name == "cpu") {
        std::optional<cpu::Isa> isa;
        if (options.cpu_path) isa = cpu::parse_isa(*options.cpu_path);
        return std::make_unique<cpu::CpuBackend>(options.threads, isa);
    }
#ifdef DYADIC_WITH_RTL
    if (name == "rtl") return std::make_unique<rtl::RtlBackend>(options.rtl_trace.value_or(""));
#else
    if (name == "rtl") return std::make_unique<UnavailableBackend>(name, "not built: this build found no Verilator");
#endif
    if (name == "gpu") {
#if DYADIC_HAVE_CUDA
        return std::make_unique<gpu::GpuBackend>();
#else
        return std::make_unique<UnavailableBackend>(name, gpu::kBuiltWithoutCuda);
#endif
    }
    std::string known;
    for (const std::string& n : backend_names()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError("unknown backend '" + name + "' (known: " + known + ")");
}

void add_backend_options(ArgParser& parser, const std::string& default_name) {
    parser.option("--backend", "name", "integer backend: ref (the reference executor) or cpu (fast, bit-exact)",
                  default_name)
        .option("--threads", "n", "cpu backend: worker threads (0: every core)", std::string("0"))
        .option("--cpu-path", "name", "cpu backend: scalar, avx2 or avx512_vnni (default: the best this CPU runs)");
}

std::unique_ptr<quant::LayerBackend> backend_from_args(const ArgParser& parser) {
    BackendOptions options;
    options.threads = parser.get_int("--threads", 0, 1024);
    options.cpu_path = parser.get_optional("--cpu-path");
    const std::string name = parser.get("--backend");
    std::unique_ptr<quant::LayerBackend> backend;
    try {
        backend = make_backend(name, options);
    } catch (const Error& error) {
        throw UsageError(error.what());
    }
    if (const std::string why = backend->unavailable_reason(); !why.empty()) {
        throw UsageError("backend '" + name + "' cannot run here: " + why);
    }
    return backend;
}

std::string backend_label(const quant::LayerBackend& backend) {
    if (const auto* fast = dynamic_cast<const cpu::CpuBackend*>(&backend)) return "cpu (" + fast->path() + ")";
    return backend.name();
}

std::vector<std::string> parse_backend_list(const std::string& text) {
    std::vector<std::string> names;
    std::stringstream stream(text);
    std::string name;
    while (std::getline(stream, name, ',')) {
        if (name.empty()) throw UsageError("empty backend name in '" + text + "'");
        if (std::find(backend_names().begin(), backend_names().end(), name) == backend_names().end()) {
            make_backend(name, {});  // throws the usage error listing the known names
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) {
            throw UsageError("backend '" + name + "' named twice");
        }
        names.push_back(name);
    }
    if (names.empty()) throw UsageError("no backend named");
    return names;
}

std::vector<quant::LayerBackend*> BackendSet::pointers() const {
    std::vector<quant::LayerBackend*> out;
    for (const auto& b : owned) out.push_back(b.get());
    return out;
}

BackendSet make_backends(const std::string& list, const BackendOptions& options) {
    BackendSet set;
    for (const std::string& name : parse_backend_list(list)) set.owned.push_back(make_backend(name, options));
    return set;
}

}  // namespace dyadic::cli
