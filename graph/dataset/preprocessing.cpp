#include "graph/dataset/preprocessing.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "util/error.h"

namespace dyadic::dataset {
namespace {

// The bilinear sample positions along one axis: output index i (in the resized image) reads the
// input at s = (i + 0.5) * (in / out) - 0.5, clamped below at 0, between i0 = floor(s) and
// i1 = i0 + 1 with weight w = s - i0 on i1; at the last input index both are it and w = 0.
struct Tap {
    int64_t i0, i1;
    double w;
};

Tap tap(int64_t i, int64_t in, int64_t out) {
    const double scale = static_cast<double>(in) / static_cast<double>(out);
    double s = (static_cast<double>(i) + 0.5) * scale - 0.5;
    if (s < 0.0) s = 0.0;
    const auto i0 = static_cast<int64_t>(s);
    if (i0 >= in - 1) return {in - 1, in - 1, 0.0};
    return {i0, i0 + 1, s - static_cast<double>(i0)};
}

float normalize(double value, double mean, double std) { return static_cast<float>((value / 255.0 - mean) / std); }

}  // namespace

void validate(const Preprocessing& p) {
    require(p.channels == 1 || p.channels == 3,
            "preprocessing: channels must be 1 (grayscale) or 3 (RGB), got " + std::to_string(p.channels));
    require(p.resize >= 0 && p.crop_height >= 0 && p.crop_width >= 0, "preprocessing: negative resize or crop size");
    require((p.crop_height == 0) == (p.crop_width == 0), "preprocessing: a crop needs both a height and a width");
    const auto count_ok = [&](size_t n) { return n == 1 || n == static_cast<size_t>(p.channels); };
    require(count_ok(p.mean.size()) && count_ok(p.std.size()),
            "preprocessing: mean and std need 1 or " + std::to_string(p.channels) + " values (one per channel), got " +
                std::to_string(p.mean.size()) + " and " + std::to_string(p.std.size()));
    for (const double m : p.mean) require(std::isfinite(m), "preprocessing: mean must be finite");
    for (const double s : p.std) require(std::isfinite(s) && s > 0.0, "preprocessing: std must be positive and finite");
}

ImageSize resized_size(int64_t height, int64_t width, int64_t resize) {
    require(height > 0 && width > 0, "an image needs at least one pixel");
    if (resize == 0) return {height, width};
    const bool tall = height >= width;
    const int64_t shorter = tall ? width : height, longer = tall ? height : width;
    int64_t product = 0;
    require(!__builtin_mul_overflow(longer, resize, &product), "resize: image size overflows");
    const int64_t scaled = product / shorter;
    require(scaled >= 1, "resize: the longer side would be 0 pixels");
    return tall ? ImageSize{scaled, resize} : ImageSize{resize, scaled};
}

ImageSize output_size(int64_t height, int64_t width, const Preprocessing& p) {
    if (p.crop_height > 0) return {p.crop_height, p.crop_width};
    return resized_size(height, width, p.resize);
}

void preprocess_image(const uint8_t* pixels, int64_t height, int64_t width, const Preprocessing& p, float* out,
                      const std::string& source) {
    const ImageSize resized = resized_size(height, width, p.resize);
    const ImageSize size = output_size(height, width, p);
    require(size.height <= resized.height && size.width <= resized.width,
            source + ": the crop " + std::to_string(size.height) + "x" + std::to_string(size.width) +
                " is larger than the image (" + std::to_string(resized.height) + "x" + std::to_string(resized.width) +
                (p.resize > 0 ? " after resizing" : "") + ")");
    const int64_t top = (resized.height - size.height) / 2, left = (resized.width - size.width) / 2;
    const int64_t c_count = p.channels;
    const auto plane = static_cast<size_t>(size.height * size.width);
    if (resized.height == height && resized.width == width) {
        // No interpolation: each value is a pixel, so one table per channel serves every pixel.
        for (int64_t c = 0; c < c_count; ++c) {
            float table[256];
            for (int level = 0; level < 256; ++level) table[level] = normalize(level, p.mean_of(int(c)), p.std_of(int(c)));
            float* dst = out + static_cast<size_t>(c) * plane;
            for (int64_t y = 0; y < size.height; ++y) {
                const uint8_t* row = pixels + ((top + y) * width + left) * c_count + c;
                for (int64_t x = 0; x < size.width; ++x) *dst++ = table[row[x * c_count]];
            }
        }
        return;
    }
    std::vector<Tap> columns(static_cast<size_t>(size.width));
    for (int64_t x = 0; x < size.width; ++x) columns[static_cast<size_t>(x)] = tap(left + x, width, resized.width);
    for (int64_t y = 0; y < size.height; ++y) {
        const Tap r = tap(top + y, height, resized.height);
        const uint8_t* row0 = pixels + r.i0 * width * c_count;
        const uint8_t* row1 = pixels + r.i1 * width * c_count;
        for (int64_t c = 0; c < c_count; ++c) {
            const double mean = p.mean_of(int(c)), std = p.std_of(int(c));
            float* dst = out + static_cast<size_t>(c) * plane + static_cast<size_t>(y * size.width);
            for (int64_t x = 0; x < size.width; ++x) {
                const Tap& t = columns[static_cast<size_t>(x)];
                const double p00 = row0[t.i0 * c_count + c], p01 = row0[t.i1 * c_count + c];
                const double p10 = row1[t.i0 * c_count + c], p11 = row1[t.i1 * c_count + c];
                const double value =
                    (1.0 - r.w) * ((1.0 - t.w) * p00 + t.w * p01) + r.w * ((1.0 - t.w) * p10 + t.w * p11);
                dst[x] = normalize(value, mean, std);
            }
        }
    }
}

std::string describe(const Preprocessing& p) {
    std::ostringstream s;
    const auto list = [&](const std::vector<double>& values) {
        s << '[';
        for (size_t i = 0; i < values.size(); ++i) s << (i ? ", " : "") << values[i];
        s << ']';
    };
    s << (p.channels == 1 ? "grayscale" : "RGB");
    if (p.resize > 0) s << ", resize " << p.resize;
    if (p.crop_height > 0) s << ", crop " << p.crop_height << 'x' << p.crop_width;
    s << ", mean ";
    list(p.mean);
    s << ", std ";
    list(p.std);
    return s.str();
}

std::vector<double> parse_number_list(const std::string& text, const std::string& what) {
    std::vector<double> values;
    size_t start = 0;
    while (true) {
        const size_t end = text.find(',', start);
        const std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        char* stop = nullptr;
        const double value = item.empty() ? 0.0 : std::strtod(item.c_str(), &stop);
        require(!item.empty() && stop == item.c_str() + item.size() && std::isfinite(value),
                what + " expects numbers separated by commas, got '" + text + "'");
        values.push_back(value);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return values;
}

}  // namespace dyadic::dataset
