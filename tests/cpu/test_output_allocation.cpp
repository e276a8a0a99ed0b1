// Tensor storage's contract (reference/tensor.h, util/default_init_allocator.h), on the cpu tests'
// poisoned heap (poisoned_allocation.cpp): memory that nobody wrote holds kPoisonByte, so a fill
// that goes missing shows here as 0x5A5A5A5A, deterministically. The cpu ops' own promise to write
// every element of an uninitialized output is checked by every comparison with the reference in
// this binary, which runs on the same heap.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "poisoned_allocation.h"
#include "reference/tensor.h"
#include "util/default_init_allocator.h"
#include "util/error.h"

using namespace dyadic;
using cpu_test::kPoisonByte;
using cpu_test::kPoisonElement;

namespace {

bool all_equal(const TensorStorage& data, int32_t value) {
    return std::all_of(data.begin(), data.end(), [value](int32_t v) { return v == value; });
}

}  // namespace

TEST_CASE("the cpu tests' heap hands out poisoned memory", "[cpu][allocation]") {
    // Without this, the checks below and an op's unwritten element could read zeros and pass.
    const std::unique_ptr<void, void (*)(void*)> block(::operator new(4096), [](void* p) { ::operator delete(p); });
    const auto* bytes = static_cast<const unsigned char*>(block.get());
    CHECK(std::all_of(bytes, bytes + 4096, [](unsigned char b) { return b == kPoisonByte; }));
}

TEST_CASE("Tensor(shape, type) and the filling storage operations write every element", "[cpu][allocation]") {
    const Tensor zeros({2, 3, 5, 7}, IntType::signed_bits(8));
    CHECK(zeros.size() == 210);
    CHECK(all_equal(zeros.data, 0));

    CHECK(all_equal(TensorStorage(1000, 0), 0));
    CHECK(all_equal(TensorStorage(1000, -3), -3));
    TensorStorage assigned;
    assigned.assign(1000, 0);
    CHECK(all_equal(assigned, 0));

    TensorStorage grown{1, 2, 3};
    grown.resize(2);
    grown.resize(1000, 9);
    CHECK(grown.size() == 1000);
    CHECK((grown[0] == 1 && grown[1] == 2));
    CHECK(std::all_of(grown.begin() + 2, grown.end(), [](int32_t v) { return v == 9; }));
    CHECK(TensorStorage(grown) == grown);

    // Element-wise equality with a plain vector, both ways.
    CHECK(TensorStorage{4, -5} == std::vector<int32_t>{4, -5});
    CHECK(std::vector<int32_t>{4, -5} != TensorStorage{4, 5});
    CHECK(TensorStorage{4} != std::vector<int32_t>{4, 0});
}

TEST_CASE("Tensor(shape, type, uninitialized) sizes and checks like Tensor(shape, type), and writes nothing", "[cpu][allocation]") {
    const Tensor out({2, 3, 5, 7}, IntType::unsigned_bits(4), Tensor::uninitialized);
    CHECK(out.shape == Shape{2, 3, 5, 7});
    CHECK(out.type == IntType::unsigned_bits(4));
    CHECK(out.size() == 210);
    CHECK(out.scales.empty());
    // The elements are indeterminate by contract; on this heap they are what operator new left.
    // Zeros here would mean the storage is value-initialized again, the cost this constructor is for.
    CHECK(all_equal(out.data, kPoisonElement));

    CHECK(Tensor({0, 4}, IntType::signed_bits(8), Tensor::uninitialized).size() == 0);
    // Braced lists still mean data.
    CHECK(Tensor({0, 4}, IntType::signed_bits(8), {}).size() == 0);
    CHECK(Tensor({1}, IntType::signed_bits(8), {7}).data == std::vector<int32_t>{7});
    CHECK_THROWS_AS(Tensor({2, -1}, IntType::signed_bits(8), Tensor::uninitialized), Error);
    CHECK_THROWS_AS(Tensor({2}, IntType::unsigned_bits(17), Tensor::uninitialized), Error);
}

TEST_CASE("DefaultInitAllocator value-initializes what default-initialization would leave indeterminate", "[cpu][allocation]") {
    // Not trivially default constructible: `count` would be indeterminate under default-init.
    struct Named {
        int32_t count;
        std::string name;
    };
    std::vector<Named, DefaultInitAllocator<Named>> named(64);
    CHECK(std::all_of(named.begin(), named.end(), [](const Named& n) { return n.count == 0 && n.name.empty(); }));

    // Rebinding keeps the allocator (a std::allocator would value-initialize again).
    using Rebound = std::allocator_traits<DefaultInitAllocator<int32_t>>::rebind_alloc<int64_t>;
    STATIC_REQUIRE(std::is_same_v<Rebound, DefaultInitAllocator<int64_t>>);
}
