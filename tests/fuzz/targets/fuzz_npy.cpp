// Fuzz target: the .npy reader (magic, version, the Python-dict header, dtype, shape and data
// size) and the conversion to an integer tensor that golden directories use.
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/golden/npy.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const dyadic::golden::NpyArray array =
            dyadic::golden::decode_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
        if (array.dtype == dyadic::golden::NpyDtype::float32) {
            (void)dyadic::golden::npy_floats(array, "fuzz");
        } else {
            (void)dyadic::golden::tensor_from_npy(array, dyadic::IntType::int32(), "fuzz");
        }
    } catch (const dyadic::Error&) {
    }
    return 0;
}
