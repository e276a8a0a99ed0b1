#include "sim/job_builder.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace dyadic::sim {
namespace {

constexpr int64_t kRegionAlignment = 64;

int64_t align_up(int64_t v) { return (v + kRegionAlignment - 1) / kRegionAlignment * kRegionAlignment; }

// Places the next region at the current end of the image.
TensorPlacement place_next(int64_t& end, int64_t n, int64_t c, int64_t h, int64_t w, const IntType& type) {
    TensorPlacement p = place_tensor(end, n, c, h, w, type);
    end = align_up(end + p.total_bytes());
    return p;
}

void pack_tensor(const TensorPlacement& p, const TensorStorage& data, std::vector<uint8_t>& dram) {
    for (int64_t n = 0; n < p.n; ++n) {
        for (int64_t c = 0; c < p.c; ++c) {
            for (int64_t h = 0; h < p.h; ++h) {
                const int64_t first = ((n * p.c + c) * p.h + h) * p.w;
                pack_elements(&data[static_cast<size_t>(first)], p.w, p.bits, dram.data(), p.bit_address(n, c, h, 0));
            }
        }
    }
}

void write_le32(uint8_t* p, int32_t v) {
    const uint32_t u = static_cast<uint32_t>(v);
    for (int b = 0; b < 4; ++b) p[b] = static_cast<uint8_t>(u >> (8 * b));
}

// The shape of a tensor seen as 4-D [N, C, H, W] (trailing dimensions folded into W for ranks
// above 4, missing ones set to 1).
std::array<int64_t, 4> as_4d(const Shape& shape) {
    std::array<int64_t, 4> d{1, 1, 1, 1};
    require(shape.size() >= 2, "sim: tensors need at least [N, C], got " + to_string(shape));
    d[0] = shape[0];
    d[1] = shape[1];
    if (shape.size() >= 3) d[2] = shape[2];
    for (size_t i = 3; i < shape.size(); ++i) d[3] *= shape[i];
    return d;
}

}  // namespace

BuiltJob build_conv_job(const ConvRequest& r, const AccelConfig& config) {
    BuiltJob built;
    LayerJob& job = built.job;
    job.is_conv = true;
    job.functional = r.input != nullptr;
    ConvJob& c = job.conv;
    const ConvShape& s = r.shape;
    c.shape = s;
    c.formats.weight_bits = storage_bits(r.weight_type);
    c.formats.input_bits = storage_bits(r.input_type);
    c.formats.output_bits = storage_bits(r.output_type);
    c.formats.identity_bits = r.identity_type ? storage_bits(*r.identity_type) : 0;
    c.formats.mode = precision_mode(r.weight_type, r.input_type);
    require(s.out_channels <= config.ppu_param_channels,
            "sim: " + std::to_string(s.out_channels) + " output channels exceed the post-processing unit's " +
                std::to_string(config.ppu_param_channels) + "-channel parameter memory");
    if (r.forced_mapping != nullptr) {
        std::string why;
        require(evaluate_mapping(s, c.formats, config, r.forced_mapping->tile_m, r.forced_mapping->tile_k,
                                 r.forced_mapping->tile_rows, r.forced_mapping->order, c.mapping, &why),
                "sim: the requested mapping does not fit: " + why);
    } else {
        c.mapping = map_layer(s, c.formats, config);
    }
    c.schedule = build_schedule(s, c.mapping);

    int64_t end = 0;
    c.input = place_next(end, s.batch, s.in_channels, s.in_h, s.in_w, r.input_type);
    c.weight = place_next(end, s.out_channels, 1, 1, s.reduction(), r.weight_type);
    c.param_base = end;
    end = align_up(end + s.out_channels * kParamBytesPerChannel);
    if (r.identity_type) c.identity = place_next(end, s.batch, s.out_channels, s.out_h, s.out_w, *r.identity_type);
    c.output = place_next(end, s.batch, s.out_channels, s.out_h, s.out_w, r.output_type);
    c.residual = r.identity_type.has_value();
    c.identity_multiplier = r.identity_multiplier;
    c.range = r.range;

    if (job.functional) {
        built.dram.assign(static_cast<size_t>(end), 0);
        pack_tensor(c.input, r.input->data, built.dram);
        pack_tensor(c.weight, r.weight->data, built.dram);
        if (c.residual) pack_tensor(c.identity, r.identity->data, built.dram);
        const bool has_bias = r.bias != nullptr && !r.bias->shape.empty();
        for (int64_t o = 0; o < s.out_channels; ++o) {
            uint8_t* record = &built.dram[static_cast<size_t>(c.param_base + o * kParamBytesPerChannel)];
            write_le32(record, has_bias ? r.bias->data[static_cast<size_t>(o)] : 0);
            write_le32(record + 4, r.multipliers[static_cast<size_t>(o)].mantissa);
            record[8] = static_cast<uint8_t>(r.multipliers[static_cast<size_t>(o)].shift);
        }
    }
    return built;
}

BuiltJob build_stream_job(const StreamRequest& r, const AccelConfig& config) {
    BuiltJob built;
    LayerJob& job = built.job;
    job.is_conv = false;
    job.functional = true;
    StreamJob& sj = job.stream;
    sj.op = r.op;
    sj.pool = r.pool;
    sj.average = r.average;
    sj.global_multiplier = r.global_multiplier;
    sj.add = r.add;
    sj.concat_multipliers = r.concat_multipliers;
    sj.range = r.range;

    int64_t end = 0;
    for (const Tensor* t : r.inputs) {
        const auto d = as_4d(t->shape);
        sj.inputs.push_back(place_next(end, d[0], d[1], d[2], d[3], t->type));
    }
    const auto od = as_4d(r.output_shape);
    sj.output = place_next(end, od[0], od[1], od[2], od[3], r.output_type);

    // Input operands of one tile: the residual add reads both tensors, every other op one
    // (for a concat, the input the tile's channels come from).
    const auto operands_of = [&](size_t input_index) {
        std::vector<size_t> ids;
        if (r.op == StreamOp::residual_add) {
            ids = {0, 1};
        } else {
            ids = {input_index};
        }
        return ids;
    };
    int64_t channel_offset = 0;
    const size_t groups = r.op == StreamOp::concat ? r.inputs.size() : 1;
    for (size_t gi = 0; gi < groups; ++gi) {
        const std::vector<size_t> ids = operands_of(gi);
        const int64_t channels = sj.inputs[ids[0]].c;
        int64_t in_bytes_per_channel = 0;
        for (const size_t id : ids) in_bytes_per_channel += sj.inputs[id].h * sj.inputs[id].row_stride();
        const int64_t out_bytes_per_channel = sj.output.h * sj.output.row_stride();
        const int64_t block = std::min({channels, config.ppu_input_bank_bytes() / in_bytes_per_channel,
                                        config.ppu_output_bank_bytes() / out_bytes_per_channel});
        require(block >= 1, "sim: one channel plane (" + std::to_string(in_bytes_per_channel) + " input bytes, " +
                                std::to_string(out_bytes_per_channel) +
                                " output bytes) does not fit the post-processing unit's buffer banks");
        sj.concat_channel_offsets.push_back(channel_offset);
        for (int64_t n = 0; n < od[0]; ++n) {
            for (int64_t c0 = 0; c0 < channels; c0 += block) {
                const int64_t c1 = std::min(channels, c0 + block);
                StreamTile tile;
                tile.n = n;
                tile.channels = Range{channel_offset + c0, channel_offset + c1};
                tile.operand = static_cast<int>(gi);
                int64_t local = 0;
                for (const size_t id : ids) {
                    const TensorPlacement& p = sj.inputs[id];
                    std::vector<SegmentSpec> specs;
                    for (int64_t c = c0; c < c1; ++c) specs.push_back(SegmentSpec{n, c, Range{0, p.h}, Range{0, p.w}});
                    auto layout = std::make_shared<TileLayout>(build_tile_layout(p, specs, local));
                    local += layout->bytes;
                    tile.inputs.push_back(layout);
                }
                std::vector<SegmentSpec> out_specs;
                for (int64_t c = c0; c < c1; ++c) {
                    out_specs.push_back(SegmentSpec{n, channel_offset + c, Range{0, sj.output.h}, Range{0, sj.output.w}});
                }
                tile.output = std::make_shared<TileLayout>(build_tile_layout(sj.output, out_specs));
                sj.tiles.push_back(std::move(tile));
            }
        }
        channel_offset += channels;
    }

    built.dram.assign(static_cast<size_t>(end), 0);
    for (size_t i = 0; i < r.inputs.size(); ++i) pack_tensor(sj.inputs[i], r.inputs[i]->data, built.dram);
    return built;
}

Tensor read_output(const LayerJob& job, const std::vector<uint8_t>& dram, const Shape& shape, IntType type) {
    const TensorPlacement& p = job.is_conv ? job.conv.output : job.stream.output;
    Tensor out(shape, type);
    require(out.size() == p.n * p.c * p.h * p.w, "sim: output shape " + to_string(shape) + " does not match the job");
    for (int64_t n = 0; n < p.n; ++n) {
        for (int64_t c = 0; c < p.c; ++c) {
            for (int64_t h = 0; h < p.h; ++h) {
                const int64_t first = ((n * p.c + c) * p.h + h) * p.w;
                unpack_elements(dram.data(), p.bit_address(n, c, h, 0), p.w, p.bits, p.type.is_signed,
                                &out.data[static_cast<size_t>(first)]);
            }
        }
    }
    return out;
}

}  // namespace dyadic::sim
