#pragma once
// The SystemC accelerator model's entry point (docs/accelerator.md). Runs one layer at a time on
// the simulated accelerator and returns the integer output tensor, which must equal the reference
// op's output with ==, and the layer's cycle breakdown.
//
// This header is free of SystemC (any C++17/20 file may include it). All Simulator objects of a
// process share one SystemC kernel and one elaborated accelerator (SystemC elaborates only once
// per process); each call re-sizes the memories from its configuration. Not thread-safe.
#include <optional>
#include <string>
#include <vector>

#include "reference/dyadic.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/pool2d_params.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"
#include "reference/tensor.h"
#include "sim/accel_config.h"
#include "sim/compute_core.h"
#include "sim/layer_stats.h"
#include "sim/mapper.h"

namespace dyadic::sim {

struct ConvRequest;
struct StreamRequest;

struct LayerResult {
    Tensor output;
    LayerStats stats;
};

// A conv or fully connected layer without data, for timing only (latency tables).
struct ConvTimingSpec {
    std::string name = "conv2d";
    bool fully_connected = false;
    Shape input;   // [N, C, H, W] or [N, K]
    Shape weight;  // OIHW or [M, K]
    Conv2dParams params;
    IntType input_type = IntType::unsigned_bits(8);
    IntType weight_type = IntType::signed_bits(8);
    IntType output_type = IntType::unsigned_bits(8);
    std::optional<IntType> identity_type;  // set for a fused residual add
};

// Pins the tiling and loop order instead of asking the mapper (tests and experiments).
struct MappingOverride {
    int64_t tile_m = 0, tile_k = 0, tile_rows = 0;
    LoopOrder order{LoopDim::m, LoopDim::t, LoopDim::k};
};

class Simulator {
public:
    explicit Simulator(AccelConfig config);
    const AccelConfig& config() const { return config_; }
    void set_mapping_override(std::optional<MappingOverride> mapping) { override_ = mapping; }
    // Runs array steps and conv/FC output tiles on `core` (which must outlive the calls) instead of
    // the behavioural model; nullptr restores the behavioural model. Layers whose operands the core
    // cannot multiply are refused with Error.
    void set_compute_core(ComputeCore* core) { core_ = core; }

    // Same arguments, checks and output as reference conv2d / fully_connected.
    LayerResult conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
                       const OutputStage& stage, const std::string& name = "conv2d");
    LayerResult fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                const OutputStage& stage, const std::string& name = "fully_connected");
    // residual_add(conv2d_accumulate(input, weight, bias, params), identity, stage), fused.
    LayerResult conv2d_residual(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                const Conv2dParams& params, const ResidualAddStage& stage, const Tensor& identity,
                                const std::string& name = "conv2d");

    // Post-processing-unit layers: same results as the reference ops of the same names.
    LayerResult residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage,
                             const std::string& name = "residual_add");
    LayerResult max_pool2d(const Tensor& input, const Pool2dParams& params, const std::string& name = "max_pool2d");
    LayerResult average_pool2d(const Tensor& input, const Pool2dParams& params, const AveragePoolStage& stage,
                               const std::string& name = "average_pool2d");
    LayerResult global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type,
                                    const std::string& name = "global_average_pool");
    LayerResult concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                                IntType output_type, const std::string& name = "concat");

    // Cycles of a conv/FC layer without its data: the same simulation with no arithmetic and no
    // data movement (timing never depends on values).
    LayerStats time_conv(const ConvTimingSpec& spec);

private:
    LayerResult run_conv(ConvRequest& request, const std::string& name, const std::string& op, const Shape& out_shape);
    LayerResult run_stream(StreamRequest& request, const std::string& name, const std::string& op);

    AccelConfig config_;
    std::optional<MappingOverride> override_;
    ComputeCore* core_ = nullptr;
};

}  // namespace dyadic::sim
