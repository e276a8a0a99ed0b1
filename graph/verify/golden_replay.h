#pragma once
// Checks backends against a golden directory (docs/golden.md) instead of a model: every layer of
// the manifest is run from its stored inputs on each backend and compared (==) with its stored
// output. With the reference among the backends this also proves the files are what the reference
// computes today. A replayed fuzz-diff failure or golden vectors written elsewhere use this.
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "graph/verify/model_verifier.h"

namespace dyadic::verify {

VerifyReport replay_golden(const std::string& directory, const std::vector<quant::LayerBackend*>& backends);

}  // namespace dyadic::verify
