// Fuzz target: the integer model file reader (header, CRC, payload decoding, model validation)
// and the statistics `dyadic inspect` prints. The CRC is fuzzed like any other field, and the
// seeds are valid files, so mutations of the payload need a matching CRC to get past the header:
// the target therefore also tries the input with its CRC recomputed.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/quant/model_file.h"
#include "graph/quant/model_stats.h"
#include "util/error.h"

namespace {

void load(const std::string& bytes) {
    try {
        const dyadic::quant::QuantizedModel model = dyadic::quant::deserialize_model(bytes, "fuzz");
        (void)dyadic::quant::stats_table(dyadic::quant::model_stats(model));
    } catch (const dyadic::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    load(bytes);
    if (bytes.size() >= dyadic::quant::kModelHeaderBytes) {
        const uint32_t crc = static_cast<uint32_t>(
            crc32_z(0L, reinterpret_cast<const Bytef*>(bytes.data()) + dyadic::quant::kModelHeaderBytes,
                    bytes.size() - dyadic::quant::kModelHeaderBytes));
        for (int i = 0; i < 4; ++i) bytes[16 + i] = static_cast<char>(static_cast<uint8_t>(crc >> (8 * i)));
        load(bytes);
    }
    return 0;
}
