// A .npy batch as a data source: float32 model inputs, or uint8 pixels to preprocess; NCHW or NHWC.
#include <cmath>
#include <cstring>

#include "graph/dataset/data_source.h"
#include "graph/golden/npy.h"
#include "util/error.h"

namespace dyadic::dataset {
namespace {

std::vector<int> read_labels(const std::string& path, int64_t expected) {
    const golden::NpyArray array = golden::read_npy(path);
    require(array.dtype != golden::NpyDtype::float32,
            path + ": labels must be an integer array (int8..int64, uint8, uint16), got float32");
    require(array.shape.size() == 1, path + ": labels must have shape (N,), got " + to_string(array.shape));
    require(array.shape[0] == expected, path + ": " + std::to_string(array.shape[0]) + " labels for " +
                                            std::to_string(expected) + " inputs");
    const std::vector<int64_t> values = golden::npy_integers(array, path);
    std::vector<int> labels(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        require(values[i] >= 0 && values[i] <= 0x7fffffff,
                path + ": label " + std::to_string(i) + " is " + std::to_string(values[i]) + " (labels are >= 0)");
        labels[i] = static_cast<int>(values[i]);
    }
    return labels;
}

class NpySource final : public DataSource {
public:
    NpySource(const std::string& path, const std::optional<std::string>& labels_path, Layout layout,
              Preprocessing preprocessing)
        : path_(path), layout_(layout), preprocessing_(std::move(preprocessing)) {
        validate(preprocessing_);
        array_ = golden::read_npy(path);
        const bool floats = array_.dtype == golden::NpyDtype::float32;
        require(floats || array_.dtype == golden::NpyDtype::uint8,
                path + ": input batches are float32 (model inputs) or uint8 (pixels), got " +
                    golden::npy_dtype_name(array_.dtype));
        const Shape& s = array_.shape;
        require(s.size() == 4 || s.size() == 3,
                path + ": expected shape [N, C, H, W] or [N, H, W, C] (--layout), or [N, H, W], got " + to_string(s));
        count_ = s[0];
        require(count_ > 0, path + ": the batch is empty (shape " + to_string(s) + ")");
        if (s.size() == 3) {
            layout_ = Layout::nchw;
            stored_ = {1, s[1], s[2]};
        } else {
            stored_ = layout == Layout::nchw ? std::array<int64_t, 3>{s[1], s[2], s[3]}
                                             : std::array<int64_t, 3>{s[3], s[1], s[2]};
        }
        require(stored_[0] > 0 && stored_[1] > 0 && stored_[2] > 0, path + ": empty image dimension in shape " + to_string(s));
        if (floats) {
            values_ = golden::npy_floats(array_, path);
            array_.data.clear();
            for (size_t i = 0; i < values_.size(); ++i) {
                require(std::isfinite(values_[i]), path + ": element " + std::to_string(i) + " is not finite");
            }
            shape_ = stored_;
        } else {
            require(stored_[0] == preprocessing_.channels,
                    path + ": " + std::to_string(stored_[0]) + " channels (" +
                        (layout == Layout::nchw ? "NCHW" : "NHWC") + "), the preprocessing takes " +
                        std::to_string(preprocessing_.channels));
            const ImageSize out = output_size(stored_[1], stored_[2], preprocessing_);
            shape_ = {stored_[0], out.height, out.width};
        }
        if (labels_path) labels_ = read_labels(*labels_path, count_);
    }

    int64_t size() const override { return count_; }
    std::array<int64_t, 3> input_shape() const override { return shape_; }
    bool labelled() const override { return !labels_.empty(); }
    bool preprocessed() const override { return values_.empty(); }
    std::string description() const override { return path_; }
    std::map<std::string, std::string> provenance() const override {
        return {{"kind", "npy"}, {"file", path_}, {"dtype", golden::npy_dtype_name(array_.dtype)},
                {"layout", layout_ == Layout::nchw ? "nchw" : "nhwc"}, {"count", std::to_string(count_)}};
    }

    LabelledBatch batch(int64_t first, int64_t count) const override {
        require(count > 0 && first >= 0 && first <= count_ && count <= count_ - first,
                path_ + ": inputs [" + std::to_string(first) + ", " + std::to_string(first + count) + ") leave the " +
                    std::to_string(count_) + " inputs");
        LabelledBatch out;
        const int64_t c_count = stored_[0], height = stored_[1], width = stored_[2];
        const int64_t plane = height * width, per_input = shape_[0] * shape_[1] * shape_[2];
        out.inputs.shape = {count, shape_[0], shape_[1], shape_[2]};
        out.inputs.values.resize(static_cast<size_t>(count * per_input));
        std::vector<uint8_t> hwc;
        for (int64_t i = 0; i < count; ++i) {
            const int64_t n = first + i;
            float* dst = out.inputs.values.data() + i * per_input;
            if (!values_.empty()) {
                const float* src = values_.data() + n * per_input;
                if (layout_ == Layout::nchw) {
                    std::memcpy(dst, src, static_cast<size_t>(per_input) * sizeof(float));
                } else {
                    for (int64_t p = 0; p < plane; ++p)
                        for (int64_t c = 0; c < c_count; ++c) dst[c * plane + p] = src[p * c_count + c];
                }
            } else {
                const auto* src = reinterpret_cast<const uint8_t*>(array_.data.data()) + n * c_count * plane;
                if (layout_ == Layout::nchw && c_count > 1) {  // preprocess_image reads HWC
                    hwc.resize(static_cast<size_t>(c_count * plane));
                    for (int64_t p = 0; p < plane; ++p)
                        for (int64_t c = 0; c < c_count; ++c) hwc[static_cast<size_t>(p * c_count + c)] = src[c * plane + p];
                    src = hwc.data();
                }
                preprocess_image(src, height, width, preprocessing_, dst, path_ + " input " + std::to_string(n));
            }
            if (!labels_.empty()) out.labels.push_back(labels_[static_cast<size_t>(n)]);
        }
        return out;
    }

private:
    std::string path_;
    Layout layout_;
    Preprocessing preprocessing_;
    golden::NpyArray array_;   // the uint8 pixels (emptied for float32)
    std::vector<float> values_;  // the float32 inputs, as stored
    int64_t count_ = 0;
    std::array<int64_t, 3> stored_{};  // C, H, W as stored
    std::array<int64_t, 3> shape_{};   // C, H, W after preprocessing
    std::vector<int> labels_;
};

}  // namespace

std::unique_ptr<DataSource> npy_source(const std::string& path, const std::optional<std::string>& labels_path,
                                       Layout layout, const Preprocessing& preprocessing) {
    return std::make_unique<NpySource>(path, labels_path, layout, preprocessing);
}

}  // namespace dyadic::dataset
