#pragma once
// The instruction paths of the cpu backend and the one run-time choice among them.
//
// Every path is exact (docs/semantics.md, section 6.1): vpmaddubsw, whose u8 x s8 pair sums
// saturate to int16, runs only on layers whose operand bounds prove no pair sum can saturate.
// A path is usable only when cpuid and the operating system (XCR0) both say its registers work;
// the best usable one is the default.
#include <string>
#include <vector>

namespace dyadic::cpu {

enum class Isa {
    kScalar,      // portable C++ on int32 operands: any x86-64 (and any other) CPU
    kAvx2,        // vpmaddwd on operands widened to int16 (exact for every int16 pair), vpmaddubsw
                  // where no u8 x s8 pair sum can saturate
    kAvx512Vnni,  // vpdpbusd (u8 x s8, no saturation) for 8-bit operands, vpdpwssd for 16-bit ones
};

// "scalar", "avx2", "avx512_vnni".
const char* isa_name(Isa isa);

// Parses isa_name's spelling; throws Error naming the known paths otherwise.
Isa parse_isa(const std::string& name);

// Whether this CPU and OS can run the path (kScalar always can).
bool isa_supported(Isa isa);

// The fastest supported path.
Isa best_isa();

// Every path this machine can run, slowest first (what tests force one by one).
std::vector<Isa> supported_isas();

}  // namespace dyadic::cpu
