#pragma once
// The integer model file (docs/model-format.md): magic "DYQM", a format version, the payload
// length and a CRC32 of the payload, then the little-endian payload. Loading checks all four and
// then validate()s the model, so a truncated, corrupted or foreign file is a clear Error, never a
// crash. Saving writes a temporary file and renames it, so no half-written model is ever left.
#include <cstdint>
#include <string>

#include "graph/quant/quantized_model.h"

namespace dyadic::quant {

inline constexpr char kModelMagic[4] = {'D', 'Y', 'Q', 'M'};
inline constexpr uint32_t kModelFormatVersion = 1;
inline constexpr size_t kModelHeaderBytes = 20;  // magic, version, payload length, CRC32

// The complete file contents. Validates the model first (an invalid model is never written).
std::string serialize_model(const QuantizedModel& model);

// Parses file contents; `source` names them in error messages (usually the path).
QuantizedModel deserialize_model(const std::string& bytes, const std::string& source = "model");

void save_model(const QuantizedModel& model, const std::string& path);
QuantizedModel load_model(const std::string& path);

}  // namespace dyadic::quant
