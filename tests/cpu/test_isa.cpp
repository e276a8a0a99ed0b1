// The run-time path choice: names round-trip, the scalar path is always there, the best path is
// supported, and asking for a path this CPU lacks is refused instead of crashing.
#include <catch2/catch.hpp>

#include "cpu/conv2d.h"
#include "cpu/isa.h"
#include "util/error.h"

using namespace dyadic;

TEST_CASE("cpu paths: names, support and refusal", "[cpu][isa]") {
    for (const cpu::Isa isa : {cpu::Isa::kScalar, cpu::Isa::kAvx2, cpu::Isa::kAvx512Vnni}) {
        CHECK(cpu::parse_isa(cpu::isa_name(isa)) == isa);
    }
    CHECK_THROWS_AS(cpu::parse_isa("sse9"), Error);
    CHECK(cpu::isa_supported(cpu::Isa::kScalar));
    CHECK(cpu::isa_supported(cpu::best_isa()));
    CHECK(cpu::supported_isas().front() == cpu::Isa::kScalar);
    CHECK(cpu::supported_isas().back() == cpu::best_isa());
    for (const cpu::Isa isa : {cpu::Isa::kAvx2, cpu::Isa::kAvx512Vnni}) {
        if (cpu::isa_supported(isa)) continue;
        ThreadPool pool(1);
        const cpu::Runtime runtime{isa, &pool, nullptr};
        Tensor input({1, 4, 2, 2}, IntType::unsigned_bits(8));
        Tensor weight({4, 4, 1, 1}, IntType::signed_bits(8));
        const OutputStage stage{{dyadic_one()}, IntType::signed_bits(8), false};
        CHECK_THROWS_WITH(cpu::conv2d(input, weight, {}, {}, stage, runtime), Catch::Matchers::Contains("not supported"));
    }
}
