// The --bits list syntax.
#include <catch2/catch.hpp>

#include "graph/sensitivity/bit_widths.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

TEST_CASE("bit-width lists", "[sensitivity][cli]") {
    CHECK(parse_bit_widths("2,3,4,5,6,8") == std::vector<int>{2, 3, 4, 5, 6, 8});
    CHECK(parse_bit_widths("8,4") == std::vector<int>{8, 4});
    CHECK_THROWS_WITH(parse_bit_widths("4,9"), Catch::Contains("'9' is not an integer in 2..8"));
    CHECK_THROWS_WITH(parse_bit_widths("4,x"), Catch::Contains("'x'"));
    CHECK_THROWS_WITH(parse_bit_widths("4,,8"), Catch::Contains("''"));
    CHECK_THROWS_WITH(parse_bit_widths("4,4"), Catch::Contains("listed twice"));
    CHECK_THROWS_AS(parse_bit_widths(""), Error);
    CHECK_THROWS_AS(parse_bit_widths("4,"), Error);
    CHECK_THROWS_AS(parse_bit_widths("4 "), Error);
}
