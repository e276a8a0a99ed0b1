// Fuzz target: JPEG (libjpeg-turbo) and PNG (libpng) decoding through dyadic's error handling
// (the longjmp paths), the channel conversions, and resize + center crop + normalization of
// whatever decodes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "graph/dataset/image_decode.h"
#include "graph/dataset/preprocessing.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace dyadic::dataset;
    try {
        const DecodedImage image = decode_image(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
        for (const int channels : {1, 3}) {
            const DecodedImage converted = with_channels(image, channels);
            Preprocessing p;
            p.channels = channels;
            p.resize = 5;
            p.crop_height = p.crop_width = 4;
            std::vector<float> out(static_cast<size_t>(channels) * 16);
            preprocess_image(converted.pixels.data(), converted.height, converted.width, p, out.data(), "fuzz");
        }
    } catch (const dyadic::Error&) {
    }
    return 0;
}
