#include "sim/mapper.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "util/checked.h"
#include "util/error.h"
#include "sim/storage_format.h"

namespace dyadic::sim {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Tilings whose estimated time is within this fraction of the fastest one count as equally fast.
constexpr double kTimeSlack = 0.02;

// Layer shapes come from model files (at most 2^40 elements per tensor), so traffic and cycle
// products can exceed 64 bits for forged layers: every such product and sum is checked.
constexpr const char* kCostOverflow = "sim: the layer's DRAM traffic or cycle count";
int64_t mul(int64_t a, int64_t b) { return checked_mul(a, b, kCostOverflow); }
int64_t mul(int64_t a, int64_t b, int64_t c) { return mul(mul(a, b), c); }
int64_t mul(int64_t a, int64_t b, int64_t c, int64_t d) { return mul(mul(a, b, c), d); }
int64_t add(int64_t a, int64_t b) { return checked_add(a, b, kCostOverflow); }

// A layer longer than this (about 3 days at 1 GHz) is refused: SystemC time counts picoseconds
// in 64 bits, and DRAM byte slots are cycles times bandwidth, so both stay far from overflow.
constexpr int64_t kMaxLayerCycles = int64_t{1} << 48;

std::vector<Range> split(int64_t total, int64_t tile) {
    std::vector<Range> ranges;
    for (int64_t b = 0; b < total; b += tile) ranges.push_back(Range{b, std::min(total, b + tile)});
    return ranges;
}

int position_of(const LoopOrder& order, LoopDim dim) {
    for (int i = 0; i < 3; ++i) {
        if (order[static_cast<size_t>(i)] == dim) return i;
    }
    return -1;
}

// Loops of extent 1 never change a tile index: moving them innermost (keeping the others'
// relative order) gives the same schedule, so every order is first brought to this form.
LoopOrder canonical(const LoopOrder& order, int64_t m_tiles, int64_t k_tiles, int64_t t_tiles) {
    const auto extent = [&](LoopDim d) { return d == LoopDim::m ? m_tiles : d == LoopDim::k ? k_tiles : t_tiles; };
    LoopOrder result = order;
    std::stable_partition(result.begin(), result.end(), [&](LoopDim d) { return extent(d) > 1; });
    return result;
}

// How many times each operand's tiles are fetched in full: a tile is fetched again whenever the
// loop nest moves to a different tile of it, i.e. once per iteration of every loop outside the
// innermost (non-trivial) loop it depends on.
int64_t refetch_factor(const LoopOrder& order, const std::array<int64_t, 3>& extent_by_pos, LoopDim a, LoopDim b) {
    int innermost = -1;
    for (int i = 0; i < 3; ++i) {
        const LoopDim d = order[static_cast<size_t>(i)];
        if ((d == a || d == b) && extent_by_pos[static_cast<size_t>(i)] > 1) innermost = i;
    }
    int64_t factor = 1;
    for (int i = 0; i < innermost; ++i) {
        const LoopDim d = order[static_cast<size_t>(i)];
        if (d != a && d != b) factor = mul(factor, extent_by_pos[static_cast<size_t>(i)]);
    }
    return factor;
}

// Tile loads of an operand: one per iteration of every loop at or outside the innermost
// (non-trivial) loop it depends on.
int64_t fetch_count(const LoopOrder& order, const std::array<int64_t, 3>& extent_by_pos, LoopDim a, LoopDim b) {
    int innermost = -1;
    for (int i = 0; i < 3; ++i) {
        const LoopDim d = order[static_cast<size_t>(i)];
        if ((d == a || d == b) && extent_by_pos[static_cast<size_t>(i)] > 1) innermost = i;
    }
    int64_t count = 1;
    for (int i = 0; i <= innermost; ++i) count = mul(count, extent_by_pos[static_cast<size_t>(i)]);
    return count;
}

}  // namespace

std::string loop_order_name(const LoopOrder& order) {
    std::string name;
    for (const LoopDim d : order) {
        if (!name.empty()) name += ',';
        name += d == LoopDim::m ? 'm' : d == LoopDim::k ? 'k' : 't';
    }
    return name;
}

std::string Mapping::describe() const {
    std::ostringstream s;
    s << "tiles m" << tile_m << " k" << tile_k << " rows" << tile_rows << " order " << loop_order_name(order) << " ("
      << m_tiles << "x" << k_tiles << "x" << t_tiles << " tiles)";
    return s.str();
}

bool evaluate_mapping(const ConvShape& s, const OperandFormats& f, const AccelConfig& config, int64_t tile_m,
                      int64_t tile_k, int64_t tile_rows, const LoopOrder& order_in, Mapping& out, std::string* why) {
    const auto fail = [&](const std::string& reason) {
        if (why) *why = reason;
        return false;
    };
    const int64_t groups = s.groups();
    const int64_t mg = s.out_per_group(), kg = s.reduction(), rows = s.output_rows();
    if (tile_m < 1 || tile_k < 1 || tile_rows < 1) return fail("empty tile");
    tile_m = std::min(tile_m, mg);
    tile_k = std::min(tile_k, kg);
    tile_rows = std::min(tile_rows, rows);
    if (!s.splits_within_rows() && tile_k % s.kernel_area() != 0 && tile_k != kg) {
        return fail("reduction tile must hold whole input channels");
    }

    const std::vector<Range> m_ranges = split(mg, tile_m), k_ranges = split(kg, tile_k), t_ranges = split(rows, tile_rows);
    Mapping m;
    m.tile_m = tile_m;
    m.tile_k = tile_k;
    m.tile_rows = tile_rows;
    m.m_tiles = static_cast<int64_t>(m_ranges.size());
    m.k_tiles = static_cast<int64_t>(k_ranges.size());
    m.t_tiles = static_cast<int64_t>(t_ranges.size());
    m.order = canonical(order_in, m.m_tiles, m.k_tiles, m.t_tiles);

    // Operand tiles: weights are Tm rows of a k-range of each OIHW row; inputs are the input rows
    // the t-range needs, for the channels (or, for row-split layers, the columns) the k-range needs.
    const int64_t x_row_stride = row_bytes(s.in_w, f.input_bits);
    int64_t weight_span_sum = 0, weight_span_max = 0, input_a_sum = 0, input_a_max = 0;
    for (const Range& k : k_ranges) {
        const int64_t span = span_bytes(k.begin, k.end, f.weight_bits);
        weight_span_sum = add(weight_span_sum, span);
        weight_span_max = std::max(weight_span_max, span);
        const ReductionFootprint fp = reduction_footprint(s, k);
        int64_t a = mul(fp.c_count, x_row_stride);
        if (fp.partial_columns) {
            const Range cols = input_columns(s, fp.kx_begin, fp.kx_end);
            a = mul(fp.c_count, span_bytes(cols.begin, cols.end, f.input_bits));
        }
        input_a_sum = add(input_a_sum, a);
        input_a_max = std::max(input_a_max, a);
    }
    const int64_t out_row_bytes = row_bytes(s.out_w, f.output_bits);
    const int64_t id_row_bytes = f.identity_bits ? row_bytes(s.out_w, f.identity_bits) : 0;
    int64_t input_b_sum = 0, input_b_max = 0, max_tile_rows = 0, pixel_sum = 0;
    for (const Range& t : t_ranges) {
        int64_t b = 0;
        for_each_image_rows(s, t, [&](const ImageRows& ir) {
            b += input_rows(s, ir.oh_begin, ir.oh_end, 0, s.kernel_h).size();
        });
        input_b_sum = add(input_b_sum, b);
        input_b_max = std::max(input_b_max, b);
        max_tile_rows = std::max(max_tile_rows, t.size());
        pixel_sum = add(pixel_sum, mul(t.size(), s.out_w));
    }

    m.max_weight_tile_bytes = mul(tile_m, weight_span_max);
    m.max_input_tile_bytes = mul(input_a_max, input_b_max);
    if (m.max_weight_tile_bytes > config.weight_bank_bytes()) {
        return fail("weight tile of " + std::to_string(m.max_weight_tile_bytes) + " bytes exceeds the " +
                    std::to_string(config.weight_bank_bytes()) + "-byte weight bank");
    }
    if (m.max_input_tile_bytes > config.input_bank_bytes()) {
        return fail("input tile of " + std::to_string(m.max_input_tile_bytes) + " bytes exceeds the " +
                    std::to_string(config.input_bank_bytes()) + "-byte input bank");
    }
    // Partial sums live in one accumulator bank for as long as the k loop runs: the output tiles
    // of every m/t loop nested inside the k loop are live together.
    const int k_pos = position_of(m.order, LoopDim::k);
    const int64_t live_m = position_of(m.order, LoopDim::m) > k_pos ? mg : tile_m;
    const int64_t live_pixels = mul(position_of(m.order, LoopDim::t) > k_pos ? rows : tile_rows, s.out_w);
    m.accumulator_live_entries = mul(live_m, live_pixels);
    if (m.accumulator_live_entries > config.accumulator_bank_entries()) {
        return fail("live partial sums (" + std::to_string(m.accumulator_live_entries) + " entries) exceed the " +
                    std::to_string(config.accumulator_bank_entries()) + "-entry accumulator bank");
    }
    if (mul(tile_m, max_tile_rows, out_row_bytes) > config.ppu_output_bank_bytes()) {
        return fail("output tile exceeds the post-processing output bank");
    }
    if (mul(tile_m, max_tile_rows, id_row_bytes) > config.ppu_input_bank_bytes()) {
        return fail("identity tile exceeds the post-processing input bank");
    }

    std::array<int64_t, 3> extent_by_pos{};
    for (size_t i = 0; i < 3; ++i) {
        const LoopDim d = m.order[i];
        extent_by_pos[i] = d == LoopDim::m ? m.m_tiles : d == LoopDim::k ? m.k_tiles : m.t_tiles;
    }
    m.weight_bytes = mul(groups, mg, weight_span_sum, refetch_factor(m.order, extent_by_pos, LoopDim::m, LoopDim::k));
    m.input_bytes =
        mul(groups, input_a_sum, input_b_sum, refetch_factor(m.order, extent_by_pos, LoopDim::k, LoopDim::t));
    m.output_bytes = mul(s.batch, s.out_channels, s.out_h, out_row_bytes);
    m.identity_bytes = mul(s.batch, s.out_channels, s.out_h, id_row_bytes);
    m.param_bytes = mul(s.out_channels, kParamBytesPerChannel);

    // Array cycles, separable over the three tile loops: sum over (m, k, t) tiles of
    // ceil(Tm/C) * ceil(Tk/R_eff) * passes folds of (2R + C - 2) fill/drain + T streaming cycles.
    const int64_t r = config.array_rows, c = config.array_cols;
    const int64_t reduction_rows = f.mode.reduction_rows(config.array_rows);
    int64_t m_folds = 0, k_folds = 0;
    for (const Range& mr : m_ranges) m_folds += ceil_div(mr.size(), c);
    for (const Range& kr : k_ranges) k_folds += ceil_div(kr.size(), reduction_rows);
    const int64_t folds_per_t = mul(groups, f.mode.passes, m_folds, k_folds);
    m.compute_cycles = mul(folds_per_t, pixel_sum);
    m.fill_drain_cycles = mul(folds_per_t, m.t_tiles, 2 * r + c - 2);
    m.steps = mul(groups, m.m_tiles, m.k_tiles, m.t_tiles);
    if (config.weight_double_buffer != 0) {
        // Only each step's first fold fills and drains (fold_cycles.h); a later fold whose pixels
        // stream in fewer than R cycles waits for its weights. Estimated with the mean tile height.
        const int64_t mean_pixels = pixel_sum / std::max<int64_t>(m.t_tiles, 1);
        m.fill_drain_cycles = add(mul(m.steps, 2 * r + c - 2),
                                  mul(mul(folds_per_t, m.t_tiles) - m.steps, std::max<int64_t>(r - mean_pixels, 0)));
    }
    m.weight_fetches = mul(groups, fetch_count(m.order, extent_by_pos, LoopDim::m, LoopDim::k));
    m.input_fetches = mul(groups, fetch_count(m.order, extent_by_pos, LoopDim::k, LoopDim::t));

    const int64_t bandwidth = config.dram_bandwidth_bytes_per_cycle, latency = config.dram_latency_cycles;
    const int64_t output_tiles = mul(groups, m.m_tiles, m.t_tiles);
    const int64_t output_elements = mul(s.batch, s.out_channels, s.out_h, s.out_w);
    const int64_t array_cycles = add(m.compute_cycles, m.fill_drain_cycles);
    const int64_t dram_bytes = add(add(add(m.weight_bytes, m.input_bytes), add(m.output_bytes, m.identity_bytes)),
                                   m.param_bytes);
    const int64_t bound = std::max({array_cycles, dram_bytes / bandwidth,
                                    add(mul(m.weight_fetches, latency), m.weight_bytes / bandwidth),
                                    add(mul(m.input_fetches, latency), m.input_bytes / bandwidth),
                                    add(mul(output_tiles, config.ppu_pipeline_cycles), output_elements / config.ppu_lanes),
                                    add(mul(output_tiles, latency), m.output_bytes / bandwidth)});
    const int64_t tile_elements = mul(tile_m, max_tile_rows, s.out_w);
    // Every term here is bounded by the configuration's memories and latencies: no overflow.
    const int64_t exposed = latency + (m.max_weight_tile_bytes + m.max_input_tile_bytes + m.param_bytes) / bandwidth +
                            config.ppu_pipeline_cycles + tile_elements / config.ppu_lanes + latency +
                            tile_m * max_tile_rows * out_row_bytes / bandwidth;
    m.estimated_cycles = add(bound, exposed);
    out = m;
    return true;
}

Mapping map_layer(const ConvShape& s, const OperandFormats& f, const AccelConfig& config) {
    const int64_t mg = s.out_per_group(), kg = s.reduction(), rows = s.output_rows();
    const int64_t reduction_rows = f.mode.reduction_rows(config.array_rows);

    std::set<int64_t> m_candidates{mg};
    for (int64_t v = config.array_cols; v < mg; v *= 2) m_candidates.insert(v);
    for (int64_t v = 1; v < std::min<int64_t>(mg, config.array_cols); v *= 2) m_candidates.insert(v);

    std::set<int64_t> k_candidates{kg};
    if (s.splits_within_rows()) {
        for (int64_t v = reduction_rows; v < kg; v *= 2) k_candidates.insert(v);
    } else {
        const int64_t area = s.kernel_area();
        for (int64_t channels = 1; channels < s.in_per_group(); channels *= 2) k_candidates.insert(channels * area);
        // Tiles whose reduction is a whole number of array folds waste no PE rows.
        int64_t aligned = 1;
        while ((aligned * area) % reduction_rows != 0 && aligned < s.in_per_group()) ++aligned;
        for (int64_t channels = aligned; channels < s.in_per_group(); channels *= 2) k_candidates.insert(channels * area);
    }

    std::set<int64_t> row_candidates{rows};
    for (int64_t v = 1; v < rows; v *= 2) row_candidates.insert(v);
    if (s.out_h < rows) row_candidates.insert(s.out_h);

    const std::array<LoopOrder, 6> orders{{{LoopDim::m, LoopDim::t, LoopDim::k},
                                           {LoopDim::t, LoopDim::m, LoopDim::k},
                                           {LoopDim::m, LoopDim::k, LoopDim::t},
                                           {LoopDim::t, LoopDim::k, LoopDim::m},
                                           {LoopDim::k, LoopDim::m, LoopDim::t},
                                           {LoopDim::k, LoopDim::t, LoopDim::m}}};

    std::vector<Mapping> tilings;
    std::string last_reason = "no candidate tiles";
    for (const int64_t tm : m_candidates) {
        for (const int64_t tk : k_candidates) {
            for (const int64_t tr : row_candidates) {
                // The loop order of this tiling: fewest DRAM bytes.
                bool tiling_found = false;
                Mapping tiling;
                for (const LoopOrder& order : orders) {
                    Mapping m;
                    if (!evaluate_mapping(s, f, config, tm, tk, tr, order, m, &last_reason)) continue;
                    if (!tiling_found || std::make_tuple(m.dram_bytes(), m.estimated_cycles, m.steps) <
                                             std::make_tuple(tiling.dram_bytes(), tiling.estimated_cycles, tiling.steps)) {
                        tiling = m;
                        tiling_found = true;
                    }
                }
                if (tiling_found) tilings.push_back(tiling);
            }
        }
    }
    // The tiling: within kTimeSlack of the lowest estimated time, the fewest DRAM bytes (then the
    // lower estimate, then fewer tiles). A near-tie in time is not worth extra DRAM traffic.
    const bool found = !tilings.empty();
    Mapping best;
    if (found) {
        int64_t fastest = tilings.front().estimated_cycles;
        for (const Mapping& m : tilings) fastest = std::min(fastest, m.estimated_cycles);
        const auto limit = static_cast<int64_t>(static_cast<double>(fastest) * (1.0 + kTimeSlack));
        bool have = false;
        for (const Mapping& m : tilings) {
            if (m.estimated_cycles > limit) continue;
            if (!have || std::make_tuple(m.dram_bytes(), m.estimated_cycles, m.steps) <
                             std::make_tuple(best.dram_bytes(), best.estimated_cycles, best.steps)) {
                best = m;
                have = true;
            }
        }
    }
    require(found, "sim: no tiling of the layer (input [" + std::to_string(s.batch) + ", " +
                       std::to_string(s.in_channels) + ", " + std::to_string(s.in_h) + ", " + std::to_string(s.in_w) +
                       "], " + std::to_string(s.out_channels) + " outputs, kernel " + std::to_string(s.kernel_h) +
                       "x" + std::to_string(s.kernel_w) + ") fits the accelerator's memories: " + last_reason);
    require(best.estimated_cycles <= kMaxLayerCycles,
            "sim: the layer would take about " + std::to_string(best.estimated_cycles) +
                " cycles, more than the simulator's limit of 2^48 cycles per layer");
    return best;
}

}  // namespace dyadic::sim
