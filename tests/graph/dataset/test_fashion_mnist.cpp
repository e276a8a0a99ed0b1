// The Fashion-MNIST loader on tiny hand-built splits: pairing of images and labels, count and label
// checks, file naming and the default directory.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "graph/dataset/fashion_mnist.h"
#include "idx_test_files.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::dataset;
using dyadic::dataset::testing::idx_bytes;
using dyadic::dataset::testing::TemporaryDirectory;
using Catch::Matchers::Contains;

namespace {

// Three 2x4 images; pixel value encodes (image, row, col) so any mix-up of strides shows.
std::vector<uint8_t> three_small_images() {
    std::vector<uint8_t> pixels;
    for (int image = 0; image < 3; ++image)
        for (int row = 0; row < 2; ++row)
            for (int col = 0; col < 4; ++col) pixels.push_back(static_cast<uint8_t>(100 * image + 10 * row + col));
    return pixels;
}

}  // namespace

TEST_CASE("Labelled images keep each image with its label", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string images = dir.write_gzip("i.gz", idx_bytes({3, 2, 4}, three_small_images()));
    const std::string labels = dir.write_gzip("l.gz", idx_bytes({3}, {9, 0, 4}));
    const LabelledImages set = load_labelled_images(images, labels);
    REQUIRE(set.count == 3);
    CHECK(set.rows == 2);
    CHECK(set.cols == 4);
    CHECK(set.image_size() == 8);
    CHECK(set.labels == std::vector<uint8_t>{9, 0, 4});
    for (std::size_t image = 0; image < 3; ++image)
        for (std::size_t row = 0; row < 2; ++row)
            for (std::size_t col = 0; col < 4; ++col)
                CHECK(set.image(image)[row * 4 + col] == 100 * image + 10 * row + col);
}

TEST_CASE("Labelled images reject an image/label count mismatch", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string images = dir.write_gzip("i.gz", idx_bytes({3, 2, 4}, three_small_images()));
    const std::string labels = dir.write_gzip("l.gz", idx_bytes({2}, {1, 2}));
    CHECK_THROWS_WITH(load_labelled_images(images, labels),
                      Contains("count mismatch") && Contains("3 images") && Contains("2 labels"));
}

TEST_CASE("Labelled images reject labels outside 0..9", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string images = dir.write_gzip("i.gz", idx_bytes({3, 2, 4}, three_small_images()));
    const std::string labels = dir.write_gzip("l.gz", idx_bytes({3}, {0, 10, 1}));
    CHECK_THROWS_WITH(load_labelled_images(images, labels), Contains("label 10 of item 1"));
}

TEST_CASE("Labelled images reject empty image dimensions", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string images = dir.write_gzip("i.gz", idx_bytes({3, 0, 4}, {}));
    const std::string labels = dir.write_gzip("l.gz", idx_bytes({3}, {0, 1, 2}));
    CHECK_THROWS_WITH(load_labelled_images(images, labels), Contains("empty images"));
}

TEST_CASE("Labelled images reject swapped image and label files", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string images = dir.write_gzip("i.gz", idx_bytes({3, 2, 4}, three_small_images()));
    const std::string labels = dir.write_gzip("l.gz", idx_bytes({3}, {0, 1, 2}));
    CHECK_THROWS_WITH(load_labelled_images(labels, images), Contains("bad IDX magic"));
}

TEST_CASE("Fashion-MNIST split files are found under the directory", "[dataset][fashion_mnist]") {
    TemporaryDirectory dir;
    const std::string root = dir.path().string();
    CHECK(fashion_mnist_images_path(root, Split::test) == root + "/t10k-images-idx3-ubyte.gz");
    CHECK(fashion_mnist_labels_path(root + "/", Split::train) == root + "/train-labels-idx1-ubyte.gz");

    dir.write_gzip("t10k-images-idx3-ubyte.gz", idx_bytes({3, 2, 4}, three_small_images()));
    dir.write_gzip("t10k-labels-idx1-ubyte.gz", idx_bytes({3}, {5, 6, 7}));
    const LabelledImages test = load_fashion_mnist(Split::test, root);
    CHECK(test.labels == std::vector<uint8_t>{5, 6, 7});
    // The training split is absent here: the error names the file that is missing.
    CHECK_THROWS_WITH(load_fashion_mnist(Split::train, root), Contains("train-images-idx3-ubyte.gz"));
}

TEST_CASE("Fashion-MNIST default directory honours DYADIC_FASHION_MNIST_DIR", "[dataset][fashion_mnist]") {
    const char* saved = std::getenv("DYADIC_FASHION_MNIST_DIR");
    const std::string saved_value = saved ? saved : "";
    ::unsetenv("DYADIC_FASHION_MNIST_DIR");
    CHECK(default_fashion_mnist_directory() == "/usr/share/datasets/fashion-mnist");
    ::setenv("DYADIC_FASHION_MNIST_DIR", "", 1);
    CHECK(default_fashion_mnist_directory() == "/usr/share/datasets/fashion-mnist");
    ::setenv("DYADIC_FASHION_MNIST_DIR", "/somewhere/else", 1);
    CHECK(default_fashion_mnist_directory() == "/somewhere/else");
    if (saved) ::setenv("DYADIC_FASHION_MNIST_DIR", saved_value.c_str(), 1);
    else ::unsetenv("DYADIC_FASHION_MNIST_DIR");
}

TEST_CASE("Fashion-MNIST class names follow the dataset's label table", "[dataset][fashion_mnist]") {
    const std::vector<std::string>& names = fashion_mnist_class_names();
    REQUIRE(names.size() == 10);
    CHECK(names[0] == "T-shirt/top");
    CHECK(names[6] == "Shirt");
    CHECK(names[9] == "Ankle boot");
}
