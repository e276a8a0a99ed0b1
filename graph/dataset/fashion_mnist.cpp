#include "graph/dataset/fashion_mnist.h"

#include <cstdlib>
#include <utility>

#include "graph/dataset/idx_file.h"
#include "util/error.h"

namespace dyadic::dataset {

namespace {

constexpr std::size_t class_count = 10;

std::string split_prefix(Split split) { return split == Split::train ? "train" : "t10k"; }

std::string join(const std::string& directory, const std::string& file) {
    if (directory.empty() || directory.back() == '/') return directory + file;
    return directory + "/" + file;
}

}  // namespace

const std::vector<std::string>& fashion_mnist_class_names() {
    static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

std::string default_fashion_mnist_directory() {
    const char* override_directory = std::getenv("DYADIC_FASHION_MNIST_DIR");
    if (override_directory != nullptr && *override_directory != '\0') return override_directory;
    return "/usr/share/datasets/fashion-mnist";
}

std::string fashion_mnist_images_path(const std::string& directory, Split split) {
    return join(directory, split_prefix(split) + "-images-idx3-ubyte.gz");
}

std::string fashion_mnist_labels_path(const std::string& directory, Split split) {
    return join(directory, split_prefix(split) + "-labels-idx1-ubyte.gz");
}

LabelledImages load_labelled_images(const std::string& images_path, const std::string& labels_path) {
    IdxArray images = read_idx_ubyte(images_path, 3);
    IdxArray labels = read_idx_ubyte(labels_path, 1);
    require(images.dims[1] > 0 && images.dims[2] > 0,
            "'" + images_path + "' declares empty images (" + std::to_string(images.dims[1]) + "x" +
                std::to_string(images.dims[2]) + ")");
    require(images.dims[0] == labels.dims[0], "image/label count mismatch: '" + images_path + "' has " +
                                                  std::to_string(images.dims[0]) + " images but '" +
                                                  labels_path + "' has " + std::to_string(labels.dims[0]) +
                                                  " labels");
    for (std::size_t i = 0; i < labels.data.size(); ++i) {
        require(labels.data[i] < class_count, "'" + labels_path + "': label " + std::to_string(labels.data[i]) +
                                                  " of item " + std::to_string(i) + " is outside 0..9");
    }
    LabelledImages result;
    result.count = images.dims[0];
    result.rows = images.dims[1];
    result.cols = images.dims[2];
    result.pixels = std::move(images.data);
    result.labels = std::move(labels.data);
    return result;
}

LabelledImages load_fashion_mnist(Split split, const std::string& directory) {
    return load_labelled_images(fashion_mnist_images_path(directory, split),
                                fashion_mnist_labels_path(directory, split));
}

}  // namespace dyadic::dataset
