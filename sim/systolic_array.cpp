#include "sim/systolic_array.h"

#include "sim/fold_cycles.h"

#include <algorithm>
#include <limits>

#include "sim/clock.h"
#include "sim/energy_model.h"
#include "sim/storage_format.h"

namespace dyadic::sim {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t magnitude_bound(const IntType& t) { return std::max(-t.min(), t.max()); }

bool fits_int16(const IntType& t) { return t.min() >= std::numeric_limits<int16_t>::min() && t.max() <= std::numeric_limits<int16_t>::max(); }

// Exact dot products: int16 operands whose |products| * length < 2^31 sum exactly in int32 (the
// compiler turns this loop into packed multiply-add instructions); anything else sums in int64.
inline int64_t dot(const int16_t* a, const int16_t* b, int64_t n) {
    int32_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
    return sum;
}
inline int64_t dot(const int32_t* a, const int32_t* b, int64_t n) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<int64_t>(a[i]) * b[i];
    return sum;
}

}  // namespace

SystolicArray::SystolicArray(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(run); }

void SystolicArray::start_layer(RunContext* context) {
    context_ = context;
    current_block_ = -1;
    last_busy_cycle_ = now_cycles();
    const ConvJob& job = context->job->conv;
    const IntType w = job.weight.type, x = job.input.type;
    // A compute core takes int32 operands, so only the behavioural model uses the int16 path.
    narrow_ = context->core == nullptr && fits_int16(w) && fits_int16(x) &&
              magnitude_bound(w) * magnitude_bound(x) * job.shape.reduction() < (int64_t{1} << 31);
}

void SystolicArray::run() {
    for (;;) {
        const ArrayCommand command = commands.pop();
        const Step& step = *command.step;
        const ConvJob& job = context_->job->conv;
        LayerStats& stats = *context_->stats;

        const int64_t waiting_since = now_cycles();
        inputs_->state.wait_full(step.input_bank);
        weights_->state.wait_full(step.weight_bank);
        const int64_t operands_ready = now_cycles();
        stats.memory_stall_cycles += operands_ready - waiting_since;
        const AccumulatorBlock& block = job.schedule.blocks[static_cast<size_t>(step.block)];
        if (step.block != current_block_) {
            // A new block needs its bank back from the post-processing unit.
            accumulators_->state.wait_empty(block.bank);
            stats.post_processing_cycles += now_cycles() - operands_ready;
            current_block_ = step.block;
        }

        const int64_t core_cycles = context_->job->functional ? compute(command) : 0;

        const int64_t reduction_rows = job.formats.mode.reduction_rows(config_.array_rows);
        const int64_t folds = ceil_div(step.m.size(), config_.array_cols) * ceil_div(step.k.size(), reduction_rows) *
                              job.formats.mode.passes;
        const int64_t pixels = step.rows.size() * job.shape.out_w;
        // A compute core's own cycle count replaces the closed form; the streaming part is the same
        // by definition, and whatever else it took counts as fill and drain.
        const int64_t step_cycles = context_->core != nullptr && context_->job->functional
                                        ? core_cycles
                                        : step_array_cycles(folds, pixels, config_);
        sc_core::wait(cycles(step_cycles));
        stats.compute_cycles += folds * pixels;
        stats.fill_drain_cycles += step_cycles - folds * pixels;
        count_step_events(step, pixels);

        if (step.release_weights) weights_->state.drain(step.weight_bank);
        if (step.release_inputs) inputs_->state.drain(step.input_bank);
        if (step.last_step_of_block) accumulators_->state.fill(block.bank);
        last_busy_cycle_ = now_cycles();
    }
}

void SystolicArray::count_step_events(const Step& step, int64_t pixels) {
    const ConvJob& job = context_->job->conv;
    const PrecisionMode& mode = job.formats.mode;
    const int64_t tm = step.m.size(), tk = step.k.size();
    count_mac_ops(context_->stats->mac_ops, mode, tm * tk * pixels);
    // Every fold loads its R_eff x C block of weights into the PEs, and streams the inputs of its
    // reduction rows for every pixel (im2col, padding included); each pass does it again. Column
    // folds therefore read the input tile once each.
    const int64_t column_folds = ceil_div(tm, config_.array_cols);
    weights_->count_port_read(row_bytes(mode.passes * tm * tk, job.formats.weight_bits));
    inputs_->count_port_read(row_bytes(mode.passes * column_folds * pixels * tk, job.formats.input_bits));
    // The partial sums that drain out of every reduction fold add into the accumulator entries:
    // a write per fold, and a read per fold but the step's first when it starts from zero.
    const int64_t reduction_folds = ceil_div(tk, mode.reduction_rows(config_.array_rows)) * mode.passes;
    accumulators_->count_write(reduction_folds * tm * pixels);
    accumulators_->count_read((reduction_folds - (step.first_k ? 1 : 0)) * tm * pixels);
}

int64_t SystolicArray::compute(const ArrayCommand& command) {
    return narrow_ ? compute_tile<int16_t>(command) : compute_tile<int32_t>(command);
}

template <typename T>
int64_t SystolicArray::compute_tile(const ArrayCommand& command) {
    const Step& step = *command.step;
    const ConvJob& job = context_->job->conv;
    const ConvShape& s = job.shape;
    const int64_t tk = step.k.size(), tm = step.m.size();
    const int64_t pixels = step.rows.size() * s.out_w;
    std::vector<T>& weights = [this]() -> std::vector<T>& {
        if constexpr (sizeof(T) == 2) return weights16_; else return weights32_;
    }();
    std::vector<T>& columns = [this]() -> std::vector<T>& {
        if constexpr (sizeof(T) == 2) return inputs16_; else return inputs32_;
    }();
    std::vector<T>& planes = [this]() -> std::vector<T>& {
        if constexpr (sizeof(T) == 2) return planes16_; else return planes32_;
    }();

    if (step.load_weights) {
        // The weights the PEs hold: tm rows of tk reduction elements.
        weights.assign(static_cast<size_t>(tm * tk), 0);
        const uint8_t* bank = weights_->bank(step.weight_bank);
        for (size_t i = 0; i < command.weights->segments.size(); ++i) {
            unpack_segment(*command.weights, i, bank, weights.data() + static_cast<int64_t>(i) * tk);
        }
    }

    if (step.load_inputs) {
        // Unpack the input tile's planes, then lower them to columns[pixel][k] (im2col) with the
        // zero padding made explicit.
        const TileLayout& layout = *command.inputs;
        const uint8_t* bank = inputs_->bank(step.input_bank);
        struct Plane {
            int64_t offset, row_begin, row_end, col_begin, col_end;
        };
        std::vector<Plane> index(layout.segments.size());
        int64_t total = 0;
        for (size_t i = 0; i < layout.segments.size(); ++i) {
            const SegmentSpec& spec = layout.segments[i].spec;
            index[i] = Plane{total, spec.rows.begin, spec.rows.end, spec.cols.begin, spec.cols.end};
            if (layout.segments[i].has_data()) total += spec.rows.size() * spec.cols.size();
        }
        planes.resize(static_cast<size_t>(total));
        for (size_t i = 0; i < layout.segments.size(); ++i) {
            unpack_segment(layout, i, bank, planes.data() + index[i].offset);
        }

        const ReductionFootprint fp = reduction_footprint(s, step.k);
        const int64_t area = s.kernel_area();
        std::vector<int64_t> k_channel(static_cast<size_t>(tk)), k_dy(static_cast<size_t>(tk)), k_dx(static_cast<size_t>(tk));
        for (int64_t kk = 0; kk < tk; ++kk) {
            const int64_t k = step.k.begin + kk;
            k_channel[static_cast<size_t>(kk)] = k / area - fp.c_first;
            k_dy[static_cast<size_t>(kk)] = (k % area) / s.kernel_w * s.params.dilation_h;
            k_dx[static_cast<size_t>(kk)] = (k % area) % s.kernel_w * s.params.dilation_w;
        }
        columns.resize(static_cast<size_t>(pixels * tk));
        const int64_t first_image = step.rows.begin / s.out_h;
        int64_t p = 0;
        for (int64_t row = step.rows.begin; row < step.rows.end; ++row) {
            const int64_t image = row / s.out_h - first_image;
            const int64_t iy0 = (row % s.out_h) * s.params.stride_h - s.params.pad_top;
            for (int64_t ox = 0; ox < s.out_w; ++ox, ++p) {
                const int64_t ix0 = ox * s.params.stride_w - s.params.pad_left;
                T* out = columns.data() + p * tk;
                for (int64_t kk = 0; kk < tk; ++kk) {
                    const Plane& pl = index[static_cast<size_t>(image * fp.c_count + k_channel[static_cast<size_t>(kk)])];
                    const int64_t iy = iy0 + k_dy[static_cast<size_t>(kk)];
                    const int64_t ix = ix0 + k_dx[static_cast<size_t>(kk)];
                    out[kk] = (iy >= pl.row_begin && iy < pl.row_end && ix >= pl.col_begin && ix < pl.col_end)
                                  ? planes[static_cast<size_t>(pl.offset + (iy - pl.row_begin) * (pl.col_end - pl.col_begin) +
                                                               (ix - pl.col_begin))]
                                  : T{0};
                }
            }
        }
    }

    const AccumulatorBlock& block = job.schedule.blocks[static_cast<size_t>(step.block)];
    const OutputTile& tile = block.tiles[static_cast<size_t>(step.tile)];
    int64_t* acc = accumulators_->bank(block.bank) + tile.accumulator_offset;
    if (step.first_k) std::fill(acc, acc + tm * pixels, 0);
    if constexpr (sizeof(T) == 4) {
        if (context_->core != nullptr) {
            // The core's int32 partial sums wrap; the bank keeps them sign-extended.
            core_acc_.resize(static_cast<size_t>(tm * pixels));
            for (size_t i = 0; i < core_acc_.size(); ++i) core_acc_[i] = static_cast<int32_t>(static_cast<uint32_t>(acc[i]));
            const int64_t core_cycles = context_->core->array_step(job.weight.type, job.input.type, weights.data(), tm, tk,
                                                                   columns.data(), pixels, core_acc_.data());
            std::copy(core_acc_.begin(), core_acc_.end(), acc);
            return core_cycles;
        }
    }
    // Blocks of pixels small enough to stay in cache while every weight row passes over them.
    const int64_t pixel_block = std::max<int64_t>(1, (64 * 1024) / static_cast<int64_t>(sizeof(T) * tk));
    for (int64_t p0 = 0; p0 < pixels; p0 += pixel_block) {
        const int64_t p1 = std::min(pixels, p0 + pixel_block);
        for (int64_t m = 0; m < tm; ++m) {
            const T* w = weights.data() + m * tk;
            int64_t* acc_row = acc + m * pixels;
            for (int64_t p = p0; p < p1; ++p) acc_row[p] += dot(w, columns.data() + p * tk, tk);
        }
    }
    return 0;
}

template int64_t SystolicArray::compute_tile<int16_t>(const ArrayCommand&);
template int64_t SystolicArray::compute_tile<int32_t>(const ArrayCommand&);

}  // namespace dyadic::sim
