// The cpu ops check their operands' elements in the pass that already reads them (the conv
// engine's input encoding, its AVX2 transposes and dense stem rows, the residual epilogue, max
// pooling, global average pooling, rescales): one element outside its type, wherever it lies
// (first, last, inside a vector block, in a scalar tail, in a padded or skipped region), must
// still send the call to the reference, which throws its own message. Each case compares the
// cpu op's error message with the reference's, and the results on the same operands without
// the bad element, on every path this CPU runs.
#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <string>

#include "cpu/conv2d.h"
#include "cpu/fully_connected.h"
#include "cpu/pooling.h"
#include "cpu/rescale.h"
#include "random_layers.h"
#include "reference/ops/concat.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/max_pool2d.h"
#include "util/error.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

std::string error_of(const std::function<Tensor()>& run) {
    try {
        run();
    } catch (const Error& error) {
        return error.what();
    }
    return "(no error)";
}

// The backend equals the reference on `good`; with `bad_value` at each of `positions` (flat
// indices into the operand that `poke` returns), both throw the same message.
void check_positions(Tensor& operand, const std::vector<int64_t>& positions, int32_t bad_value,
                     const std::function<Tensor()>& reference, const std::function<Tensor()>& backend) {
    const Tensor want = reference();
    const Tensor got = backend();
    REQUIRE(got.data == want.data);
    for (const int64_t at : positions) {
        INFO("bad element " << bad_value << " at " << at << " of " << describe(operand));
        const int32_t saved = operand.data[static_cast<size_t>(at)];
        operand.data[static_cast<size_t>(at)] = bad_value;
        const std::string expected = error_of(reference);
        CHECK(expected != "(no error)");
        CHECK(error_of(backend) == expected);
        operand.data[static_cast<size_t>(at)] = saved;
    }
}

// First, last, and a few in between (the start of each image and of the last 8 elements).
std::vector<int64_t> spread(const Tensor& t) {
    const int64_t n = t.size();
    std::vector<int64_t> at{0, n - 1, n / 2, std::max<int64_t>(0, n - 8), std::max<int64_t>(0, n - 3)};
    if (t.shape.size() == 4) at.push_back(std::min(n - 1, t.shape[1] * t.shape[2] * t.shape[3]));
    return at;
}

int32_t above(const IntType& type) { return static_cast<int32_t>(type.max() + 1); }

}  // namespace

TEST_CASE("cpu conv2d checks input and identity elements in its encoding and epilogue passes", "[cpu][conv2d][checks]") {
    ThreadPool pool(2);
    std::mt19937 rng(5000);
    struct Layout {
        int64_t channels, groups, h, w, k;
        IntType x_type, w_type;
    };
    // int16 with 8 | channels (the AVX2 transpose, with 8-pixel blocks and a tail), odd channel
    // counts (padded words), a 1-channel and a 3-channel 3x3 stem (dense rows), grouped, and bytes.
    const Layout layouts[] = {
        {16, 1, 5, 7, 3, IntType::signed_bits(16), IntType::signed_bits(8)},
        {8, 1, 4, 4, 1, IntType::unsigned_bits(8), IntType::signed_bits(8)},
        {24, 3, 3, 5, 3, IntType::signed_bits(16), IntType::signed_bits(8)},
        {5, 1, 6, 3, 3, IntType::unsigned_bits(8), IntType::signed_bits(8)},
        {1, 1, 9, 9, 3, IntType::signed_bits(8), IntType::signed_bits(8)},
        {3, 1, 7, 6, 3, IntType::unsigned_bits(4), IntType::signed_bits(4)},
        {12, 1, 4, 5, 3, IntType::unsigned_bits(4), IntType::signed_bits(3)},
        {6, 1, 4, 5, 3, IntType::signed_bits(4), IntType::signed_bits(3)},  // u8 with the +128 offset
        // u8 with 8 | channels (the AVX2 u8 transpose: 8-pixel blocks and a tail), with and
        // without the +128 offset, grouped.
        {16, 1, 5, 7, 3, IntType::signed_bits(8), IntType::signed_bits(4)},
        {24, 1, 3, 5, 1, IntType::unsigned_bits(8), IntType::signed_bits(4)},
        {32, 2, 4, 5, 3, IntType::signed_bits(4), IntType::signed_bits(4)},
        {8, 1, 3, 3, 1, IntType::unsigned_bits(3), IntType::signed_bits(8)},
    };
    for (const cpu::Isa isa : paths_to_test()) {
        std::string path;
        const cpu::Runtime runtime{isa, &pool, &path};
        for (const Layout& l : layouts) {
            Conv2dParams p;
            p.groups = l.groups;
            p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = l.k / 2;
            Tensor input = random_tensor({2, l.channels, l.h, l.w}, l.x_type, rng);
            const Tensor weight = random_tensor({8 * l.groups, l.channels / l.groups, l.k, l.k}, l.w_type, rng);
            const Tensor bias = random_bias(8 * l.groups, 1000, rng);
            const OutputStage stage{{Dyadic{int32_t{1} << 30, 36}}, IntType::signed_bits(16), false};
            INFO("path " << cpu::isa_name(isa) << ": " << describe(input) << " * " << describe(weight));
            check_positions(input, spread(input), above(l.x_type),
                            [&] { return dyadic::conv2d(input, weight, bias, p, stage); },
                            [&] { return cpu::conv2d(input, weight, bias, p, stage, runtime); });
            cpu::conv2d(input, weight, bias, p, stage, runtime);
            CHECK(path.rfind(cpu::isa_name(isa), 0) == 0);  // the engine, not the reference, ran the good input
            // The int32 extremes, which the encoding meets before the check (+128 must not overflow).
            for (const int32_t extreme : {std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()}) {
                check_positions(input, {0, input.size() - 1}, extreme,
                                [&] { return dyadic::conv2d(input, weight, bias, p, stage); },
                                [&] { return cpu::conv2d(input, weight, bias, p, stage, runtime); });
            }

            const Shape out = conv2d_output_shape(input.shape, weight.shape, p);
            Tensor identity = random_tensor(out, IntType::signed_bits(8), rng);
            ResidualAddStage residual{{Dyadic{int32_t{1} << 30, 38}}, dyadic_one(), IntType::signed_bits(8), true};
            check_positions(identity, spread(identity), -129,
                            [&] { return dyadic::residual_add(conv2d_accumulate(input, weight, bias, p), identity, residual); },
                            [&] { return cpu::conv2d_residual(input, weight, bias, p, identity, residual, runtime); });
        }
        // fully_connected: the input's rows are the pixels (a strided encoding).
        Tensor input = random_tensor({13, 40}, IntType::signed_bits(16), rng);
        const Tensor weight = random_tensor({10, 40}, IntType::signed_bits(8), rng);
        const OutputStage stage{{Dyadic{int32_t{1} << 30, 40}}, IntType::signed_bits(8), false};
        check_positions(input, spread(input), -32769,
                        [&] { return dyadic::fully_connected(input, weight, {}, stage); },
                        [&] { return cpu::fully_connected(input, weight, {}, stage, runtime); });
    }
}

TEST_CASE("cpu pooling and rescales check their operands in the pass that reads them", "[cpu][elementwise][checks]") {
    ThreadPool pool(2);
    std::mt19937 rng(5100);
    for (const cpu::Isa isa : paths_to_test()) {
        const cpu::Runtime runtime{isa, &pool, nullptr};
        INFO("path " << cpu::isa_name(isa));
        // 2x2 stride 2 on even sides: 8- and 4-wide vector steps and scalar tails (out_w 1 .. 15).
        for (int64_t w = 2; w <= 30; w += 2) {
            const IntType type = w % 4 ? IntType::signed_bits(16) : IntType::int32();
            Tensor input = random_tensor({2, 3, 4, w}, type, rng);
            Pool2dParams p;
            p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = 2;
            if (type.bits == 32) {
                input.data[5] = type.min();
                input.data[6] = type.max();
            }
            check_positions(input, type.bits == 32 ? std::vector<int64_t>{} : spread(input), -32769,
                            [&] { return dyadic::max_pool2d(input, p); },
                            [&] { return cpu::max_pool2d(input, p, runtime); });
        }
        // A stride above the kernel skips rows and columns: a bad element there is still found.
        Tensor sparse = random_tensor({1, 2, 7, 7}, IntType::unsigned_bits(8), rng);
        Pool2dParams skip;
        skip.kernel_h = skip.kernel_w = 1;
        skip.stride_h = skip.stride_w = 3;
        check_positions(sparse, {1, 7, 8, 48, 49 + 7 * 5}, 256, [&] { return dyadic::max_pool2d(sparse, skip); },
                        [&] { return cpu::max_pool2d(sparse, skip, runtime); });
        // 3x3 stride 2 pad 1: the general separable path.
        Tensor odd = random_tensor({2, 2, 9, 11}, IntType::signed_bits(8), rng);
        Pool2dParams three{3, 3, 2, 2, 1, 1, 1, 1};
        check_positions(odd, spread(odd), 128, [&] { return dyadic::max_pool2d(odd, three); },
                        [&] { return cpu::max_pool2d(odd, three, runtime); });

        Tensor planes = random_tensor({3, 4, 5, 3}, IntType::unsigned_bits(16), rng);
        const Dyadic m = to_dyadic(1.0 / 15.0);
        check_positions(planes, spread(planes), -1,
                        [&] { return dyadic::global_average_pool(planes, m, IntType::unsigned_bits(8)); },
                        [&] { return cpu::global_average_pool(planes, m, IntType::unsigned_bits(8), runtime); });

        Tensor a = random_tensor({2, 3, 5, 7}, IntType::signed_bits(16), rng);
        Tensor b = random_tensor({2, 2, 5, 7}, IntType::unsigned_bits(8), rng);
        const std::vector<Dyadic> ms{to_dyadic(0.01), to_dyadic(0.5)};
        const std::vector<const Tensor*> parts{&a, &b};
        for (Tensor* t : {&a, &b}) {
            check_positions(*t, spread(*t), t == &a ? 32768 : 256,
                            [&] { return dyadic::concat_channels(parts, ms, IntType::signed_bits(8)); },
                            [&] { return cpu::concat_channels(parts, ms, IntType::signed_bits(8), runtime); });
        }
        Tensor identity = random_tensor(a.shape, IntType::signed_bits(8), rng);
        const ResidualAddStage stage{{to_dyadic(0.001)}, to_dyadic(0.7), IntType::signed_bits(8), false};
        check_positions(identity, spread(identity), 128, [&] { return dyadic::residual_add(a, identity, stage); },
                        [&] { return cpu::residual_add(a, identity, stage, runtime); });
    }
}
