#pragma once
// The accumulator memory (docs/accelerator.md, "Accumulator memory"): two banks of partial sums.
// The array accumulates an accumulator block into one bank while the post-processing unit drains
// the other. Hardware entries are int32 and wrap; the model keeps each entry exact in int64 so
// that it can report an accumulator that leaves int32, as the reference does.
#include <array>
#include <cstdint>
#include <vector>

#include <systemc.h>

#include "sim/layer_stats.h"
#include "sim/sync.h"

namespace dyadic::sim {

class AccumulatorMemory : public sc_core::sc_module {
public:
    DoubleBuffer state;  // full: a finished block waits for the post-processing unit

    explicit AccumulatorMemory(sc_core::sc_module_name name) : sc_core::sc_module(name) {}

    void configure(int64_t bank_entries, bool functional) {
        bank_entries_ = bank_entries;
        // No clearing: the first partial sum of every tile overwrites its entries.
        for (auto& bank : banks_) bank.resize(functional ? static_cast<size_t>(bank_entries) : 0);
        state.reset();
        traffic_ = MemoryTraffic{};
    }
    int64_t bank_entries() const { return bank_entries_; }
    int64_t* bank(int index) { return banks_[static_cast<size_t>(index)].data(); }

    // Bytes read and written since configure(), at the hardware's 4 bytes per entry; the array
    // and the post-processing unit report their accesses (the model's int64 entries are exact
    // copies of int32 hardware entries).
    static constexpr int64_t kBytesPerEntry = 4;
    const MemoryTraffic& traffic() const { return traffic_; }
    void count_read(int64_t entries) { traffic_.read_bytes += entries * kBytesPerEntry; }
    void count_write(int64_t entries) { traffic_.write_bytes += entries * kBytesPerEntry; }

private:
    int64_t bank_entries_ = 0;
    MemoryTraffic traffic_;
    std::array<std::vector<int64_t>, 2> banks_;
};

}  // namespace dyadic::sim
