#include "cpu/isa.h"

#include "util/cpu_features.h"
#include "util/error.h"

namespace dyadic::cpu {

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::kScalar: return "scalar";
        case Isa::kAvx2: return "avx2";
        case Isa::kAvx512Vnni: return "avx512_vnni";
    }
    return "?";
}

Isa parse_isa(const std::string& name) {
    for (const Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512Vnni}) {
        if (name == isa_name(isa)) return isa;
    }
    throw Error("unknown cpu path '" + name + "' (known: scalar, avx2, avx512_vnni)");
}

bool isa_supported(Isa isa) {
    switch (isa) {
        case Isa::kScalar: return true;
        case Isa::kAvx2: return cpu_features().avx2;
        case Isa::kAvx512Vnni: return cpu_features().avx512_vnni;
    }
    return false;
}

Isa best_isa() {
    if (isa_supported(Isa::kAvx512Vnni)) return Isa::kAvx512Vnni;
    if (isa_supported(Isa::kAvx2)) return Isa::kAvx2;
    return Isa::kScalar;
}

std::vector<Isa> supported_isas() {
    std::vector<Isa> isas;
    for (const Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512Vnni}) {
        if (isa_supported(isa)) isas.push_back(isa);
    }
    return isas;
}

}  // namespace dyadic::cpu
