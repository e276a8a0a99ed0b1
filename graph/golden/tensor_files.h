#pragma once
// One tensor of a golden directory (docs/golden.md): its .npy file, its $readmemh image (and a
// packed image for types of at most 4 bits), and the manifest entry that describes them. The
// writer and the reader of golden directories both go through here, so the files and the
// manifest cannot drift apart.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::golden {

// How the tensor's scales are recorded: activations carry one per-tensor "scale", parameters
// (weights, bias) a "scales" list (one per output channel for weights).
enum class ScaleKind { per_tensor, per_channel };

// Writes <root>/<stem>.npy, <root>/<stem>.hex and, for types of at most 4 bits,
// <root>/<stem>.packed.hex; returns the manifest entry (paths relative to root).
nlohmann::json write_tensor_files(const std::filesystem::path& root, const std::string& stem, const Tensor& tensor,
                                  ScaleKind scale_kind);

// Reads the tensor an entry describes from its .npy file, checking the file's dtype and shape
// against the entry; `what` names it in errors. Paths must be relative and stay inside root.
Tensor read_tensor_files(const std::filesystem::path& root, const nlohmann::json& entry, const std::string& what);

// "int8" -> int8, "uint4" -> uint4, ...; throws Error for anything IntType::name() cannot produce
// or validate() refuses.
IntType parse_int_type(const std::string& name);

}  // namespace dyadic::golden
