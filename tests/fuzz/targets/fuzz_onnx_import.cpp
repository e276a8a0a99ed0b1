// Fuzz target: ONNX import (protobuf parsing, the importer, shape inference, the standard graph
// passes and the MAC count), as `dyadic import` runs them. dyadic::Error is the expected way to
// refuse an input; anything else (a crash, a sanitizer report, another exception) is a finding.
#include <climits>
#include <cstddef>
#include <cstdint>

#include "graph/ir/mac_count.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/onnx/onnx_file.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    onnx::ModelProto model;
    if (size > INT_MAX || !model.ParseFromArray(data, static_cast<int>(size))) return 0;
    try {
        dyadic::ir::Graph graph = dyadic::ir::import_onnx(model);
        dyadic::ir::run_standard_passes(graph);
        (void)dyadic::ir::total_mac_count(graph);
    } catch (const dyadic::Error&) {
    }
    return 0;
}
