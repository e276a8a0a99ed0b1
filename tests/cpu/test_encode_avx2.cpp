// The AVX2 input transposes (cpu/encode_avx2.h) against a plain loop over the same planes: every
// element of a row, at every position class (8 x 8 vector blocks, the pixel tail, the first and
// last channel block), for int16 rows and for uint8 rows with and without the +128 offset, on
// elements across the operand type's whole range (its bounds included) and with the int32
// extremes planted, which the transposes meet before any check. Elements in range must be
// encoded exactly and the returned range must be the planes' true minimum and maximum; a range
// outside the type is what makes the engine hand the layer to the reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <vector>

#include "cpu/encode_avx2.h"
#include "cpu/gemm_operands.h"
#include "random_layers.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

struct Planes {
    std::vector<int32_t> data;
    int64_t channels, stride, pixels;
    int32_t at(int64_t c, int64_t p) const { return data[static_cast<size_t>(c * stride + p)]; }
};

// `channels` planes of `pixels` elements of `type`, `stride` apart (the padding between them
// holds the int32 extremes, which must not be read).
Planes random_planes(int64_t channels, int64_t pixels, const IntType& type, std::mt19937& rng) {
    const int64_t stride = pixels + 3;
    Planes planes{std::vector<int32_t>(static_cast<size_t>(channels * stride)), channels, stride, pixels};
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int64_t c = 0; c < channels; ++c) {
        for (int64_t p = 0; p < stride; ++p) {
            const bool gap = p >= pixels;
            planes.data[static_cast<size_t>(c * stride + p)] =
                gap ? (p % 2 ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max())
                    : static_cast<int32_t>(dist(rng));
        }
    }
    return planes;
}

cpu::ValueRange naive_range(const Planes& planes) {
    cpu::ValueRange range;
    for (int64_t c = 0; c < planes.channels; ++c) {
        for (int64_t p = 0; p < planes.pixels; ++p) range.add({planes.at(c, p), planes.at(c, p)});
    }
    return range;
}

// Runs the transpose to `Element` rows and checks its range, and every element that lies in
// `domain` (the type whose elements the encoding promises to keep), against the plain loop;
// `encode` is the element's encoding.
template <typename Element, typename Transpose, typename Encode>
void check_transpose(const Planes& planes, const IntType& domain, const Transpose& transpose, const Encode& encode) {
    // One guard row past the end, which the transpose must leave alone.
    std::vector<Element> rows(static_cast<size_t>((planes.pixels + 1) * planes.channels), Element{0x5a});
    const cpu::ValueRange range = transpose(planes, rows.data());
    const cpu::ValueRange true_range = naive_range(planes);
    CHECK(range.lo == true_range.lo);
    CHECK(range.hi == true_range.hi);
    // The expected rows: the encoding of every element in the domain; what the transpose wrote
    // for the others (unspecified) and the untouched guard row otherwise.
    std::vector<Element> want = rows;
    for (int64_t p = 0; p < planes.pixels; ++p) {
        for (int64_t c = 0; c < planes.channels; ++c) {
            const int32_t value = planes.at(c, p);
            if (domain.contains(value)) want[static_cast<size_t>(p * planes.channels + c)] = encode(value);
        }
    }
    std::fill(want.begin() + planes.pixels * planes.channels, want.end(), Element{0x5a});
    REQUIRE(rows == want);
}

}  // namespace

TEST_CASE("cpu AVX2 input transposes equal a plain loop at every position, int32 extremes planted", "[cpu][encode]") {
    if (!runs_avx2_or_skips()) return;
    std::mt19937 rng(5200);
    struct Encoding {
        IntType type;
        int kind;  // 0: int16 rows, 1: uint8 rows offset by +128, 2: uint8 rows as they are
    };
    const Encoding encodings[] = {
        {IntType::signed_bits(16), 0}, {IntType::signed_bits(8), 1}, {IntType::signed_bits(3), 1},
        {IntType::unsigned_bits(8), 2}, {IntType::unsigned_bits(4), 2},
    };
    for (const Encoding& e : encodings) {
        // 1 to 3 channel blocks; pixel counts with no, one or several 8-pixel blocks and every tail.
        for (const int64_t channels : {8, 16, 24}) {
            for (int64_t pixels = 1; pixels <= 19; pixels += 1 + pixels / 8) {
                Planes planes = random_planes(channels, pixels, e.type, rng);
                // Plant the int32 extremes (and the type's neighbours outside it) in a vector
                // block, in the tail, in the first and the last channel.
                const int32_t planted[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
                                           static_cast<int32_t>(e.type.min() - 1), static_cast<int32_t>(e.type.max() + 1)};
                for (int round = 0; round < 3; ++round) {
                    INFO(e.type.name() << " kind " << e.kind << ", " << channels << " channels, " << pixels
                                       << " pixels, round " << round);
                    if (round > 0) {
                        const int64_t c = round == 1 ? 0 : channels - 1;
                        const int64_t p = uniform(rng, 0, static_cast<int>(pixels - 1));
                        planes.data[static_cast<size_t>(c * planes.stride + p)] = planted[uniform(rng, 0, 3)];
                        planes.data[static_cast<size_t>(uniform(rng, 0, static_cast<int>(channels - 1)) * planes.stride +
                                                        pixels - 1)] = planted[uniform(rng, 0, 3)];
                    }
                    if (e.kind == 0) {
                        check_transpose<int16_t>(
                            planes, IntType::signed_bits(16),
                            [](const Planes& in, int16_t* out) {
                                return cpu::transpose_to_s16_avx2(in.data.data(), in.channels, in.stride, in.pixels, out);
                            },
                            [](int32_t v) { return static_cast<int16_t>(v); });
                    } else {
                        const bool offset = e.kind == 1;
                        check_transpose<uint8_t>(
                            planes, offset ? IntType::signed_bits(8) : IntType::unsigned_bits(8),
                            [offset](const Planes& in, uint8_t* out) {
                                return cpu::transpose_to_u8_avx2(in.data.data(), in.channels, in.stride, in.pixels,
                                                                 offset, out);
                            },
                            [offset](int32_t v) { return static_cast<uint8_t>(offset ? v + 128 : v); });
                    }
                }
            }
        }
    }
}

TEST_CASE("cpu AVX2 stem rows equal the plain dense rows at every position and segment", "[cpu][encode]") {
    // One input channel, 3x3, horizontal stride 1 on int16 operands: the AVX2 builder against the
    // plain one (the same layout with the portable path), for paddings 0 to 2 on each side,
    // vertical strides and dilations 1 and 2, widths around the 8-pixel steps, and segments of
    // rows that start and end mid-row or run past the last pixel (those rows must be 0).
    if (!runs_avx2_or_skips()) return;
    std::mt19937 rng(5300);
    for (int iteration = 0; iteration < 300; ++iteration) {
        Conv2dParams p;
        p.stride_h = uniform(rng, 1, 2);
        p.dilation_h = uniform(rng, 1, 2);
        p.dilation_w = uniform(rng, 1, 2);
        random_pads(p, rng);
        const int64_t span_h = 2 * p.dilation_h + 1, span_w = 2 * p.dilation_w + 1;
        const int64_t h = std::max<int64_t>(uniform(rng, 1, 12), span_h), w = std::max<int64_t>(uniform(rng, 1, 20), span_w);
        const Tensor input = random_tensor({2, 1, h, w}, IntType::signed_bits(16), rng);
        const Tensor weight({4, 1, 3, 3}, IntType::signed_bits(8));
        const cpu::ConvGeometry g = cpu::ConvGeometry::conv(input.shape, weight.shape, p);
        cpu::GemmLayout vector = cpu::make_layout(g, input.type, weight.type, 127, cpu::Isa::kAvx2);
        REQUIRE(vector.dense);
        REQUIRE(vector.k_words == 5);
        cpu::GemmLayout plain = vector;
        plain.kernel.isa = cpu::Isa::kScalar;
        const int64_t pixels = g.out_h * g.out_w;
        const int64_t p0 = uniform(rng, 0, static_cast<int>(pixels - 1));
        const int64_t rows = uniform(rng, 1, static_cast<int>(pixels - p0 + 9));
        INFO("case " << iteration << ": " << h << "x" << w << " stride_h " << p.stride_h << " dilation " << p.dilation_h
                     << "x" << p.dilation_w << " pads " << p.pad_top << "," << p.pad_left << "," << p.pad_bottom << ","
                     << p.pad_right << ", rows " << p0 << " + " << rows);
        std::vector<uint32_t> got(static_cast<size_t>(rows * 5), 0xa5a5a5a5u), want = got;
        cpu::dense_rows(vector, g, input, 1, 0, p0, rows, got.data());
        cpu::dense_rows(plain, g, input, 1, 0, p0, rows, want.data());
        REQUIRE(got == want);
    }
}
