#include "reference/tensor.h"

#include <algorithm>
#include <sstream>

#include "util/checked.h"
#include "util/error.h"

namespace dyadic {

void validate(const IntType& type) {
    const bool ok = type.is_signed ? ((type.bits >= 2 && type.bits <= 16) || type.bits == 32)
                                   : (type.bits >= 2 && type.bits <= 16);
    require(ok, "unsupported integer type " + type.name() +
                    " (allowed: int2..int16, uint2..uint16, int32)");
}

int64_t element_count(const Shape& shape) {
    // The product is checked with zero dimensions counted as 1: an empty tensor must not carry an
    // absurd dimension either, because the ops multiply subsets of dimensions (a plane H * W, a
    // row C * H * W, a block) and those products must fit in int64 whatever the other dimensions.
    int64_t volume = 1;
    for (const int64_t d : shape) {
        require(d >= 0, "negative dimension in shape " + to_string(shape));
        try {
            volume = checked_mul(volume, std::max<int64_t>(d, 1), "element count");
        } catch (const Error&) {
            throw Error("shape " + to_string(shape) + " has more elements than a 64-bit count can hold" +
                        (std::find(shape.begin(), shape.end(), 0) == shape.end() ? ""
                                                                                 : " (zero dimensions counted as 1)"));
        }
    }
    return std::find(shape.begin(), shape.end(), 0) == shape.end() ? volume : 0;
}

std::string to_string(const Shape& shape) {
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

Tensor::Tensor(Shape shape_, IntType type_) : shape(std::move(shape_)), type(type_) {
    validate(type);
    data.assign(static_cast<size_t>(element_count(shape)), 0);
}

Tensor::Tensor(Shape shape_, IntType type_, Uninitialized) : shape(std::move(shape_)), type(type_) {
    validate(type);
    data.resize(static_cast<size_t>(element_count(shape)));  // default-initialized: not written
}

Tensor::Tensor(Shape shape_, IntType type_, TensorStorage data_)
    : shape(std::move(shape_)), type(type_), data(std::move(data_)) {
    validate(*this, "tensor");
}

void validate(const Tensor& tensor, const std::string& what) {
    validate(tensor.type);
    require(element_count(tensor.shape) == tensor.size(),
            what + ": shape " + to_string(tensor.shape) + " holds " + std::to_string(element_count(tensor.shape)) +
                " elements but data has " + std::to_string(tensor.size()));
    for (size_t i = 0; i < tensor.data.size(); ++i) {
        if (!tensor.type.contains(tensor.data[i])) {
            throw Error(what + ": element " + std::to_string(i) + " = " + std::to_string(tensor.data[i]) +
                        " lies outside " + tensor.type.name());
        }
    }
}

Shape unravel_index(int64_t index, const Shape& shape) {
    Shape coords(shape.size(), 0);
    for (size_t i = shape.size(); i-- > 0;) {
        if (shape[i] > 0) {
            coords[i] = index % shape[i];
            index /= shape[i];
        }
    }
    return coords;
}

}  // namespace dyadic
