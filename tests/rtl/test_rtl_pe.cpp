// The Bit Fusion PE (rtl/hdl/dyadic_pe.sv) against plain C++ products, in all four precision modes
// with signed and unsigned activations: every operand pair in every lane exhaustively (the 8-bit
// operands too: 256 x 256 pairs are cheap), then random words and every combination of extreme lane
// values, with partial sums that wrap around int32.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vdyadic_rtl_test_pe.h"

namespace {

struct Mode {
    int weight_bits, activation_bits;
    bool activations_signed;

    int macs() const { return (weight_bits == 8 ? 1 : 2) * (activation_bits == 8 ? 1 : 2); }
    int64_t w_min() const { return -(int64_t{1} << (weight_bits - 1)); }
    int64_t w_max() const { return (int64_t{1} << (weight_bits - 1)) - 1; }
    int64_t a_min() const { return activations_signed ? -(int64_t{1} << (activation_bits - 1)) : 0; }
    int64_t a_max() const {
        return activations_signed ? (int64_t{1} << (activation_bits - 1)) - 1 : (int64_t{1} << activation_bits) - 1;
    }
    std::string name() const {
        return std::to_string(weight_bits) + "x" + std::to_string(activation_bits) +
               (activations_signed ? " signed" : " unsigned");
    }
};

std::vector<Mode> all_modes() {
    std::vector<Mode> modes;
    for (int w : {4, 8}) {
        for (int a : {4, 8}) {
            for (bool s : {false, true}) modes.push_back(Mode{w, a, s});
        }
    }
    return modes;
}

// Lane l of a word holds its value's low `bits` bits at bit l * bits.
uint16_t word_of(const std::vector<int64_t>& lanes, int bits) {
    uint32_t word = 0;
    for (size_t l = 0; l < lanes.size(); ++l) word |= (static_cast<uint32_t>(lanes[l]) & ((1u << bits) - 1)) << (l * bits);
    return static_cast<uint16_t>(word);
}

class Pe {
public:
    explicit Pe(const Mode& mode) {
        model_.clk = 0;
        model_.rst = 1;
        tick();
        model_.rst = 0;
        model_.a_first_in = 0;
        model_.w_wide = mode.weight_bits == 8;
        model_.a_wide = mode.activation_bits == 8;
        model_.a_signed = mode.activations_signed;
    }
    void load_weight(uint16_t word) {
        model_.w_shift = 1;
        model_.w_in = word;
        model_.a_valid_in = 0;
        tick();
        model_.w_shift = 0;
    }
    // One cycle: the activation word and the incoming partial sum in, the new partial sum out.
    int32_t mac(uint16_t activations, int32_t psum, bool& valid) {
        model_.a_valid_in = 1;
        model_.a_in = activations;
        model_.psum_in = static_cast<uint32_t>(psum);
        tick();
        valid = model_.psum_valid_out && model_.a_valid_out && model_.a_out == activations;
        return static_cast<int32_t>(model_.psum_out);
    }

private:
    void tick() {
        model_.clk = 0;
        model_.eval();
        model_.clk = 1;
        model_.eval();
    }
    Vdyadic_rtl_test_pe model_;
};

// Counts mismatches against psum + sum_l w_l * a_l (int32 wrap) and remembers the first.
struct Checker {
    int64_t cases = 0, mismatches = 0;
    std::string first;

    void check(Pe& pe, const Mode& mode, const std::vector<int64_t>& w, const std::vector<int64_t>& a, int32_t psum) {
        int64_t products = 0;
        for (size_t l = 0; l < w.size(); ++l) products += w[l] * a[l];
        const auto expected = static_cast<int32_t>(static_cast<uint32_t>(psum) + static_cast<uint32_t>(products));
        bool valid = false;
        const int32_t got = pe.mac(word_of(a, mode.activation_bits), psum, valid);
        ++cases;
        if (got != expected || !valid) {
            if (mismatches++ == 0) {
                std::ostringstream s;
                s << mode.name() << ": w [";
                for (int64_t v : w) s << v << " ";
                s << "] a [";
                for (int64_t v : a) s << v << " ";
                s << "] psum " << psum << ": expected " << expected << ", got " << got << (valid ? "" : " (not valid)");
                first = s.str();
            }
        }
    }
};

}  // namespace

TEST_CASE("PE: every operand pair in every lane, all modes", "[rtl][pe]") {
    std::mt19937_64 rng(11);
    for (const Mode& mode : all_modes()) {
        Pe pe(mode);
        Checker checker;
        std::uniform_int_distribution<int64_t> wd(mode.w_min(), mode.w_max()), ad(mode.a_min(), mode.a_max());
        std::uniform_int_distribution<int32_t> psum_d;
        for (int lane = 0; lane < mode.macs(); ++lane) {
            for (int64_t w = mode.w_min(); w <= mode.w_max(); ++w) {
                std::vector<int64_t> weights(static_cast<size_t>(mode.macs()));
                for (int64_t& v : weights) v = wd(rng);
                weights[static_cast<size_t>(lane)] = w;
                pe.load_weight(word_of(weights, mode.weight_bits));
                for (int64_t a = mode.a_min(); a <= mode.a_max(); ++a) {
                    std::vector<int64_t> acts(static_cast<size_t>(mode.macs()));
                    for (int64_t& v : acts) v = ad(rng);
                    acts[static_cast<size_t>(lane)] = a;
                    checker.check(pe, mode, weights, acts, psum_d(rng));
                }
            }
        }
        INFO(checker.first);
        CHECK(checker.mismatches == 0);
        const int64_t pairs = (mode.w_max() - mode.w_min() + 1) * (mode.a_max() - mode.a_min() + 1);
        CHECK(checker.cases == pairs * mode.macs());
    }
}

TEST_CASE("PE: random words and every combination of extreme lanes", "[rtl][pe]") {
    std::mt19937_64 rng(12);
    for (const Mode& mode : all_modes()) {
        Pe pe(mode);
        Checker checker;
        const size_t macs = static_cast<size_t>(mode.macs());
        std::uniform_int_distribution<int64_t> wd(mode.w_min(), mode.w_max()), ad(mode.a_min(), mode.a_max());
        std::uniform_int_distribution<int32_t> psum_d;
        for (int i = 0; i < 2000; ++i) {
            std::vector<int64_t> w(macs);
            for (int64_t& v : w) v = wd(rng);
            pe.load_weight(word_of(w, mode.weight_bits));
            for (int j = 0; j < 8; ++j) {
                std::vector<int64_t> a(macs);
                for (int64_t& v : a) v = ad(rng);
                checker.check(pe, mode, w, a, psum_d(rng));
            }
        }
        // Extremes in every lane at once: the largest products of both signs, and partial sums at
        // the int32 limits so that the sum wraps.
        const std::vector<int64_t> w_ext{mode.w_min(), -1, 0, 1, mode.w_max()};
        std::vector<int64_t> a_ext{mode.a_min(), 0, 1, mode.a_max()};
        if (mode.activations_signed) a_ext.push_back(-1);
        const int32_t psums[] = {0, INT32_MAX, INT32_MIN, -1};
        const auto combos = [](size_t choices, size_t lanes) {
            size_t n = 1;
            for (size_t i = 0; i < lanes; ++i) n *= choices;
            return n;
        };
        const auto pick = [](const std::vector<int64_t>& set, size_t index, size_t lanes) {
            std::vector<int64_t> v(lanes);
            for (size_t l = 0; l < lanes; ++l, index /= set.size()) v[l] = set[index % set.size()];
            return v;
        };
        size_t n = 0;
        for (size_t wi = 0; wi < combos(w_ext.size(), macs); ++wi) {
            const std::vector<int64_t> w = pick(w_ext, wi, macs);
            pe.load_weight(word_of(w, mode.weight_bits));
            for (size_t ai = 0; ai < combos(a_ext.size(), macs); ++ai) {
                checker.check(pe, mode, w, pick(a_ext, ai, macs), psums[n++ % 4]);
            }
        }
        INFO(checker.first);
        CHECK(checker.mismatches == 0);
        CHECK(checker.cases == 16000 + static_cast<int64_t>(combos(w_ext.size(), macs) * combos(a_ext.size(), macs)));
    }
}
