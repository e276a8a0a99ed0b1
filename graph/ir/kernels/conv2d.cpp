// Convolution as GEMMs (sgemm.h) of the packed weights with the im2col matrix, whose rows the
// GEMM reads through row pointers:
// - stride 1: no im2col at all. Each image is copied once into zero-padded planes; output pixel
//   (y, x) becomes column y * padded_width + x, so row (c, ky, kx) of the im2col matrix is the
//   padded plane of c read from offset ky * dilation * padded_width + kx * dilation onwards. The
//   columns x >= out_width of each output row are computed and dropped (padded_width - out_width
//   of every padded_width columns).
// - other strides: an explicit im2col of a chunk of images side by side.
// Tasks run in parallel on the shared thread pool. Every output element is summed over k in the
// same order whichever task or thread computes it, so results are the same for any batch split
// and any number of threads (on a given GEMM path).
#include <algorithm>
#include <limits>
#include <vector>

#include "graph/ir/kernels/float_ops.h"
#include "graph/ir/kernels/sgemm.h"
#include "util/thread_pool.h"

namespace dyadic::ir::kernels {
namespace {

// GEMM columns per task: enough tasks for the threads at batch 100 on small images, few enough
// that a task's slice of B stays in L2 for moderate depths.
constexpr int64_t kTargetColumns = 512;
constexpr int64_t kMaxColumnBufferFloats = 16 << 20;  // 64 MiB of explicit im2col per chunk at most

struct Geometry {
    int64_t channels, height, width;  // input (per image)
    int64_t out_height, out_width;
    int64_t group_in, group_out;  // channels per group
    int64_t rows;                 // group_in * KH * KW: the GEMM depth
    int64_t pixels;               // out_height * out_width
};

// Per-thread buffers reused across tasks and calls.
struct Scratch {
    std::vector<float> columns, result;
    std::vector<const float*> rows;
};
Scratch& scratch() {
    thread_local Scratch buffers;
    return buffers;
}

// dst = activation(src + bias [+ identity]), as the unfused Conv, Add and Relu/Clip would, in
// one pass (the branches hoisted out of the loop, so the compiler vectorizes each form).
template <bool kIdentity>
void finish_as(const float* src, float bias, const float* identity, float lower, float upper, int64_t count,
               float* dst) {
    for (int64_t p = 0; p < count; ++p) {
        float v = src[p] + bias;
        if constexpr (kIdentity) v += identity[p];
        dst[p] = std::min(std::max(v, lower), upper);
    }
}

void finish(const float* src, float bias, const float* identity, const Activation& activation, int64_t count,
            float* dst) {
    // Without relu the clamp to [-inf, inf] changes nothing (NaN stays NaN: max/min return their
    // first operand when a comparison is false).
    const float lower = activation.relu ? 0.0f : -std::numeric_limits<float>::infinity();
    const float upper = activation.relu && activation.has_upper_bound() ? static_cast<float>(activation.upper_bound)
                                                                        : std::numeric_limits<float>::infinity();
    if (identity) {
        finish_as<true>(src, bias, identity, lower, upper, count, dst);
    } else {
        finish_as<false>(src, bias, identity, lower, upper, count, dst);
    }
}

struct ConvCall {
    const FloatTensor& x;
    const Node& node;
    const FloatTensor* identity;
    FloatTensor& out;
    Geometry g;
    SgemmPath path;
    int64_t m_panels, group_weights;
    std::vector<float> packed_weights;  // every group's rows as panels

    const float* weights(int64_t group) const { return packed_weights.data() + group * group_weights; }
    // Runs the GEMM of `group` over b_rows into scratch().result (ldc = n_panels * kPanelColumns).
    const float* gemm(int64_t group, const float* const* b_rows, int64_t n_panels) const {
        Scratch& buffers = scratch();
        buffers.result.resize(static_cast<size_t>(m_panels * kPanelRows * n_panels * kPanelColumns));
        sgemm(path, weights(group), b_rows, m_panels, n_panels, g.rows, buffers.result.data(), n_panels * kPanelColumns);
        return buffers.result.data();
    }
    // Output channel `channel` of image n from `pixels` pixels of result row `result_row` onwards.
    void store(const float* result_row, int64_t n, int64_t channel, int64_t pixel, int64_t count) const {
        const int64_t offset = (n * out.dim(1) + channel) * g.pixels + pixel;
        finish(result_row, node.bias.empty() ? 0.0f : node.bias.data[channel],
               identity ? identity->data.data() + offset : nullptr, node.activation, count, out.data.data() + offset);
    }
};

void conv_unit_stride(const ConvCall& call) {
    const ConvAttributes& a = call.node.conv;
    const Geometry& g = call.g;
    const int64_t batch = call.x.dim(0);
    const int64_t padded_h = g.height + a.pad_top + a.pad_bottom, padded_w = g.width + a.pad_left + a.pad_right;
    const int64_t plane = padded_h * padded_w;
    const int64_t rows_per_task = std::clamp<int64_t>(kTargetColumns / padded_w, 1, g.out_height);
    const int64_t tasks_per_image = (g.out_height + rows_per_task - 1) / rows_per_task;
    // The last task's last 16-column tile reads up to 15 floats past the last plane.
    const int64_t image_floats = g.channels * plane + kPanelColumns;
    std::vector<float> padded(static_cast<size_t>(batch * image_floats), 0.0f);
    ThreadPool& pool = shared_thread_pool();
    pool.parallel_for(batch, [&](int64_t n) {
        for (int64_t c = 0; c < g.channels; ++c) {
            const float* src = call.x.data.data() + (n * g.channels + c) * g.height * g.width;
            float* dst = padded.data() + n * image_floats + c * plane + a.pad_top * padded_w + a.pad_left;
            for (int64_t y = 0; y < g.height; ++y) std::copy(src + y * g.width, src + (y + 1) * g.width, dst + y * padded_w);
        }
    });
    pool.parallel_for(batch * a.groups * tasks_per_image, [&](int64_t task) {
        const int64_t n = task / (a.groups * tasks_per_image), group = task / tasks_per_image % a.groups;
        const int64_t y0 = task % tasks_per_image * rows_per_task;
        const int64_t y1 = std::min(g.out_height, y0 + rows_per_task);
        const int64_t columns = (y1 - y0 - 1) * padded_w + g.out_width;
        const int64_t n_panels = panels(columns, kPanelColumns);
        std::vector<const float*>& b_rows = scratch().rows;
        b_rows.resize(static_cast<size_t>(g.rows));
        const float* image = padded.data() + n * image_floats + (group * g.group_in) * plane + y0 * padded_w;
        for (int64_t c = 0; c < g.group_in; ++c)
            for (int64_t ky = 0; ky < a.kernel_h; ++ky)
                for (int64_t kx = 0; kx < a.kernel_w; ++kx)
                    b_rows[static_cast<size_t>((c * a.kernel_h + ky) * a.kernel_w + kx)] =
                        image + c * plane + ky * a.dilation_h * padded_w + kx * a.dilation_w;
        const float* result = call.gemm(group, b_rows.data(), n_panels);
        const int64_t ldc = n_panels * kPanelColumns;
        for (int64_t o = 0; o < g.group_out; ++o)
            for (int64_t y = y0; y < y1; ++y)
                call.store(result + o * ldc + (y - y0) * padded_w, n, group * g.group_out + o, y * g.out_width,
                           g.out_width);
    });
}

// Writes image `image`'s group `group` columns into the row-major im2col buffer (leading
// dimension ld) at columns [column0, column0 + pixels).
void im2col(const float* image, const ConvAttributes& a, const Geometry& g, int64_t group, float* col, int64_t ld,
            int64_t column0) {
    for (int64_t c = 0; c < g.group_in; ++c) {
        const float* plane = image + (group * g.group_in + c) * g.height * g.width;
        for (int ky = 0; ky < a.kernel_h; ++ky)
            for (int kx = 0; kx < a.kernel_w; ++kx) {
                const int64_t row = (c * a.kernel_h + ky) * a.kernel_w + kx;
                float* dst = col + row * ld + column0;
                for (int64_t oy = 0; oy < g.out_height; ++oy, dst += g.out_width) {
                    const int64_t iy = oy * a.stride_h - a.pad_top + int64_t{ky} * a.dilation_h;
                    if (iy < 0 || iy >= g.height) {
                        std::fill(dst, dst + g.out_width, 0.0f);
                        continue;
                    }
                    const float* src = plane + iy * g.width;
                    const int64_t x0 = int64_t{kx} * a.dilation_w - a.pad_left;
                    for (int64_t ox = 0; ox < g.out_width; ++ox) {
                        const int64_t ix = x0 + ox * a.stride_w;
                        dst[ox] = (ix >= 0 && ix < g.width) ? src[ix] : 0.0f;
                    }
                }
            }
    }
}

void conv_strided(const ConvCall& call) {
    const ConvAttributes& a = call.node.conv;
    const Geometry& g = call.g;
    const int64_t batch = call.x.dim(0);
    int64_t chunk = std::max<int64_t>(1, (kTargetColumns + g.pixels - 1) / g.pixels);
    chunk = std::min(chunk, std::max<int64_t>(1, kMaxColumnBufferFloats / std::max<int64_t>(1, g.rows * g.pixels)));
    chunk = std::min(chunk, batch);
    const int64_t chunks = (batch + chunk - 1) / chunk;
    shared_thread_pool().parallel_for(chunks, [&](int64_t chunk_index) {
        const int64_t first = chunk_index * chunk;
        const int64_t images = std::min(chunk, batch - first);
        const int64_t n_panels = panels(images * g.pixels, kPanelColumns);
        // One tile more than the columns: rows a multiple of 4 KiB apart would share cache sets.
        const int64_t ld = (n_panels + 1) * kPanelColumns;
        Scratch& buffers = scratch();
        buffers.columns.resize(static_cast<size_t>(g.rows * ld));
        buffers.rows.resize(static_cast<size_t>(g.rows));
        for (int64_t row = 0; row < g.rows; ++row) buffers.rows[static_cast<size_t>(row)] = buffers.columns.data() + row * ld;
        for (int64_t group = 0; group < a.groups; ++group) {
            for (int64_t i = 0; i < images; ++i)
                im2col(call.x.data.data() + (first + i) * g.channels * g.height * g.width, a, g, group,
                       buffers.columns.data(), ld, i * g.pixels);
            const float* result = call.gemm(group, buffers.rows.data(), n_panels);
            for (int64_t i = 0; i < images; ++i)
                for (int64_t o = 0; o < g.group_out; ++o)
                    call.store(result + o * n_panels * kPanelColumns + i * g.pixels, first + i, group * g.group_out + o,
                               0, g.pixels);
        }
    });
}

}  // namespace

void conv2d(const FloatTensor& x, const Node& node, const FloatTensor* identity, FloatTensor& out) {
    static const SgemmPath path = best_sgemm_path();
    const ConvAttributes& a = node.conv;
    ConvCall call{x, node, identity, out, {}, path, 0, 0, {}};
    Geometry& g = call.g;
    g.channels = x.dim(1);
    g.height = x.dim(2);
    g.width = x.dim(3);
    g.out_height = out.dim(2);
    g.out_width = out.dim(3);
    g.group_in = g.channels / a.groups;
    g.group_out = out.dim(1) / a.groups;
    g.rows = g.group_in * a.kernel_h * a.kernel_w;
    g.pixels = g.out_height * g.out_width;
    if (g.pixels == 0 || x.dim(0) == 0) return;

    call.m_panels = panels(g.group_out, kPanelRows);
    call.group_weights = call.m_panels * kPanelRows * g.rows;
    call.packed_weights.resize(static_cast<size_t>(a.groups * call.group_weights));
    for (int64_t group = 0; group < a.groups; ++group)
        pack_panel_rows(node.weight.data.data() + group * g.group_out * g.rows, g.rows, g.group_out, g.rows,
                        call.packed_weights.data() + group * call.group_weights);
    if (a.stride_h == 1 && a.stride_w == 1) {
        conv_unit_stride(call);
    } else {
        conv_strided(call);
    }
}

}  // namespace dyadic::ir::kernels
