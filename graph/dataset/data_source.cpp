#include "graph/dataset/data_source.h"

#include "util/error.h"

namespace dyadic::dataset {
namespace {

class FashionMnistSource final : public DataSource {
public:
    FashionMnistSource(LabelledImages images, std::string name, Preprocessing preprocessing)
        : images_(std::move(images)), name_(std::move(name)), preprocessing_(std::move(preprocessing)) {
        validate(preprocessing_);
        const ImageSize out = output_size(static_cast<int64_t>(images_.rows), static_cast<int64_t>(images_.cols), preprocessing_);
        shape_ = {preprocessing_.channels, out.height, out.width};
    }
    int64_t size() const override { return static_cast<int64_t>(images_.count); }
    std::array<int64_t, 3> input_shape() const override { return shape_; }
    bool labelled() const override { return true; }
    bool preprocessed() const override { return true; }
    std::string description() const override { return name_; }
    std::map<std::string, std::string> provenance() const override {
        return {{"kind", "fashion-mnist"}, {"name", name_}, {"count", std::to_string(images_.count)}};
    }
    std::vector<std::string> classes() const override { return fashion_mnist_class_names(); }

    LabelledBatch batch(int64_t first, int64_t count) const override {
        require(count > 0 && first >= 0 && first <= size() && count <= size() - first,
                name_ + ": images [" + std::to_string(first) + ", " + std::to_string(first + count) + ") leave the " +
                    std::to_string(size()) + " images");
        LabelledBatch out;
        const int64_t per_image = shape_[0] * shape_[1] * shape_[2];
        out.inputs.shape = {count, shape_[0], shape_[1], shape_[2]};
        out.inputs.values.resize(static_cast<size_t>(count * per_image));
        std::vector<uint8_t> rgb;
        for (int64_t i = 0; i < count; ++i) {
            const auto index = static_cast<size_t>(first + i);
            const uint8_t* pixels = images_.image(index);
            if (shape_[0] == 3) {
                rgb.resize(3 * images_.image_size());
                for (size_t p = 0; p < images_.image_size(); ++p) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = pixels[p];
                pixels = rgb.data();
            }
            preprocess_image(pixels, static_cast<int64_t>(images_.rows), static_cast<int64_t>(images_.cols),
                             preprocessing_, out.inputs.values.data() + i * per_image,
                             name_ + " image " + std::to_string(index));
            out.labels.push_back(images_.labels[index]);
        }
        return out;
    }

private:
    LabelledImages images_;
    std::string name_;
    Preprocessing preprocessing_;
    std::array<int64_t, 3> shape_{};
};

// Forwards everything; each batch runs the check first.
class CheckedSource final : public DataSource {
public:
    CheckedSource(std::unique_ptr<DataSource> source, std::function<void(const DataSource&)> check)
        : source_(std::move(source)), check_(std::move(check)) {}
    int64_t size() const override { return source_->size(); }
    std::array<int64_t, 3> input_shape() const override { return source_->input_shape(); }
    bool labelled() const override { return source_->labelled(); }
    bool preprocessed() const override { return source_->preprocessed(); }
    std::string description() const override { return source_->description(); }
    std::map<std::string, std::string> provenance() const override { return source_->provenance(); }
    std::vector<std::string> classes() const override { return source_->classes(); }
    LabelledBatch batch(int64_t first, int64_t count) const override {
        check_(*source_);
        return source_->batch(first, count);
    }

private:
    std::unique_ptr<DataSource> source_;
    std::function<void(const DataSource&)> check_;
};

}  // namespace

std::unique_ptr<DataSource> with_check(std::unique_ptr<DataSource> source,
                                       std::function<void(const DataSource&)> check) {
    return std::make_unique<CheckedSource>(std::move(source), std::move(check));
}

std::unique_ptr<DataSource> fashion_mnist_source(LabelledImages images, const std::string& name,
                                                 const Preprocessing& preprocessing) {
    return std::make_unique<FashionMnistSource>(std::move(images), name, preprocessing);
}

Layout parse_layout(const std::string& text) {
    if (text == "nchw") return Layout::nchw;
    if (text == "nhwc") return Layout::nhwc;
    throw Error("the layout must be nchw or nhwc, got '" + text + "'");
}

std::string shape_text(const std::array<int64_t, 3>& shape) {
    return "[" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ", " + std::to_string(shape[2]) + "]";
}

void require_input_shape(const DataSource& source, const std::array<int64_t, 3>& model_input) {
    require(source.input_shape() == model_input,
            source.description() + ": inputs of shape [C, H, W] = " + shape_text(source.input_shape()) +
                ", the model takes " + shape_text(model_input));
}

}  // namespace dyadic::dataset
