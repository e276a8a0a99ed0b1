#include "graph/dataset/image_decode.h"

#include "util/error.h"

namespace dyadic::dataset {

ImageFormat sniff_image_format(const std::string& bytes) {
    if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) return ImageFormat::jpeg;
    if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0) return ImageFormat::png;
    return ImageFormat::unknown;
}

void require_decodable_size(int64_t height, int64_t width, const std::string& source) {
    require(height > 0 && width > 0, source + ": the image has no pixels (" + std::to_string(width) + "x" +
                                         std::to_string(height) + ")");
    int64_t pixels = 0;
    require(!__builtin_mul_overflow(height, width, &pixels) && pixels <= kMaxImagePixels,
            source + ": the image is " + std::to_string(width) + "x" + std::to_string(height) +
                " pixels; at most " + std::to_string(kMaxImagePixels) + " pixels are decoded");
}

DecodedImage decode_image(const std::string& bytes, const std::string& source) {
    switch (sniff_image_format(bytes)) {
        case ImageFormat::jpeg: return decode_jpeg(bytes, source);
        case ImageFormat::png: return decode_png(bytes, source);
        case ImageFormat::unknown: break;
    }
    throw Error(source + ": not a JPEG or PNG file" + (bytes.empty() ? " (empty)" : ""));
}

DecodedImage with_channels(DecodedImage image, int channels) {
    require(channels == 1 || channels == 3, "images convert to 1 or 3 channels only");
    require(image.channels == 1 || image.channels == 3, "decoded images have 1 or 3 channels");
    if (image.channels == channels) return image;
    const auto pixels = static_cast<size_t>(image.height * image.width);
    DecodedImage out{image.height, image.width, channels, std::vector<uint8_t>(pixels * static_cast<size_t>(channels))};
    if (channels == 3) {
        for (size_t i = 0; i < pixels; ++i) out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = image.pixels[i];
    } else {
        for (size_t i = 0; i < pixels; ++i) {
            const uint32_t r = image.pixels[3 * i], g = image.pixels[3 * i + 1], b = image.pixels[3 * i + 2];
            out.pixels[i] = static_cast<uint8_t>((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
        }
    }
    return out;
}

}  // namespace dyadic::dataset
