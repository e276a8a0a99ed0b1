// PNG decoding with libpng. As with libjpeg, errors longjmp back into the stage that called libpng,
// so each such stage holds only trivially destructible values and returns false after the jump;
// PngReader's destructor frees libpng's structures on every path. Pixels are the stored samples:
// no gamma or colour-profile correction; palettes expand to RGB, 1/2/4-bit grey to 8 bits, 16-bit
// samples scale to 8 (png_set_scale_16: round(v * 255 / 65535)), and alpha is dropped (not
// composited onto a background).
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include <png.h>

#include "graph/dataset/image_decode.h"
#include "util/error.h"

namespace dyadic::dataset {
namespace {

struct PngSource {
    const unsigned char* data = nullptr;
    size_t size = 0;
    size_t position = 0;
    char message[256] = {};
};

void on_error(png_structp png, png_const_charp message) {
    auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
    std::snprintf(source->message, sizeof source->message, "%s", message);
    png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // ancillary-chunk remarks; the pixels are intact

void read_bytes(png_structp png, png_bytep out, png_size_t count) {
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (count > source->size - source->position) png_error(png, "the file ends early");
    std::memcpy(out, source->data + source->position, count);
    source->position += count;
}

class PngReader {
public:
    explicit PngReader(PngSource& source) {
        png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, on_error, on_warning);
        if (png) info = png_create_info_struct(png);
    }
    ~PngReader() {
        if (png) png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    }
    PngReader(const PngReader&) = delete;
    PngReader& operator=(const PngReader&) = delete;

    png_structp png = nullptr;
    png_infop info = nullptr;
};

// Stage 1: the header and the transformations to 8-bit grey or RGB.
bool read_header(PngReader& r, PngSource& source) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_set_read_fn(r.png, &source, read_bytes);
    // Far above kMaxImagePixels' sides; the pixel count is checked by the caller.
    png_set_user_limits(r.png, 1u << 20, 1u << 20);
    png_read_info(r.png, r.info);
    const int color = png_get_color_type(r.png, r.info);
    const int depth = png_get_bit_depth(r.png, r.info);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r.png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(r.png);
    if (depth == 16) png_set_scale_16(r.png);
    if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(r.png);
    png_set_interlace_handling(r.png);
    png_read_update_info(r.png, r.info);
    return true;
}

// Stage 2: the rows, then the chunks after them up to IEND.
bool read_rows(PngReader& r, png_bytepp rows) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_read_image(r.png, rows);
    png_read_end(r.png, nullptr);
    return true;
}

}  // namespace

DecodedImage decode_png(const std::string& bytes, const std::string& source_name) {
    PngSource source;
    source.data = reinterpret_cast<const unsigned char*>(bytes.data());
    source.size = bytes.size();
    PngReader r(source);
    require(r.png && r.info, source_name + ": cannot start the PNG decoder (out of memory)");
    require(read_header(r, source), source_name + ": corrupt or truncated PNG (" + source.message + ")");
    DecodedImage image;
    image.height = png_get_image_height(r.png, r.info);
    image.width = png_get_image_width(r.png, r.info);
    image.channels = png_get_channels(r.png, r.info);
    require_decodable_size(image.height, image.width, source_name);
    require((image.channels == 1 || image.channels == 3) && png_get_bit_depth(r.png, r.info) == 8,
            source_name + ": unsupported PNG pixel format");
    const auto row_bytes = static_cast<size_t>(image.width) * static_cast<size_t>(image.channels);
    require(png_get_rowbytes(r.png, r.info) == row_bytes, source_name + ": unexpected PNG row size");
    image.pixels.resize(row_bytes * static_cast<size_t>(image.height));
    std::vector<png_bytep> rows(static_cast<size_t>(image.height));
    for (size_t y = 0; y < rows.size(); ++y) rows[y] = image.pixels.data() + y * row_bytes;
    require(read_rows(r, rows.data()), source_name + ": corrupt or truncated PNG (" + source.message + ")");
    return image;
}

}  // namespace dyadic::dataset
