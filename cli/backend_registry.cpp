#include "cli/backend_registry.h"

#include <algorithm>
#include <sstream>

#include "cli/args.h"
#include "graph/quant/reference_backend.h"
#include "sim/accel_config.h"
#include "sim/sim_backend.h"
#if DYADIC_HAVE_CUDA
#include "gpu/gpu_backend.h"
#endif
#include "util/error.h"

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
    if (name == "cpu") return std::make_unique<UnavailableBackend>(name, "not built: the fast CPU backend is not part of this build");
    if (name == "rtl") return std::make_unique<UnavailableBackend>(name, "not built: the RTL core is not part of this build");
    if (name == "gpu") {
#if DYADIC_HAVE_CUDA
        return std::make_unique<gpu::GpuBackend>();
#else
        return std::make_unique<UnavailableBackend>(name, "built without CUDA (nvcc was not found at configure time)");
#endif
    }
    std::string known;
    for (const std::string& n : backend_names()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError("unknown backend '" + name + "' (known: " + known + ")");
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

}  // namespace dyadic::cli
