#pragma once
// The weight-stationary systolic array (docs/accelerator.md, "Systolic array"). For each step of
// the schedule it waits for its weight and input tiles and for its accumulator bank, computes the
// tile's integer partial sums, and advances time by the exact systolic cycle count of the tile:
// every fold of R_eff reduction rows x C output channels costs 2R + C - 2 cycles of fill and drain
// plus one cycle per output pixel streamed through.
//
// The integer results are computed per tile in plain C++ loops (an im2col of the input tile and a
// GEMM with the weight tile), not per PE: the PEs' Bit Fusion bricks recombine to the exact
// product (bit_fusion.h proves it for every operand pair), so the tile's sums are the same and the
// model stays fast.
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc.h>

#include "sim/accel_config.h"
#include "sim/accumulator_memory.h"
#include "sim/run_context.h"
#include "sim/scratchpad.h"
#include "sim/sync.h"

namespace dyadic::sim {

struct ArrayCommand {
    const Step* step = nullptr;
    std::shared_ptr<const TileLayout> weights;  // the layout of the tile in step->weight_bank
    std::shared_ptr<const TileLayout> inputs;   // the layout of the tile in step->input_bank
};

class SystolicArray : public sc_core::sc_module {
public:
    CommandQueue<ArrayCommand> commands;

    SC_HAS_PROCESS(SystolicArray);
    explicit SystolicArray(sc_core::sc_module_name name);

    void attach(Scratchpad* inputs, Scratchpad* weights, AccumulatorMemory* accumulators) {
        inputs_ = inputs;
        weights_ = weights;
        accumulators_ = accumulators;
    }
    void configure(const AccelConfig& config) { config_ = config; }
    // Called by the controller before the layer's first command.
    void start_layer(RunContext* context);
    // Cycle (since time 0) at which the array finished its last step of the layer.
    int64_t last_busy_cycle() const { return last_busy_cycle_; }

private:
    void run();
    // Adds the step's MACs and its reads and writes of the scratchpads and accumulators to the
    // layer's events (docs/accelerator.md, "Energy").
    void count_step_events(const Step& step, int64_t pixels);
    // Computes the step's partial sums; returns the compute core's cycles (0 for the behavioural model).
    int64_t compute(const ArrayCommand& command);
    template <typename T>
    int64_t compute_tile(const ArrayCommand& command);

    AccelConfig config_;
    Scratchpad* inputs_ = nullptr;
    Scratchpad* weights_ = nullptr;
    AccumulatorMemory* accumulators_ = nullptr;
    RunContext* context_ = nullptr;
    int64_t last_busy_cycle_ = 0;
    int64_t current_block_ = -1;

    // The unpacked weight tile held in the PEs and the im2col of the current input tile.
    const TileLayout* unpacked_weights_ = nullptr;
    const TileLayout* unpacked_inputs_ = nullptr;
    std::vector<int16_t> weights16_, inputs16_;
    std::vector<int32_t> weights32_, inputs32_;
    std::vector<int32_t> planes32_;
    std::vector<int16_t> planes16_;
    std::vector<int32_t> core_acc_;  // a step's partial sums as a compute core takes them
    bool narrow_ = true;  // operands and exact dot products fit int16 / int32
};

}  // namespace dyadic::sim
