#include "graph/sensitivity/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.h"

namespace dyadic::sensitivity {
namespace {

struct Rows {
    int64_t count = 0, width = 0;
};

Rows logit_rows(const ir::FloatTensor& logits) {
    require(!logits.shape.empty() && logits.dim(0) >= 1 && logits.size() % logits.dim(0) == 0,
            "cross-entropy: logits of shape " + to_string(logits.shape) + " have no batch of rows");
    const Rows rows{logits.dim(0), logits.size() / logits.dim(0)};
    require(rows.width >= 2, "cross-entropy: logits need at least two classes, got shape " + to_string(logits.shape));
    return rows;
}

// p = softmax(z) in double, shifted by the maximum so that exp never overflows.
void softmax_row(const float* z, int64_t width, std::vector<double>& p) {
    p.resize(static_cast<size_t>(width));
    const double top = *std::max_element(z, z + width);
    double total = 0.0;
    for (int64_t k = 0; k < width; ++k) total += p[k] = std::exp(double{z[k]} - top);
    for (double& value : p) value /= total;
}

}  // namespace

double mean_cross_entropy(const ir::FloatTensor& logits, const std::vector<int>& labels) {
    const Rows rows = logit_rows(logits);
    require(static_cast<int64_t>(labels.size()) == rows.count,
            "cross-entropy: " + std::to_string(labels.size()) + " labels for " + std::to_string(rows.count) + " images");
    double total = 0.0;
    for (int64_t n = 0; n < rows.count; ++n) {
        const int label = labels[n];
        require(label >= 0 && label < rows.width, "cross-entropy: label " + std::to_string(label) +
                                                      " outside [0, " + std::to_string(rows.width) + ")");
        const float* z = logits.data.data() + n * rows.width;
        const double top = *std::max_element(z, z + rows.width);
        double sum = 0.0;
        for (int64_t k = 0; k < rows.width; ++k) sum += std::exp(double{z[k]} - top);
        total += top + std::log(sum) - double{z[label]};
    }
    return total / static_cast<double>(rows.count);
}

double cross_entropy_curvature_sum(const ir::FloatTensor& logits, const ir::FloatTensor& logit_tangent) {
    const Rows rows = logit_rows(logits);
    require(logit_tangent.size() == logits.size(), "cross-entropy: logit tangent has shape " +
                                                       to_string(logit_tangent.shape) + ", logits " +
                                                       to_string(logits.shape));
    std::vector<double> p;
    double total = 0.0;
    for (int64_t n = 0; n < rows.count; ++n) {
        softmax_row(logits.data.data() + n * rows.width, rows.width, p);
        const float* u = logit_tangent.data.data() + n * rows.width;
        // Var_p(u) = sum p u^2 - (sum p u)^2, computed around the mean to avoid cancellation.
        double mean = 0.0;
        for (int64_t k = 0; k < rows.width; ++k) mean += p[k] * u[k];
        double variance = 0.0;
        for (int64_t k = 0; k < rows.width; ++k) variance += p[k] * (u[k] - mean) * (u[k] - mean);
        total += variance;
    }
    return total;
}

}  // namespace dyadic::sensitivity
