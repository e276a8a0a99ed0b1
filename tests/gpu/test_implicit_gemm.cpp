// The implicit-GEMM index math: the matrix product of A[m][k] (input_index) and B[k][o]
// (weight_oihw_index), summed plainly in int64, must equal the reference conv2d accumulator for
// every geometry: stride, asymmetric padding, dilation, groups, depthwise.
#include <catch2/catch.hpp>

#include <random>

#include "gpu/implicit_gemm.h"
#include "random_layers.h"
#include "reference/ops/conv2d.h"

using namespace dyadic;
using namespace dyadic::gpu;
using gpu_test::ConvCase;

namespace {

ConvGeometry geometry_of(const ConvCase& cs) {
    const Shape out = conv2d_output_shape({cs.batch, cs.in_c, cs.in_h, cs.in_w},
                                          {cs.out_c, cs.in_c / cs.params.groups, cs.kernel_h, cs.kernel_w}, cs.params);
    ConvGeometry g;
    g.batch = cs.batch;
    g.in_c = cs.in_c;
    g.in_h = cs.in_h;
    g.in_w = cs.in_w;
    g.out_c = cs.out_c;
    g.out_h = out[2];
    g.out_w = out[3];
    g.kernel_h = cs.kernel_h;
    g.kernel_w = cs.kernel_w;
    g.stride_h = cs.params.stride_h;
    g.stride_w = cs.params.stride_w;
    g.pad_top = cs.params.pad_top;
    g.pad_left = cs.params.pad_left;
    g.dilation_h = cs.params.dilation_h;
    g.dilation_w = cs.params.dilation_w;
    g.groups = cs.params.groups;
    return g;
}

// NCHW tensor data -> NHWC order, written out independently of the library.
std::vector<int32_t> nhwc(const Tensor& t) {
    std::vector<int32_t> out(t.data.size());
    const int64_t n_ = t.shape[0], c_ = t.shape[1], h_ = t.shape[2], w_ = t.shape[3];
    for (int64_t n = 0; n < n_; ++n)
        for (int64_t c = 0; c < c_; ++c)
            for (int64_t h = 0; h < h_; ++h)
                for (int64_t w = 0; w < w_; ++w)
                    out[static_cast<size_t>(((n * h_ + h) * w_ + w) * c_ + c)] = t.at(n, c, h, w);
    return out;
}

}  // namespace

TEST_CASE("implicit GEMM indices reproduce the reference conv2d accumulator", "[gpu][implicit_gemm]") {
    std::mt19937 rng(7);
    const std::vector<ConvCase> cases{
        {1, 3, 7, 6, 5, 3, 3, {}},
        {2, 4, 9, 8, 6, 3, 2, {2, 1, 1, 0, 2, 1, 1, 1, 1}},
        {1, 6, 10, 10, 4, 3, 3, {1, 2, 2, 1, 0, 3, 2, 1, 2}},
        {1, 8, 6, 7, 8, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 8}},  // depthwise
        {2, 6, 5, 5, 9, 1, 1, {1, 1, 0, 0, 0, 0, 1, 1, 3}},
        {1, 2, 4, 4, 3, 4, 4, {3, 3, 2, 2, 2, 2, 1, 1, 1}},
    };
    for (const ConvCase& cs : cases) {
        const Tensor x = gpu_test::random_tensor({cs.batch, cs.in_c, cs.in_h, cs.in_w}, IntType::signed_bits(8), rng);
        const Tensor w = gpu_test::random_tensor({cs.out_c, cs.in_c / cs.params.groups, cs.kernel_h, cs.kernel_w},
                                                 IntType::signed_bits(8), rng);
        const Tensor expected = conv2d_accumulate(x, w, Tensor{}, cs.params);
        const ConvGeometry g = geometry_of(cs);
        const std::vector<int32_t> x_nhwc = nhwc(x);
        std::vector<int32_t> got(static_cast<size_t>(g.gemm_m() * g.out_c), 0);
        for (int64_t group = 0; group < g.groups; ++group) {
            for (int64_t m = 0; m < g.gemm_m(); ++m) {
                for (int64_t o = 0; o < g.out_c_per_group(); ++o) {
                    int64_t sum = 0;
                    for (int64_t k = 0; k < g.gemm_k(); ++k) {
                        const int64_t index = input_index(g, group, m, k);
                        if (index >= 0) sum += int64_t{x_nhwc[static_cast<size_t>(index)]} *
                                               w.data[static_cast<size_t>(weight_oihw_index(g, group, k, o))];
                    }
                    got[static_cast<size_t>(output_index(g, m, group * g.out_c_per_group() + o))] =
                        static_cast<int32_t>(sum);
                }
            }
        }
        REQUIRE(got == nhwc(expected));
        // Outside the matrix is padding.
        CHECK(input_index(g, 0, g.gemm_m(), 0) == -1);
        CHECK(input_index(g, 0, 0, g.gemm_k()) == -1);
    }
}
