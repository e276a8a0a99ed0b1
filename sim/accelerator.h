#pragma once
// The accelerator's top level (docs/accelerator.md, "Block diagram"): the blocks and their TLM-2.0
// bindings. DMA engine -> DRAM; DMA engine -> input scratchpad, weight scratchpad and the
// post-processing unit's input, parameter and output buffers.
#include <vector>

#include <systemc.h>

#include "sim/accel_config.h"
#include "sim/accumulator_memory.h"
#include "sim/controller.h"
#include "sim/dma_engine.h"
#include "sim/dram.h"
#include "sim/post_processing_unit.h"
#include "sim/run_context.h"
#include "sim/scratchpad.h"
#include "sim/systolic_array.h"

namespace dyadic::sim {

class Accelerator : public sc_core::sc_module {
public:
    Dram dram;
    DmaEngine dma;
    Scratchpad input_scratchpad, weight_scratchpad;
    AccumulatorMemory accumulators;
    SystolicArray array;
    Scratchpad ppu_input, ppu_params, ppu_output;
    PostProcessingUnit ppu;
    Controller controller;

    explicit Accelerator(sc_core::sc_module_name name);

    // Runs one layer to completion: sizes the memories from `config`, takes `dram_image` as the
    // DRAM contents (empty for a timing-only job), simulates, fills `stats` (cycle breakdown and
    // DRAM bytes) and leaves the final DRAM contents in dram.memory(). Throws Error for an error
    // found during the run (accumulator overflow, bad address) or a stalled simulation.
    // `core` (optional) computes the array steps and conv/FC output tiles instead of the behavioural model.
    void run(const AccelConfig& config, const LayerJob& job, std::vector<uint8_t> dram_image, LayerStats& stats,
             ComputeCore* core = nullptr);
};

}  // namespace dyadic::sim
