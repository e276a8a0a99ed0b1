// JPEG decoding with libjpeg(-turbo). libjpeg reports errors by calling error_exit, which must not
// return; here it longjmps back into the stage that called libjpeg. longjmp skips destructors, so
// every stage that calls libjpeg is a function whose frame holds only trivially destructible
// values and which returns false after the jump; the C++ side (allocation, messages, throwing) runs
// between stages, and JpegDecompressor's destructor releases libjpeg's memory on every path.
// Warnings (corrupt data that libjpeg would paper over, a file that ends early) are errors too.
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

#include "graph/dataset/image_decode.h"
#include "util/error.h"

namespace dyadic::dataset {
namespace {

struct ErrorManager {
    jpeg_error_mgr pub;  // first member: libjpeg sees a jpeg_error_mgr*
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void fail(j_common_ptr cinfo) {
    auto* error = reinterpret_cast<ErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, error->message);
    std::longjmp(error->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) fail(cinfo);  // a warning: corrupt or truncated data
}

class JpegDecompressor {
public:
    JpegDecompressor() {
        cinfo.err = jpeg_std_error(&error.pub);
        error.pub.error_exit = fail;
        error.pub.emit_message = on_message;
        error.message[0] = '\0';
    }
    ~JpegDecompressor() {
        if (created) jpeg_destroy_decompress(&cinfo);
    }
    JpegDecompressor(const JpegDecompressor&) = delete;
    JpegDecompressor& operator=(const JpegDecompressor&) = delete;

    jpeg_decompress_struct cinfo{};
    ErrorManager error{};
    bool created = false;
};

// Stage 1: the header; chooses the output colour space (grey stays grey, YCbCr and RGB become RGB)
// and libjpeg's default, exact decoding (islow IDCT, fancy upsampling). `unsupported` is set for a
// colour space other than those.
bool read_header(JpegDecompressor& d, const unsigned char* data, unsigned long size, bool& unsupported) {
    if (setjmp(d.error.jump)) return false;
    jpeg_create_decompress(&d.cinfo);
    d.created = true;
    jpeg_mem_src(&d.cinfo, data, size);
    jpeg_read_header(&d.cinfo, TRUE);
    switch (d.cinfo.jpeg_color_space) {
        case JCS_GRAYSCALE: d.cinfo.out_color_space = JCS_GRAYSCALE; break;
        case JCS_YCbCr:
        case JCS_RGB: d.cinfo.out_color_space = JCS_RGB; break;
        default: unsupported = true; return true;
    }
    d.cinfo.dct_method = JDCT_ISLOW;
    d.cinfo.do_fancy_upsampling = TRUE;
    return true;
}

// Stage 2: every scanline into `out` (height x width x components bytes), then the end of the file.
bool read_pixels(JpegDecompressor& d, unsigned char* out, size_t row_bytes) {
    if (setjmp(d.error.jump)) return false;
    jpeg_start_decompress(&d.cinfo);
    while (d.cinfo.output_scanline < d.cinfo.output_height) {
        JSAMPROW row = out + static_cast<size_t>(d.cinfo.output_scanline) * row_bytes;
        jpeg_read_scanlines(&d.cinfo, &row, 1);
    }
    jpeg_finish_decompress(&d.cinfo);
    return true;
}

}  // namespace

DecodedImage decode_jpeg(const std::string& bytes, const std::string& source) {
    JpegDecompressor d;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    bool unsupported = false;
    require(read_header(d, data, static_cast<unsigned long>(bytes.size()), unsupported),
            source + ": corrupt or truncated JPEG (" + d.error.message + ")");
    require(!unsupported, source + ": unsupported JPEG colour space (only greyscale, YCbCr and RGB; CMYK is not)");
    DecodedImage image;
    image.height = d.cinfo.image_height;
    image.width = d.cinfo.image_width;
    image.channels = d.cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3;
    require_decodable_size(image.height, image.width, source);
    const auto row_bytes = static_cast<size_t>(image.width) * static_cast<size_t>(image.channels);
    image.pixels.resize(row_bytes * static_cast<size_t>(image.height));
    require(read_pixels(d, image.pixels.data(), row_bytes),
            source + ": corrupt or truncated JPEG (" + d.error.message + ")");
    require(d.cinfo.output_components == image.channels && static_cast<int64_t>(d.cinfo.output_width) == image.width &&
                static_cast<int64_t>(d.cinfo.output_height) == image.height,
            source + ": JPEG decoder output does not match its header");
    return image;
}

}  // namespace dyadic::dataset
