#include "rtl/rtl_core.h"

#include <verilated_vcd_c.h>

#include "Vdyadic_rtl_array.h"
#include "Vdyadic_rtl_pool.h"
#include "Vdyadic_rtl_ppu.h"
#include "rtl/array_driver.h"
#include "util/error.h"

namespace dyadic::rtl {
namespace {

// Waveforms need Verilator's trace support switched on before a model is traced.
struct TracingOn {
    TracingOn() { Verilated::traceEverOn(true); }
};

// One VCD file of one model; time advances by one unit per evaluation (two per clock cycle).
template <typename Driver>
class Waveform {
public:
    void open(Driver& driver, const std::string& path) {
        close(driver);
        if (path.empty()) return;
        vcd_ = std::make_unique<VerilatedVcdC>();
        driver.model().trace(vcd_.get(), 99);
        vcd_->open(path.c_str());
        require(vcd_->isOpen(), "rtl: cannot write " + path);
        time_ = 0;
        vcd_->dump(time_++);
        driver.set_after_eval([this] { vcd_->dump(time_++); });
    }
    void close(Driver& driver) {
        driver.set_after_eval({});
        if (vcd_) vcd_->close();
        vcd_.reset();
    }

private:
    std::unique_ptr<VerilatedVcdC> vcd_;
    uint64_t time_ = 0;
};

// The configured array, verilated with --trace (tracing switched on before its model exists).
class TracedArray : private TracingOn, public VerilatedArray<Vdyadic_rtl_array> {
public:
    using VerilatedArray::VerilatedArray;
    ~TracedArray() override { wave_.close(driver()); }
    void trace_to(const std::string& vcd_path) override { wave_.open(driver(), vcd_path); }

private:
    Waveform<ArrayDriver<Vdyadic_rtl_array>> wave_;
};

}  // namespace

// DYADIC_ARRAY_ROWS, DYADIC_ARRAY_COLS, DYADIC_WEIGHT_DOUBLE_BUFFER and DYADIC_PPU_LANES come from
// the configuration file the package was generated from (rtl/CMakeLists.txt).
struct RtlCore::Models {
    TracingOn tracing_on;
    std::unique_ptr<ArrayUnit> array;
    PpuDriver<Vdyadic_rtl_ppu> ppu{DYADIC_PPU_LANES};
    PoolDriver<Vdyadic_rtl_pool> pool{DYADIC_PPU_LANES};
    Waveform<PpuDriver<Vdyadic_rtl_ppu>> ppu_wave;

    explicit Models(std::unique_ptr<ArrayUnit> a) : array(std::move(a)) {}
    ~Models() { ppu_wave.close(ppu); }
};

RtlCore::RtlCore()
    : RtlCore(std::make_unique<TracedArray>(DYADIC_ARRAY_ROWS, DYADIC_ARRAY_COLS, DYADIC_WEIGHT_DOUBLE_BUFFER != 0)) {}
RtlCore::RtlCore(std::unique_ptr<ArrayUnit> array) : models_(std::make_unique<Models>(std::move(array))) {}
RtlCore::~RtlCore() = default;

int RtlCore::rows() const { return models_->array->rows(); }
int RtlCore::cols() const { return models_->array->cols(); }
bool RtlCore::weight_double_buffer() const { return models_->array->weight_double_buffer(); }
int RtlCore::ppu_lanes() const { return models_->ppu.lanes(); }
int RtlCore::ppu_pipeline_cycles() const { return DYADIC_PPU_PIPELINE_CYCLES; }

void RtlCore::trace_array_to(const std::string& vcd_path) { models_->array->trace_to(vcd_path); }
void RtlCore::trace_ppu_to(const std::string& vcd_path) { models_->ppu_wave.open(models_->ppu, vcd_path); }

int64_t RtlCore::accumulate_gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                                 const int32_t* columns, int64_t pixels, int32_t* acc) {
    const int64_t cycles = models_->array->accumulate_gemm(mode, weights, channels, reduction, columns, pixels, acc);
    array_cycles_ += cycles;
    return cycles;
}

int64_t RtlCore::post_process(const PpuSettings& settings, const PpuElement* elements, int64_t count, int32_t* results) {
    const int64_t cycles = models_->ppu.run_tile(settings, elements, count, results);
    ppu_cycles_ += cycles;
    return cycles;
}

int64_t RtlCore::pool(const PoolSettings& settings, const int32_t* values, const PoolWindowSpan* windows, int64_t count,
                      int32_t* results) {
    const int64_t cycles = models_->pool.run_tile(settings, values, windows, count, results);
    ppu_cycles_ += cycles;
    return cycles;
}

}  // namespace dyadic::rtl
