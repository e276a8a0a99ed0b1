#include "gpu/device_layout.h"

#include "util/error.h"

namespace dyadic::gpu {
namespace {

// Sizes of the three index ranges of [N, C, rest...].
struct ChannelSplit {
    int64_t batch = 1, channels = 1, inner = 1;
};

ChannelSplit split(const Shape& shape) {
    require(shape.size() >= 2, "gpu: tensor " + to_string(shape) + " has no channel axis");
    ChannelSplit s{shape[0], shape[1], 1};
    for (size_t axis = 2; axis < shape.size(); ++axis) s.inner *= shape[axis];
    return s;
}

}  // namespace

StorageFormat storage_format(const IntType& type) { return {storage_bits_for(type.bits), type.is_signed}; }

std::vector<uint32_t> to_device_layout(const Tensor& tensor) {
    const ChannelSplit s = split(tensor.shape);
    const StorageFormat format = storage_format(tensor.type);
    std::vector<uint32_t> words(static_cast<size_t>(storage_words(tensor.size(), format)), 0u);
    for (int64_t n = 0; n < s.batch; ++n) {
        for (int64_t c = 0; c < s.channels; ++c) {
            for (int64_t i = 0; i < s.inner; ++i) {
                const int64_t nchw = (n * s.channels + c) * s.inner + i;
                const int64_t nhwc = (n * s.inner + i) * s.channels + c;
                store_element(words.data(), nhwc, format, tensor.data[static_cast<size_t>(nchw)]);
            }
        }
    }
    return words;
}

Tensor from_device_layout(const std::vector<uint32_t>& words, const Shape& shape, const IntType& type) {
    const ChannelSplit s = split(shape);
    const StorageFormat format = storage_format(type);
    Tensor tensor(shape, type);
    require(static_cast<int64_t>(words.size()) >= storage_words(tensor.size(), format),
            "gpu: device buffer too small for " + to_string(shape));
    for (int64_t n = 0; n < s.batch; ++n) {
        for (int64_t c = 0; c < s.channels; ++c) {
            for (int64_t i = 0; i < s.inner; ++i) {
                const int64_t nchw = (n * s.channels + c) * s.inner + i;
                const int64_t nhwc = (n * s.inner + i) * s.channels + c;
                tensor.data[static_cast<size_t>(nchw)] = load_element(words.data(), nhwc, format);
            }
        }
    }
    return tensor;
}

}  // namespace dyadic::gpu
