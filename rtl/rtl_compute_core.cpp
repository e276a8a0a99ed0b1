#include "rtl/rtl_compute_core.h"

#include <vector>

#include "rtl/pe_mode.h"
#include "rtl/rtl_core.h"

namespace dyadic::rtl {

RtlComputeCore::RtlComputeCore() : core_(std::make_unique<RtlCore>()) {}
RtlComputeCore::RtlComputeCore(std::unique_ptr<ArrayUnit> array) : core_(std::make_unique<RtlCore>(std::move(array))) {}
RtlComputeCore::~RtlComputeCore() = default;

std::string RtlComputeCore::config_refusal(const sim::AccelConfig& config) const {
    const auto machine = [](int rows, int cols, bool double_buffer, int lanes, int pipeline) {
        return std::to_string(rows) + "x" + std::to_string(cols) + " array " +
               (double_buffer ? "with" : "without") + " weight double buffering, " + std::to_string(lanes) +
               " PPU lanes, " + std::to_string(pipeline) + " PPU pipeline cycles";
    };
    const std::string built = machine(core_->rows(), core_->cols(), core_->weight_double_buffer(), core_->ppu_lanes(),
                                      core_->ppu_pipeline_cycles());
    const std::string asked = machine(config.array_rows, config.array_cols, config.weight_double_buffer != 0,
                                      config.ppu_lanes, config.ppu_pipeline_cycles);
    return built == asked ? std::string() : "the RTL core was built for a " + built + "; the configuration asks for a " + asked;
}

std::string RtlComputeCore::refusal(const IntType& weight, const IntType& activation) const {
    return pe_mode_refusal(weight, activation);
}

int64_t RtlComputeCore::array_step(const IntType& weight, const IntType& activation, const int32_t* weights,
                                   int64_t channels, int64_t reduction, const int32_t* columns, int64_t pixels,
                                   int32_t* acc) {
    return core_->accumulate_gemm(pe_mode(weight, activation), weights, channels, reduction, columns, pixels, acc);
}

int64_t RtlComputeCore::output_tile(const sim::CoreOutputStage& stage, const sim::CoreElement* elements, int64_t count,
                                    int32_t* results) {
    std::vector<PpuElement> ppu(static_cast<size_t>(count));
    for (size_t i = 0; i < ppu.size(); ++i) {
        ppu[i] = PpuElement{elements[i].acc, elements[i].bias, elements[i].multiplier, elements[i].identity};
    }
    const PpuSettings settings{stage.residual, stage.identity_multiplier, stage.output_type, stage.relu};
    return core_->post_process(settings, ppu.data(), count, results);
}

int64_t RtlComputeCore::pool_tile(const sim::CorePoolStage& stage, const int32_t* values, const sim::CoreWindow* windows,
                                  int64_t count, int32_t* results) {
    std::vector<PoolWindowSpan> spans(static_cast<size_t>(count));
    for (size_t i = 0; i < spans.size(); ++i) spans[i] = PoolWindowSpan{windows[i].begin, windows[i].count, windows[i].multiplier};
    return core_->pool(PoolSettings{stage.max, stage.output_type}, values, spans.data(), count, results);
}

}  // namespace dyadic::rtl
