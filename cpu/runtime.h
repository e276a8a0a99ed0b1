#pragma once
// What every cpu op needs besides its operands: the instruction path and the worker threads.
#include <string>

#include "cpu/isa.h"
#include "cpu/prepared_weights.h"
#include "util/thread_pool.h"

namespace dyadic::cpu {

struct Runtime {
    Isa isa = Isa::kScalar;
    ThreadPool* pool = nullptr;  // never null when an op runs
    // When not null, each op writes here how it ran: the engine path ("avx2 s16s16 im2col gemm"),
    // or "reference (...)" when it handed the layer to the reference and why.
    std::string* path = nullptr;
    // When not null, the conv engine keeps each layer's prepared (packed) weights here across
    // calls (cpu/prepared_weights.h); otherwise it prepares them on every call.
    WeightCache* weights = nullptr;

    void report(const std::string& text) const {
        if (path) *path = text;
    }
};

}  // namespace dyadic::cpu
