// Image decoding, preprocessing and the .npy / image-folder data sources, against independent
// computations: PNGs written here decode to exactly the samples written; JPEGs decode exactly as
// plain libjpeg decodes them; resize + crop + normalize equals a naive implementation of the
// documented definition (docs/data.md) and hand-derived values; bad files are refused by name.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "graph/dataset/data_source.h"
#include "graph/dataset/image_decode.h"
#include "graph/dataset/preprocessing.h"
#include "graph/golden/npy.h"
#include "image_test_files.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::dataset;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> level(0, 255);
    std::vector<uint8_t> v(n);
    for (auto& x : v) x = static_cast<uint8_t>(level(rng));
    return v;
}

// A smooth image (JPEG keeps it close, so the decoded pixels are not all equal to one value).
std::vector<uint8_t> gradient(int width, int height, int channels) {
    std::vector<uint8_t> v(static_cast<size_t>(width * height * channels));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                v[static_cast<size_t>((y * width + x) * channels + c)] = static_cast<uint8_t>((x * 7 + y * 3 + c * 50) % 256);
    return v;
}

class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / ("dyadic-image-data-" + std::to_string(std::random_device{}()))) {
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string write(const std::string& name, const std::string& bytes) const {
        fs::create_directories((path_ / name).parent_path());
        std::ofstream((path_ / name).string(), std::ios::binary) << bytes;
        return (path_ / name).string();
    }
    std::string path(const std::string& name = "") const { return (path_ / name).string(); }

private:
    fs::path path_;
};

// The documented definition, written out over the whole resized image (docs/data.md): the
// resized size, bilinear sampling with half-pixel centres, the center crop, then normalization.
std::vector<float> naive_preprocess(const std::vector<uint8_t>& hwc, int64_t h, int64_t w, int64_t c, int64_t resize,
                                    int64_t crop_h, int64_t crop_w, const std::vector<double>& mean,
                                    const std::vector<double>& std) {
    int64_t rh = h, rw = w;
    if (resize > 0) {
        if (h <= w) {
            rh = resize;
            rw = w * resize / h;
        } else {
            rw = resize;
            rh = h * resize / w;
        }
    }
    std::vector<double> resized(static_cast<size_t>(rh * rw * c));
    const auto source_index = [](int64_t i, int64_t in, int64_t out, int64_t& i0, int64_t& i1, double& weight) {
        double s = (static_cast<double>(i) + 0.5) * (static_cast<double>(in) / static_cast<double>(out)) - 0.5;
        s = std::max(s, 0.0);
        i0 = static_cast<int64_t>(std::floor(s));
        if (i0 >= in - 1) {
            i0 = i1 = in - 1;
            weight = 0.0;
        } else {
            i1 = i0 + 1;
            weight = s - static_cast<double>(i0);
        }
    };
    for (int64_t y = 0; y < rh; ++y) {
        int64_t y0, y1;
        double wy;
        source_index(y, h, rh, y0, y1, wy);
        for (int64_t x = 0; x < rw; ++x) {
            int64_t x0, x1;
            double wx;
            source_index(x, w, rw, x0, x1, wx);
            for (int64_t ch = 0; ch < c; ++ch) {
                const auto at = [&](int64_t yy, int64_t xx) { return static_cast<double>(hwc[static_cast<size_t>((yy * w + xx) * c + ch)]); };
                const double top = (1.0 - wx) * at(y0, x0) + wx * at(y0, x1);
                const double bottom = (1.0 - wx) * at(y1, x0) + wx * at(y1, x1);
                resized[static_cast<size_t>((y * rw + x) * c + ch)] = (1.0 - wy) * top + wy * bottom;
            }
        }
    }
    if (crop_h == 0) {
        crop_h = rh;
        crop_w = rw;
    }
    const int64_t top = (rh - crop_h) / 2, left = (rw - crop_w) / 2;
    std::vector<float> out;
    for (int64_t ch = 0; ch < c; ++ch) {
        const double m = mean.size() == 1 ? mean[0] : mean[static_cast<size_t>(ch)];
        const double s = std.size() == 1 ? std[0] : std[static_cast<size_t>(ch)];
        for (int64_t y = 0; y < crop_h; ++y)
            for (int64_t x = 0; x < crop_w; ++x)
                out.push_back(static_cast<float>(
                    (resized[static_cast<size_t>(((top + y) * rw + left + x) * c + ch)] / 255.0 - m) / s));
    }
    return out;
}

}  // namespace

TEST_CASE("PNG: every pixel format decodes to the samples written", "[dataset][image][png]") {
    const int w = 7, h = 5;
    const auto grey = random_bytes(w * h, 1), rgb = random_bytes(w * h * 3, 2), rgba = random_bytes(w * h * 4, 3);
    const auto grey_alpha = random_bytes(w * h * 2, 4);

    DecodedImage image = decode_png(testing::encode_png(w, h, 1, 8, grey), "grey.png");
    CHECK((image.width == w && image.height == h && image.channels == 1));
    CHECK(image.pixels == grey);
    image = decode_png(testing::encode_png(w, h, 3, 8, rgb, true), "rgb.png");  // interlaced (Adam7)
    CHECK(image.channels == 3);
    CHECK(image.pixels == rgb);

    // Alpha is dropped, not composited.
    std::vector<uint8_t> rgb_of_rgba, grey_of_grey_alpha;
    for (size_t i = 0; i < rgba.size(); ++i)
        if (i % 4 != 3) rgb_of_rgba.push_back(rgba[i]);
    for (size_t i = 0; i < grey_alpha.size(); i += 2) grey_of_grey_alpha.push_back(grey_alpha[i]);
    CHECK(decode_png(testing::encode_png(w, h, 4, 8, rgba), "rgba.png").pixels == rgb_of_rgba);
    CHECK(decode_png(testing::encode_png(w, h, 2, 8, grey_alpha), "ga.png").pixels == grey_of_grey_alpha);

    // 16 bits: round(v * 255 / 65535), computed here in integers.
    const auto wide = random_bytes(w * h * 2, 5);
    std::vector<uint8_t> scaled;
    for (size_t i = 0; i < wide.size(); i += 2) {
        const uint32_t v = (uint32_t{wide[i]} << 8) | wide[i + 1];
        scaled.push_back(static_cast<uint8_t>((v * 255 + 32767) / 65535));
    }
    CHECK(decode_png(testing::encode_png(w, h, 1, 16, wide), "wide.png").pixels == scaled);

    // A palette expands to RGB.
    const std::vector<uint8_t> palette{10, 20, 30, 200, 100, 0, 5, 255, 128};
    std::vector<uint8_t> indices(w * h), expanded;
    for (size_t i = 0; i < indices.size(); ++i) {
        indices[i] = static_cast<uint8_t>(i % 3);
        for (int k = 0; k < 3; ++k) expanded.push_back(palette[indices[i] * 3 + static_cast<size_t>(k)]);
    }
    CHECK(decode_png(testing::encode_palette_png(w, h, indices, palette), "pal.png").pixels == expanded);
}

TEST_CASE("JPEG: grey and colour files decode exactly as libjpeg decodes them", "[dataset][image][jpeg]") {
    for (const int channels : {1, 3}) {
        INFO("channels " << channels);
        const std::string file = testing::encode_jpeg(19, 13, channels, gradient(19, 13, channels));
        int w = 0, h = 0, c = 0;
        const std::vector<uint8_t> expected = testing::reference_jpeg_decode(file, w, h, c);
        const DecodedImage image = decode_image(file, "x.jpg");
        CHECK((image.width == w && image.height == h && image.channels == c && c == channels));
        CHECK(image.pixels == expected);
    }
}

TEST_CASE("images: grey <-> RGB conversions", "[dataset][image]") {
    DecodedImage rgb{1, 3, 3, {255, 0, 0, 0, 255, 0, 10, 20, 30}};
    // PIL's L = (19595 R + 38470 G + 7471 B + 32768) >> 16, by hand: 76, 150, 18.
    CHECK(with_channels(rgb, 1).pixels == std::vector<uint8_t>{76, 150, 18});
    DecodedImage grey{1, 2, 1, {7, 200}};
    CHECK(with_channels(grey, 3).pixels == std::vector<uint8_t>{7, 7, 7, 200, 200, 200});
}

TEST_CASE("images: truncated, corrupt, empty and oversized files are refused by name", "[dataset][image][bad]") {
    const std::string png = testing::encode_png(8, 8, 3, 8, random_bytes(8 * 8 * 3, 6));
    const std::string jpeg = testing::encode_jpeg(16, 16, 3, gradient(16, 16, 3));
    for (const size_t keep : {size_t{20}, png.size() / 2, png.size() - 5}) {
        CHECK_THROWS_WITH(decode_image(png.substr(0, keep), "cut.png"), Contains("cut.png") && Contains("PNG"));
    }
    for (const size_t keep : {size_t{4}, size_t{200}, jpeg.size() / 2, jpeg.size() - 2}) {
        INFO("kept " << keep << " of " << jpeg.size());
        CHECK_THROWS_WITH(decode_image(jpeg.substr(0, keep), "cut.jpg"), Contains("cut.jpg: corrupt or truncated JPEG"));
    }
    std::string flipped = png;
    flipped[png.size() / 2] = static_cast<char>(flipped[png.size() / 2] ^ 0x55);  // inside IDAT: a CRC error
    CHECK_THROWS_WITH(decode_image(flipped, "flip.png"), Contains("flip.png: corrupt or truncated PNG"));
    CHECK_THROWS_WITH(decode_image("", "empty.jpg"), Contains("empty.jpg: not a JPEG or PNG file (empty)"));
    CHECK_THROWS_WITH(decode_image("GIF89a....", "x.gif"), Contains("x.gif: not a JPEG or PNG file"));

    // A JPEG whose frame header claims 60000 x 60000 pixels: refused before anything is allocated.
    std::string huge = jpeg;
    const size_t sof = huge.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    for (const size_t at : {sof + 5, sof + 7}) {
        huge[at] = static_cast<char>(60000 >> 8);
        huge[at + 1] = static_cast<char>(60000 & 0xFF);
    }
    CHECK_THROWS_WITH(decode_image(huge, "huge.jpg"), Contains("huge.jpg: the image is 60000x60000 pixels; at most"));
}

TEST_CASE("preprocessing: resize, crop and normalize equal the naive definition", "[dataset][preprocess]") {
    struct Case {
        int64_t h, w, c, resize, crop_h, crop_w;
    };
    const std::vector<Case> cases = {
        {13, 9, 3, 6, 5, 5},    // downscale, portrait, crop
        {4, 7, 3, 10, 8, 9},    // upscale, landscape
        {28, 28, 1, 0, 24, 24}, // crop only
        {28, 28, 1, 0, 0, 0},   // nothing but normalization
        {31, 17, 1, 17, 0, 0},  // resize to the same shorter side: no interpolation
        {50, 80, 3, 32, 32, 32},
    };
    const std::vector<double> mean3{0.485, 0.456, 0.406}, std3{0.229, 0.224, 0.225};
    unsigned seed = 10;
    for (const Case& k : cases) {
        INFO(k.h << "x" << k.w << "x" << k.c << " resize " << k.resize << " crop " << k.crop_h << "x" << k.crop_w);
        const auto pixels = random_bytes(static_cast<size_t>(k.h * k.w * k.c), seed++);
        Preprocessing p;
        p.channels = static_cast<int>(k.c);
        p.resize = k.resize;
        p.crop_height = k.crop_h;
        p.crop_width = k.crop_w;
        p.mean = k.c == 3 ? mean3 : std::vector<double>{0.286};
        p.std = k.c == 3 ? std3 : std::vector<double>{0.353};
        const ImageSize size = output_size(k.h, k.w, p);
        std::vector<float> got(static_cast<size_t>(k.c * size.height * size.width));
        preprocess_image(pixels.data(), k.h, k.w, p, got.data(), "case");
        const std::vector<float> expected =
            naive_preprocess(pixels, k.h, k.w, k.c, k.resize, k.crop_h, k.crop_w, p.mean, p.std);
        CHECK(got == expected);
    }
}

TEST_CASE("preprocessing: hand-derived bilinear values and sizes", "[dataset][preprocess]") {
    // A 1x2 image [0, 100] resized to shorter side 4 -> 4x8; its first row samples the input at
    // s = (x + 0.5) / 4 - 0.5: 0 (clamped), 0, 0.125, 0.375, 0.625, 0.875, 1, 1 -> the values below.
    const std::vector<uint8_t> pixels{0, 100};
    Preprocessing p;
    p.resize = 4;
    std::vector<float> out(4 * 8);
    preprocess_image(pixels.data(), 1, 2, p, out.data(), "hand");
    const std::vector<double> expected{0, 0, 12.5, 37.5, 62.5, 87.5, 100, 100};
    for (size_t x = 0; x < expected.size(); ++x) CHECK(out[x] == static_cast<float>(expected[x] / 255.0));
    CHECK(resized_size(480, 640, 256).height == 256);
    CHECK(resized_size(480, 640, 256).width == 341);  // floor(640 * 256 / 480)
    CHECK(resized_size(640, 480, 224).height == 298);
    // A crop larger than the image names it.
    p.resize = 0;
    p.crop_height = p.crop_width = 3;
    CHECK_THROWS_WITH(preprocess_image(pixels.data(), 1, 2, p, out.data(), "small.png"),
                      Contains("small.png: the crop 3x3 is larger than the image (1x2)"));
}

TEST_CASE("preprocessing: metadata JSON round-trips and is checked", "[dataset][preprocess]") {
    Preprocessing p;
    p.channels = 3;
    p.resize = 256;
    p.crop_height = p.crop_width = 224;
    p.mean = {0.485, 0.456, 0.406};
    p.std = {0.1 + 0.2, 1.0 / 3.0, 0.225};
    const Preprocessing back = parse_preprocessing_json(preprocessing_json(p), "m");
    CHECK((back.channels == 3 && back.resize == 256 && back.crop_height == 224 && back.crop_width == 224));
    CHECK(back.mean == p.mean);  // every bit
    CHECK(back.std == p.std);
    CHECK_THROWS_WITH(parse_preprocessing_json(R"({"version": 2})", "m"), Contains("unsupported version 2"));
    CHECK_THROWS_WITH(parse_preprocessing_json(R"({"version": 1, "channels": 3})", "m"), Contains("missing or mistyped"));
    CHECK_THROWS_WITH(parse_preprocessing_json(
                          R"({"version":1,"channels":3,"resize":0,"crop":[0,0],"mean":[0,0],"std":[1]})", "m"),
                      Contains("mean and std need 1 or 3 values"));
    CHECK_THROWS_WITH(parse_number_list("0.5,,1", "--mean"), Contains("--mean expects numbers"));
}

TEST_CASE("npy source: NCHW and NHWC of the same data give the same inputs; labels are checked", "[dataset][npy]") {
    TempDir dir;
    const int64_t n = 4, c = 3, h = 5, w = 6;
    const auto pixels = random_bytes(static_cast<size_t>(n * c * h * w), 20);
    std::vector<int64_t> nchw(pixels.begin(), pixels.end()), nhwc(pixels.size());
    for (int64_t i = 0; i < n; ++i)
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t y = 0; y < h; ++y)
                for (int64_t x = 0; x < w; ++x)
                    nhwc[static_cast<size_t>(((i * h + y) * w + x) * c + ch)] = nchw[static_cast<size_t>(((i * c + ch) * h + y) * w + x)];
    golden::write_npy(dir.path("a.npy"), golden::npy_from_integers(golden::NpyDtype::uint8, {n, c, h, w}, nchw));
    golden::write_npy(dir.path("b.npy"), golden::npy_from_integers(golden::NpyDtype::uint8, {n, h, w, c}, nhwc));
    golden::write_npy(dir.path("y.npy"), golden::npy_from_integers(golden::NpyDtype::uint8, {n}, {3, 0, 9, 1}));
    Preprocessing p;
    p.channels = 3;
    p.mean = {0.1, 0.2, 0.3};
    p.std = {0.5, 0.6, 0.7};
    const auto a = npy_source(dir.path("a.npy"), dir.path("y.npy"), Layout::nchw, p);
    const auto b = npy_source(dir.path("b.npy"), std::nullopt, Layout::nhwc, p);
    CHECK(a->input_shape() == std::array<int64_t, 3>{3, 5, 6});
    CHECK(b->input_shape() == a->input_shape());
    const LabelledBatch from_a = a->batch(1, 3), from_b = b->batch(1, 3);
    CHECK(from_a.inputs.values == from_b.inputs.values);
    CHECK(from_a.labels == std::vector<int>{0, 9, 1});
    CHECK(from_b.labels.empty());
    CHECK(from_a.inputs.values[0] ==
          static_cast<float>((pixels[static_cast<size_t>(c * h * w)] / 255.0 - 0.1) / 0.5));  // image 1, channel 0, (0, 0)

    golden::write_npy(dir.path("y3.npy"), golden::npy_from_integers(golden::NpyDtype::int32, {3}, {1, 2, 3}));
    CHECK_THROWS_WITH(npy_source(dir.path("a.npy"), dir.path("y3.npy"), Layout::nchw, p), Contains("3 labels for 4 inputs"));
    golden::write_npy(dir.path("neg.npy"), golden::npy_from_integers(golden::NpyDtype::int8, {4}, {1, -2, 3, 0}));
    CHECK_THROWS_WITH(npy_source(dir.path("a.npy"), dir.path("neg.npy"), Layout::nchw, p), Contains("label 1 is -2"));
    golden::write_npy(dir.path("i16.npy"), golden::npy_from_integers(golden::NpyDtype::int16, {1, 3, 2, 2}, std::vector<int64_t>(12, 1)));
    CHECK_THROWS_WITH(npy_source(dir.path("i16.npy"), std::nullopt, Layout::nchw, p),
                      Contains("i16.npy: input batches are float32 (model inputs) or uint8 (pixels), got int16"));
    golden::write_npy(dir.path("r2.npy"), golden::npy_from_floats({2, 3}, std::vector<float>(6, 0.f)));
    CHECK_THROWS_WITH(npy_source(dir.path("r2.npy"), std::nullopt, Layout::nchw, p), Contains("expected shape"));
    p.channels = 1;
    p.mean = {0.0};
    p.std = {1.0};
    CHECK_THROWS_WITH(npy_source(dir.path("a.npy"), std::nullopt, Layout::nchw, p), Contains("3 channels (NCHW)"));
}

TEST_CASE("image folder: classes are sorted subfolders, images decode through the preprocessing", "[dataset][folder]") {
    TempDir dir;
    const auto rgb = random_bytes(6 * 4 * 3, 30);
    const auto grey = random_bytes(6 * 4, 31);
    dir.write("root/zebra/b.png", testing::encode_png(6, 4, 3, 8, rgb));
    dir.write("root/zebra/a.PNG", testing::encode_png(6, 4, 1, 8, grey));
    dir.write("root/zebra/notes.txt", "skipped");
    const std::string jpeg = testing::encode_jpeg(6, 4, 3, gradient(6, 4, 3));
    dir.write("root/ant/x.jpg", jpeg);
    Preprocessing p;
    p.channels = 3;
    p.crop_height = 4;
    p.crop_width = 4;
    const auto source = image_folder_source(dir.path("root"), p);
    CHECK(source->classes() == std::vector<std::string>{"ant", "zebra"});
    REQUIRE(source->size() == 3);
    const LabelledBatch batch = source->batch(0, 3);
    CHECK(batch.labels == std::vector<int>{0, 1, 1});
    CHECK(batch.inputs.shape == std::array<int64_t, 4>{3, 3, 4, 4});
    // Image 0 is the JPEG as libjpeg decodes it; image 1 the grey PNG repeated; image 2 the RGB PNG;
    // each center-cropped from 6 to 4 columns (left = 1) and divided by 255.
    int w = 0, h = 0, c = 0;
    const std::vector<uint8_t> decoded = testing::reference_jpeg_decode(jpeg, w, h, c);
    const auto expect = [&](const std::vector<uint8_t>& hwc, int channels, int image) {
        for (int ch = 0; ch < 3; ++ch)
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 4; ++x) {
                    const uint8_t v = hwc[static_cast<size_t>((y * 6 + x + 1) * channels + (channels == 3 ? ch : 0))];
                    CHECK(batch.inputs.values[static_cast<size_t>(((image * 3 + ch) * 4 + y) * 4 + x)] ==
                          static_cast<float>(v / 255.0));
                }
    };
    expect(decoded, 3, 0);
    expect(grey, 1, 1);
    expect(rgb, 3, 2);

    fs::create_directories(dir.path("empty"));
    CHECK_THROWS_WITH(image_folder_source(dir.path("empty"), p), Contains("no class subfolders"));
    fs::create_directories(dir.path("noimages/cat"));
    dir.write("noimages/cat/readme.md", "x");
    CHECK_THROWS_WITH(image_folder_source(dir.path("noimages"), p), Contains("no .jpg, .jpeg or .png image in class folder 'cat'"));
    CHECK_THROWS_WITH(image_folder_source(dir.path("missing"), p), Contains("not a directory"));
    dir.write("bad/dog/cut.jpg", jpeg.substr(0, jpeg.size() / 2));
    const auto bad = image_folder_source(dir.path("bad"), p);
    CHECK_THROWS_WITH(bad->batch(0, 1), Contains("bad/dog/cut.jpg: corrupt or truncated JPEG"));
}
