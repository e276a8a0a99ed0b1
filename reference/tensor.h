#pragma once
// Integer tensors: dense, row-major (NCHW for activations, OIHW for conv weights).
// Header is C++17 so that the SystemC model can include it.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "reference/int_type.h"
#include "util/default_init_allocator.h"

namespace dyadic {

using Shape = std::vector<int64_t>;

// A tensor's elements. The allocator lets a backend size the storage without zero-filling it
// (Tensor::uninitialized below); note that `resize(n)` and `TensorStorage(n)` therefore leave the
// new elements indeterminate: write `assign(n, 0)` or `TensorStorage(n, 0)` for zeros.
using TensorStorage = std::vector<int32_t, DefaultInitAllocator<int32_t>>;

// Element-wise equality with a plain vector (the allocators differ, so std's operator== does not apply).
inline bool operator==(const TensorStorage& a, const std::vector<int32_t>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}
inline bool operator==(const std::vector<int32_t>& a, const TensorStorage& b) { return b == a; }
inline bool operator!=(const TensorStorage& a, const std::vector<int32_t>& b) { return !(a == b); }
inline bool operator!=(const std::vector<int32_t>& a, const TensorStorage& b) { return !(b == a); }

// The product of the dimensions; throws Error for a negative dimension, or when the dimensions
// (zero ones counted as 1) multiply past int64, so every product of some of them fits in int64.
int64_t element_count(const Shape& shape);
std::string to_string(const Shape& shape);  // "[1, 64, 56, 56]"

struct Tensor {
    Shape shape;
    IntType type;
    // Every element lies in type's range; stored widened to int32 so one code path serves all widths.
    TensorStorage data;
    // Real value = scales[channel] * integer. Empty: unknown/not needed; one entry: per tensor
    // (activations); shape[0] entries: per output channel (weights). Metadata only: no integer
    // op ever reads it.
    std::vector<double> scales;

    // Tag of the constructor that leaves the elements indeterminate. Constructible from no braced
    // list (as std::nullopt_t), so that Tensor(shape, type, {}) and Tensor(shape, type, {7})
    // still mean data.
    struct Uninitialized {
        enum class Token { kToken };
        explicit constexpr Uninitialized(Token) {}
    };
    static const Uninitialized uninitialized;

    Tensor() = default;
    Tensor(Shape shape_, IntType type_);  // zero-filled
    // Elements left indeterminate (reading one before writing it is undefined behaviour), for a
    // kernel that provably writes every element before anything reads the tensor, and discards
    // the tensor if it stops early. Why: zero-filling an output that is then overwritten is a
    // second pass over its memory, 6 to 12% of the fast CPU backend's time on fmnist_resnet
    // (bench/cpu/README.md). The reference and every other backend keep the zero-filled one.
    Tensor(Shape shape_, IntType type_, Uninitialized);
    Tensor(Shape shape_, IntType type_, TensorStorage data_);  // checks size and range

    int64_t size() const { return static_cast<int64_t>(data.size()); }
    int64_t dim(int axis) const { return shape.at(static_cast<size_t>(axis)); }

    // Element of a 4-D tensor (NCHW / OIHW), unchecked.
    int32_t at(int64_t n, int64_t c, int64_t h, int64_t w) const {
        return data[static_cast<size_t>(((n * shape[1] + c) * shape[2] + h) * shape[3] + w)];
    }
    int32_t& at(int64_t n, int64_t c, int64_t h, int64_t w) {
        return data[static_cast<size_t>(((n * shape[1] + c) * shape[2] + h) * shape[3] + w)];
    }
};

inline constexpr Tensor::Uninitialized Tensor::uninitialized{Tensor::Uninitialized::Token::kToken};

// Throws Error naming `what` when some element lies outside the tensor's type range
// or the data size does not match the shape.
void validate(const Tensor& tensor, const std::string& what);

// Row-major multi-index of flat element `index` (for reporting a first mismatch).
Shape unravel_index(int64_t index, const Shape& shape);

}  // namespace dyadic
