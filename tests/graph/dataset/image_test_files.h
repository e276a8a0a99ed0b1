#pragma once
// Writes PNG (libpng) and JPEG (libjpeg) files for the image tests, independently of the decoders
// under test, and decodes JPEGs with plain libjpeg calls as the reference.
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::testing {

// `pixels`: height x width x channels; channels 1 (grey), 2 (grey+alpha), 3 (RGB), 4 (RGBA);
// bit_depth 8 or 16 (16: two bytes per sample, big endian as PNG stores them).
std::string encode_png(int width, int height, int channels, int bit_depth, const std::vector<uint8_t>& samples,
                       bool interlaced = false);
// A palette PNG: indices into `palette` (RGB triples).
std::string encode_palette_png(int width, int height, const std::vector<uint8_t>& indices,
                               const std::vector<uint8_t>& palette);
// channels 1 or 3, quality 90.
std::string encode_jpeg(int width, int height, int channels, const std::vector<uint8_t>& pixels);
// libjpeg's own decoding with its defaults, as grey for a grey file and RGB otherwise.
std::vector<uint8_t> reference_jpeg_decode(const std::string& bytes, int& width, int& height, int& channels);

}  // namespace dyadic::testing
