#pragma once
// The Verilated RTL core as the SystemC model's compute core (sim/compute_core.h): the model's
// array hands it each step and its post-processing unit each conv/FC output tile, and both wait the
// cycles the RTL took (`dyadic sim --core rtl`); pooling tiles go through the RTL's pooling lanes
// too, with the model's closed-form cycles.
#include <memory>
#include <string>

#include "sim/accel_config.h"
#include "sim/compute_core.h"

namespace dyadic::rtl {

class ArrayUnit;
class RtlCore;

class RtlComputeCore : public sim::ComputeCore {
public:
    RtlComputeCore();
    // The configured PPU with `array` instead of the configured array (a test's smaller one).
    explicit RtlComputeCore(std::unique_ptr<ArrayUnit> array);
    ~RtlComputeCore() override;

    std::string name() const override { return "rtl"; }
    std::string config_refusal(const sim::AccelConfig& config) const override;
    std::string refusal(const IntType& weight, const IntType& activation) const override;
    int64_t array_step(const IntType& weight, const IntType& activation, const int32_t* weights, int64_t channels,
                       int64_t reduction, const int32_t* columns, int64_t pixels, int32_t* acc) override;
    int64_t output_tile(const sim::CoreOutputStage& stage, const sim::CoreElement* elements, int64_t count,
                        int32_t* results) override;
    int64_t pool_tile(const sim::CorePoolStage& stage, const int32_t* values, const sim::CoreWindow* windows,
                      int64_t count, int32_t* results) override;

private:
    std::unique_ptr<RtlCore> core_;
};

}  // namespace dyadic::rtl
