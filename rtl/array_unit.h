#pragma once
// The systolic array as the RTL core uses it, whichever Verilated model is behind it: the configured
// one (rtl_core.cpp), or a smaller one that a test builds with other parameters (tests/rtl/), so that
// the backend and the SystemC co-simulation can run on it without a second configured-size build.
#include <cstdint>
#include <string>

#include "rtl/array_gemm.h"
#include "util/error.h"

namespace dyadic::rtl {

class ArrayUnit {
public:
    virtual ~ArrayUnit() = default;

    virtual int rows() const = 0;
    virtual int cols() const = 0;
    virtual bool weight_double_buffer() const = 0;
    // accumulate_gemm (array_gemm.h) on this array. Returns the cycles it took.
    virtual int64_t accumulate_gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                                    const int32_t* columns, int64_t pixels, int32_t* acc) = 0;
    // Writes every signal, cycle by cycle, to a VCD file from now on until called again with an empty
    // path; only a model verilated with --trace can.
    virtual void trace_to(const std::string& vcd_path) {
        require(vcd_path.empty(), "rtl: this array was verilated without --trace; cannot write " + vcd_path);
    }
};

// `Model` verilated from dyadic_systolic_array with rows x cols PEs and weight double buffering or not.
template <typename Model>
class VerilatedArray : public ArrayUnit {
public:
    VerilatedArray(int rows, int cols, bool weight_double_buffer) : driver_(rows, cols, weight_double_buffer) {}

    int rows() const override { return driver_.rows(); }
    int cols() const override { return driver_.cols(); }
    bool weight_double_buffer() const override { return driver_.double_buffered(); }
    int64_t accumulate_gemm(const PeMode& mode, const int32_t* weights, int64_t channels, int64_t reduction,
                            const int32_t* columns, int64_t pixels, int32_t* acc) override {
        return rtl::accumulate_gemm(driver_, mode, weights, channels, reduction, columns, pixels, acc);
    }

protected:
    ArrayDriver<Model>& driver() { return driver_; }

private:
    ArrayDriver<Model> driver_;
};

}  // namespace dyadic::rtl
