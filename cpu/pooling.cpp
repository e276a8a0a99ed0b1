#include "cpu/pooling.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>
#include <vector>

#include "cpu/epilogue.h"
#include "cpu/isa.h"
#include "cpu/operand_check.h"
#include "reference/ops/op_checks.h"

namespace dyadic::cpu {
namespace {

bool fits_int32(int64_t v) {
    return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

// Calls plane(index of the (n, c) plane) for every plane, on the pool.
template <typename Plane>
void for_each_plane(const Shape& out_shape, const Runtime& runtime, const Plane& plane) {
    runtime.pool->parallel_for(out_shape[0] * out_shape[1], plane);
}

// The in-image window of every output position, the same for every plane: computed once per call.
std::vector<PoolWindow> plane_windows(const Pool2dParams& p, int64_t out_h, int64_t out_w, int64_t in_h, int64_t in_w) {
    std::vector<PoolWindow> windows;
    windows.reserve(static_cast<size_t>(out_h * out_w));
    for (int64_t y = 0; y < out_h; ++y) {
        for (int64_t x = 0; x < out_w; ++x) windows.push_back(pool_window(p, y, x, in_h, in_w));
    }
    return windows;
}

// One plane of max_pool2d, separable: the maximum over each window's rows first (one pass along
// whole input rows, which the compiler vectorises), then over the window's columns of that row
// maximum. Returns the range of the elements it read (whole input rows), the operand check taken
// in the same pass. Inlined into a default and an AVX2 copy.
__attribute__((always_inline)) inline ValueRange max_pool_plane(const int32_t* in, int64_t in_w, int64_t out_h,
                                                                int64_t out_w, const PoolWindow* windows,
                                                                int32_t* row_max, int32_t* dst) {
    int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
    for (int64_t y = 0; y < out_h; ++y) {
        const PoolWindow& first = windows[y * out_w];
        const int32_t* top = in + first.row_begin * in_w;
        for (int64_t s = 0; s < in_w; ++s) {
            const int32_t v = top[s];
            row_max[s] = v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        for (int64_t r = first.row_begin + 1; r < first.row_end; ++r) {
            const int32_t* row = in + r * in_w;
            for (int64_t s = 0; s < in_w; ++s) {
                const int32_t v = row[s];
                row_max[s] = v > row_max[s] ? v : row_max[s];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        }
        for (int64_t x = 0; x < out_w; ++x) {
            const PoolWindow& w = windows[y * out_w + x];
            int32_t best = row_max[w.col_begin];
            for (int64_t s = w.col_begin + 1; s < w.col_end; ++s) best = row_max[s] > best ? row_max[s] : best;
            dst[y * out_w + x] = best;
        }
    }
    return ValueRange{lo, hi};
}
ValueRange max_pool_plane_default(const int32_t* in, int64_t in_w, int64_t out_h, int64_t out_w,
                                  const PoolWindow* windows, int32_t* row_max, int32_t* dst) {
    return max_pool_plane(in, in_w, out_h, out_w, windows, row_max, dst);
}
__attribute__((target("avx2"))) ValueRange max_pool_plane_avx2(const int32_t* in, int64_t in_w, int64_t out_h,
                                                               int64_t out_w, const PoolWindow* windows,
                                                               int32_t* row_max, int32_t* dst) {
    return max_pool_plane(in, in_w, out_h, out_w, windows, row_max, dst);
}

// max(v[2i], v[2i+1]) for i < 8, v = a then b.
__attribute__((target("avx2"))) __m256i max_of_pairs(__m256i a, __m256i b) {
    const __m256 af = _mm256_castsi256_ps(a), bf = _mm256_castsi256_ps(b);
    const __m256i even = _mm256_castps_si256(_mm256_shuffle_ps(af, bf, 0x88));  // lanes 0 2 (a) 0 2 (b), per half
    const __m256i odd = _mm256_castps_si256(_mm256_shuffle_ps(af, bf, 0xdd));
    return _mm256_permute4x64_epi64(_mm256_max_epi32(even, odd), 0xd8);  // halves back in order
}

// One plane of the common 2x2, stride 2, unpadded max pool over an image of even sides (every
// element read once): two input rows at a time, the vertical maximum, then the maximum of
// adjacent pairs (shuffle_ps takes the even and the odd lanes; exact, it moves bits only).
// Returns the range of the plane, as max_pool_plane does.
__attribute__((target("avx2"))) ValueRange max_pool_2x2_plane_avx2(const int32_t* in, int64_t in_w, int64_t out_h,
                                                                   int64_t out_w, int32_t* dst) {
    __m256i lo = _mm256_set1_epi32(std::numeric_limits<int32_t>::max());
    __m256i hi = _mm256_set1_epi32(std::numeric_limits<int32_t>::min());
    __m128i lo4 = _mm256_castsi256_si128(lo), hi4 = _mm256_castsi256_si128(hi);
    int32_t lo1 = std::numeric_limits<int32_t>::max(), hi1 = std::numeric_limits<int32_t>::min();
    for (int64_t y = 0; y < out_h; ++y) {
        const int32_t* r0 = in + 2 * y * in_w;
        const int32_t* r1 = r0 + in_w;
        int32_t* out = dst + y * out_w;
        int64_t x = 0;
        for (; x + 8 <= out_w; x += 8) {
            const __m256i a0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r0 + 2 * x));
            const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r0 + 2 * x + 8));
            const __m256i a1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r1 + 2 * x));
            const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r1 + 2 * x + 8));
            const __m256i a = _mm256_max_epi32(a0, a1), b = _mm256_max_epi32(b0, b1);
            lo = _mm256_min_epi32(lo, _mm256_min_epi32(_mm256_min_epi32(a0, a1), _mm256_min_epi32(b0, b1)));
            hi = _mm256_max_epi32(hi, _mm256_max_epi32(a, b));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + x), max_of_pairs(a, b));
        }
        for (; x + 4 <= out_w; x += 4) {
            const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + 2 * x));
            const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + 2 * x + 4));
            const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + 2 * x));
            const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + 2 * x + 4));
            const __m128i a = _mm_max_epi32(a0, a1), b = _mm_max_epi32(b0, b1);
            lo4 = _mm_min_epi32(lo4, _mm_min_epi32(_mm_min_epi32(a0, a1), _mm_min_epi32(b0, b1)));
            hi4 = _mm_max_epi32(hi4, _mm_max_epi32(a, b));
            const __m128 af = _mm_castsi128_ps(a), bf = _mm_castsi128_ps(b);
            const __m128i m = _mm_max_epi32(_mm_castps_si128(_mm_shuffle_ps(af, bf, 0x88)),
                                            _mm_castps_si128(_mm_shuffle_ps(af, bf, 0xdd)));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + x), m);
        }
        for (; x < out_w; ++x) {
            int32_t best = r0[2 * x];
            for (const int32_t v : {r0[2 * x + 1], r1[2 * x], r1[2 * x + 1]}) best = v > best ? v : best;
            for (const int32_t v : {r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1]}) {
                lo1 = v < lo1 ? v : lo1;
                hi1 = v > hi1 ? v : hi1;
            }
            out[x] = best;
        }
    }
    alignas(32) int32_t lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), _mm256_min_epi32(lo, _mm256_castsi128_si256(lo4)));
    for (int i = 0; i < 4; ++i) lo1 = lanes[i] < lo1 ? lanes[i] : lo1;
    for (int i = 4; i < 8; ++i) lo1 = lanes[i] < lo1 ? lanes[i] : lo1;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), _mm256_max_epi32(hi, _mm256_castsi128_si256(hi4)));
    for (int i = 0; i < 8; ++i) hi1 = lanes[i] > hi1 ? lanes[i] : hi1;
    return ValueRange{lo1, hi1};
}

}  // namespace

Tensor max_pool2d(const Tensor& input, const Pool2dParams& p, const Runtime& runtime) {
    Shape out_shape;
    const auto reference = [&] {
        runtime.report("reference (operands refused)");
        return dyadic::max_pool2d(input, p);
    };
    if (!valid_layout(input) || !passes([&] { out_shape = pool2d_output_shape(input.shape, p, "max_pool2d"); })) {
        return reference();
    }
    const int64_t in_h = input.shape[2], in_w = input.shape[3], out_h = out_shape[2], out_w = out_shape[3];
    const std::vector<PoolWindow> windows = plane_windows(p, out_h, out_w, in_h, in_w);
    // The planes' row passes read every input element when the windows' rows cover the image;
    // otherwise (a stride above the kernel) the input is checked in a pass of its own.
    std::vector<bool> row_read(static_cast<size_t>(in_h), false);
    for (int64_t y = 0; y < out_h; ++y) {
        const PoolWindow& w = windows[static_cast<size_t>(y * out_w)];
        for (int64_t r = w.row_begin; r < w.row_end; ++r) row_read[static_cast<size_t>(r)] = true;
    }
    const bool reads_all = std::find(row_read.begin(), row_read.end(), false) == row_read.end();
    if (!reads_all && !value_range(input).fits(input.type)) return reference();

    // Uninitialized: every plane writes all its elements, or the reference answers.
    Tensor out(out_shape, input.type, Tensor::uninitialized);
    out.scales = input.scales;
    static const bool avx2 = isa_supported(Isa::kAvx2);
    const auto plane_fn = avx2 && runtime.isa != Isa::kScalar ? max_pool_plane_avx2 : max_pool_plane_default;
    std::vector<ValueRange> ranges(static_cast<size_t>(out_shape[0] * out_shape[1]));
    const bool two_by_two = avx2 && runtime.isa != Isa::kScalar && p.kernel_h == 2 && p.kernel_w == 2 &&
                            p.stride_h == 2 && p.stride_w == 2 && p.pad_top == 0 && p.pad_left == 0 &&
                            p.pad_bottom == 0 && p.pad_right == 0 && in_h % 2 == 0 && in_w % 2 == 0;
    for_each_plane(out_shape, runtime, [&](int64_t plane) {
        if (two_by_two) {
            ranges[static_cast<size_t>(plane)] = max_pool_2x2_plane_avx2(
                input.data.data() + plane * in_h * in_w, in_w, out_h, out_w, out.data.data() + plane * out_h * out_w);
            return;
        }
        std::vector<int32_t> row_max(static_cast<size_t>(in_w));
        ranges[static_cast<size_t>(plane)] = plane_fn(input.data.data() + plane * in_h * in_w, in_w, out_h, out_w,
                                                      windows.data(), row_max.data(),
                                                      out.data.data() + plane * out_h * out_w);
    });
    ValueRange range;
    for (const ValueRange& r : ranges) range.add(r);
    if (!range.fits(input.type)) return reference();
    runtime.report("cpu pooling");
    return out;
}

Tensor average_pool2d(const Tensor& input, const Pool2dParams& p, const AveragePoolStage& stage,
                      const Runtime& runtime) {
    Shape out_shape;
    const int64_t window = int64_t{p.kernel_h} * p.kernel_w;
    const bool ok = valid_operand(input) && passes([&] {
        out_shape = pool2d_output_shape(input.shape, p, "average_pool2d");
        require(static_cast<int64_t>(stage.multiplier_by_count.size()) == window, "count");
        for (const Dyadic& m : stage.multiplier_by_count) require_well_formed(m, "multiplier");
        require_output_type(stage.output_type, "average_pool2d");
    });
    const auto reference = [&] {
        runtime.report("reference (operands refused or a window sum leaves int32)");
        return dyadic::average_pool2d(input, p, stage);
    };
    if (!ok) return reference();
    std::vector<ScaleStep> steps;
    for (const Dyadic& m : stage.multiplier_by_count) steps.emplace_back(m);
    const ClampRange range = clamp_range(stage.output_type, false);
    // Uninitialized: every plane writes all its elements, or the reference answers.
    Tensor out(out_shape, stage.output_type, Tensor::uninitialized);
    const int64_t in_h = input.shape[2], in_w = input.shape[3], out_h = out_shape[2], out_w = out_shape[3];
    const std::vector<PoolWindow> windows = plane_windows(p, out_h, out_w, in_h, in_w);
    std::atomic<bool> overflow{false};
    for_each_plane(out_shape, runtime, [&](int64_t plane) {
        const int32_t* in = input.data.data() + plane * in_h * in_w;
        int32_t* dst = out.data.data() + plane * out_h * out_w;
        for (int64_t y = 0; y < out_h; ++y) {
            for (int64_t x = 0; x < out_w; ++x) {
                const PoolWindow& w = windows[static_cast<size_t>(y * out_w + x)];
                int64_t sum = 0;
                for (int64_t r = w.row_begin; r < w.row_end; ++r) {
                    for (int64_t s = w.col_begin; s < w.col_end; ++s) sum += in[r * in_w + s];
                }
                if (!fits_int32(sum)) {
                    overflow = true;
                    return;
                }
                const int64_t count = stage.count_include_pad ? window : w.count();
                dst[y * out_w + x] = clamp_to(steps[static_cast<size_t>(count - 1)].apply(static_cast<int32_t>(sum)), range);
            }
        }
    });
    if (overflow) return reference();
    runtime.report("cpu pooling");
    return out;
}

Tensor global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type, const Runtime& runtime) {
    const bool ok = valid_layout(input) && input.shape.size() == 4 && input.shape[2] >= 1 && input.shape[3] >= 1 &&
                    passes([&] {
                        require_well_formed(multiplier, "multiplier");
                        require_output_type(output_type, "global_average_pool");
                    });
    const auto reference = [&] {
        runtime.report("reference (operands refused or a sum leaves int32)");
        return dyadic::global_average_pool(input, multiplier, output_type);
    };
    if (!ok) return reference();
    const ScaleStep step(multiplier);
    const ClampRange range = clamp_range(output_type, false);
    const int64_t plane_size = input.shape[2] * input.shape[3];
    // Uninitialized: one element per plane, each written, or the reference answers.
    Tensor out({input.shape[0], input.shape[1], 1, 1}, output_type, Tensor::uninitialized);
    std::atomic<bool> overflow{false};
    // The input's elements are checked in the pass that sums them.
    std::vector<ValueRange> read(static_cast<size_t>(input.shape[0] * input.shape[1]));
    for_each_plane(input.shape, runtime, [&](int64_t plane) {
        const int32_t* in = input.data.data() + plane * plane_size;
        int64_t sum = 0;
        int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
        for (int64_t j = 0; j < plane_size; ++j) {
            sum += in[j];
            lo = std::min(lo, in[j]);
            hi = std::max(hi, in[j]);
        }
        read[static_cast<size_t>(plane)] = ValueRange{lo, hi};
        if (!fits_int32(sum)) {
            overflow = true;
            return;
        }
        out.data[static_cast<size_t>(plane)] = clamp_to(step.apply(static_cast<int32_t>(sum)), range);
    });
    ValueRange input_range;
    for (const ValueRange& r : read) input_range.add(r);
    if (overflow || !input_range.fits(input.type)) return reference();
    runtime.report("cpu pooling");
    return out;
}

}  // namespace dyadic::cpu
