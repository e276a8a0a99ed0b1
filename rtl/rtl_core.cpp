#include "rtl/rtl_core.h"

#include "Vdyadic_rtl_array.h"
#include "Vdyadic_rtl_ppu.h"
#include "rtl/array_driver.h"
#include "rtl/array_gemm.h"

namespace dyadic::rtl {

// DYADIC_ARRAY_ROWS, DYADIC_ARRAY_COLS and DYADIC_PPU_LANES come from the configuration file the
// package was generated from (rtl/CMakeLists.txt).
struct RtlCore::Models {
    ArrayDriver<Vdyadic_rtl_array> array{DYADIC_ARRAY_ROWS, DYADIC_ARRAY_COLS};
    PpuDriver<Vdyadic_rtl_ppu> ppu{DYADIC_PPU_LANES};
};

RtlCore::RtlCore() : models_(std::make_unique<Models>()) {}
RtlCore::~RtlCore() = default;

int RtlCore::rows() const { return models_->array.rows(); }
int RtlCore::cols() const { return models_->array.cols(); }
int RtlCore::ppu_lanes() const { return models_->ppu.lanes(); }
int RtlCore::ppu_pipeline_cycles() const { return DYADIC_PPU_PIPELINE_CYCLES; }

int64_t RtlCore::accumulate_gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                                 const int32_t* columns, int64_t pixels, int32_t* acc) {
    const int64_t cycles = rtl::accumulate_gemm(models_->array, mode, weights, channels, reduction, columns, pixels, acc);
    array_cycles_ += cycles;
    return cycles;
}

int64_t RtlCore::post_process(const PpuSettings& settings, const PpuElement* elements, int64_t count, int32_t* results) {
    const int64_t cycles = models_->ppu.run_tile(settings, elements, count, results);
    ppu_cycles_ += cycles;
    return cycles;
}

}  // namespace dyadic::rtl
