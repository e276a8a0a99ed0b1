#pragma once
// Reads and writes bit fields of a Verilated model's packed ports. Verilator maps a packed port to
// an 8/16/32/64-bit integer up to 64 bits and to VlWide (32-bit words, least significant first)
// beyond, so one pair of functions serves every port width the RTL uses.
#include <cstdint>
#include <type_traits>

namespace dyadic::rtl {

template <typename Port>
void put_bits(Port& port, int lsb, int width, uint64_t value) {
    if constexpr (std::is_integral_v<Port>) {
        const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
        port = static_cast<Port>((static_cast<uint64_t>(port) & ~(mask << lsb)) | ((value & mask) << lsb));
    } else {
        for (int done = 0; done < width;) {
            const int bit = lsb + done, word = bit / 32, offset = bit % 32;
            const int n = width - done < 32 - offset ? width - done : 32 - offset;
            const uint32_t mask = n == 32 ? ~uint32_t{0} : (uint32_t{1} << n) - 1;
            const uint32_t field = static_cast<uint32_t>(value >> done) & mask;
            port[word] = (port[word] & ~(mask << offset)) | (field << offset);
            done += n;
        }
    }
}

template <typename Port>
uint64_t get_bits(const Port& port, int lsb, int width) {
    const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    if constexpr (std::is_integral_v<Port>) {
        return (static_cast<uint64_t>(port) >> lsb) & mask;
    } else {
        uint64_t value = 0;
        for (int done = 0; done < width;) {
            const int bit = lsb + done, word = bit / 32, offset = bit % 32;
            const int n = width - done < 32 - offset ? width - done : 32 - offset;
            value |= static_cast<uint64_t>((port[word] >> offset) & (n == 32 ? ~uint32_t{0} : (uint32_t{1} << n) - 1)) << done;
            done += n;
        }
        return value;
    }
}

}  // namespace dyadic::rtl
