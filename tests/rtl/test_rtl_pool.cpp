// The pooling lanes of the post-processing unit (rtl/hdl/dyadic_pool*.sv) through the plain C++
// driver: maxima against a naive std::max, averages against the hand value and the reference's
// requantization of a naive int64 window sum, with ==. Extremes of every input width 2..16 (and
// int32), ties, single-element windows, windows of different sizes sharing a group of lanes, a
// window sum that leaves int32, and the tile timing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "Vdyadic_rtl_pool.h"
#include "reference/requantize.h"
#include "rtl/pool_driver.h"
#include "util/error.h"

using namespace dyadic;
using rtl::PoolSettings;
using rtl::PoolWindowSpan;

namespace {

constexpr int kLanes = DYADIC_PPU_LANES;
constexpr int kPipeline = DYADIC_PPU_PIPELINE_CYCLES;
constexpr int32_t kTwo30 = int32_t{1} << 30;

rtl::PoolDriver<Vdyadic_rtl_pool>& pool() {
    static rtl::PoolDriver<Vdyadic_rtl_pool> driver(kLanes);
    return driver;
}

// Windows laid out back to back over `windows` (one vector of values each), all with multiplier m.
struct Tile {
    std::vector<int32_t> values;
    std::vector<PoolWindowSpan> spans;
    std::vector<std::vector<int32_t>> windows;
};

Tile make_tile(const std::vector<std::vector<int32_t>>& windows, const std::vector<Dyadic>& multipliers) {
    Tile t;
    t.windows = windows;
    for (size_t i = 0; i < windows.size(); ++i) {
        t.spans.push_back(PoolWindowSpan{static_cast<int64_t>(t.values.size()), static_cast<int64_t>(windows[i].size()),
                                         multipliers[i % multipliers.size()]});
        t.values.insert(t.values.end(), windows[i].begin(), windows[i].end());
    }
    return t;
}

std::vector<int32_t> run(const PoolSettings& settings, const Tile& t, int64_t* cycles = nullptr) {
    std::vector<int32_t> results(t.spans.size(), -12345);
    const int64_t c = pool().run_tile(settings, t.values.data(), t.spans.data(), static_cast<int64_t>(t.spans.size()),
                                      results.data());
    if (cycles != nullptr) *cycles = c;
    return results;
}

std::vector<int32_t> naive_max(const Tile& t) {
    std::vector<int32_t> out;
    for (const auto& w : t.windows) out.push_back(*std::max_element(w.begin(), w.end()));
    return out;
}

std::vector<int32_t> naive_average(const Tile& t, const IntType& type) {
    std::vector<int32_t> out;
    for (size_t i = 0; i < t.windows.size(); ++i) {
        const int64_t sum = std::accumulate(t.windows[i].begin(), t.windows[i].end(), int64_t{0});
        out.push_back(requantize(sum, t.spans[i].multiplier, clamp_range(type, false)));
    }
    return out;
}

std::vector<IntType> every_input_type() {
    std::vector<IntType> types;
    for (int bits = 2; bits <= 16; ++bits) {
        types.push_back(IntType::signed_bits(bits));
        types.push_back(IntType::unsigned_bits(bits));
    }
    types.push_back(IntType::int32());
    return types;
}

}  // namespace

TEST_CASE("pool: max over hand windows, extremes of every input width and ties", "[rtl][pool]") {
    for (const IntType& type : every_input_type()) {
        INFO(type.name());
        const auto lo = static_cast<int32_t>(type.min()), hi = static_cast<int32_t>(type.max());
        const Tile t = make_tile({{lo}, {hi}, {lo, hi}, {hi, lo}, {lo, lo, lo, lo}, {hi, hi}, {lo, hi, lo, hi, lo},
                                  {hi - 1, hi, hi - 1}, {lo + 1, lo, lo + 1}, {0, lo, hi, 0}},
                                 {dyadic_one()});
        const std::vector<int32_t> expected{lo, hi, hi, hi, lo, hi, hi, hi, lo + 1, hi};
        CHECK(naive_max(t) == expected);
        CHECK(run(PoolSettings{true, type}, t) == expected);
    }
}

TEST_CASE("pool: averages of hand windows round half up, clamp and use each window's multiplier", "[rtl][pool]") {
    const Dyadic half{kTwo30, 31}, third{1431655765, 32}, quarter{kTwo30, 32}, one = dyadic_one();
    const IntType u8 = IntType::unsigned_bits(8), i8 = IntType::signed_bits(8);
    struct Case {
        std::vector<int32_t> window;
        Dyadic m;
        IntType type;
        int32_t expected;
    };
    const std::vector<Case> cases{
        {{1}, one, u8, 1},                  // docs/semantics.md 9.3: count 1
        {{2, 3}, half, u8, 3},              // 5/2 = 2.5 rounds up
        {{4, 7}, half, u8, 6},              // 11/2 = 5.5 rounds up
        {{5, 6, 8, 9}, quarter, u8, 7},     // 28/4 = 7
        {{1}, quarter, u8, 0},              // 1/4 rounds down
        {{2, 3}, quarter, u8, 1},           // 5/4
        {{-3, -2}, half, i8, -2},           // -2.5 rounds toward +infinity
        {{-1, -2}, half, i8, -1},           // -1.5 -> -1
        {{1, 1, 0}, third, i8, 1},          // 2/3 -> 1
        {{-1, -1, 0}, third, i8, -1},       // -2/3 -> -1
        {{127, 127}, one, i8, 127},         // 254 saturates at the top
        {{-128, -128}, one, i8, -128},      // -256 saturates at the bottom
        {{-7, -9}, half, u8, 0},            // negative into an unsigned output clamps to 0
        {{32767, 32767, 32767, 32767}, quarter, IntType::signed_bits(16), 32767},
        {{-32768, -32768, -32768}, third, IntType::signed_bits(16), -32768},
        {{65535, 65535}, half, IntType::unsigned_bits(16), 65535},
        {{std::numeric_limits<int32_t>::max()}, one, IntType::int32(), std::numeric_limits<int32_t>::max()},
        {{std::numeric_limits<int32_t>::min()}, one, IntType::int32(), std::numeric_limits<int32_t>::min()},
    };
    for (const Case& c : cases) {
        INFO("window of " << c.window.size() << " first " << c.window[0] << " b " << c.m.mantissa << " c " << c.m.shift);
        const Tile t = make_tile({c.window}, {c.m});
        CHECK(naive_average(t, c.type)[0] == c.expected);
        CHECK(run(PoolSettings{false, c.type}, t)[0] == c.expected);
    }
}

TEST_CASE("pool: extremes of every input width summed over full windows", "[rtl][pool]") {
    const Dyadic ninth = to_dyadic(1.0 / 9.0);
    for (const IntType& type : every_input_type()) {
        if (type.bits > 16) continue;  // nine int32 extremes leave int32: checked below
        INFO(type.name());
        const auto lo = static_cast<int32_t>(type.min()), hi = static_cast<int32_t>(type.max());
        const Tile t = make_tile({std::vector<int32_t>(9, lo), std::vector<int32_t>(9, hi), {lo, hi, lo, hi, lo, hi, lo, hi, lo}},
                                 {ninth});
        for (const IntType& out : {type, IntType::int32(), IntType::unsigned_bits(2)}) {
            CHECK(run(PoolSettings{false, out}, t) == naive_average(t, out));
        }
    }
}

TEST_CASE("pool: a window sum outside int32 is refused", "[rtl][pool]") {
    const int32_t big = std::numeric_limits<int32_t>::max(), small = std::numeric_limits<int32_t>::min();
    const Tile over = make_tile({{1, 2}, {big, 1}}, {dyadic_one()});
    CHECK_THROWS_AS(run(PoolSettings{false, IntType::int32()}, over), Error);
    const Tile under = make_tile({{small, -1}}, {dyadic_one()});
    CHECK_THROWS_AS(run(PoolSettings{false, IntType::int32()}, under), Error);
    // The same windows are fine for max pooling, and the edges of int32 are fine for averages.
    CHECK(run(PoolSettings{true, IntType::int32()}, over) == std::vector<int32_t>{2, big});
    CHECK(run(PoolSettings{false, IntType::int32()}, make_tile({{big - 1, 1}, {small + 1, -1}}, {dyadic_one()})) ==
          std::vector<int32_t>{big, small});
}

TEST_CASE("pool: random windows of mixed sizes equal naive max and averages", "[rtl][pool]") {
    std::mt19937_64 rng(3);
    const auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    int64_t windows = 0;
    for (int tile = 0; tile < 200; ++tile) {
        const IntType in{static_cast<int>(uniform(2, 16)), uniform(0, 1) == 1};
        const IntType out{static_cast<int>(uniform(2, 16)), uniform(0, 1) == 1};
        std::vector<std::vector<int32_t>> ws(static_cast<size_t>(uniform(1, 3 * kLanes)));
        for (auto& w : ws) {
            w.resize(static_cast<size_t>(uniform(1, uniform(0, 3) == 0 ? 60 : 9)));
            for (int32_t& v : w) {
                const int64_t pick = uniform(0, 5);
                v = static_cast<int32_t>(pick == 0 ? in.min() : pick == 1 ? in.max() : uniform(in.min(), in.max()));
            }
        }
        std::vector<Dyadic> ms;
        for (int k = 1; k <= 7; ++k) ms.push_back(to_dyadic(std::ldexp(1.0, out.bits - in.bits) * uniform(1, 40) / (8.0 * k)));
        const Tile t = make_tile(ws, ms);
        INFO("tile " << tile << " " << in.name() << " -> " << out.name());
        CHECK(run(PoolSettings{true, in}, t) == naive_max(t));
        CHECK(run(PoolSettings{false, out}, t) == naive_average(t, out));
        windows += static_cast<int64_t>(ws.size());
    }
    CHECK(windows > 200 * kLanes);
}

TEST_CASE("pool: a group of lanes takes its largest window's beats, then the pipeline", "[rtl][pool]") {
    // n windows of k elements: ceil(n / lanes) groups of k beats, the window register, the pipeline.
    for (const int64_t k : {1, 4, 9}) {
        for (const int64_t n : {int64_t{1}, int64_t{kLanes}, int64_t{kLanes} + 1, int64_t{3} * kLanes}) {
            const Tile t = make_tile(std::vector<std::vector<int32_t>>(static_cast<size_t>(n), std::vector<int32_t>(k, 3)),
                                     {dyadic_one()});
            int64_t cycles = 0;
            run(PoolSettings{true, IntType::unsigned_bits(8)}, t, &cycles);
            CHECK(cycles == (n + kLanes - 1) / kLanes * k + 1 + kPipeline);
        }
    }
    // One long window in a group makes the whole group as long.
    std::vector<std::vector<int32_t>> ws(static_cast<size_t>(kLanes), std::vector<int32_t>{1});
    ws[1].assign(20, 1);
    int64_t cycles = 0;
    run(PoolSettings{false, IntType::unsigned_bits(8)}, make_tile(ws, {dyadic_one()}), &cycles);
    CHECK(cycles == 20 + 1 + kPipeline);
}
