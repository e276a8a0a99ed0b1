#include "sim/post_processing_unit.h"

#include <algorithm>
#include <limits>
#include <string>

#include "util/error.h"
#include "reference/requantize.h"
#include "sim/clock.h"

namespace dyadic::sim {
namespace {

int32_t read_le32(const uint8_t* p) {
    return static_cast<int32_t>(static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                                (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24));
}

int32_t wrap_int32(int64_t value) { return static_cast<int32_t>(static_cast<uint32_t>(value)); }

int32_t clamp_to(int64_t value, const ClampRange& range) {
    return static_cast<int32_t>(std::clamp(value, range.lo, range.hi));
}

}  // namespace

PostProcessingUnit::PostProcessingUnit(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(run); }

void PostProcessingUnit::start_layer(RunContext* context) {
    context_ = context;
    parameters_loaded_ = false;
    tiles_done_ = 0;
    busy_cycles_ = 0;
}

int64_t PostProcessingUnit::tile_cycles(int64_t elements) const {
    return (elements + config_.ppu_lanes - 1) / config_.ppu_lanes + config_.ppu_pipeline_cycles;
}

void PostProcessingUnit::run() {
    for (;;) {
        const PpuCommand command = commands.pop();
        try {
            if (command.tile != nullptr) {
                const int bank = static_cast<int>(tiles_done_ % 2);
                input_buffer_->state.wait_full(command.input_bank);
                output_buffer_->state.wait_empty(bank);
                const int64_t elements = [&] {
                    int64_t in = 0;
                    for (const auto& layout : command.tile->inputs) {
                        for (const TileSegment& seg : layout->segments) in += seg.spec.rows.size() * seg.spec.cols.size();
                    }
                    int64_t out = 0;
                    for (const TileSegment& seg : command.tile->output->segments) out += seg.spec.rows.size() * seg.spec.cols.size();
                    return std::max(in, out);
                }();
                if (context_->job->functional) run_stream_tile(*command.tile, command.input_bank, bank);
                sc_core::wait(cycles(tile_cycles(elements)));
                busy_cycles_ += tile_cycles(elements);
                context_->stats->ppu_ops += elements;
                for (const auto& layout : command.tile->inputs) input_buffer_->count_port_read(layout->bytes);
                output_buffer_->count_port_write(command.tile->output->bytes);
                input_buffer_->state.drain(command.input_bank);
                output_buffer_->state.fill(bank);
                dma_->stores.push(DmaCommand{DmaTarget::ppu_output, bank, command.tile->output});
                ++tiles_done_;
            } else {
                finish_block(command);
            }
        } catch (const Error& e) {
            context_->report(e.what());
        }
    }
}

void PostProcessingUnit::load_parameters() {
    params_->state.wait_full(0);
    parameters_loaded_ = true;
    const ConvJob& job = context_->job->conv;
    const int64_t channels = job.shape.out_channels;
    params_->count_port_read(channels * kParamBytesPerChannel);
    if (!context_->job->functional) return;
    bias_.resize(static_cast<size_t>(channels));
    multiplier_.resize(static_cast<size_t>(channels));
    const uint8_t* p = params_->bank(0);
    for (int64_t o = 0; o < channels; ++o, p += kParamBytesPerChannel) {
        bias_[static_cast<size_t>(o)] = read_le32(p);
        multiplier_[static_cast<size_t>(o)] = Dyadic{read_le32(p + 4), static_cast<int>(p[8])};
    }
}

void PostProcessingUnit::finish_block(const PpuCommand& command) {
    const ConvJob& job = context_->job->conv;
    if (!parameters_loaded_) load_parameters();
    const AccumulatorBlock& block = job.schedule.blocks[static_cast<size_t>(command.block)];
    accumulators_->state.wait_full(block.bank);
    for (size_t i = 0; i < block.tiles.size(); ++i) {
        const OutputTile& tile = block.tiles[i];
        const int bank = static_cast<int>(tiles_done_ % 2);
        if (job.residual) input_buffer_->state.wait_full(bank);
        output_buffer_->state.wait_empty(bank);
        const bool functional = context_->job->functional;
        const int64_t core_cycles =
            functional ? finish_tile(block, tile, *command.outputs[i], job.residual ? command.identities[i].get() : nullptr, bank)
                       : 0;
        const int64_t elements = tile.m.size() * tile.pixels(job.shape.out_w);
        // A compute core's own cycle count replaces the closed form.
        const int64_t taken = context_->core != nullptr && functional ? core_cycles : tile_cycles(elements);
        sc_core::wait(cycles(taken));
        busy_cycles_ += taken;
        context_->stats->ppu_ops += elements;
        accumulators_->count_read(elements);
        if (job.residual) input_buffer_->count_port_read(command.identities[i]->bytes);
        output_buffer_->count_port_write(command.outputs[i]->bytes);
        if (job.residual) input_buffer_->state.drain(bank);
        output_buffer_->state.fill(bank);
        dma_->stores.push(DmaCommand{DmaTarget::ppu_output, bank, command.outputs[i]});
        ++tiles_done_;
    }
    accumulators_->state.drain(block.bank);
}

int64_t PostProcessingUnit::finish_tile(const AccumulatorBlock& block, const OutputTile& tile, const TileLayout& output,
                                        const TileLayout* identity, int bank) {
    const ConvJob& job = context_->job->conv;
    const ConvShape& s = job.shape;
    const int64_t pixels = tile.pixels(s.out_w);
    const int64_t first_channel = tile.group * s.out_per_group() + tile.m.begin;
    const int64_t* acc = accumulators_->bank(block.bank) + tile.accumulator_offset;
    uint8_t* out_bank = output_buffer_->bank(bank);
    const uint8_t* id_bank = input_buffer_->bank(bank);
    identity_row_.resize(static_cast<size_t>(s.out_w));
    // Gather the tile's elements in output order (segment, row, column) with their channel's parameters.
    elements_.clear();
    for (size_t i = 0; i < output.segments.size(); ++i) {
        const TileSegment& seg = output.segments[i];
        const int64_t n = seg.spec.n, o = seg.spec.c;
        const int64_t* acc_row = acc + (o - first_channel) * pixels;
        const Dyadic& multiplier = multiplier_[static_cast<size_t>(o)];
        const int64_t bias = bias_[static_cast<size_t>(o)];
        for (int64_t oh = seg.spec.rows.begin; oh < seg.spec.rows.end; ++oh) {
            const int64_t p0 = (n * s.out_h + oh - tile.rows.begin) * s.out_w;
            const int64_t local_row = oh - seg.spec.rows.begin;
            if (identity != nullptr) {
                const TileSegment& id = identity->segments[i];
                unpack_elements(id_bank, id.local_bit + local_row * id.local_row_bits, s.out_w, identity->bits,
                                identity->is_signed, identity_row_.data());
            }
            for (int64_t ox = 0; ox < s.out_w; ++ox) {
                const int64_t value = acc_row[p0 + ox] + bias;
                if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
                    context_->report("sim: int32 accumulator overflow at " + to_string(Shape{n, o, oh, ox}) +
                                     " (value " + std::to_string(value) + ")");
                }
                elements_.push_back(CoreElement{wrap_int32(acc_row[p0 + ox]), static_cast<int32_t>(bias), multiplier,
                                                identity != nullptr ? identity_row_[static_cast<size_t>(ox)] : 0});
            }
        }
    }

    results_.resize(elements_.size());
    int64_t core_cycles = 0;
    if (context_->core != nullptr) {
        const IntType type = job.output.type;
        const CoreOutputStage stage{job.residual, job.identity_multiplier, type, type.is_signed && job.range.lo == 0};
        core_cycles = context_->core->output_tile(stage, elements_.data(), static_cast<int64_t>(elements_.size()),
                                                  results_.data());
    } else {
        for (size_t k = 0; k < elements_.size(); ++k) {
            const CoreElement& e = elements_[k];
            const int64_t value = wrap_int32(int64_t{e.acc} + e.bias);  // the hardware's int32 wraps
            results_[k] = identity != nullptr ? clamp_to(dyadic_scale(value, e.multiplier) +
                                                             dyadic_scale(e.identity, job.identity_multiplier),
                                                         job.range)
                                              : requantize(value, e.multiplier, job.range);
        }
    }

    const int32_t* row = results_.data();
    for (const TileSegment& seg : output.segments) {
        for (int64_t local_row = 0; local_row < seg.spec.rows.size(); ++local_row, row += s.out_w) {
            pack_elements(row, s.out_w, output.bits, out_bank, seg.local_bit + local_row * seg.local_row_bits);
        }
    }
    return core_cycles;
}

void PostProcessingUnit::pool_on_core(const StreamJob& job, int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w) {
    windows_.clear();
    window_values_.clear();
    if (job.op == StreamOp::global_average_pool) {
        windows_.push_back(CoreWindow{0, in_h * in_w, job.global_multiplier});
        window_values_ = plane_;
    } else {
        // The same windows as the behavioural loop below: padding is never read.
        const Pool2dParams& p = job.pool;
        const int64_t window = int64_t{p.kernel_h} * p.kernel_w;
        for (int64_t y = 0; y < out_h; ++y) {
            const int64_t top = y * p.stride_h - p.pad_top;
            const int64_t r0 = std::max<int64_t>(top, 0), r1 = std::min<int64_t>(top + p.kernel_h, in_h);
            for (int64_t x = 0; x < out_w; ++x) {
                const int64_t left = x * p.stride_w - p.pad_left;
                const int64_t c0 = std::max<int64_t>(left, 0), c1 = std::min<int64_t>(left + p.kernel_w, in_w);
                CoreWindow w{static_cast<int64_t>(window_values_.size()), (r1 - r0) * (c1 - c0), Dyadic{}};
                for (int64_t r = r0; r < r1; ++r) {
                    window_values_.insert(window_values_.end(), plane_.begin() + r * in_w + c0, plane_.begin() + r * in_w + c1);
                }
                if (job.op == StreamOp::average_pool) {
                    const int64_t count = job.average.count_include_pad ? window : w.count;
                    w.multiplier = job.average.multiplier_by_count[static_cast<size_t>(count - 1)];
                }
                windows_.push_back(w);
            }
        }
    }
    pooled_.resize(windows_.size());
    const CorePoolStage stage{job.op == StreamOp::max_pool, job.output.type};
    // The stream tile keeps the closed-form cycles (docs/accelerator.md): the core computes the values.
    context_->core->pool_tile(stage, window_values_.data(), windows_.data(), static_cast<int64_t>(windows_.size()),
                              pooled_.data());
}

void PostProcessingUnit::run_stream_tile(const StreamTile& tile, int input_bank, int output_bank) {
    const StreamJob& job = context_->job->stream;
    const uint8_t* in_bank = input_buffer_->bank(input_bank);
    uint8_t* out_bank = output_buffer_->bank(output_bank);
    const TileLayout& out = *tile.output;
    const TileLayout& in = *tile.inputs[0];
    for (size_t i = 0; i < out.segments.size(); ++i) {
        const TileSegment& oseg = out.segments[i];
        const TileSegment& iseg = in.segments[i];
        const int64_t in_h = iseg.spec.rows.size(), in_w = iseg.spec.cols.size();
        const int64_t out_h = oseg.spec.rows.size(), out_w = oseg.spec.cols.size();
        const int64_t channel = oseg.spec.c;
        plane_.resize(static_cast<size_t>(in_h * in_w));
        unpack_segment(in, i, in_bank, plane_.data());
        row_.resize(static_cast<size_t>(out_w));
        const auto emit_row = [&](int64_t y) {
            pack_elements(row_.data(), out_w, out.bits, out_bank, oseg.local_bit + y * oseg.local_row_bits);
        };
        const bool pooling = job.op == StreamOp::max_pool || job.op == StreamOp::average_pool ||
                             job.op == StreamOp::global_average_pool;
        if (pooling && context_->core != nullptr) {
            pool_on_core(job, in_h, in_w, out_h, out_w);
            for (int64_t y = 0; y < out_h; ++y) {
                std::copy(pooled_.begin() + y * out_w, pooled_.begin() + (y + 1) * out_w, row_.begin());
                emit_row(y);
            }
            continue;
        }
        switch (job.op) {
            case StreamOp::max_pool:
            case StreamOp::average_pool: {
                const Pool2dParams& p = job.pool;
                const int64_t window = int64_t{p.kernel_h} * p.kernel_w;
                for (int64_t y = 0; y < out_h; ++y) {
                    const int64_t top = y * p.stride_h - p.pad_top;
                    const int64_t r0 = std::max<int64_t>(top, 0), r1 = std::min<int64_t>(top + p.kernel_h, in_h);
                    for (int64_t x = 0; x < out_w; ++x) {
                        const int64_t left = x * p.stride_w - p.pad_left;
                        const int64_t c0 = std::max<int64_t>(left, 0), c1 = std::min<int64_t>(left + p.kernel_w, in_w);
                        int64_t best = std::numeric_limits<int64_t>::min(), sum = 0;
                        for (int64_t r = r0; r < r1; ++r) {
                            for (int64_t c = c0; c < c1; ++c) {
                                const int64_t v = plane_[static_cast<size_t>(r * in_w + c)];
                                best = std::max(best, v);
                                sum += v;
                            }
                        }
                        if (job.op == StreamOp::max_pool) {
                            row_[static_cast<size_t>(x)] = static_cast<int32_t>(best);
                        } else {
                            const int64_t count = job.average.count_include_pad ? window : (r1 - r0) * (c1 - c0);
                            row_[static_cast<size_t>(x)] =
                                requantize(sum, job.average.multiplier_by_count[static_cast<size_t>(count - 1)], job.range);
                        }
                    }
                    emit_row(y);
                }
                break;
            }
            case StreamOp::global_average_pool: {
                int64_t sum = 0;
                for (const int32_t v : plane_) sum += v;
                row_[0] = requantize(sum, job.global_multiplier, job.range);
                emit_row(0);
                break;
            }
            case StreamOp::residual_add: {
                const TileLayout& id = *tile.inputs[1];
                second_plane_.resize(plane_.size());
                unpack_segment(id, i, in_bank, second_plane_.data());
                const Dyadic& main_multiplier =
                    job.add.main_multipliers.size() == 1 ? job.add.main_multipliers[0]
                                                         : job.add.main_multipliers[static_cast<size_t>(channel)];
                for (int64_t y = 0; y < out_h; ++y) {
                    for (int64_t x = 0; x < out_w; ++x) {
                        const size_t j = static_cast<size_t>(y * in_w + x);
                        row_[static_cast<size_t>(x)] = clamp_to(
                            dyadic_scale(plane_[j], main_multiplier) + dyadic_scale(second_plane_[j], job.add.identity_multiplier),
                            job.range);
                    }
                    emit_row(y);
                }
                break;
            }
            case StreamOp::concat: {
                const Dyadic& multiplier = job.concat_multipliers[static_cast<size_t>(tile.operand)];
                for (int64_t y = 0; y < out_h; ++y) {
                    for (int64_t x = 0; x < out_w; ++x) {
                        row_[static_cast<size_t>(x)] =
                            requantize(plane_[static_cast<size_t>(y * in_w + x)], multiplier, job.range);
                    }
                    emit_row(y);
                }
                break;
            }
        }
    }
}

}  // namespace dyadic::sim
