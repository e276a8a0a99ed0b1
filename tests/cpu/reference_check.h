#pragma once
// The cpu-vs-reference check shared by the op tests: equal results (==), or both throw Error.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>

#include "reference/tensor.h"
#include "util/error.h"

namespace cpu_test {

// The reference's result, or nullopt when it refuses (throws Error).
inline std::optional<dyadic::Tensor> reference_result(const std::function<dyadic::Tensor()>& run) {
    try {
        return run();
    } catch (const dyadic::Error&) {
        return std::nullopt;
    }
}

// cpu result == reference result, or both throw Error.
inline void check_equal(const std::function<dyadic::Tensor()>& reference, const std::function<dyadic::Tensor()>& backend) {
    const std::optional<dyadic::Tensor> want = reference_result(reference);
    if (!want) {
        CHECK_THROWS_AS(backend(), dyadic::Error);
        return;
    }
    const dyadic::Tensor got = backend();
    REQUIRE(got.shape == want->shape);
    REQUIRE(got.type == want->type);
    REQUIRE(got.data == want->data);
}

}  // namespace cpu_test
