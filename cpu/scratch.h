#pragma once
// Scratch buffers that the cpu ops keep across calls (thread_local, one per worker).
#include <cstddef>
#include <vector>

namespace dyadic::cpu {

// `buffer` holding at least `size` elements, its data. It grows when a call needs more and never
// shrinks: resizing down and back up would value-initialize (zero-fill) the regrown part on
// every call, and consecutive layers of different sizes would pay that each time. Callers write
// every element they later read.
template <typename T>
T* grown(std::vector<T>& buffer, size_t size) {
    if (buffer.size() < size) buffer.resize(size);
    return buffer.data();
}

}  // namespace dyadic::cpu
