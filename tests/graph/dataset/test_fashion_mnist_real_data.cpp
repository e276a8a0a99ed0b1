// The installed Fashion-MNIST files (Debian package dataset-fashion-mnist). Every expectation is
// computed independently: the files are inflated here with zlib's inflate (the reader uses gzread)
// and their IDX headers decoded by hand. Skipped, with a warning, when the dataset is not installed.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "idx_test_files.h"

using namespace dyadic::dataset;
using dyadic::dataset::testing::gunzip_file;

namespace {

bool dataset_installed(Split split) {
    const std::string dir = default_fashion_mnist_directory();
    return std::filesystem::exists(fashion_mnist_images_path(dir, split)) &&
           std::filesystem::exists(fashion_mnist_labels_path(dir, split));
}

uint32_t big_endian_at(const std::vector<uint8_t>& bytes, std::size_t offset) {
    return (uint32_t{bytes[offset]} << 24) | (uint32_t{bytes[offset + 1]} << 16) |
           (uint32_t{bytes[offset + 2]} << 8) | uint32_t{bytes[offset + 3]};
}

void check_split_against_raw_files(Split split, std::size_t expected_count) {
    const std::string dir = default_fashion_mnist_directory();
    const LabelledImages set = load_fashion_mnist(split);

    const std::vector<uint8_t> raw_images = gunzip_file(fashion_mnist_images_path(dir, split));
    const std::vector<uint8_t> raw_labels = gunzip_file(fashion_mnist_labels_path(dir, split));
    REQUIRE(raw_images.size() >= 16);
    REQUIRE(raw_labels.size() >= 8);
    CHECK(big_endian_at(raw_images, 0) == 0x803);
    CHECK(big_endian_at(raw_labels, 0) == 0x801);
    CHECK(big_endian_at(raw_images, 4) == expected_count);
    CHECK(big_endian_at(raw_labels, 4) == expected_count);

    REQUIRE(set.count == expected_count);
    CHECK(set.rows == 28);
    CHECK(set.cols == 28);
    CHECK(set.pixels == std::vector<uint8_t>(raw_images.begin() + 16, raw_images.end()));
    CHECK(set.labels == std::vector<uint8_t>(raw_labels.begin() + 8, raw_labels.end()));

    // Fashion-MNIST is balanced: 7000 images per class, 6000 for training and 1000 for testing.
    std::array<std::size_t, 10> per_class{};
    for (uint8_t label : set.labels) {
        REQUIRE(label < 10);
        ++per_class[label];
    }
    for (std::size_t count : per_class) CHECK(count == expected_count / 10);
}

}  // namespace

TEST_CASE("Fashion-MNIST real test split (skipped when the dataset is not installed)", "[dataset][real_data]") {
    if (!dataset_installed(Split::test)) {
        WARN("SKIPPED: Fashion-MNIST test split not found in " << default_fashion_mnist_directory()
                                                               << " (install dataset-fashion-mnist)");
        return;
    }
    check_split_against_raw_files(Split::test, 10000);

    // The first test image is an ankle boot (label 9), as the labels file itself says.
    const LabelledImages test = load_fashion_mnist(Split::test);
    const std::vector<uint8_t> raw_labels =
        gunzip_file(fashion_mnist_labels_path(default_fashion_mnist_directory(), Split::test));
    CHECK(test.labels[0] == raw_labels[8]);
    CHECK(test.labels[0] == 9);

    // Batches of the real data: background pixels (0) map to -mean/std.
    const FloatBatch batch = normalized_batch(test, 9990, 10, {0.2860, 0.3530});
    CHECK(batch.shape == std::array<int64_t, 4>{10, 1, 28, 28});
    CHECK(batch.values[0] == normalize_pixel(test.image(9990)[0], {0.2860, 0.3530}));
    CHECK(batch.values.back() == normalize_pixel(test.image(9999)[783], {0.2860, 0.3530}));
}

TEST_CASE("Fashion-MNIST real training split (skipped when the dataset is not installed)", "[dataset][real_data]") {
    if (!dataset_installed(Split::train)) {
        WARN("SKIPPED: Fashion-MNIST training split not found in " << default_fashion_mnist_directory()
                                                                   << " (install dataset-fashion-mnist)");
        return;
    }
    check_split_against_raw_files(Split::train, 60000);
}
