#pragma once
// The array cycles of one schedule step: `folds` folds of the weight-stationary array, each
// streaming `pixels` output pixels (docs/accelerator.md, "Cycle model"). The one definition the
// SystemC array and the mapper's estimate share. Header is C++17.
#include <algorithm>
#include <cstdint>

#include "sim/accel_config.h"

namespace dyadic::sim {

// Without weight double buffering every fold loads its weights, fills and drains the array:
// folds x (2R + C - 2 + T). With it (array.weight_double_buffer), each PE holds a second weight
// register: the next fold's weights shift in (R cycles) while the current fold streams, so after
// the first fold, which pays the whole fill and drain, a fold starts max(T, R) cycles after the
// previous one: (2R + C - 2 + T) + (folds - 1) x max(T, R).
inline int64_t step_array_cycles(int64_t folds, int64_t pixels, const AccelConfig& config) {
    const int64_t rows = config.array_rows, fill_drain = 2 * rows + config.array_cols - 2;
    if (folds <= 0) return 0;
    if (config.weight_double_buffer == 0) return folds * (fill_drain + pixels);
    return fill_drain + pixels + (folds - 1) * std::max(pixels, rows);
}

}  // namespace dyadic::sim
