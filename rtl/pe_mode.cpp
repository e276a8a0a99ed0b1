#include "rtl/pe_mode.h"

#include "util/error.h"

namespace dyadic::rtl {

const char* pe_mode_refusal(const IntType& weight, const IntType& activation) {
    if (!weight.is_signed) return "the PE takes signed weights only";
    if (weight.bits < 2 || weight.bits > 8) return "the PE takes weights of 2..8 bits";
    if (activation.bits < 2 || activation.bits > 8) return "the PE takes activations of 2..8 bits";
    return "";
}

PeMode pe_mode(const IntType& weight, const IntType& activation) {
    const char* refusal = pe_mode_refusal(weight, activation);
    require(*refusal == '\0', std::string("rtl: ") + refusal + " (got " + weight.name() + " weights, " +
                                  activation.name() + " activations)");
    return PeMode{weight.bits > 4, activation.bits > 4, activation.is_signed};
}

uint16_t pack_pe_word(const int32_t* values, int count, int lane_bits) {
    const uint32_t mask = (uint32_t{1} << lane_bits) - 1;
    uint32_t word = 0;
    for (int i = 0; i < count; ++i) word |= (static_cast<uint32_t>(values[i]) & mask) << (i * lane_bits);
    return static_cast<uint16_t>(word);
}

}  // namespace dyadic::rtl
