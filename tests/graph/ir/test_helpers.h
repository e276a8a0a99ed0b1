#pragma once
// Shared helpers of the graph/ir tests: random tensors, a float comparison with a tolerance
// (float results are the one place a tolerance is right), and naive double-precision models.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "graph/ir/float_tensor.h"
#include "graph/ir/node.h"

namespace dyadic::ir::testing {

inline FloatTensor random_tensor(Shape shape, uint32_t seed, float low = -1.0f, float high = 1.0f) {
    FloatTensor t(std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(low, high);
    for (float& v : t.data) v = dist(rng);
    return t;
}

// |actual - expected| <= abs_tol + rel_tol * |expected| everywhere, shapes equal.
inline void require_close(const FloatTensor& actual, const FloatTensor& expected, double rel_tol = 1e-4,
                          double abs_tol = 1e-5) {
    REQUIRE(to_string(actual.shape) == to_string(expected.shape));
    REQUIRE(actual.size() == expected.size());
    for (int64_t i = 0; i < expected.size(); ++i) {
        const double e = expected.data[i], a = actual.data[i];
        if (std::fabs(a - e) > abs_tol + rel_tol * std::fabs(e)) {
            INFO("element " << to_string(unravel_index(i, expected.shape)) << ": got " << a << ", expected " << e);
            REQUIRE(std::fabs(a - e) <= abs_tol + rel_tol * std::fabs(e));
        }
    }
}

// Direct-definition convolution in double: out[n,o,y,x] = bias[o] + sum x[n, g*Cig+c, y*s-p+ky*d, ...] * w.
inline FloatTensor naive_conv(const FloatTensor& x, const FloatTensor& w, const FloatTensor& bias,
                              const ConvAttributes& a) {
    const int64_t n_ = x.dim(0), c_ = x.dim(1), h = x.dim(2), wd = x.dim(3);
    const int64_t co = w.dim(0), cig = w.dim(1), kh = w.dim(2), kw = w.dim(3);
    const int64_t oh = (h + a.pad_top + a.pad_bottom - (kh - 1) * a.dilation_h - 1) / a.stride_h + 1;
    const int64_t ow = (wd + a.pad_left + a.pad_right - (kw - 1) * a.dilation_w - 1) / a.stride_w + 1;
    const int64_t cog = co / a.groups;
    FloatTensor out(Shape{n_, co, oh, ow});
    for (int64_t n = 0; n < n_; ++n)
        for (int64_t o = 0; o < co; ++o)
            for (int64_t y = 0; y < oh; ++y)
                for (int64_t xx = 0; xx < ow; ++xx) {
                    double acc = bias.empty() ? 0.0 : bias.data[o];
                    const int64_t g = o / cog;
                    for (int64_t c = 0; c < cig; ++c)
                        for (int64_t ky = 0; ky < kh; ++ky)
                            for (int64_t kx = 0; kx < kw; ++kx) {
                                const int64_t iy = y * a.stride_h - a.pad_top + ky * a.dilation_h;
                                const int64_t ix = xx * a.stride_w - a.pad_left + kx * a.dilation_w;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                acc += double(x.data[((n * c_ + g * cig + c) * h + iy) * wd + ix]) *
                                       double(w.data[((o * cig + c) * kh + ky) * kw + kx]);
                            }
                    out.data[((n * co + o) * oh + y) * ow + xx] = static_cast<float>(acc);
                }
    return out;
}

}  // namespace dyadic::ir::testing
