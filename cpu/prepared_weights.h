#pragma once
// What the conv engine derives from a layer's weight and bias alone (their largest magnitudes,
// the packed GEMM weights, Winograd's transformed ones), made once per layer instead of on every
// call: a model runs each layer once per part of every batch, and at batch 1 the packing took
// longer than the convolution (bench/cpu/README.md).
//
// The cache serves an entry only to a call whose weight and bias are equal, element for element
// (shape and type too), to those the entry was made from; it keeps its own copy of them to
// compare. A tensor freed and another allocated at the same address, or a weight changed in
// place, therefore gets new packed weights, never stale ones, whoever owns the tensors.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>

#include "reference/tensor.h"

namespace dyadic::cpu {

class PreparedWeights {
public:
    PreparedWeights(const Tensor& weight, const Tensor& bias);

    int64_t max_abs_w() const { return max_abs_w_; }
    int64_t max_abs_bias() const { return max_abs_bias_; }

    // The value make() returns, made on the first call with this key and kept: the key names
    // everything besides the weight and bias that make() reads (path, input type, geometry).
    // Entries are kept by key and type, so one key can never hand back a value of another type.
    // Safe to call from several threads; make() runs under this object's lock.
    template <typename T>
    const T& derived(const std::string& key, const std::function<T()>& make) const {
        std::lock_guard lock(mutex_);
        std::shared_ptr<const void>& value = derived_[{std::type_index(typeid(T)), key}];
        if (!value) value = std::make_shared<const T>(make());
        return *static_cast<const T*>(value.get());
    }

private:
    int64_t max_abs_w_, max_abs_bias_;
    mutable std::mutex mutex_;
    mutable std::map<std::pair<std::type_index, std::string>, std::shared_ptr<const void>> derived_;
};

// The prepared weights of the layers a backend has run, by the weight's address, confirmed by
// contents. Safe to call from several threads.
class WeightCache {
public:
    // At most max_elements weight and bias elements are kept (copies for the comparison); beyond
    // that the cache starts over, so that a long-lived backend fed ever new layers stays bounded,
    // and a layer larger than that is prepared for its call alone.
    static constexpr size_t kDefaultMaxElements = size_t{64} << 20;  // 256 MiB of int32 copies
    explicit WeightCache(size_t max_elements = kDefaultMaxElements) : max_elements_(max_elements) {}

    std::shared_ptr<const PreparedWeights> prepared(const Tensor& weight, const Tensor& bias);

    size_t entries() const {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }

private:
    struct Entry {
        Tensor weight, bias;  // what `prepared` was made from
        std::shared_ptr<const PreparedWeights> prepared;
    };
    mutable std::mutex mutex_;
    std::map<const int32_t*, std::shared_ptr<const Entry>> entries_;  // by the weight's address
    const size_t max_elements_;
    size_t elements_ = 0;
};

// The cache's entry when there is a cache, otherwise weights prepared for this call alone.
std::shared_ptr<const PreparedWeights> prepare(WeightCache* cache, const Tensor& weight, const Tensor& bias);

}  // namespace dyadic::cpu
