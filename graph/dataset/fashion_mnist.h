#pragma once
// Fashion-MNIST (Zalando): 60000 training and 10000 test images, 28x28 grey levels, 10 classes,
// stored as four gzip-compressed IDX files. Debian's dataset-fashion-mnist package installs them in
// /usr/share/datasets/fashion-mnist.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::dataset {

enum class Split { train, test };

// Class names in label order (label 0 = "T-shirt/top", ..., 9 = "Ankle boot").
const std::vector<std::string>& fashion_mnist_class_names();

// Images with one label each: pixels is count x rows x cols bytes, row-major; 0 = background.
struct LabelledImages {
    std::size_t count = 0;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<uint8_t> pixels;
    std::vector<uint8_t> labels;

    std::size_t image_size() const { return rows * cols; }
    const uint8_t* image(std::size_t index) const { return pixels.data() + index * image_size(); }
};

// The directory holding the four files: $DYADIC_FASHION_MNIST_DIR when set and non-empty,
// else /usr/share/datasets/fashion-mnist.
std::string default_fashion_mnist_directory();

// "<directory>/train-images-idx3-ubyte.gz" or "<directory>/t10k-images-idx3-ubyte.gz" (and labels).
std::string fashion_mnist_images_path(const std::string& directory, Split split);
std::string fashion_mnist_labels_path(const std::string& directory, Split split);

// Reads one split from explicit files. Throws dyadic::Error for missing files, bad magic numbers,
// truncated or corrupt data, an image/label count mismatch and labels outside 0..9.
LabelledImages load_labelled_images(const std::string& images_path, const std::string& labels_path);

// Reads one split from `directory` (default: default_fashion_mnist_directory()).
LabelledImages load_fashion_mnist(Split split, const std::string& directory = default_fashion_mnist_directory());

}  // namespace dyadic::dataset
