#pragma once
// The controller (docs/accelerator.md, "Controller"): sequences one layer. For a conv/FC layer it
// walks the mapper's schedule and issues, in order, the DMA loads of each step's new operand
// tiles, the step to the array, and for every finished accumulator block the post-processing
// command with the identity-tile loads it needs; for a post-processing-only layer, one load and
// one post-processing command per tile. It then waits for the last store. The blocks synchronise
// among themselves through their banks, so the controller never waits on a tile.
#include <cstdint>

#include <systemc.h>

#include "sim/dma_engine.h"
#include "sim/post_processing_unit.h"
#include "sim/run_context.h"
#include "sim/systolic_array.h"

namespace dyadic::sim {

class Controller : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Controller);
    explicit Controller(sc_core::sc_module_name name);

    void attach(DmaEngine* dma, SystolicArray* array, PostProcessingUnit* ppu) {
        dma_ = dma;
        array_ = array;
        ppu_ = ppu;
    }
    // Starts the layer at the current simulation time (the caller then runs the kernel).
    void start(RunContext* context);
    bool finished() const { return finished_; }
    int64_t start_cycle() const { return start_cycle_; }
    int64_t end_cycle() const { return end_cycle_; }

private:
    void run();
    int64_t issue_conv();
    int64_t issue_stream();

    DmaEngine* dma_ = nullptr;
    SystolicArray* array_ = nullptr;
    PostProcessingUnit* ppu_ = nullptr;
    RunContext* context_ = nullptr;
    sc_core::sc_event start_event_;
    bool pending_ = false;
    bool finished_ = false;
    int64_t start_cycle_ = 0, end_cycle_ = 0;
};

}  // namespace dyadic::sim
