#pragma once
// Elementwise ops on NHWC tensors, one output element per call: a channel-range rescale (one
// concat input, or a requantize layer, which is a one-input concat) and the standalone residual
// add (docs/semantics.md sections 8 and 9.5).
#include <cstdint>

#include "gpu/element_storage.h"
#include "gpu/epilogue.h"
#include "gpu/host_device.h"

namespace dyadic::gpu {

// Input element e of [pixels, channels] goes to channel channel_offset + (e % channels) of an
// output with out_channels channels, rescaled by one multiplier and clamped.
struct RescaleArgs {
    int64_t pixels = 1, channels = 1, out_channels = 1, channel_offset = 0;
    const uint32_t* input = nullptr;
    StorageFormat input_format;
    uint32_t* output = nullptr;  // zeroed first when output_format.bits == 4
    StorageFormat output_format;
    int32_t mantissa = 0, shift = 0;
    int32_t lo = 0, hi = 0;

    DYADIC_HD int64_t count() const { return pixels * channels; }
};

DYADIC_HD void rescale_element(const RescaleArgs& a, int64_t e) {
    const int64_t pixel = e / a.channels, c = e % a.channels;
    const int64_t v = dyadic_scale(load_element(a.input, e, a.input_format), a.mantissa, a.shift);
    store_element(a.output, pixel * a.out_channels + a.channel_offset + c, a.output_format,
                  static_cast<int32_t>(clamp64(v, a.lo, a.hi)));
}

// out = clamp(dyadic_scale(main, m_main[c]) + dyadic_scale(identity, m_id)), each rounded alone.
struct ResidualAddArgs {
    int64_t count = 0, channels = 1;
    const uint32_t* main = nullptr;
    StorageFormat main_format;
    const uint32_t* identity = nullptr;
    StorageFormat identity_format;
    const int32_t* main_mantissa = nullptr;  // [channels]
    const int32_t* main_shift = nullptr;
    int32_t identity_mantissa = 0, identity_shift = 0;
    uint32_t* output = nullptr;
    StorageFormat output_format;
    int32_t lo = 0, hi = 0;
};

DYADIC_HD void residual_add_element(const ResidualAddArgs& a, int64_t e) {
    const int64_t c = e % a.channels;
    const int64_t v = dyadic_scale(load_element(a.main, e, a.main_format), a.main_mantissa[c], a.main_shift[c]) +
                      dyadic_scale(load_element(a.identity, e, a.identity_format), a.identity_mantissa, a.identity_shift);
    store_element(a.output, e, a.output_format, static_cast<int32_t>(clamp64(v, a.lo, a.hi)));
}

}  // namespace dyadic::gpu
