#include "cpu/conv_engine.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "cpu/gemm_operands.h"
#include "cpu/operand_check.h"
#include "cpu/scratch.h"
#include "cpu/winograd.h"
#include "util/error.h"

namespace dyadic::cpu {
namespace {

// Scratch buffers reused by each thread across tasks and calls.
struct Scratch {
    std::vector<const uint32_t*> runs;
    std::vector<uint32_t> rows;  // dense GEMM rows
    std::vector<int32_t> acc;
};
Scratch& scratch() {
    thread_local Scratch buffers;
    return buffers;
}

// The encoded images of the call in progress on this thread (tasks on other threads only read
// them), kept across calls so that each call neither allocates nor zero-fills them; released
// after a call that needed more than kKeptEncodedWords, so that one large layer does not pin
// its memory for the thread's lifetime.
constexpr size_t kKeptEncodedWords = size_t{16} << 20;  // 64 MiB
std::vector<uint32_t>& encoded_batch() {
    thread_local std::vector<uint32_t> words;
    return words;
}

void release_if_large(std::vector<uint32_t>& images) {
    if (images.capacity() > kKeptEncodedWords) std::vector<uint32_t>().swap(images);
}

// Empty when every input element lies in the input's type and accumulator_bound() proves every
// accumulator fits int32 (with the type's largest magnitude, or else with the input's actual one);
// otherwise why the layer belongs to the reference.
std::string refusal(const ConvGeometry& g, const IntType& x_type, const ValueRange& x_range, int64_t max_abs_w,
                    int64_t max_abs_bias) {
    constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
    if (!x_range.fits(x_type)) return "operands refused: an input element lies outside " + x_type.name();
    const int64_t by_type = accumulator_bound(g, max_abs_w, max_abs_bias, max_magnitude(x_type));
    if (by_type >= 0 && by_type <= kInt32Max) return {};
    const int64_t by_data = accumulator_bound(g, max_abs_w, max_abs_bias, x_range.max_abs());
    if (by_data >= 0 && by_data <= kInt32Max) return {};
    return "accumulator bound " + (by_data < 0 ? std::string("> 2^62") : std::to_string(by_data)) + " exceeds int32";
}

// Everything besides the weight and bias that the packed weights of a layer depend on: the inputs
// of make_layout and the geometry pack_group reads.
std::string packing_key(const char* kind, const ConvGeometry& g, const IntType& x_type, Isa isa) {
    return std::string(kind) + " " + isa_name(isa) + " " + x_type.name() + " groups " + std::to_string(g.params.groups) +
           " c_in " + std::to_string(g.c_in) + " c_out " + std::to_string(g.c_out) + " k " + std::to_string(g.k_h) +
           "x" + std::to_string(g.k_w);
}

Accumulation gemm_conv(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias,
                       const PreparedWeights& prepared, Isa isa, ThreadPool& pool, const Epilogue& epilogue) {
    const int64_t max_abs_w = prepared.max_abs_w(), max_abs_bias = prepared.max_abs_bias();
    const GemmLayout layout = make_layout(g, input.type, weight.type, max_abs_w, isa);
    const int64_t tile = layout.kernel.row_tile, block = layout.kernel.block;
    const int64_t out_pixels = g.out_h * g.out_w;
    const int64_t taps = g.k_h * g.k_w;

    // Encode the images (implicit layout), checking the input's elements on the way.
    ValueRange range;
    const int64_t image_words = encoded_image_words(layout, g);
    std::vector<uint32_t>& images = encoded_batch();
    if (layout.dense) {
        range = value_range(input);
    } else {
        uint32_t* encoded = grown(images, static_cast<size_t>(g.batch * image_words));
        std::vector<ValueRange> ranges(static_cast<size_t>(g.batch));
        pool.parallel_for(g.batch, [&](int64_t n) {
            ranges[static_cast<size_t>(n)] = encode_image(layout, g, input, n, encoded + n * image_words);
        });
        for (const ValueRange& r : ranges) range.add(r);
    }
    if (std::string why = refusal(g, input.type, range, max_abs_w, max_abs_bias); !why.empty()) return {{}, why};
    const std::string path = std::string(isa_name(layout.kernel.isa)) + " " + operand_name(layout.kernel.operand);
    if (winograd_geometry(layout, g) &&
        winograd_conv(layout, g, images.data(), image_words, input.type, range, bias,
                      prepared.derived<WinogradWeights>(packing_key("winograd", g, input.type, isa),
                                                        [&] { return winograd_weights(layout, g, weight); }),
                      max_abs_w, pool, epilogue)) {
        release_if_large(images);
        return {path + " winograd F(2x2,3x3)", {}};
    }

    const std::vector<PackedGroup>& packed =
        prepared.derived<std::vector<PackedGroup>>(packing_key("gemm", g, input.type, isa), [&] {
            std::vector<PackedGroup> groups(static_cast<size_t>(layout.groups));
            pool.parallel_for(layout.groups, [&](int64_t group) {
                groups[static_cast<size_t>(group)] = pack_group(layout, g, weight, bias, group);
            });
            return groups;
        });

    // Tasks: (group, chunk of rows), with the output pixels of every image one after the other,
    // so that a chunk may span images: small images (7x7) then fill whole row tiles instead of
    // leaving up to row_tile - 1 dummy rows each, and a block's weights serve more rows while
    // they are in cache. Enough chunks to keep every thread busy, each at most 32 row tiles so
    // that its rows and accumulators stay in cache.
    const int64_t total_rows = g.batch * out_pixels;
    const int64_t row_tiles = ceil_div(total_rows, tile);
    const int64_t want_chunks = ceil_div(4 * pool.size(), layout.groups);
    const int64_t tiles_per_chunk = std::clamp<int64_t>(ceil_div(row_tiles, want_chunks), 1, 32);
    const int64_t chunks = ceil_div(row_tiles, tiles_per_chunk);
    const int64_t chunk_rows = tiles_per_chunk * tile;
    const int64_t c_rows = layout.o_blocks * block;
    const std::vector<int64_t> offsets = layout.dense ? std::vector<int64_t>{} : tap_offsets(layout, g, out_pixels);
    const int64_t run_count = layout.dense ? 1 : taps;  // runs per GEMM row

    pool.parallel_for(layout.groups * chunks, [&](int64_t task) {
        const int64_t chunk = task % chunks, group = task / chunks;
        const int64_t q0 = chunk * chunk_rows;
        const int64_t count = std::min(chunk_rows, total_rows - q0);
        const int64_t rows = round_up(count, tile);
        Scratch& buffers = scratch();
        const uint32_t** runs = grown(buffers.runs, static_cast<size_t>(rows * run_count));
        uint32_t* dense = layout.dense ? grown(buffers.rows, static_cast<size_t>(count * layout.k_words)) : nullptr;
        // The rows of each image the chunk touches: (image n, pixels p .. p + segment - 1).
        const auto for_each_segment = [&](const auto& visit) {
            for (int64_t q = q0; q < q0 + count;) {
                const int64_t n = q / out_pixels, p = q % out_pixels;
                const int64_t segment = std::min(out_pixels - p, q0 + count - q);
                visit(n, p, segment, q - q0);
                q += segment;
            }
        };
        for_each_segment([&](int64_t n, int64_t p, int64_t segment, int64_t row) {
            if (layout.dense) {
                uint32_t* dense_out = dense + row * layout.k_words;
                dense_rows(layout, g, input, n, group, p, segment, dense_out);
                for (int64_t i = 0; i < segment; ++i) runs[row + i] = dense_out + i * layout.k_words;
            } else {
                const uint32_t* image = images.data() + n * image_words + group * (layout.tap_stride / layout.per_word);
                const int64_t* tap = offsets.data() + p * taps;
                const uint32_t** out = runs + row * taps;
                for (int64_t j = 0; j < segment * taps; ++j) out[j] = image + tap[j];
            }
        });
        // Dummy rows up to a whole tile repeat the first row; their accumulators are never read.
        for (int64_t j = count * run_count; j < rows * run_count; ++j) runs[j] = runs[j % run_count];
        int32_t* acc = grown(buffers.acc, static_cast<size_t>(rows * c_rows));
        GemmArgs args{};
        args.a = runs;
        args.taps = run_count;
        args.tap_words = layout.dense ? layout.k_words : layout.tap_stride / layout.per_word;
        args.rows = rows;
        args.w = packed[static_cast<size_t>(group)].words.data();
        args.o_blocks = layout.o_blocks;
        args.c = acc;
        args.c_stride = rows;
        args.pair_sum_words = layout.pair_sum_words;
        layout.kernel.run(args);
        for_each_segment([&](int64_t n, int64_t p, int64_t segment, int64_t row) {
            epilogue(AccumulatorTile{n, group * layout.m, layout.m, p, segment, acc + row, rows,
                                     packed[static_cast<size_t>(group)].offset.data()});
        });
    });
    release_if_large(images);
    return {path + " gemm", {}};
}

// One output plane of a conv whose groups read a single input channel (depthwise), in wrapping
// uint32: the reference's loop without the int64 widening. Inlined into one copy per target; the
// AVX2 copy also serves the AVX-512 path (9 MACs per output leave it memory bound).
__attribute__((always_inline)) inline void direct_plane(const ConvGeometry& g, const int32_t* in, const int32_t* w,
                                                        uint32_t start, uint32_t* plane) {
    const Conv2dParams& p = g.params;
    std::fill(plane, plane + g.out_h * g.out_w, start);
    for (int64_t ky = 0; ky < g.k_h; ++ky) {
        for (int64_t kx = 0; kx < g.k_w; ++kx) {
            const uint32_t weight = static_cast<uint32_t>(w[ky * g.k_w + kx]);
            const int64_t col_offset = kx * p.dilation_w - p.pad_left;
            const int64_t x_begin = col_offset >= 0 ? 0 : (-col_offset + p.stride_w - 1) / p.stride_w;
            const int64_t x_end =
                std::min<int64_t>(g.in_w - col_offset <= 0 ? 0 : (g.in_w - col_offset - 1) / p.stride_w + 1, g.out_w);
            if (x_begin >= x_end) continue;
            for (int64_t y = 0; y < g.out_h; ++y) {
                const int64_t row = y * p.stride_h + ky * p.dilation_h - p.pad_top;
                if (row < 0 || row >= g.in_h) continue;
                const int32_t* in_row = in + row * g.in_w + col_offset;
                uint32_t* acc = plane + y * g.out_w;
                if (p.stride_w == 1) {
                    for (int64_t x = x_begin; x < x_end; ++x) acc[x] += weight * static_cast<uint32_t>(in_row[x]);
                } else {
                    for (int64_t x = x_begin; x < x_end; ++x) {
                        acc[x] += weight * static_cast<uint32_t>(in_row[x * p.stride_w]);
                    }
                }
            }
        }
    }
}

void direct_plane_default(const ConvGeometry& g, const int32_t* in, const int32_t* w, uint32_t start, uint32_t* plane) {
    direct_plane(g, in, w, start, plane);
}
__attribute__((target("avx2"))) void direct_plane_avx2(const ConvGeometry& g, const int32_t* in, const int32_t* w,
                                                       uint32_t start, uint32_t* plane) {
    direct_plane(g, in, w, start, plane);
}

std::string direct_conv(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias, Isa isa,
                        ThreadPool& pool, const Epilogue& epilogue) {
    const auto plane_fn = isa == Isa::kScalar ? direct_plane_default : direct_plane_avx2;
    const int64_t per_group = g.c_out / g.params.groups;
    const int64_t taps = g.k_h * g.k_w;
    pool.parallel_for(g.batch * g.c_out, [&](int64_t task) {
        const int64_t n = task / g.c_out, o = task % g.c_out;
        const int64_t c = o / per_group;  // the one input channel of o's group
        int32_t* plane = grown(scratch().acc, static_cast<size_t>(g.out_h * g.out_w));
        const uint32_t start = bias.shape.empty() ? 0u : static_cast<uint32_t>(bias.data[static_cast<size_t>(o)]);
        plane_fn(g, input.data.data() + n * g.in_image_stride + c * g.in_channel_stride,
                 weight.data.data() + o * taps, start, reinterpret_cast<uint32_t*>(plane));
        epilogue(AccumulatorTile{n, o, 1, 0, g.out_h * g.out_w, plane, 0, nullptr});
    });
    return isa == Isa::kScalar ? "scalar direct" : "avx2 direct";
}

}  // namespace

ConvGeometry ConvGeometry::conv(const Shape& input, const Shape& weight, const Conv2dParams& params) {
    const Shape out = conv2d_output_shape(input, weight, params);
    ConvGeometry g;
    g.batch = input[0];
    g.c_in = input[1];
    g.in_h = input[2];
    g.in_w = input[3];
    g.c_out = out[1];
    g.out_h = out[2];
    g.out_w = out[3];
    g.k_h = weight[2];
    g.k_w = weight[3];
    g.params = params;
    g.in_channel_stride = g.in_h * g.in_w;
    g.in_image_stride = g.c_in * g.in_channel_stride;
    g.in_pixel_stride = 1;
    return g;
}

ConvGeometry ConvGeometry::fully_connected(int64_t batch, int64_t depth, int64_t units) {
    ConvGeometry g;
    g.batch = 1;
    g.c_in = depth;
    g.in_w = g.out_w = batch;
    g.c_out = units;
    g.in_image_stride = 0;
    g.in_channel_stride = 1;
    g.in_pixel_stride = depth;
    return g;
}

int64_t max_magnitude(const IntType& type) { return std::max(-type.min(), type.max()); }

int64_t accumulator_bound(const ConvGeometry& g, int64_t max_abs_w, int64_t max_abs_bias, int64_t max_abs_x) {
    constexpr int64_t kCap = int64_t{1} << 62;
    const int64_t depth = g.c_in / g.params.groups * g.k_h * g.k_w;
    // Each factor is below 2^32 (|w|, |x| <= 2^16, depth checked first), so divide-before-multiply
    // guards are enough to stay inside int64.
    const int64_t per_product = max_abs_w * max_abs_x;  // <= 2^32
    if (per_product != 0 && depth > (kCap - max_abs_bias) / per_product) return -1;
    return depth * per_product + max_abs_bias;
}

Accumulation conv_accumulate(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias,
                             Isa isa, ThreadPool& pool, const Epilogue& epilogue, WeightCache* cache) {
    require(isa_supported(isa), std::string("cpu path ") + isa_name(isa) + " is not supported by this CPU");
    const std::shared_ptr<const PreparedWeights> prepared = prepare(cache, weight, bias);
    const int64_t max_abs_w = prepared->max_abs_w(), max_abs_bias = prepared->max_abs_bias();
    // Depthwise-like convs (several groups of one input channel each) would leave most of a GEMM
    // block empty; a single group of one channel (a stem conv on a grey image) is a GEMM.
    const bool one_channel_per_group = g.params.groups > 1 && g.c_in == g.params.groups && g.in_pixel_stride == 1;
    if (one_channel_per_group) {
        if (std::string why = refusal(g, input.type, value_range(input), max_abs_w, max_abs_bias); !why.empty()) {
            return {{}, why};
        }
        return {direct_conv(g, input, weight, bias, isa, pool, epilogue), {}};
    }
    return gemm_conv(g, input, weight, bias, *prepared, isa, pool, epilogue);
}

}  // namespace dyadic::cpu
