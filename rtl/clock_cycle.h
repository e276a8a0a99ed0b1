#pragma once
// One clock cycle of a Verilated model: a falling then a rising edge, each evaluated, with an
// optional hook after every evaluation (a VCD dump). Every driver (array, PPU, pooling) steps its
// model through this one definition, so they all see the same edge order.
#include <functional>

namespace dyadic::rtl {

template <class Model>
void clock_cycle(Model& model, const std::function<void()>& after_eval) {
    model.clk = 0;
    model.eval();
    if (after_eval) after_eval();
    model.clk = 1;
    model.eval();
    if (after_eval) after_eval();
}

}  // namespace dyadic::rtl
