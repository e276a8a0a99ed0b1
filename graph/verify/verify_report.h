#pragma once
// The verify report for machines (JSON, docs/verify.md) and for people (a short table: one row per
// layer, one column per backend, then one line per layer that differs, failed or was skipped).
#include <string>

#include "graph/verify/model_verifier.h"

namespace dyadic::verify {

std::string report_json(const VerifyReport& report, bool require_all);
std::string report_table(const VerifyReport& report);

}  // namespace dyadic::verify
