// The one tensor comparison: hand-derived cases (count, first element and its coordinates, largest
// difference at the int32 extremes, layout mismatches) and the merging of batches.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "graph/verify/tensor_diff.h"

using namespace dyadic;
using verify::diff_tensors;

namespace {

Tensor iota(const Shape& shape, IntType type) {
    Tensor t(shape, type);
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<int32_t>(i % 100);
    return t;
}

}  // namespace

TEST_CASE("equal tensors compare equal", "[verify][diff]") {
    const Tensor a = iota({2, 3, 4, 5}, IntType::unsigned_bits(8));
    const verify::TensorDiff d = diff_tensors(a, a);
    CHECK(d.equal());
    CHECK(d.compared == 120);
    CHECK(d.differing == 0);
    CHECK(d.first_index == -1);
    CHECK(verify::describe(d) == "equal");
}

TEST_CASE("the first differing element is named with its NCHW coordinates", "[verify][diff]") {
    const Tensor expected = iota({2, 3, 4, 5}, IntType::unsigned_bits(8));
    Tensor got = expected;
    // Element [1, 2, 3, 4] is the last one (index 119); [0, 1, 2, 3] is 20 + 10 + 3 = 33.
    got.data[119] += 5;
    got.data[33] -= 2;
    const verify::TensorDiff d = diff_tensors(expected, got);
    CHECK_FALSE(d.equal());
    CHECK(d.differing == 2);
    CHECK(d.first_index == 33);
    CHECK(d.first_at == Shape{0, 1, 2, 3});
    CHECK(d.expected == 33);
    CHECK(d.got == 31);
    CHECK(d.largest_difference == 5);
    CHECK(verify::describe(d) == "2 of 120 differ, first at [0, 1, 2, 3]: expected 33, got 31; largest difference 5");
}

TEST_CASE("the largest difference of int32 extremes does not overflow", "[verify][diff]") {
    const Tensor expected({1, 2}, IntType::int32(), {std::numeric_limits<int32_t>::min(), 0});
    const Tensor got({1, 2}, IntType::int32(), {std::numeric_limits<int32_t>::max(), 0});
    const verify::TensorDiff d = diff_tensors(expected, got);
    CHECK(d.differing == 1);
    CHECK(d.largest_difference == 4294967295LL);
    CHECK(d.first_at == Shape{0, 0});
}

TEST_CASE("different shapes or types are a layout mismatch, not an element comparison", "[verify][diff]") {
    const Tensor a = iota({1, 2, 3, 4}, IntType::unsigned_bits(8));
    Tensor reshaped = a;
    reshaped.shape = {1, 2, 12};
    const verify::TensorDiff shape = diff_tensors(a, reshaped);
    CHECK_FALSE(shape.equal());
    CHECK(shape.compared == 0);
    CHECK_THAT(shape.layout_mismatch, Catch::Contains("[1, 2, 12]") && Catch::Contains("[1, 2, 3, 4]"));
    Tensor retyped = a;
    retyped.type = IntType::signed_bits(8);  // same values, other type: still not equal
    const verify::TensorDiff type = diff_tensors(a, retyped);
    CHECK_FALSE(type.equal());
    CHECK_THAT(type.layout_mismatch, Catch::Contains("int8") && Catch::Contains("uint8"));
}

TEST_CASE("merging batches keeps the first difference at its position in the whole input", "[verify][diff]") {
    const Tensor expected = iota({2, 3, 2, 2}, IntType::signed_bits(8));
    Tensor got = expected;
    got.data[13] = -7;  // [1, 0, 0, 1] of the second batch; expected 13
    verify::TensorDiff total = diff_tensors(expected, expected);
    verify::merge_batch(total, diff_tensors(expected, got), 2);  // the batch's images are 2 and 3
    verify::merge_batch(total, diff_tensors(expected, got), 4);  // a later difference is only counted
    CHECK(total.compared == 72);
    CHECK(total.differing == 2);
    CHECK(total.first_index == 24 + 13);
    CHECK(total.first_at == Shape{3, 0, 0, 1});
    CHECK(total.expected == 13);
    CHECK(total.got == -7);
    CHECK(total.largest_difference == 20);
}
