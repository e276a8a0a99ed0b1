#include <algorithm>
#include <limits>

#include "graph/ir/kernels/float_ops.h"
#include "util/thread_pool.h"

namespace dyadic::ir::kernels {
namespace {

// Runs plane_range(first, last) over [0, planes) in chunks on the shared pool; each plane is
// computed by one task alone, so results do not depend on the threads.
template <typename PlaneRange>
void for_plane_chunks(int64_t planes, const PlaneRange& plane_range) {
    constexpr int64_t kPlanesPerTask = 64;
    const int64_t tasks = (planes + kPlanesPerTask - 1) / kPlanesPerTask;
    shared_thread_pool().parallel_for(tasks, [&](int64_t task) {
        plane_range(task * kPlanesPerTask, std::min(planes, (task + 1) * kPlanesPerTask));
    });
}

// Sets every output position to reduce(...) of its window; `reduce` sees the
// in-image part [y0, y1) x [x0, x1) of the window (padding is never read).
template <typename Reduce>
void for_each_window(const FloatTensor& x, const PoolAttributes& a, FloatTensor& out, Reduce reduce) {
    const int64_t planes = x.dim(0) * x.dim(1), height = x.dim(2), width = x.dim(3);
    const int64_t out_height = out.dim(2), out_width = out.dim(3);
    for_plane_chunks(planes, [&](int64_t first, int64_t last) {
        for (int64_t plane = first; plane < last; ++plane) {
            const float* src = x.data.data() + plane * height * width;
            float* dst = out.data.data() + plane * out_height * out_width;
            for (int64_t oy = 0; oy < out_height; ++oy) {
                const int64_t top = oy * a.stride_h - a.pad_top;
                const int64_t y0 = std::max<int64_t>(top, 0), y1 = std::min<int64_t>(top + a.kernel_h, height);
                for (int64_t ox = 0; ox < out_width; ++ox) {
                    const int64_t left = ox * a.stride_w - a.pad_left;
                    const int64_t x0 = std::max<int64_t>(left, 0), x1 = std::min<int64_t>(left + a.kernel_w, width);
                    dst[oy * out_width + ox] = reduce(src, width, y0, y1, x0, x1);
                }
            }
        }
    });
}

}  // namespace

void max_pool(const FloatTensor& x, const PoolAttributes& attrs, FloatTensor& out) {
    for_each_window(x, attrs, out, [](const float* src, int64_t width, int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t y = y0; y < y1; ++y)
            for (int64_t xx = x0; xx < x1; ++xx) best = std::max(best, src[y * width + xx]);
        return best;
    });
}

void average_pool(const FloatTensor& x, const PoolAttributes& attrs, FloatTensor& out) {
    const double full = static_cast<double>(attrs.kernel_h) * attrs.kernel_w;
    for_each_window(x, attrs, out, [&](const float* src, int64_t width, int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
        double sum = 0.0;
        for (int64_t y = y0; y < y1; ++y)
            for (int64_t xx = x0; xx < x1; ++xx) sum += src[y * width + xx];
        const double count = attrs.count_include_pad ? full : double((y1 - y0) * (x1 - x0));
        return static_cast<float>(sum / count);
    });
}

void global_average_pool(const FloatTensor& x, FloatTensor& out) {
    const int64_t planes = x.dim(0) * x.dim(1), area = x.dim(2) * x.dim(3);
    for_plane_chunks(planes, [&](int64_t first, int64_t last) {
        for (int64_t plane = first; plane < last; ++plane) {
            double sum = 0.0;
            for (int64_t i = 0; i < area; ++i) sum += x.data[plane * area + i];
            out.data[plane] = static_cast<float>(sum / double(area));
        }
    });
}

}  // namespace dyadic::ir::kernels
