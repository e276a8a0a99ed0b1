// Convolution as im2col + one GEMM per group and chunk of images: the column matrix holds
// several images side by side so that late layers with few output pixels still make a GEMM
// wide enough for Eigen to run at full speed. Chunks run in parallel on the shared thread pool;
// a chunk's arithmetic does not depend on which thread runs it, so results are the same for any
// number of threads.
#include <algorithm>
#include <cstring>

#include <Eigen/Core>

#include "graph/ir/kernels/float_ops.h"
#include "util/thread_pool.h"

namespace dyadic::ir::kernels {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int64_t kTargetColumns = 2048;               // GEMM width worth reaching by batching images
constexpr int64_t kMaxColumnBufferFloats = 16 << 20;   // 64 MiB of im2col buffer at most

struct Geometry {
    int64_t channels, height, width;       // input (per image)
    int64_t out_height, out_width;
    int64_t group_in, group_out;           // channels per group
    int64_t rows;                          // group_in * KH * KW
    int64_t pixels;                        // out_height * out_width
};

// Writes image `image`'s group `group` columns into col[:, column_offset : column_offset + pixels].
void im2col(const float* image, const ConvAttributes& a, const Geometry& g, int64_t group, RowMatrix& col,
            int64_t column_offset) {
    for (int64_t c = 0; c < g.group_in; ++c) {
        const float* plane = image + (group * g.group_in + c) * g.height * g.width;
        for (int ky = 0; ky < a.kernel_h; ++ky)
            for (int kx = 0; kx < a.kernel_w; ++kx) {
                const int64_t row = (c * a.kernel_h + ky) * a.kernel_w + kx;
                float* dst = col.data() + row * col.cols() + column_offset;
                for (int64_t oy = 0; oy < g.out_height; ++oy, dst += g.out_width) {
                    const int64_t iy = oy * a.stride_h - a.pad_top + int64_t{ky} * a.dilation_h;
                    if (iy < 0 || iy >= g.height) {
                        std::fill(dst, dst + g.out_width, 0.0f);
                        continue;
                    }
                    const float* src = plane + iy * g.width;
                    const int64_t x0 = int64_t{kx} * a.dilation_w - a.pad_left;
                    if (a.stride_w == 1) {
                        // Unit stride: one contiguous run of the input row between zero borders.
                        const int64_t begin = std::clamp<int64_t>(-x0, 0, g.out_width);
                        const int64_t end = std::clamp<int64_t>(g.width - x0, begin, g.out_width);
                        std::fill(dst, dst + begin, 0.0f);
                        std::copy(src + x0 + begin, src + x0 + end, dst + begin);
                        std::fill(dst + end, dst + g.out_width, 0.0f);
                        continue;
                    }
                    for (int64_t ox = 0; ox < g.out_width; ++ox) {
                        const int64_t ix = x0 + ox * a.stride_w;
                        dst[ox] = (ix >= 0 && ix < g.width) ? src[ix] : 0.0f;
                    }
                }
            }
    }
}

}  // namespace

void conv2d(const FloatTensor& x, const Node& node, const FloatTensor* identity, FloatTensor& out) {
    const ConvAttributes& a = node.conv;
    const int64_t batch = x.dim(0);
    Geometry g{};
    g.channels = x.dim(1);
    g.height = x.dim(2);
    g.width = x.dim(3);
    g.out_height = out.dim(2);
    g.out_width = out.dim(3);
    g.group_in = g.channels / a.groups;
    g.group_out = out.dim(1) / a.groups;
    g.rows = g.group_in * a.kernel_h * a.kernel_w;
    g.pixels = g.out_height * g.out_width;
    const int64_t out_channels = out.dim(1);

    int64_t chunk = std::max<int64_t>(1, (kTargetColumns + g.pixels - 1) / g.pixels);
    chunk = std::min(chunk, std::max<int64_t>(1, kMaxColumnBufferFloats / std::max<int64_t>(1, g.rows * g.pixels)));
    chunk = std::min(chunk, batch);

    const Eigen::Map<const RowMatrix> weights(node.weight.data.data(), out_channels, g.rows);
    const int64_t chunks = (batch + chunk - 1) / chunk;
    ThreadPool& pool = shared_thread_pool();
    // Each running chunk has buffers of its own: at most pool.size() x 64 MiB of columns at once.
    pool.parallel_for(chunks, [&](int64_t chunk_index) {
        RowMatrix col(g.rows, chunk * g.pixels);
        RowMatrix result(g.group_out, chunk * g.pixels);
        const int64_t first = chunk_index * chunk;
        const int64_t images = std::min(chunk, batch - first);
        const int64_t columns = images * g.pixels;
        for (int64_t group = 0; group < a.groups; ++group) {
            for (int64_t i = 0; i < images; ++i)
                im2col(x.data.data() + (first + i) * g.channels * g.height * g.width, a, g, group, col, i * g.pixels);
            result.leftCols(columns).noalias() =
                weights.middleRows(group * g.group_out, g.group_out) * col.leftCols(columns);
            for (int64_t i = 0; i < images; ++i)
                for (int64_t o = 0; o < g.group_out; ++o) {
                    const int64_t channel = group * g.group_out + o;
                    const float b = node.bias.empty() ? 0.0f : node.bias.data[channel];
                    const int64_t offset = ((first + i) * out_channels + channel) * g.pixels;
                    float* dst = out.data.data() + offset;
                    const float* src = result.data() + o * result.cols() + i * g.pixels;
                    for (int64_t p = 0; p < g.pixels; ++p) dst[p] = src[p] + b;
                    if (identity) {
                        const float* id = identity->data.data() + offset;
                        for (int64_t p = 0; p < g.pixels; ++p) dst[p] += id[p];
                    }
                }
        }
    });
    apply_activation(node.activation, out);
}

}  // namespace dyadic::ir::kernels
