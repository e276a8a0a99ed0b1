// Fuzz target: the accelerator configuration reader and its two writers (JSON and the
// SystemVerilog package). An accepted configuration must read back from its own JSON unchanged,
// or the target aborts (a finding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/accel_config.h"
#include "sim/sv_package.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    dyadic::sim::AccelConfig config;
    try {
        config = dyadic::sim::parse_accel_config(text, "fuzz");
    } catch (const dyadic::Error&) {
        return 0;
    }
    const std::string json = dyadic::sim::to_json_text(config);
    if (dyadic::sim::to_json_text(dyadic::sim::parse_accel_config(json, "again")) != json) std::abort();
    (void)dyadic::sim::emit_sv_package(config);
    return 0;
}
