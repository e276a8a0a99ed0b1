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
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(weight.data.data());
    if (found != entries_.end() && same_tensor(found->second.weight, weight) && same_tensor(found->second.bias, bias)) {
        return found->second.prepared;
    }
    if (found != entries_.end()) {
        elements_ -= found->second.weight.data.size() + found->second.bias.data.size();
        entries_.erase(found);
    }
    auto prepared = std::make_shared<const PreparedWeights>(weight, bias);
    const size_t elements = weight.data.size() + bias.data.size();
    if (elements > max_elements_) return prepared;
    if (elements_ + elements > max_elements_) {
        entries_.clear();
        elements_ = 0;
    }
    entries_.emplace(weight.data.data(), Entry{weight, bias, prepared});
    elements_ += elements;
    return prepared;
}

std::shared_ptr<const PreparedWeights> prepare(WeightCache* cache, const Tensor& weight, const Tensor& bias) {
    return cache ? cache->prepared(weight, bias) : std::make_shared<const PreparedWeights>(weight, bias);
}

}  // namespace dyadic::cpu
