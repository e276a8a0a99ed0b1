#include "cpu/epilogue.h"

#include <immintrin.h>

#include "cpu/isa.h"

namespace dyadic::cpu {
namespace {

int32_t wrap_add(int32_t a, int32_t b) {
    return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// ScaleStep::apply on 8 int32 lanes, exactly: vpmuldq forms the int64 products v * b of the even
// and the odd lanes (|v * b| < 2^62); adding R + 2^62 makes each sum non-negative and below 2^64,
// so a logical shift by c gives floor((v * b + R) / 2^c) + 2^(62 - c) (2^c divides 2^62, c <= 62),
// from which 2^(62 - c) is subtracted. AVX2 has no 64-bit arithmetic shift; this needs none.
struct Scale8 {
    __m256i mantissa, bias, shift, unbias;
    __attribute__((target("avx2"))) explicit Scale8(const ScaleStep& s)
        : mantissa(_mm256_set1_epi64x(s.mantissa)),
          bias(_mm256_set1_epi64x(s.rounding + (int64_t{1} << 62))),
          shift(_mm256_set1_epi64x(s.shift)),
          unbias(_mm256_set1_epi64x(int64_t{1} << (62 - s.shift))) {}
    // Results of lanes 0, 2, 4, 6 (even) and 1, 3, 5, 7 (odd) as int64.
    __attribute__((target("avx2"))) void apply(__m256i v, __m256i& even, __m256i& odd) const {
        even = _mm256_sub_epi64(_mm256_srlv_epi64(_mm256_add_epi64(_mm256_mul_epi32(v, mantissa), bias), shift), unbias);
        odd = _mm256_sub_epi64(
            _mm256_srlv_epi64(_mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(v, 32), mantissa), bias), shift),
            unbias);
    }
};

// clamp(int64 lanes, lo, hi) for even and odd halves, packed back into 8 int32 lanes.
__attribute__((target("avx2"))) __m256i clamp_pack(__m256i even, __m256i odd, __m256i lo, __m256i hi) {
    even = _mm256_blendv_epi8(even, lo, _mm256_cmpgt_epi64(lo, even));
    even = _mm256_blendv_epi8(even, hi, _mm256_cmpgt_epi64(even, hi));
    odd = _mm256_blendv_epi8(odd, lo, _mm256_cmpgt_epi64(lo, odd));
    odd = _mm256_blendv_epi8(odd, hi, _mm256_cmpgt_epi64(odd, hi));
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xaa);
}

// The range of the lanes of a running minimum and maximum.
__attribute__((target("avx2"))) ValueRange fold(__m256i lo, __m256i hi) {
    alignas(32) int32_t lanes[8];
    ValueRange range;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), lo);
    for (const int32_t v : lanes) range.lo = v < range.lo ? v : range.lo;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), hi);
    for (const int32_t v : lanes) range.hi = v > range.hi ? v : range.hi;
    return range;
}

// ScaleStep::apply and the clamp on 8 lanes, and (kTrackRange) the range of the values read
// before the offset: the operand check of a rescale, taken in the pass that reads the operand.
//
// When 0 <= b <= 2^c (every multiplier that does not scale up; a Dyadic's b is positive, and the
// lower bound is checked too, since a negative b would break the argument at v = -2^31), each
// result lies between 0 and its input v, so in int32: for v >= 0, v * b / 2^c <= v, so
// floor(v * b / 2^c + 1/2) <= v (and >= 0); symmetrically for v < 0 (for c = 0, b <= 1 and R = 0). Then the low halves of the int64
// results are the results, and the clamp runs on 8 int32 lanes instead of two sets of 4 int64.
template <bool kTrackRange>
struct Requantize8 {
    Scale8 scale;
    bool narrow;
    __m256i off, lo, hi, lo32, hi32, read_lo, read_hi;

    __attribute__((target("avx2"))) Requantize8(const ScaleStep& step, int32_t offset, const ClampRange& range)
        : scale(step),
          narrow(step.mantissa >= 0 && step.mantissa <= (int64_t{1} << step.shift)),
          off(_mm256_set1_epi32(offset)),
          lo(_mm256_set1_epi64x(range.lo)),
          hi(_mm256_set1_epi64x(range.hi)),
          lo32(_mm256_set1_epi32(static_cast<int32_t>(std::max<int64_t>(range.lo, INT32_MIN)))),
          hi32(_mm256_set1_epi32(static_cast<int32_t>(std::min<int64_t>(range.hi, INT32_MAX)))),
          read_lo(_mm256_set1_epi32(INT32_MAX)),
          read_hi(_mm256_set1_epi32(INT32_MIN)) {}

    __attribute__((target("avx2"))) __m256i apply(__m256i raw) {
        if (kTrackRange) {
            read_lo = _mm256_min_epi32(read_lo, raw);
            read_hi = _mm256_max_epi32(read_hi, raw);
        }
        __m256i even, odd;
        scale.apply(_mm256_add_epi32(raw, off), even, odd);
        if (!narrow) return clamp_pack(even, odd, lo, hi);
        const __m256i packed = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xaa);
        return _mm256_min_epi32(_mm256_max_epi32(packed, lo32), hi32);
    }
};

// Whole vectors only: returns how many elements it did. (A masked tail with vpmaskmovd measured
// slower than the scalar one on the AMD EPYC of bench/cpu/README.md, whose masked stores are slow.)
template <bool kTrackRange>
__attribute__((target("avx2"))) int64_t requantize_avx2(const int32_t* acc, int32_t offset, int64_t count,
                                                         const ScaleStep& step, const ClampRange& range, int32_t* out,
                                                         ValueRange& read) {
    Requantize8<kTrackRange> r(step, offset, range);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), r.apply(raw));
    }
    if (kTrackRange) read = fold(r.read_lo, r.read_hi);
    return i;
}

// Also the identity's range in `id_read`.
__attribute__((target("avx2"))) int64_t residual_avx2(const int32_t* acc, int32_t offset, const int32_t* identity,
                                                       int64_t count, const ScaleStep& step, const ScaleStep& id_step,
                                                       const ClampRange& range, int32_t* out, ValueRange& id_read) {
    const Scale8 scale(step), id_scale(id_step);
    const __m256i off = _mm256_set1_epi32(offset);
    const __m256i lo = _mm256_set1_epi64x(range.lo), hi = _mm256_set1_epi64x(range.hi);
    __m256i read_lo = _mm256_set1_epi32(id_read.lo), read_hi = _mm256_set1_epi32(id_read.hi);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i v = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i)), off);
        const __m256i id = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(identity + i));
        read_lo = _mm256_min_epi32(read_lo, id);
        read_hi = _mm256_max_epi32(read_hi, id);
        __m256i even, odd, id_even, id_odd;
        scale.apply(v, even, odd);
        id_scale.apply(id, id_even, id_odd);
        // Each term is below 2^62 in magnitude (docs/semantics.md, section 8): the sums fit int64.
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                            clamp_pack(_mm256_add_epi64(even, id_even), _mm256_add_epi64(odd, id_odd), lo, hi));
    }
    id_read = fold(read_lo, read_hi);
    return i;
}

bool use_avx2() {
    static const bool avx2 = isa_supported(Isa::kAvx2);
    return avx2;
}

}  // namespace

void requantize_run(const int32_t* acc, int32_t offset, int64_t count, const ScaleStep& step, const ClampRange& range,
                    int32_t* out, int64_t out_stride) {
    ValueRange unused;
    int64_t i = out_stride == 1 && use_avx2() ? requantize_avx2<false>(acc, offset, count, step, range, out, unused) : 0;
    for (; i < count; ++i) out[i * out_stride] = clamp_to(step.apply(wrap_add(acc[i], offset)), range);
}

ValueRange requantize_checked(const int32_t* in, int64_t count, const ScaleStep& step, const ClampRange& range,
                              int32_t* out) {
    ValueRange read;
    int64_t i = use_avx2() ? requantize_avx2<true>(in, 0, count, step, range, out, read) : 0;
    for (; i < count; ++i) {
        read.add(ValueRange{in[i], in[i]});
        out[i] = clamp_to(step.apply(in[i]), range);
    }
    return read;
}

ValueRange residual_run(const int32_t* acc, int32_t offset, const int32_t* identity, int64_t count,
                        const ScaleStep& step, const ScaleStep& id_step, const ClampRange& range, int32_t* out,
                        int64_t stride) {
    ValueRange id_read;
    int64_t i = stride == 1 && use_avx2()
                    ? residual_avx2(acc, offset, identity, count, step, id_step, range, out, id_read)
                    : 0;
    for (; i < count; ++i) {
        const int32_t id = identity[i * stride];
        id_read.add(ValueRange{id, id});
        out[i * stride] = clamp_to(step.apply(wrap_add(acc[i], offset)) + id_step.apply(id), range);
    }
    return id_read;
}

void ConcurrentRange::add(const ValueRange& range) {
    const std::lock_guard<std::mutex> lock(mutex_);
    range_.add(range);
}

ValueRange ConcurrentRange::get() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return range_;
}

Epilogue output_stage_epilogue(const OutputStage& stage, int64_t channels, const OutputLayout& layout, Tensor& out) {
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    return [steps = per_channel_steps(stage.multipliers, channels), range, layout, &out](const AccumulatorTile& t) {
        for (int64_t j = 0; j < t.channels; ++j) {
            requantize_run(t.acc + j * t.acc_stride, t.offset ? t.offset[j] : 0, t.count,
                           steps[static_cast<size_t>(t.o0 + j)], range,
                           out.data.data() + layout.index(t.image, t.o0 + j, t.p0), layout.pixel_stride);
        }
    };
}

Epilogue residual_epilogue(const ResidualAddStage& stage, int64_t channels, const OutputLayout& layout,
                           const Tensor& identity, Tensor& out, ConcurrentRange& identity_read) {
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    return [steps = per_channel_steps(stage.main_multipliers, channels), id_step = ScaleStep(stage.identity_multiplier),
            range, layout, &identity, &out, &identity_read](const AccumulatorTile& t) {
        ValueRange read;
        for (int64_t j = 0; j < t.channels; ++j) {
            const int64_t at = layout.index(t.image, t.o0 + j, t.p0);
            read.add(residual_run(t.acc + j * t.acc_stride, t.offset ? t.offset[j] : 0, identity.data.data() + at,
                                  t.count, steps[static_cast<size_t>(t.o0 + j)], id_step, range, out.data.data() + at,
                                  layout.pixel_stride));
        }
        identity_read.add(read);
    };
}

}  // namespace dyadic::cpu
