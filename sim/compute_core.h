#pragma once
// The arithmetic of the array and of the post-processing unit's conv/FC output stage and pooling,
// replaceable.
// By default the SystemC blocks compute each tile in C++ and take the closed-form cycle counts
// (docs/accelerator.md, "Cycle model"). With a ComputeCore set (the Verilated RTL core of rtl/,
// `dyadic sim --core rtl`), the blocks hand each tile to it and wait the cycles the core reports it
// took, so the DMA, scratchpads and controller drive the hardware, and a core whose timing differs
// from the model's shows as a different cycle count. Header is C++17 and free of SystemC.
#include <cstdint>
#include <string>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "sim/accel_config.h"

namespace dyadic::sim {

// One element of an output tile: its accumulator and its channel's parameters.
struct CoreElement {
    int32_t acc = 0;
    int32_t bias = 0;
    Dyadic multiplier;
    int32_t identity = 0;  // fused residual only
};

// The output stage of a conv/FC layer as the post-processing unit applies it.
struct CoreOutputStage {
    bool residual = false;  // add dyadic_scale(identity, identity_multiplier)
    Dyadic identity_multiplier;
    IntType output_type;
    bool relu = false;
};

// One pooling window of a stream tile: values[begin, begin + count), its in-image elements, and (an
// average) the multiplier for its count.
struct CoreWindow {
    int64_t begin = 0;
    int64_t count = 0;
    Dyadic multiplier;
};

// What the post-processing unit's pooling lanes do: the window's maximum (output = input values), or
// the rescaled, rounded and clamped window sum.
struct CorePoolStage {
    bool max = false;
    IntType output_type;  // an average's
};

class ComputeCore {
public:
    virtual ~ComputeCore() = default;

    virtual std::string name() const = 0;
    // Empty when the core is the machine `config` describes (its array, weight double buffering and
    // post-processing unit); otherwise what differs: the model would wait cycles of another machine.
    virtual std::string config_refusal(const AccelConfig& config) const = 0;
    // Empty when the core multiplies these operand types; otherwise why not.
    virtual std::string refusal(const IntType& weight, const IntType& activation) const = 0;

    // One array step: acc[m * pixels + p] += sum over k of weights[m * reduction + k] *
    // columns[p * reduction + k], in int32 that wraps as the hardware's does. Returns its cycles.
    virtual int64_t array_step(const IntType& weight, const IntType& activation, const int32_t* weights,
                               int64_t channels, int64_t reduction, const int32_t* columns, int64_t pixels,
                               int32_t* acc) = 0;
    // One output tile: results[i] from elements[i]. Returns its cycles.
    virtual int64_t output_tile(const CoreOutputStage& stage, const CoreElement* elements, int64_t count,
                                int32_t* results) = 0;
    // One pooling tile: results[i] from windows[i] over `values`. Returns its cycles.
    virtual int64_t pool_tile(const CorePoolStage& stage, const int32_t* values, const CoreWindow* windows, int64_t count,
                              int32_t* results) = 0;
};

}  // namespace dyadic::sim
