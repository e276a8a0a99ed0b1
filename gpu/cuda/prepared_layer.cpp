#include "gpu/cuda/prepared_layer.h"

#include "gpu/device_layout.h"
#include "util/error.h"

namespace dyadic::gpu::cuda {
namespace {

// Output buffer of `shape` and `type`, rounded up to whole words (the kernels address words).
void allocate_output(PreparedLayer& layer, const Shape& shape, const IntType& type) {
    const StorageFormat format = storage_format(type);
    layer.output = DeviceBuffer(static_cast<size_t>(storage_words(element_count(shape), format)) * sizeof(uint32_t));
    layer.zero_output_first = format.bits == 4;
    layer.output_shape = shape;
    layer.output_type = type;
}

const uint32_t* upload(PreparedLayer& layer, const std::vector<uint32_t>& words) {
    layer.buffers.push_back(DeviceBuffer::copy_of(words));
    return layer.buffers.back().as<const uint32_t>();
}

const int32_t* upload(PreparedLayer& layer, const std::vector<int32_t>& values) {
    layer.buffers.push_back(DeviceBuffer::copy_of(values));
    return layer.buffers.back().as<const int32_t>();
}

}  // namespace

void PreparedLayer::launch(cudaStream_t stream) {
    if (zero_output_first && output.bytes() > 0) check(cudaMemsetAsync(output.as<void>(), 0, output.bytes(), stream), "memset");
    check(kernels(stream), "kernel launch");
}

Tensor PreparedLayer::download(cudaStream_t stream) const {
    check(cudaStreamSynchronize(stream), "kernel execution");
    std::vector<uint32_t> words(output.bytes() / sizeof(uint32_t));
    if (!words.empty()) {
        check(cudaMemcpy(words.data(), output.as<void>(), output.bytes(), cudaMemcpyDeviceToHost), "download");
    }
    return from_device_layout(words, output_shape, output_type);
}

PreparedLayer prepare_gemm(const GemmPlan& plan, const Tensor& input, const Tensor* identity) {
    PreparedLayer layer;
    allocate_output(layer, plan.output_shape, plan.output_type);
    const uint32_t* in = upload(layer, to_device_layout(input));
    const uint32_t* weights = upload(layer, plan.weights);
    const int32_t* bias = upload(layer, plan.bias);
    const int32_t* mantissa = upload(layer, plan.mantissa);
    const int32_t* shift = upload(layer, plan.shift);
    const uint32_t* id = identity ? upload(layer, to_device_layout(*identity)) : nullptr;
    const GemmOperands operands = plan.operands(in, weights);
    const Epilogue epilogue = plan.epilogue(bias, mantissa, shift, id, layer.output.as<uint32_t>());
    const int64_t blocks_m = plan.blocks_m(), blocks_n = plan.blocks_n();
    layer.kernels = [=](cudaStream_t stream) {
        return blocks_m == 0 ? cudaSuccess : launch_conv_gemm(operands, epilogue, blocks_m, blocks_n, stream);
    };
    return layer;
}

PreparedLayer prepare_pool(PoolKernel kind, const PoolPlan& plan, const Tensor& input) {
    PreparedLayer layer;
    allocate_output(layer, plan.output_shape, plan.output_type);
    PoolArgs args = plan.args;
    args.input = upload(layer, to_device_layout(input));
    args.mantissa_by_count = upload(layer, plan.mantissa);
    args.shift_by_count = upload(layer, plan.shift);
    args.output = layer.output.as<uint32_t>();
    layer.kernels = [=](cudaStream_t stream) { return launch_pool(kind, args, stream); };
    return layer;
}

PreparedLayer prepare_concat(const ConcatPlan& plan, const std::vector<const Tensor*>& inputs) {
    require(inputs.size() == plan.parts.size(), "gpu: concat input count");
    PreparedLayer layer;
    allocate_output(layer, plan.output_shape, plan.output_type);
    std::vector<RescaleArgs> parts = plan.parts;
    for (size_t i = 0; i < parts.size(); ++i) {
        parts[i].input = upload(layer, to_device_layout(*inputs[i]));
        parts[i].output = layer.output.as<uint32_t>();
    }
    layer.kernels = [parts](cudaStream_t stream) {
        for (const RescaleArgs& part : parts) {
            if (const cudaError_t status = launch_rescale(part, stream); status != cudaSuccess) return status;
        }
        return cudaSuccess;
    };
    return layer;
}

PreparedLayer prepare_residual_add(const ResidualAddPlan& plan, const Tensor& main, const Tensor& identity) {
    PreparedLayer layer;
    allocate_output(layer, plan.output_shape, plan.output_type);
    ResidualAddArgs args = plan.args;
    args.main = upload(layer, to_device_layout(main));
    args.identity = upload(layer, to_device_layout(identity));
    args.main_mantissa = upload(layer, plan.main_mantissa);
    args.main_shift = upload(layer, plan.main_shift);
    args.output = layer.output.as<uint32_t>();
    layer.kernels = [=](cudaStream_t stream) { return launch_residual_add(args, stream); };
    return layer;
}

}  // namespace dyadic::gpu::cuda
