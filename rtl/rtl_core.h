#pragma once
// The Verilated compute core at the configured sizes: the systolic array and the post-processing
// unit (its rescale lanes and its pooling lanes), each driven cycle by cycle. The Verilator model
// classes stay inside rtl_core.cpp; a test may put another array in (array_unit.h).
#include <cstdint>
#include <memory>
#include <string>

#include "rtl/array_unit.h"
#include "rtl/pe_mode.h"
#include "rtl/pool_driver.h"
#include "rtl/ppu_driver.h"

namespace dyadic::rtl {

class RtlCore {
public:
    RtlCore();
    // The configured PPU and pooling lanes with `array` instead of the configured array.
    explicit RtlCore(std::unique_ptr<ArrayUnit> array);
    ~RtlCore();
    RtlCore(const RtlCore&) = delete;
    RtlCore& operator=(const RtlCore&) = delete;

    int rows() const;
    int cols() const;
    bool weight_double_buffer() const;
    int ppu_lanes() const;
    int ppu_pipeline_cycles() const;

    // acc[m * pixels + p] += sum over k of weights[m * reduction + k] * columns[p * reduction + k]
    // on the array (array_gemm.h). Returns the cycles it took.
    int64_t accumulate_gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                            const int32_t* columns, int64_t pixels, int32_t* acc);
    // The elements through the post-processing unit as one tile. Returns the cycles it took.
    int64_t post_process(const PpuSettings& settings, const PpuElement* elements, int64_t count, int32_t* results);
    // The windows over `values` through the post-processing unit's pooling lanes as one tile.
    // Returns the cycles it took (counted with the PPU's).
    int64_t pool(const PoolSettings& settings, const int32_t* values, const PoolWindowSpan* windows, int64_t count,
                 int32_t* results);

    // Writes every signal of the array (of the PPU), cycle by cycle, to a VCD file from now on until
    // called again with an empty path.
    void trace_array_to(const std::string& vcd_path);
    void trace_ppu_to(const std::string& vcd_path);

    // Cycles of every call so far, per block.
    int64_t array_cycles() const { return array_cycles_; }
    int64_t ppu_cycles() const { return ppu_cycles_; }

private:
    struct Models;
    std::unique_ptr<Models> models_;
    int64_t array_cycles_ = 0, ppu_cycles_ = 0;
};

}  // namespace dyadic::rtl
