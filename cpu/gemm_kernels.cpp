#include "cpu/gemm_kernels.h"

#include <string>

#include "util/error.h"

namespace dyadic::cpu {

const char* operand_name(Operand operand) {
    switch (operand) {
        case Operand::kU8: return "u8s8";
        case Operand::kS16: return "s16s16";
        case Operand::kS32: return "s32s32";
    }
    return "?";
}

int elements_per_word(Operand operand) {
    switch (operand) {
        case Operand::kU8: return 4;
        case Operand::kS16: return 2;
        case Operand::kS32: return 1;
    }
    return 1;
}

GemmKernel gemm_kernel(Isa isa, Operand operand, int64_t channels, int64_t depth_words) {
    GemmKernel kernel;
    if (operand == Operand::kS32) isa = Isa::kScalar;
    switch (isa) {
        case Isa::kScalar: kernel = scalar_kernel(operand, channels); break;
        case Isa::kAvx2: kernel = avx2_kernel(operand, channels, depth_words); break;
        case Isa::kAvx512Vnni: kernel = avx512_kernel(operand, channels); break;
    }
    require(kernel.run != nullptr, std::string("cpu path ") + isa_name(isa) + " has no " + operand_name(operand) +
                                       " kernel");
    return kernel;
}

}  // namespace dyadic::cpu
