#pragma once
// The post-processing unit (docs/accelerator.md, "Post-processing unit"). After a conv/FC layer's
// accumulator block is complete it turns each output tile's int32 sums into output elements:
// + bias, then the per-channel dyadic requantization with ReLU and clamp, or, for a fused
// residual, each branch scaled on its own (the identity tile read through the DMA with its own
// multiplier), summed and clamped. On its own it runs pooling, standalone residual adds and
// concats over tiles of whole channel planes. All rounding is reference/requantize.h's.
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc.h>

#include "reference/dyadic.h"
#include "sim/accel_config.h"
#include "sim/accumulator_memory.h"
#include "sim/dma_engine.h"
#include "sim/run_context.h"
#include "sim/scratchpad.h"
#include "sim/sync.h"

namespace dyadic::sim {

struct PpuCommand {
    // Conv layers: the finished accumulator block and, per output tile, its layout in the output
    // buffer and (fused residual) the identity tile's layout in the input buffer.
    int64_t block = -1;
    std::vector<std::shared_ptr<const TileLayout>> outputs, identities;
    // Post-processing-only layers: the tile, whose operands the DMA loaded into `input_bank`.
    const StreamTile* tile = nullptr;
    int input_bank = 0;
};

class PostProcessingUnit : public sc_core::sc_module {
public:
    CommandQueue<PpuCommand> commands;

    SC_HAS_PROCESS(PostProcessingUnit);
    explicit PostProcessingUnit(sc_core::sc_module_name name);

    void attach(AccumulatorMemory* accumulators, Scratchpad* input_buffer, Scratchpad* params,
                Scratchpad* output_buffer, DmaEngine* dma) {
        accumulators_ = accumulators;
        input_buffer_ = input_buffer;
        params_ = params;
        output_buffer_ = output_buffer;
        dma_ = dma;
    }
    void configure(const AccelConfig& config) { config_ = config; }
    void start_layer(RunContext* context);
    int64_t busy_cycles() const { return busy_cycles_; }

private:
    void run();
    void finish_block(const PpuCommand& command);
    // Computes one output tile into the output bank; returns the compute core's cycles (0 for the
    // behavioural model).
    int64_t finish_tile(const AccumulatorBlock& block, const OutputTile& tile, const TileLayout& output,
                        const TileLayout* identity, int bank);
    void run_stream_tile(const StreamTile& tile, int input_bank, int output_bank);
    // A pooling segment of plane_ (in_h x in_w) on the compute core into pooled_ (out_h x out_w).
    void pool_on_core(const StreamJob& job, int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w);
    void load_parameters();
    int64_t tile_cycles(int64_t elements) const;

    AccelConfig config_;
    AccumulatorMemory* accumulators_ = nullptr;
    Scratchpad* input_buffer_ = nullptr;
    Scratchpad* params_ = nullptr;
    Scratchpad* output_buffer_ = nullptr;
    DmaEngine* dma_ = nullptr;
    RunContext* context_ = nullptr;

    bool parameters_loaded_ = false;
    std::vector<int64_t> bias_;
    std::vector<Dyadic> multiplier_;
    int64_t tiles_done_ = 0;  // output tiles so far: their parity picks the identity and output banks
    int64_t busy_cycles_ = 0;
    std::vector<int32_t> row_, identity_row_, plane_, second_plane_, results_;
    std::vector<CoreElement> elements_;
    std::vector<int32_t> window_values_, pooled_;
    std::vector<CoreWindow> windows_;
};

}  // namespace dyadic::sim
