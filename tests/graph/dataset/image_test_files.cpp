#include "image_test_files.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <jpeglib.h>
#include <png.h>

namespace dyadic::testing {
namespace {

void append(png_structp png, png_bytep data, png_size_t size) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), size);
}
void flush(png_structp) {}

std::string write_png(int width, int height, int color_type, int bit_depth, const std::vector<uint8_t>& rows_data,
                      size_t row_bytes, bool interlaced, const std::vector<uint8_t>* palette) {
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("test PNG encoding failed");
    }
    png_set_write_fn(png, &out, append, flush);
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), bit_depth, color_type,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_color> colors;
    if (palette) {
        for (size_t i = 0; i + 2 < palette->size(); i += 3) colors.push_back({(*palette)[i], (*palette)[i + 1], (*palette)[i + 2]});
        png_set_PLTE(png, info, colors.data(), static_cast<int>(colors.size()));
    }
    std::vector<png_bytep> rows(static_cast<size_t>(height));
    for (int y = 0; y < height; ++y) rows[static_cast<size_t>(y)] = const_cast<png_bytep>(rows_data.data() + y * row_bytes);
    png_set_rows(png, info, rows.data());
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

}  // namespace

std::string encode_png(int width, int height, int channels, int bit_depth, const std::vector<uint8_t>& samples,
                       bool interlaced) {
    const int color = channels == 1   ? PNG_COLOR_TYPE_GRAY
                      : channels == 2 ? PNG_COLOR_TYPE_GRAY_ALPHA
                      : channels == 3 ? PNG_COLOR_TYPE_RGB
                                      : PNG_COLOR_TYPE_RGB_ALPHA;
    const size_t row_bytes = static_cast<size_t>(width * channels * bit_depth / 8);
    return write_png(width, height, color, bit_depth, samples, row_bytes, interlaced, nullptr);
}

std::string encode_palette_png(int width, int height, const std::vector<uint8_t>& indices,
                               const std::vector<uint8_t>& palette) {
    return write_png(width, height, PNG_COLOR_TYPE_PALETTE, 8, indices, static_cast<size_t>(width), false, &palette);
}

std::string encode_jpeg(int width, int height, int channels, const std::vector<uint8_t>& pixels) {
    jpeg_compress_struct cinfo;
    jpeg_error_mgr error;
    cinfo.err = jpeg_std_error(&error);
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, 90, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(pixels.data() + cinfo.next_scanline * static_cast<size_t>(width * channels));
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    std::string out(reinterpret_cast<const char*>(buffer), size);
    std::free(buffer);
    return out;
}

std::vector<uint8_t> reference_jpeg_decode(const std::string& bytes, int& width, int& height, int& channels) {
    jpeg_decompress_struct cinfo;
    jpeg_error_mgr error;
    cinfo.err = jpeg_std_error(&error);  // a broken test file exits; the tests give only good ones
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    width = static_cast<int>(cinfo.output_width);
    height = static_cast<int>(cinfo.output_height);
    channels = cinfo.output_components;
    std::vector<uint8_t> pixels(static_cast<size_t>(width * height * channels));
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels.data() + cinfo.output_scanline * static_cast<size_t>(width * channels);
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return pixels;
}

}  // namespace dyadic::testing
