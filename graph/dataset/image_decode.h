#pragma once
// JPEG (libjpeg-turbo) and PNG (libpng) decoding to 8-bit pixels, strictly: a truncated or corrupt
// file, an unsupported colour model or dimensions beyond kMaxImagePixels are a dyadic::Error naming
// the file and the problem, never a partial image. Exact conversions are in docs/data.md.
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::dataset {

// The most pixels (width x height) one image may have: 2^26, 64 Mi pixels (192 MiB as RGB),
// far beyond any model input but small enough that a forged header cannot exhaust memory.
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 26;

struct DecodedImage {
    int64_t height = 0;
    int64_t width = 0;
    int channels = 0;             // 1 (grey) or 3 (RGB)
    std::vector<uint8_t> pixels;  // height x width x channels, row-major, channels interleaved
};

// The file format by its first bytes.
enum class ImageFormat { jpeg, png, unknown };
ImageFormat sniff_image_format(const std::string& bytes);

// `bytes` are the whole file; `source` (the path) names it in errors.
DecodedImage decode_jpeg(const std::string& bytes, const std::string& source);
DecodedImage decode_png(const std::string& bytes, const std::string& source);
// Either, by the first bytes.
DecodedImage decode_image(const std::string& bytes, const std::string& source);

// Throws Error naming `source` when an image of that size is empty or exceeds kMaxImagePixels
// (checked before anything is allocated).
void require_decodable_size(int64_t height, int64_t width, const std::string& source);

// `image` with 1 or 3 channels: grey -> RGB repeats the level; RGB -> grey is the ITU-R BT.601
// luma in PIL's fixed point, (19595 R + 38470 G + 7471 B + 32768) >> 16.
DecodedImage with_channels(DecodedImage image, int channels);

}  // namespace dyadic::dataset
