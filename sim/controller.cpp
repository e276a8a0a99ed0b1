#include "sim/controller.h"

#include <memory>

#include "sim/clock.h"
#include "sim/conv_tiles.h"

namespace dyadic::sim {

Controller::Controller(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(run); }

void Controller::start(RunContext* context) {
    context_ = context;
    finished_ = false;
    pending_ = true;  // seen even if the thread has not reached its first wait yet
    start_event_.notify(sc_core::SC_ZERO_TIME);
}

void Controller::run() {
    for (;;) {
        while (!pending_) sc_core::wait(start_event_);
        pending_ = false;
        start_cycle_ = now_cycles();
        dma_->stores_done = 0;
        const int64_t stores = context_->job->is_conv ? issue_conv() : issue_stream();
        while (dma_->stores_done < stores) sc_core::wait(dma_->store_done);
        end_cycle_ = now_cycles();
        finished_ = true;
    }
}

int64_t Controller::issue_conv() {
    const ConvJob& job = context_->job->conv;
    const ConvShape& s = job.shape;

    // The per-channel parameters go to the post-processing unit's parameter memory first.
    auto params = std::make_shared<TileLayout>();
    params->bytes = s.out_channels * kParamBytesPerChannel;
    params->bursts.push_back(Burst{job.param_base, params->bytes, 0});
    dma_->ppu_loads.push(DmaCommand{DmaTarget::ppu_params, 0, params});

    std::shared_ptr<const TileLayout> weights, inputs;
    int64_t output_tiles = 0;
    for (const Step& step : job.schedule.steps) {
        if (step.load_weights) {
            weights = std::make_shared<TileLayout>(
                build_tile_layout(job.weight, weight_tile_specs(s, step.group, step.m, step.k)));
            dma_->weight_loads.push(DmaCommand{DmaTarget::weight_scratchpad, step.weight_bank, weights});
        }
        if (step.load_inputs) {
            inputs = std::make_shared<TileLayout>(
                build_tile_layout(job.input, input_tile_specs(s, step.group, step.k, step.rows)));
            dma_->input_loads.push(DmaCommand{DmaTarget::input_scratchpad, step.input_bank, inputs});
        }
        array_->commands.push(ArrayCommand{&step, weights, inputs});
        if (step.last_step_of_block) {
            PpuCommand command;
            command.block = step.block;
            for (const OutputTile& tile : job.schedule.blocks[static_cast<size_t>(step.block)].tiles) {
                const auto specs = output_tile_specs(s, tile.group, tile.m, tile.rows);
                command.outputs.push_back(std::make_shared<TileLayout>(build_tile_layout(job.output, specs)));
                if (job.residual) {
                    auto identity = std::make_shared<TileLayout>(build_tile_layout(job.identity, specs));
                    command.identities.push_back(identity);
                    dma_->ppu_loads.push(DmaCommand{DmaTarget::ppu_input, static_cast<int>(output_tiles % 2), identity});
                }
                ++output_tiles;
            }
            ppu_->commands.push(std::move(command));
        }
    }
    return output_tiles;
}

int64_t Controller::issue_stream() {
    const StreamJob& job = context_->job->stream;
    int64_t index = 0;
    for (const StreamTile& tile : job.tiles) {
        const int bank = static_cast<int>(index % 2);
        // All operands of the tile arrive in one bank, one after the other.
        auto operands = std::make_shared<TileLayout>();
        for (const auto& layout : tile.inputs) {
            operands->bursts.insert(operands->bursts.end(), layout->bursts.begin(), layout->bursts.end());
            operands->bytes += layout->bytes;
        }
        dma_->ppu_loads.push(DmaCommand{DmaTarget::ppu_input, bank, operands});
        PpuCommand command;
        command.tile = &tile;
        command.input_bank = bank;
        ppu_->commands.push(std::move(command));
        ++index;
    }
    return index;
}

}  // namespace dyadic::sim
