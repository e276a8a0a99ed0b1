// The cpu tests' global operator new: every allocation starts filled with kPoisonByte, so that an
// output element an op leaves unwritten holds 0x5A5A5A5A (outside every type an op may output
// except int32) instead of whatever the heap had there, often a lucky zero. The cpu backend
// allocates its outputs uninitialized (Tensor::uninitialized) on the promise that it writes every
// element; with this, every comparison with the reference in these tests also checks that promise.
//
// The whole non-aligned family is replaced, on malloc and free, so that AddressSanitizer (which
// supplies its own operator new and checks that each block is freed by its allocator's partner)
// sees one allocator. The aligned forms stay the library's: nothing here allocates through them.
#include <cstdlib>
#include <cstring>
#include <new>

#include "poisoned_allocation.h"

namespace {

void* allocate_poisoned(std::size_t size) noexcept {
    void* block = std::malloc(size == 0 ? 1 : size);
    if (block != nullptr) std::memset(block, cpu_test::kPoisonByte, size);
    return block;
}

}  // namespace

void* operator new(std::size_t size) {
    if (void* block = allocate_poisoned(size)) return block;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    if (void* block = allocate_poisoned(size)) return block;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate_poisoned(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate_poisoned(size); }

void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { std::free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { std::free(block); }
