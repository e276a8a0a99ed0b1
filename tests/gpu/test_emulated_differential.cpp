// The differential generator's random layers (graph/verify/random_case.h: every op kind, 2..8-bit
// operands, forced rounding ties, extreme multipliers, grouped and dilated convs, multi-tile
// shapes) through the GPU kernels' algorithm on the host, compared with the reference with ==.
#include <catch2/catch.hpp>

#include <optional>

#include "gpu/device_layout.h"
#include "gpu/gemm_plan.h"
#include "gpu/host_emulation.h"
#include "gpu/op_plans.h"
#include "graph/quant/reference_backend.h"
#include "graph/verify/random_case.h"

using namespace dyadic;
using namespace dyadic::gpu;

namespace {

// The GPU backend's per-op plans run by the host emulation instead of the CUDA kernels, on a
// device without 4-bit MMA (sm_90) or with it.
class EmulatedGpuBackend : public quant::LayerBackend {
public:
    explicit EmulatedGpuBackend(bool native_int4) : native_int4_(native_int4) {}
    std::string name() const override { return "gpu-emulated"; }
    std::string unsupported_reason(const quant::QuantizedLayer& layer,
                                   const std::vector<const Tensor*>& inputs) const override {
        if (const auto* conv = std::get_if<quant::Conv2dLayer>(&layer.op)) return gemm_unsupported_reason(inputs[0]->type, conv->weight);
        if (const auto* fc = std::get_if<quant::FullyConnectedLayer>(&layer.op)) return gemm_unsupported_reason(inputs[0]->type, fc->weight);
        return {};
    }

protected:
    Tensor conv2d(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input) override {
        return gemm(plan_conv2d(op, input.shape, input.type, std::nullopt, native_int4_), input, nullptr);
    }
    Tensor conv2d_residual(const quant::QuantizedLayer&, const quant::Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override {
        return gemm(plan_conv2d(op, input.shape, input.type, identity.type, native_int4_), input, &identity);
    }
    Tensor fully_connected(const quant::QuantizedLayer&, const quant::FullyConnectedLayer& op, const Tensor& input) override {
        return gemm(plan_fully_connected(op, input.shape, input.type, native_int4_), input, nullptr);
    }
    Tensor residual_add(const quant::QuantizedLayer&, const quant::ResidualAddLayer& op, const Tensor& main,
                        const Tensor& identity) override {
        const ResidualAddPlan plan = plan_residual_add(main, identity, op.stage);
        return from_device_layout(emulate_residual_add(plan, to_device_layout(main), to_device_layout(identity)),
                                  plan.output_shape, plan.output_type);
    }
    Tensor max_pool2d(const quant::QuantizedLayer&, const quant::MaxPool2dLayer& op, const Tensor& input) override {
        return pool(PoolKind::max, plan_max_pool(op.params, input.shape, input.type), input);
    }
    Tensor average_pool2d(const quant::QuantizedLayer&, const quant::AveragePool2dLayer& op, const Tensor& input) override {
        return pool(PoolKind::average, plan_average_pool(op.params, op.stage, input.shape, input.type), input);
    }
    Tensor global_average_pool(const quant::QuantizedLayer&, const quant::GlobalAveragePoolLayer& op,
                               const Tensor& input) override {
        return pool(PoolKind::global_average, plan_global_average_pool(op.multiplier, op.output_type, input.shape, input.type),
                    input);
    }
    Tensor concat(const quant::QuantizedLayer&, const quant::ConcatLayer& op, const std::vector<const Tensor*>& inputs) override {
        const ConcatPlan plan = plan_concat(inputs, op.multipliers, op.output_type);
        std::vector<std::vector<uint32_t>> words;
        for (const Tensor* t : inputs) words.push_back(to_device_layout(*t));
        std::vector<const std::vector<uint32_t>*> pointers;
        for (const auto& w : words) pointers.push_back(&w);
        return from_device_layout(emulate_concat(plan, pointers), plan.output_shape, plan.output_type);
    }
    Tensor requantize(const quant::QuantizedLayer& layer, const quant::RequantizeLayer& op, const Tensor& input) override {
        return concat(layer, quant::ConcatLayer{{op.multiplier}, op.output_type}, {&input});
    }

private:
    Tensor gemm(const GemmPlan& plan, const Tensor& input, const Tensor* identity) {
        const std::vector<uint32_t> id = identity ? to_device_layout(*identity) : std::vector<uint32_t>{};
        return from_device_layout(emulate_gemm(plan, to_device_layout(input), identity ? &id : nullptr), plan.output_shape,
                                  plan.output_type);
    }
    Tensor pool(PoolKind kind, const PoolPlan& plan, const Tensor& input) {
        return from_device_layout(emulate_pool(kind, plan, to_device_layout(input)), plan.output_shape, plan.output_type);
    }
    bool native_int4_;
};

}  // namespace

TEST_CASE("emulated GPU kernels equal the reference on the differential generator's random layers", "[gpu][differential]") {
    quant::ReferenceBackend reference;
    EmulatedGpuBackend native(true), unpacked(false);
    int compared = 0, unsupported = 0;
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        const verify::LayerCase c = verify::random_layer_case(seed);
        INFO("seed " << seed << ": " << c.description);
        if (!native.unsupported_reason(c.layer, c.input_pointers()).empty()) {
            ++unsupported;
            continue;
        }
        const Tensor expected = reference.run_layer(c.layer, c.input_pointers());
        for (EmulatedGpuBackend* backend : {&native, &unpacked}) {
            const Tensor got = backend->run_layer(c.layer, c.input_pointers());
            REQUIRE(got.shape == expected.shape);
            REQUIRE(got.type == expected.type);
            REQUIRE(got.data == expected.data);
        }
        ++compared;
    }
    // Conv/FC operands wider than 8 bits would be refused (never computed wrongly); the generator
    // keeps them within 8 bits, so nearly every case is compared.
    CHECK(compared >= 250);
    CHECK(compared + unsupported == 300);
}
