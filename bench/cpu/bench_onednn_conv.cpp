// The oneDNN side of the cpu backend's design choice (bench/cpu/README.md): oneDNN 2.6's int8
// convolution (u8 activations, s8 weights, s32 output, no post-ops) on the layers of
// bench/reference, timed on one thread (OMP_NUM_THREADS decides), and its int32 output compared
// with the reference's exact conv2d_accumulate on full-range operands. Built only when oneDNN is
// installed (Debian libdnnl-dev); never part of the tests or the backend.
//
//   OMP_NUM_THREADS=1 bench_onednn_conv [min_seconds_per_case]   (WEIGHT_MAX=63: 7-bit weights)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "reference/ops/conv2d.h"

namespace {

using namespace dyadic;

struct Case {
    std::string name;
    int64_t c_in, c_out, size, stride, groups;
};

}  // namespace

int main(int argc, char** argv) try {
    const double min_seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    const std::vector<Case> cases = {{"resnet50_conv2_3x3", 64, 64, 56, 1, 1},
                                     {"resnet50_conv3_3x3_stride2", 128, 128, 56, 2, 1},
                                     {"mobilenetv2_depthwise_3x3", 144, 144, 56, 1, 144}};
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(engine);
    std::mt19937 rng(2021);
    std::printf("{\"benchmark\": \"onednn_conv_u8s8s32\", \"results\": [");
    for (size_t ci = 0; ci < cases.size(); ++ci) {
        const Case& c = cases[ci];
        Conv2dParams params;
        params.pad_top = params.pad_left = params.pad_bottom = params.pad_right = 1;
        params.stride_h = params.stride_w = static_cast<int>(c.stride);
        params.groups = static_cast<int>(c.groups);
        const int64_t cg = c.c_in / c.groups, out = (c.size + 2 - 3) / c.stride + 1;
        Tensor x({1, c.c_in, c.size, c.size}, IntType::unsigned_bits(8));
        Tensor w({c.c_out, cg, 3, 3}, IntType::signed_bits(8));
        const int w_max = std::getenv("WEIGHT_MAX") ? std::atoi(std::getenv("WEIGHT_MAX")) : 127;
        std::uniform_int_distribution<int> xd(0, 255), wd(-w_max - 1, w_max);
        for (int32_t& v : x.data) v = xd(rng);
        for (int32_t& v : w.data) v = wd(rng);
        const Tensor want = conv2d_accumulate(x, w, Tensor{}, params);

        using tag = dnnl::memory::format_tag;
        using dt = dnnl::memory::data_type;
        const dnnl::memory::dims src_dims{1, c.c_in, c.size, c.size}, dst_dims{1, c.c_out, out, out};
        const dnnl::memory::dims wei_dims = c.groups == 1 ? dnnl::memory::dims{c.c_out, c.c_in, 3, 3}
                                                          : dnnl::memory::dims{c.groups, c.c_out / c.groups, cg, 3, 3};
        const auto src_md = dnnl::memory::desc(src_dims, dt::u8, tag::any);
        const auto wei_md = dnnl::memory::desc(wei_dims, dt::s8, tag::any);
        const auto dst_md = dnnl::memory::desc(dst_dims, dt::s32, tag::any);
        const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                                   src_md, wei_md, dst_md, {c.stride, c.stride}, {1, 1}, {1, 1});
        const dnnl::convolution_forward::primitive_desc pd(desc, engine);
        // User data in NCHW / OIHW (goihw), reordered to the primitive's layouts outside the timing.
        std::vector<uint8_t> x8(x.data.begin(), x.data.end());
        std::vector<int8_t> w8(w.data.begin(), w.data.end());
        dnnl::memory user_src({src_dims, dt::u8, tag::nchw}, engine, x8.data());
        dnnl::memory user_wei({wei_dims, dt::s8, c.groups == 1 ? tag::oihw : tag::goihw}, engine, w8.data());
        dnnl::memory src(pd.src_desc(), engine), wei(pd.weights_desc(), engine), dst(pd.dst_desc(), engine);
        dnnl::reorder(user_src, src).execute(stream, user_src, src);
        dnnl::reorder(user_wei, wei).execute(stream, user_wei, wei);
        dnnl::convolution_forward conv(pd);
        double best = 1e30, total = 0.0;
        for (int runs = 0; total < min_seconds || runs < 3; ++runs) {
            const auto start = std::chrono::steady_clock::now();
            conv.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}});
            stream.wait();
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            best = std::min(best, s);
            total += s;
        }
        std::vector<int32_t> got(static_cast<size_t>(c.c_out * out * out));
        dnnl::memory user_dst({dst_dims, dt::s32, tag::nchw}, engine, got.data());
        dnnl::reorder(dst, user_dst).execute(stream, dst, user_dst);
        stream.wait();
        int64_t differ = 0;
        for (size_t i = 0; i < got.size(); ++i) differ += got[i] != want.data[i];
        const double macs = static_cast<double>(got.size()) * static_cast<double>(cg) * 9;
        std::fprintf(stderr, "%-28s %-24s %8.2f ms %8.2f GMAC/s  %lld of %zu accumulators differ from the reference\n",
                     c.name.c_str(), pd.impl_info_str(), best * 1e3, macs / best / 1e9, static_cast<long long>(differ),
                     got.size());
        std::printf("%s{\"layer\": \"%s\", \"implementation\": \"%s\", \"best_seconds\": %.6f, \"gmac_per_s\": %.3f, "
                    "\"differing_accumulators\": %lld, \"accumulators\": %zu}",
                    ci ? ", " : "", c.name.c_str(), pd.impl_info_str(), best, macs / best / 1e9,
                    static_cast<long long>(differ), got.size());
    }
    std::printf("]}\n");
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_onednn_conv: %s\n", e.what());
    return 1;
}
