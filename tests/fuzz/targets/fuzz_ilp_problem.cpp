// Fuzz target: the ILP problem reader. An accepted problem must also survive its own JSON
// writer: parse(write(p)) writes the same text again, or the target aborts (a finding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ilp/problem_json.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::string written;
    try {
        written = dyadic::ilp::problem_to_json(dyadic::ilp::parse_problem(text, "fuzz"));
    } catch (const dyadic::Error&) {
        return 0;
    }
    if (dyadic::ilp::problem_to_json(dyadic::ilp::parse_problem(written, "fuzz")) != written) std::abort();
    return 0;
}
