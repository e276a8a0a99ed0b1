#pragma once
// Where calibration and evaluation images come from: one interface over Fashion-MNIST, a .npy
// batch (with an optional .npy of labels) and a folder of JPEG/PNG images in the class-per-
// subfolder layout. Every source yields float32 NCHW model inputs in batches, produced on demand so
// that memory stays bounded by the batch for image folders. docs/data.md describes the inputs.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/dataset/preprocessing.h"

namespace dyadic::dataset {

struct LabelledBatch {
    FloatBatch inputs;        // [count, C, H, W]
    std::vector<int> labels;  // one per input; empty when the source has no labels
};

class DataSource {
public:
    virtual ~DataSource() = default;
    virtual int64_t size() const = 0;                        // number of inputs
    virtual std::array<int64_t, 3> input_shape() const = 0;  // C, H, W of each input
    virtual bool labelled() const = 0;
    // Inputs [first, first + count) and their labels. Throws Error when the range leaves the
    // source or an input cannot be read (naming the file and the problem).
    virtual LabelledBatch batch(int64_t first, int64_t count) const = 0;
    // Whether raw pixels pass through the preprocessing (false for a float32 .npy, used as it is).
    virtual bool preprocessed() const = 0;
    // "Fashion-MNIST test split", "images/ (1000 images, 10 classes)", ... for people.
    virtual std::string description() const = 0;
    // The same for reports: kind, path, counts.
    virtual std::map<std::string, std::string> provenance() const = 0;
    // Class names in label order when the source knows them (Fashion-MNIST, image folders).
    virtual std::vector<std::string> classes() const { return {}; }
};

// Fashion-MNIST images (1 x 28 x 28 grey levels) through `preprocessing` (with 3 channels, each
// grey level is repeated as R, G and B).
std::unique_ptr<DataSource> fashion_mnist_source(LabelledImages images, const std::string& name,
                                                 const Preprocessing& preprocessing);

enum class Layout { nchw, nhwc };
Layout parse_layout(const std::string& text);  // "nchw" or "nhwc"; Error otherwise

// A .npy batch: float32 inputs used as they are, or uint8 pixels through `preprocessing` (its
// channel count must match the array's). Rank 4 in `layout`, or rank 3 [N, H, W] for one channel.
// `labels_path`: an integer .npy of shape [N] with values >= 0. Throws Error naming the file for
// another dtype, rank or shape, non-finite floats, a label count other than N or a negative label.
std::unique_ptr<DataSource> npy_source(const std::string& path, const std::optional<std::string>& labels_path,
                                       Layout layout, const Preprocessing& preprocessing);

// A folder `root/<class>/<image>` of .jpg/.jpeg/.png files (extensions in any case; other files
// are skipped). Classes are the subfolder names sorted by bytes, labels their indices; images are
// sorted by name within a class. Throws Error for a missing root, no class subfolder, or a class
// with no image. Images are decoded and preprocessed when a batch is asked for.
std::unique_ptr<DataSource> image_folder_source(const std::string& root, const Preprocessing& preprocessing);

// Throws Error naming the source when its input shape is not the model's [C, H, W].
void require_input_shape(const DataSource& source, const std::array<int64_t, 3>& model_input);

// `source`, whose every batch first runs `check` (which throws to refuse): a command checks its own
// flags (counts, ranges) against the data's size before, say, a mismatched model is reported.
std::unique_ptr<DataSource> with_check(std::unique_ptr<DataSource> source,
                                       std::function<void(const DataSource&)> check);

// "[1, 28, 28]".
std::string shape_text(const std::array<int64_t, 3>& shape);

}  // namespace dyadic::dataset
