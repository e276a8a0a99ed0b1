#pragma once
// Max, average and global average pooling on NHWC tensors, one output element per call
// (docs/semantics.md section 9): padded positions are never read, an average is one exact sum
// and one dyadic rescale by the multiplier of its element count. The CUDA kernels run one thread
// per output element; the host emulation loops over the same function.
#include <cstdint>

#include "gpu/element_storage.h"
#include "gpu/epilogue.h"
#include "gpu/host_device.h"

namespace dyadic::gpu {

struct PoolArgs {
    int64_t batch = 1, channels = 1, in_h = 1, in_w = 1, out_h = 1, out_w = 1;
    int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
    const uint32_t* input = nullptr;
    StorageFormat input_format;
    uint32_t* output = nullptr;  // zeroed first when output_format.bits == 4
    StorageFormat output_format;
    // Average pooling: multiplier of a window of k elements at [k - 1]; count_include_pad uses the
    // full kernel's. Global average pooling: one multiplier at [0].
    const int32_t* mantissa_by_count = nullptr;
    const int32_t* shift_by_count = nullptr;
    bool count_include_pad = false;
    int32_t lo = 0, hi = 0;

    DYADIC_HD int64_t output_count() const { return batch * out_h * out_w * channels; }
};

// The in-image rows [row_begin, row_end) and columns of output (oy, ox)'s window.
struct PoolWindowBounds {
    int64_t row_begin, row_end, col_begin, col_end;
};
DYADIC_HD PoolWindowBounds window_bounds(const PoolArgs& a, int64_t oy, int64_t ox) {
    const int64_t r0 = oy * a.stride_h - a.pad_top, s0 = ox * a.stride_w - a.pad_left;
    const int64_t r1 = r0 + a.kernel_h, s1 = s0 + a.kernel_w;
    return {r0 < 0 ? 0 : r0, r1 > a.in_h ? a.in_h : r1, s0 < 0 ? 0 : s0, s1 > a.in_w ? a.in_w : s1};
}

// Output element `e` (NHWC order): its window and the input index of each in-image element.
struct PoolPosition {
    int64_t n, oy, ox, c;
};
DYADIC_HD PoolPosition pool_position(const PoolArgs& a, int64_t e) {
    const int64_t c = e % a.channels;
    const int64_t pixel = e / a.channels;
    return {pixel / (a.out_h * a.out_w), (pixel / a.out_w) % a.out_h, pixel % a.out_w, c};
}
DYADIC_HD int64_t pool_input_index(const PoolArgs& a, const PoolPosition& p, int64_t row, int64_t col) {
    return ((p.n * a.in_h + row) * a.in_w + col) * a.channels + p.c;
}

DYADIC_HD void max_pool_element(const PoolArgs& a, int64_t e) {
    const PoolPosition p = pool_position(a, e);
    const PoolWindowBounds w = window_bounds(a, p.oy, p.ox);
    int32_t best = load_element(a.input, pool_input_index(a, p, w.row_begin, w.col_begin), a.input_format);
    for (int64_t r = w.row_begin; r < w.row_end; ++r) {
        for (int64_t s = w.col_begin; s < w.col_end; ++s) {
            const int32_t v = load_element(a.input, pool_input_index(a, p, r, s), a.input_format);
            best = v > best ? v : best;
        }
    }
    store_element(a.output, e, a.output_format, best);
}

DYADIC_HD void average_pool_element(const PoolArgs& a, int64_t e) {
    const PoolPosition p = pool_position(a, e);
    const PoolWindowBounds w = window_bounds(a, p.oy, p.ox);
    int64_t sum = 0;
    for (int64_t r = w.row_begin; r < w.row_end; ++r) {
        for (int64_t s = w.col_begin; s < w.col_end; ++s) sum += load_element(a.input, pool_input_index(a, p, r, s), a.input_format);
    }
    const int64_t count =
        a.count_include_pad ? a.kernel_h * a.kernel_w : (w.row_end - w.row_begin) * (w.col_end - w.col_begin);
    const int64_t v = dyadic_scale(sum, a.mantissa_by_count[count - 1], a.shift_by_count[count - 1]);
    store_element(a.output, e, a.output_format, static_cast<int32_t>(clamp64(v, a.lo, a.hi)));
}

// Output element e = n * channels + c of [N, 1, 1, C].
DYADIC_HD void global_average_pool_element(const PoolArgs& a, int64_t e) {
    const int64_t n = e / a.channels, c = e % a.channels;
    int64_t sum = 0;
    for (int64_t i = 0; i < a.in_h * a.in_w; ++i) sum += load_element(a.input, (n * a.in_h * a.in_w + i) * a.channels + c, a.input_format);
    const int64_t v = dyadic_scale(sum, a.mantissa_by_count[0], a.shift_by_count[0]);
    store_element(a.output, e, a.output_format, static_cast<int32_t>(clamp64(v, a.lo, a.hi)));
}

}  // namespace dyadic::gpu
