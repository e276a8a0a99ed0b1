#include "cpu/prepared_weights.h"

#include <algorithm>

#include "cpu/operand_check.h"

namespace dyadic::cpu {
namespace {

bool same_tensor(const Tensor& a, const Tensor& b) {
    return a.shape == b.shape && a.type == b.type && std::equal(a.data.begin(), a.data.end(), b.data.begin(), b.data.end());
}

}  // namespace

PreparedWeights::PreparedWeights(const Tensor& weight, const Tensor& bias)
    : max_abs_w_(max_abs(weight)), max_abs_bias_(max_abs(bias)) {}

std::shared_ptr<const PreparedWeights> WeightCache::prepared(const Tensor& weight, const Tensor& bias) {
    // The lock covers the map only: comparing and copying the weights (a pass over them) happen
    // outside it, on entries that never change once made.
    const int32_t* key = weight.data.data();
    std::shared_ptr<const Entry> entry;
    {
        std::lock_guard lock(mutex_);
        if (const auto found = entries_.find(key); found != entries_.end()) entry = found->second;
    }
    if (entry && same_tensor(entry->weight, weight) && same_tensor(entry->bias, bias)) return entry->prepared;
    auto made = std::make_shared<const Entry>(Entry{weight, bias, std::make_shared<const PreparedWeights>(weight, bias)});
    const size_t elements = weight.data.size() + bias.data.size();
    if (elements > max_elements_) return made->prepared;
    std::lock_guard lock(mutex_);
    if (const auto found = entries_.find(key); found != entries_.end()) {
        elements_ -= found->second->weight.data.size() + found->second->bias.data.size();
        entries_.erase(found);
    }
    if (elements_ + elements > max_elements_) {
        entries_.clear();
        elements_ = 0;
    }
    entries_.emplace(key, made);
    elements_ += elements;
    return made->prepared;
}

std::shared_ptr<const PreparedWeights> prepare(WeightCache* cache, const Tensor& weight, const Tensor& bias) {
    return cache ? cache->prepared(weight, bias) : std::make_shared<const PreparedWeights>(weight, bias);
}

}  // namespace dyadic::cpu
