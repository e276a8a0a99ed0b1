#pragma once
// An allocator that default-initializes instead of value-initializing, so that a
// std::vector<T, DefaultInitAllocator<T>> of a trivially constructible T can be sized without
// writing every element: `resize(n)` and the count constructor `V(n)` leave the new elements
// indeterminate (reading one is undefined behaviour), while `V(n, value)`, `assign(n, value)` and
// every other constructor and insertion fill as for std::vector. It exists for buffers that a
// kernel overwrites completely, where the zero-fill would be a second pass over the memory.
// Header is C++17 (the SystemC model includes it through reference/tensor.h).
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace dyadic {

template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
public:
    // std::allocator<T>::rebind (C++17) would rebind to std::allocator and lose the behaviour.
    template <typename U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };

    DefaultInitAllocator() noexcept = default;
    template <typename U>
    DefaultInitAllocator(const DefaultInitAllocator<U>& other) noexcept : std::allocator<T>(other) {}

    // Without arguments: default-initialization (`new (p) U`), which for a trivially
    // constructible U writes nothing. With arguments: as std::allocator_traits' default.
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        if constexpr (sizeof...(Args) == 0 && std::is_trivially_default_constructible_v<U>) {
            ::new (static_cast<void*>(p)) U;
        } else {
            ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
        }
    }
};

template <typename T, typename U>
bool operator==(const DefaultInitAllocator<T>&, const DefaultInitAllocator<U>&) noexcept {
    return true;
}
template <typename T, typename U>
bool operator!=(const DefaultInitAllocator<T>&, const DefaultInitAllocator<U>&) noexcept {
    return false;
}

}  // namespace dyadic
