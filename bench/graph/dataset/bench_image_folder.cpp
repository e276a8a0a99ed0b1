// Images/s of an image folder through the data source (decode + resize + center crop + normalize,
// one thread), next to decoding alone and to plain libjpeg calls on the same files in the same run
// (the floor: what decoding costs). Writes N synthetic photos-sized images (500 x 375, a smooth pattern
// plus noise, JPEG quality 90 and PNG) into a temporary folder first.
//   bench_image_folder [N=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "graph/dataset/data_source.h"
#include "graph/dataset/image_decode.h"
#include "image_test_files.h"
#include "util/read_file.h"

using namespace dyadic;
namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Timing {
    double wall = 0, cpu = 0;
};

template <typename F>
Timing timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    f();
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), cpu_seconds() - cpu};
}

void report(const char* what, int images, const Timing& t) {
    std::printf("{\"workload\": \"%s\", \"images\": %d, \"wall_s\": %.3f, \"cpu_s\": %.3f, \"images_per_s_cpu\": %.1f}\n",
                what, images, t.wall, t.cpu, images / t.cpu);
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::stoi(argv[1]) : 200;
    const int width = 500, height = 375;
    const fs::path root = fs::temp_directory_path() / ("dyadic-bench-images-" + std::to_string(std::random_device{}()));
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> noise(-12, 12);
    for (const char* format : {"jpeg", "png"}) {
        for (int i = 0; i < count; ++i) {
            std::vector<uint8_t> rgb(static_cast<size_t>(width * height * 3));
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    for (int c = 0; c < 3; ++c) {
                        const int v = (x * (c + 1) + y * (3 - c) + 17 * i) % 256 + noise(rng);
                        rgb[static_cast<size_t>((y * width + x) * 3 + c)] = static_cast<uint8_t>(std::clamp(v, 0, 255));
                    }
            const fs::path dir = root / format / ("class" + std::to_string(i % 10));
            fs::create_directories(dir);
            const bool jpeg = std::string(format) == "jpeg";
            std::ofstream(dir / (std::to_string(i) + (jpeg ? ".jpg" : ".png")), std::ios::binary)
                << (jpeg ? testing::encode_jpeg(width, height, 3, rgb) : testing::encode_png(width, height, 3, 8, rgb));
        }
    }
    dataset::Preprocessing imagenet;
    imagenet.channels = 3;
    imagenet.resize = 256;
    imagenet.crop_height = imagenet.crop_width = 224;
    imagenet.mean = {0.485, 0.456, 0.406};
    imagenet.std = {0.229, 0.224, 0.225};
    for (const char* format : {"jpeg", "png"}) {
        const auto source = dataset::image_folder_source((root / format).string(), imagenet);
        std::vector<std::string> files;
        for (const auto& entry : fs::recursive_directory_iterator(root / format))
            if (entry.is_regular_file()) files.push_back(entry.path().string());
        size_t checksum = 0;
        const Timing decode = timed([&] {
            for (const std::string& file : files) checksum += dataset::decode_image(read_file(file, "image"), file).pixels[0];
        });
        const Timing pipeline = timed([&] {
            for (int first = 0; first < count; first += 50) {
                const auto batch = source->batch(first, std::min(50, count - first));
                checksum += static_cast<size_t>(batch.inputs.values[0] > 0);
            }
        });
        if (std::string(format) == "jpeg") {
            const Timing plain = timed([&] {
                int w = 0, h = 0, c = 0;
                for (const std::string& file : files) checksum += testing::reference_jpeg_decode(read_file(file, "image"), w, h, c)[0];
            });
            report("jpeg 500x375 plain libjpeg decode (the peer)", count, plain);
        }
        report((std::string(format) + " 500x375 dyadic decode only").c_str(), count, decode);
        report((std::string(format) + " 500x375 decode + resize 256 + crop 224 + normalize").c_str(), count, pipeline);
        if (checksum == 42) std::printf("\n");  // keeps the work observable
    }
    fs::remove_all(root);
    return 0;
}
