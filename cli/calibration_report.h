#pragma once
// What a report of a command that calibrates and evaluates (compare, explore --accuracy) says about
// its calibration data, so that a reader can tell whether evaluated images were calibrated on
// (docs/data.md, "Calibration data of commands that also evaluate").
#include <cstdint>

#include <nlohmann/json.hpp>

#include "cli/data_options.h"

namespace dyadic::cli {

// calibration_data (the source's provenance), calibration_images, calibration_overlaps_evaluation
// and calibration_images_evaluated, for `evaluated` images of data.evaluation.
inline nlohmann::json calibration_report(const CalibrationAndEvaluationData& data, int64_t evaluated) {
    const int64_t overlap = data.overlapping_images(evaluated);
    return {{"calibration_data", data.calibration_source().provenance()},
            {"calibration_images", data.calibration_images},
            {"calibration_overlaps_evaluation", overlap > 0},
            {"calibration_images_evaluated", overlap}};
}

}  // namespace dyadic::cli
