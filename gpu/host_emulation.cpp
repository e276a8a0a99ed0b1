#include "gpu/host_emulation.h"

#include "gpu/device_layout.h"
#include "gpu/mma_emulation.h"
#include "gpu/warp_tile.h"
#include "util/error.h"

namespace dyadic::gpu {

std::vector<uint32_t> emulate_gemm(const GemmPlan& plan, const std::vector<uint32_t>& input,
                                   const std::vector<uint32_t>* identity) {
    require(!plan.identity_format || identity != nullptr, "gpu emulation: fused residual without identity");
    const ConvGeometry& g = plan.geometry;
    std::vector<uint32_t> output(static_cast<size_t>(storage_words(g.gemm_m() * g.out_c, plan.output_format)), 0u);
    const GemmOperands operands = plan.operands(input.data(), plan.weights.data());
    const Epilogue epilogue = plan.epilogue(plan.bias.data(), plan.mantissa.data(), plan.shift.data(),
                                            identity ? identity->data() : nullptr, output.data());
    static thread_local WarpFragments fragments[kWarpLanes];
    static thread_local WarpAccumulators accumulators[kWarpLanes];
    static thread_local WarpRows rows[kWarpLanes];
    WarpMmaOperands mma{};
    int32_t c[kWarpLanes][kCElements];
    for (int64_t group = 0; group < g.groups; ++group) {
        for (int64_t block_m = 0; block_m < plan.blocks_m(); ++block_m) {
            for (int64_t block_n = 0; block_n < plan.blocks_n(); ++block_n) {
                for (int warp = 0; warp < kBlockWarps; ++warp) {
                    const WarpOrigin origin = warp_origin(block_m, block_n, warp);
                    for (auto& a : accumulators) a = WarpAccumulators{};
                    for (int lane = 0; lane < kWarpLanes; ++lane) rows[lane] = warp_rows(g, origin, lane);
                    for (int64_t k0 = 0; k0 < plan.weight_k; k0 += mma_k(plan.shape)) {
                        for (int lane = 0; lane < kWarpLanes; ++lane) {
                            load_fragments(operands, group, origin, rows[lane], k0, lane, fragments[lane]);
                        }
                        for (int mt = 0; mt < kWarpTilesM; ++mt) {
                            for (int nt = 0; nt < kWarpTilesN; ++nt) {
                                for (int lane = 0; lane < kWarpLanes; ++lane) {
                                    for (int r = 0; r < kARegisters; ++r) mma.a[lane][r] = fragments[lane].a[mt][r];
                                    for (int r = 0; r < kBRegisters; ++r) mma.b[lane][r] = fragments[lane].b[nt][r];
                                    for (int i = 0; i < kCElements; ++i) c[lane][i] = accumulators[lane].c[mt][nt][i];
                                }
                                emulate_mma_sync(plan.shape, plan.a_is_signed, mma, c);
                                for (int lane = 0; lane < kWarpLanes; ++lane) {
                                    for (int i = 0; i < kCElements; ++i) accumulators[lane].c[mt][nt][i] = c[lane][i];
                                }
                            }
                        }
                    }
                    for (int lane = 0; lane < kWarpLanes; ++lane) {
                        store_accumulators(g, epilogue, group, origin, lane, accumulators[lane]);
                    }
                }
            }
        }
    }
    return output;
}

std::vector<uint32_t> emulate_pool(PoolKind kind, const PoolPlan& plan, const std::vector<uint32_t>& input) {
    PoolArgs a = plan.args;
    std::vector<uint32_t> output(static_cast<size_t>(storage_words(a.output_count(), a.output_format)), 0u);
    a.input = input.data();
    a.output = output.data();
    a.mantissa_by_count = plan.mantissa.data();
    a.shift_by_count = plan.shift.data();
    for (int64_t e = 0; e < a.output_count(); ++e) {
        switch (kind) {
            case PoolKind::max: max_pool_element(a, e); break;
            case PoolKind::average: average_pool_element(a, e); break;
            case PoolKind::global_average: global_average_pool_element(a, e); break;
        }
    }
    return output;
}

std::vector<uint32_t> emulate_concat(const ConcatPlan& plan, const std::vector<const std::vector<uint32_t>*>& inputs) {
    require(inputs.size() == plan.parts.size(), "gpu emulation: concat input count");
    const StorageFormat format = storage_format(plan.output_type);
    std::vector<uint32_t> output(static_cast<size_t>(storage_words(element_count(plan.output_shape), format)), 0u);
    for (size_t i = 0; i < inputs.size(); ++i) {
        RescaleArgs a = plan.parts[i];
        a.input = inputs[i]->data();
        a.output = output.data();
        for (int64_t e = 0; e < a.count(); ++e) rescale_element(a, e);
    }
    return output;
}

std::vector<uint32_t> emulate_residual_add(const ResidualAddPlan& plan, const std::vector<uint32_t>& main,
                                           const std::vector<uint32_t>& identity) {
    ResidualAddArgs a = plan.args;
    std::vector<uint32_t> output(static_cast<size_t>(storage_words(a.count, a.output_format)), 0u);
    a.main = main.data();
    a.identity = identity.data();
    a.main_mantissa = plan.main_mantissa.data();
    a.main_shift = plan.main_shift.data();
    a.output = output.data();
    for (int64_t e = 0; e < a.count; ++e) residual_add_element(a, e);
    return output;
}

}  // namespace dyadic::gpu
