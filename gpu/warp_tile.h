#pragma once
// The work of one warp in the conv/FC kernels, split at the two points where the 32 lanes must act
// together (the mma.sync itself): each lane loads its fragment registers for one k step, the warp
// multiplies, and after the last k step each lane runs the epilogue on its accumulators. The CUDA
// kernel and the host emulation (host_emulation.cpp) call exactly these functions.
//
// Tiling: a warp owns a kWarpTileM x kWarpTileN block of D (2 x 4 MMA tiles of 16 x 8); a thread
// block of kBlockWarpsM x kBlockWarpsN warps owns kBlockTileM x kBlockTileN of one group.
#include <cstdint>

#include "gpu/epilogue.h"
#include "gpu/host_device.h"
#include "gpu/implicit_gemm.h"
#include "gpu/mma_layout.h"
#include "gpu/operand_registers.h"

namespace dyadic::gpu {

inline constexpr int kWarpTilesM = 2;  // MMA tiles per warp along m
inline constexpr int kWarpTilesN = 4;  // MMA tiles per warp along n
inline constexpr int kWarpTileM = kWarpTilesM * kMmaM;  // 32
inline constexpr int kWarpTileN = kWarpTilesN * kMmaN;  // 32
inline constexpr int kBlockWarpsM = 2;
inline constexpr int kBlockWarpsN = 2;
inline constexpr int kBlockWarps = kBlockWarpsM * kBlockWarpsN;
inline constexpr int kBlockTileM = kBlockWarpsM * kWarpTileM;  // 64
inline constexpr int kBlockTileN = kBlockWarpsN * kWarpTileN;  // 64

struct WarpFragments {
    uint32_t a[kWarpTilesM][kARegisters];
    uint32_t b[kWarpTilesN][kBRegisters];
};

// The origins of the A rows a lane loads: rows groupID and groupID + 8 of each MMA tile along m.
struct WarpRows {
    RowOrigin a[kWarpTilesM][2];
};

struct WarpAccumulators {
    int32_t c[kWarpTilesM][kWarpTilesN][kCElements];
};

// Where warp `warp` (0 .. kBlockWarps-1) of block (block_m, block_n) starts in D.
struct WarpOrigin {
    int64_t m0;
    int64_t n0;
};
DYADIC_HD WarpOrigin warp_origin(int64_t block_m, int64_t block_n, int warp) {
    return {block_m * kBlockTileM + (warp % kBlockWarpsM) * kWarpTileM,
            block_n * kBlockTileN + (warp / kBlockWarpsM) * kWarpTileN};
}

// Lane `lane`'s A row origins, once per warp tile (they do not change with k).
DYADIC_HD WarpRows warp_rows(const ConvGeometry& g, WarpOrigin origin, int lane) {
    WarpRows rows;
    DYADIC_UNROLL
    for (int mt = 0; mt < kWarpTilesM; ++mt) {
        DYADIC_UNROLL
        for (int half = 0; half < 2; ++half) {
            rows.a[mt][half] = row_origin(g, origin.m0 + mt * kMmaM + (lane >> 2) + 8 * half);
        }
    }
    return rows;
}

// Lane `lane`'s registers for the k step starting at k0.
DYADIC_HD void load_fragments(const GemmOperands& p, int64_t group, WarpOrigin origin, const WarpRows& rows, int64_t k0,
                              int lane, WarpFragments& f) {
    DYADIC_UNROLL
    for (int mt = 0; mt < kWarpTilesM; ++mt) {
        DYADIC_UNROLL
        for (int r = 0; r < kARegisters; ++r) {
            // A register r holds row groupID (r even) or groupID + 8 (r odd) of the MMA tile.
            const FragmentCoord at = a_register_origin(p.shape, lane, r);
            f.a[mt][r] = a_register(p, group, rows.a[mt][at.row >= 8 ? 1 : 0], k0 + at.col);
        }
    }
    DYADIC_UNROLL
    for (int nt = 0; nt < kWarpTilesN; ++nt) {
        DYADIC_UNROLL
        for (int r = 0; r < kBRegisters; ++r) {
            const FragmentCoord at = b_register_origin(p.shape, lane, r);
            f.b[nt][r] = b_register(p, group, origin.n0 + nt * kMmaN + at.col, k0 + at.row);
        }
    }
}

// One accumulator element (row m, column o of the group) through the epilogue into the output.
DYADIC_HD_CALL void store_accumulator(const ConvGeometry& g, const Epilogue& e, int64_t group, int64_t m, int64_t o,
                                      int32_t sum) {
    const int64_t out_c_per_group = g.out_c_per_group();
    if (m >= g.gemm_m() || o >= out_c_per_group) return;
    const int64_t channel = group * out_c_per_group + o;
    const int64_t index = output_index(g, m, channel);
    store_element(e.output, index, e.output_format, epilogue_value(e, sum, channel, index));
}

// Lane `lane`'s accumulators through the epilogue into the output.
DYADIC_HD void store_accumulators(const ConvGeometry& g, const Epilogue& e, int64_t group, WarpOrigin origin,
                                  int lane, const WarpAccumulators& acc) {
    DYADIC_UNROLL
    for (int mt = 0; mt < kWarpTilesM; ++mt) {
        DYADIC_UNROLL
        for (int nt = 0; nt < kWarpTilesN; ++nt) {
            DYADIC_UNROLL
            for (int i = 0; i < kCElements; ++i) {
                const FragmentCoord at = c_element_coord(lane, i);
                store_accumulator(g, e, group, origin.m0 + mt * kMmaM + at.row, origin.n0 + nt * kMmaN + at.col,
                                  acc.c[mt][nt][i]);
            }
        }
    }
}

}  // namespace dyadic::gpu
