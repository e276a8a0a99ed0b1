#pragma once
// The SystemVerilog view of an accelerator configuration (docs/accelerator.md, "Configuration"):
// a package of localparams that the RTL imports, generated from the same JSON as the SystemC
// model so that the two cannot drift apart. Also carries the model's fixed PE constants.
#include <string>

#include "sim/accel_config.h"

namespace dyadic::sim {

// The text of `dyadic_accel_config_pkg` in an include-guarded .svh file.
std::string emit_sv_package(const AccelConfig& config);

}  // namespace dyadic::sim
