// Per-layer GPU latency of the dyadic CUDA backend next to its peers in the same run, on every
// conv2d and fully connected layer of an integer model:
//   - dyadic: GpuBackend::time_layer_ms (the layer's kernels, CUDA events, median);
//   - cuBLASLt int8 GEMM (CUBLAS_COMPUTE_32I, int32 output) on the layer's im2col GEMM shape
//     M = N*OH*OW, N = C_out, K = KH*KW*C_in (K rounded up to a multiple of 4 for the IMMA
//     kernels; per group for grouped convs, timed as one GEMM of G times the M);
//   - cuDNN int8 convolution (NHWC int8 in, int32 accumulation, float out), where cuDNN runs it;
// and the device's int8 peak measured by cuBLASLt on an 8192^3 GEMM.
//   bench_gpu_peers model.dyqm [--batch 1] [--repeats 20] [--json out.json]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <cublasLt.h>
#include <cuda_runtime.h>
#if DYADIC_HAVE_CUDNN
#include <cudnn.h>
#endif
#include <nlohmann/json.hpp>

#include "gpu/cuda/device_buffer.h"
#include "gpu/gpu_backend.h"
#include "graph/quant/model_file.h"
#include "reference/ops/conv2d.h"
#include "util/atomic_file.h"
#include "util/error.h"

using namespace dyadic;
using gpu::cuda::check;
using gpu::cuda::DeviceBuffer;

namespace {

constexpr int kWarmup = 5;

double median_ms(const std::function<void()>& launch, int repeats) {
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "event");
    check(cudaEventCreate(&stop), "event");
    for (int i = 0; i < kWarmup; ++i) launch();
    std::vector<double> samples;
    for (int i = 0; i < repeats; ++i) {
        check(cudaEventRecord(start), "event");
        launch();
        check(cudaEventRecord(stop), "event");
        check(cudaEventSynchronize(stop), "peer kernel");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, start, stop), "event");
        samples.push_back(ms);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

void check_lt(cublasStatus_t status, const char* what) {
    if (status != CUBLAS_STATUS_SUCCESS) throw Error(std::string("cuBLASLt ") + what + ": status " + std::to_string(status));
}

// C[m x n] (int32) = A[m x k] * B[k x n], int8, "TN" as the int8 IMMA kernels require.
class LtInt8Gemm {
public:
    LtInt8Gemm() { check_lt(cublasLtCreate(&handle_), "create"); }
    ~LtInt8Gemm() { cublasLtDestroy(handle_); }

    // Median milliseconds, or nullopt (with `why`) when cuBLASLt has no algorithm for the shape.
    std::optional<double> time(int64_t m, int64_t n, int64_t k, int repeats, std::string& why) {
        k = (k + 3) / 4 * 4;
        DeviceBuffer a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)), c(static_cast<size_t>(m * n) * 4);
        check(cudaMemset(a.as<void>(), 1, a.bytes()), "memset");
        check(cudaMemset(b.as<void>(), 1, b.bytes()), "memset");
        cublasLtMatmulDesc_t op;
        check_lt(cublasLtMatmulDescCreate(&op, CUBLAS_COMPUTE_32I, CUDA_R_32I), "desc");
        const cublasOperation_t transpose = CUBLAS_OP_T;
        check_lt(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSA, &transpose, sizeof transpose), "transa");
        cublasLtMatrixLayout_t la, lb, lc;
        check_lt(cublasLtMatrixLayoutCreate(&la, CUDA_R_8I, static_cast<uint64_t>(k), static_cast<uint64_t>(m), k), "layout");
        check_lt(cublasLtMatrixLayoutCreate(&lb, CUDA_R_8I, static_cast<uint64_t>(k), static_cast<uint64_t>(n), k), "layout");
        check_lt(cublasLtMatrixLayoutCreate(&lc, CUDA_R_32I, static_cast<uint64_t>(m), static_cast<uint64_t>(n), m), "layout");
        cublasLtMatmulPreference_t preference;
        check_lt(cublasLtMatmulPreferenceCreate(&preference), "preference");
        const size_t workspace_bytes = size_t{32} << 20;
        DeviceBuffer workspace(workspace_bytes);
        check_lt(cublasLtMatmulPreferenceSetAttribute(preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_bytes,
                                                      sizeof workspace_bytes),
                 "workspace");
        cublasLtMatmulHeuristicResult_t result{};
        int found = 0;
        std::optional<double> ms;
        if (cublasLtMatmulAlgoGetHeuristic(handle_, op, la, lb, lc, lc, preference, 1, &result, &found) !=
                CUBLAS_STATUS_SUCCESS ||
            found == 0) {
            why = "no cuBLASLt int8 algorithm for this shape";
        } else {
            const int32_t alpha = 1, beta = 0;
            ms = median_ms(
                [&] {
                    check_lt(cublasLtMatmul(handle_, op, &alpha, a.as<void>(), la, b.as<void>(), lb, &beta, c.as<void>(), lc,
                                            c.as<void>(), lc, &result.algo, workspace.as<void>(), workspace_bytes, nullptr),
                             "matmul");
                },
                repeats);
        }
        cublasLtMatmulPreferenceDestroy(preference);
        cublasLtMatrixLayoutDestroy(la);
        cublasLtMatrixLayoutDestroy(lb);
        cublasLtMatrixLayoutDestroy(lc);
        cublasLtMatmulDescDestroy(op);
        return ms;
    }

private:
    cublasLtHandle_t handle_ = nullptr;
};

#if DYADIC_HAVE_CUDNN
// cuDNN's int8 convolution (INT8x4-free NHWC path: C and C_out multiples of 4, symmetric padding).
std::optional<double> time_cudnn_conv(const quant::Conv2dLayer& conv, const Shape& input, int repeats, std::string& why) {
    const Conv2dParams& p = conv.params;
    const Shape out = conv2d_output_shape(input, conv.weight.shape, p);
    if (p.pad_top != p.pad_bottom || p.pad_left != p.pad_right) {
        why = "asymmetric padding";
        return std::nullopt;
    }
    cudnnHandle_t handle;
    if (cudnnCreate(&handle) != CUDNN_STATUS_SUCCESS) {
        why = "cudnnCreate failed";
        return std::nullopt;
    }
    cudnnTensorDescriptor_t x, y;
    cudnnFilterDescriptor_t w;
    cudnnConvolutionDescriptor_t c;
    cudnnCreateTensorDescriptor(&x);
    cudnnCreateTensorDescriptor(&y);
    cudnnCreateFilterDescriptor(&w);
    cudnnCreateConvolutionDescriptor(&c);
    const auto i = [](int64_t v) { return static_cast<int>(v); };
    cudnnStatus_t status = cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NHWC, CUDNN_DATA_INT8, i(input[0]), i(input[1]),
                                                      i(input[2]), i(input[3]));
    if (status == CUDNN_STATUS_SUCCESS)
        status = cudnnSetFilter4dDescriptor(w, CUDNN_DATA_INT8, CUDNN_TENSOR_NHWC, i(conv.weight.shape[0]),
                                            i(conv.weight.shape[1]), i(conv.weight.shape[2]), i(conv.weight.shape[3]));
    if (status == CUDNN_STATUS_SUCCESS)
        status = cudnnSetConvolution2dDescriptor(c, p.pad_top, p.pad_left, p.stride_h, p.stride_w, p.dilation_h,
                                                 p.dilation_w, CUDNN_CROSS_CORRELATION, CUDNN_DATA_INT32);
    if (status == CUDNN_STATUS_SUCCESS) status = cudnnSetConvolutionGroupCount(c, p.groups);
    if (status == CUDNN_STATUS_SUCCESS)
        status = cudnnSetTensor4dDescriptor(y, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, i(out[0]), i(out[1]), i(out[2]), i(out[3]));
    const cudnnConvolutionFwdAlgo_t algo = CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM;
    size_t workspace_bytes = 0;
    if (status == CUDNN_STATUS_SUCCESS) status = cudnnGetConvolutionForwardWorkspaceSize(handle, x, w, c, y, algo, &workspace_bytes);
    std::optional<double> ms;
    if (status == CUDNN_STATUS_SUCCESS) {
        DeviceBuffer dx(static_cast<size_t>(element_count(input))), dw(static_cast<size_t>(conv.weight.size())),
            dy(static_cast<size_t>(element_count(out)) * 4), workspace(workspace_bytes);
        check(cudaMemset(dx.as<void>(), 1, dx.bytes()), "memset");
        check(cudaMemset(dw.as<void>(), 1, dw.bytes()), "memset");
        const float alpha = 1, beta = 0;
        status = cudnnConvolutionForward(handle, &alpha, x, dx.as<void>(), w, dw.as<void>(), c, algo, workspace.as<void>(),
                                         workspace_bytes, &beta, y, dy.as<void>());
        if (status == CUDNN_STATUS_SUCCESS) {
            ms = median_ms(
                [&] {
                    cudnnConvolutionForward(handle, &alpha, x, dx.as<void>(), w, dw.as<void>(), c, algo,
                                            workspace.as<void>(), workspace_bytes, &beta, y, dy.as<void>());
                },
                repeats);
        }
    }
    if (!ms) why = std::string("cuDNN: ") + cudnnGetErrorString(status);
    cudnnDestroyTensorDescriptor(x);
    cudnnDestroyTensorDescriptor(y);
    cudnnDestroyFilterDescriptor(w);
    cudnnDestroyConvolutionDescriptor(c);
    cudnnDestroy(handle);
    return ms;
}
#endif

nlohmann::json optional_ms(const std::optional<double>& ms) { return ms ? nlohmann::json(*ms) : nlohmann::json(nullptr); }

}  // namespace

int main(int argc, char** argv) {
    std::string model_path, json_path;
    int batch = 1, repeats = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--batch" && i + 1 < argc) batch = std::stoi(argv[++i]);
        else if (arg == "--repeats" && i + 1 < argc) repeats = std::stoi(argv[++i]);
        else if (arg == "--json" && i + 1 < argc) json_path = argv[++i];
        else if (model_path.empty() && arg.rfind("--", 0) != 0) model_path = arg;
        else batch = 0;  // anything else: print the usage
    }
    if (model_path.empty() || batch < 1 || repeats < 1) {
        std::fprintf(stderr, "usage: bench_gpu_peers model.dyqm [--batch n] [--repeats n] [--json out.json]\n");
        return 2;
    }
    try {
        gpu::GpuBackend backend;
        if (!backend.unavailable_reason().empty()) {
            std::fprintf(stderr, "bench_gpu_peers: %s\n", backend.unavailable_reason().c_str());
            return 1;
        }
        const quant::QuantizedModel model = quant::load_model(model_path);
        LtInt8Gemm lt;
        std::string why;
        const auto peak_ms = lt.time(8192, 8192, 8192, repeats, why);
        const double peak_tops = peak_ms ? 2.0 * 8192.0 * 8192.0 * 8192.0 / (*peak_ms * 1e-3) / 1e12 : 0.0;
        nlohmann::json report{{"device", backend.device_description()}, {"model", model.name}, {"batch", batch},
                              {"repeats", repeats}, {"int8_peak_tops_cublaslt_8192", peak_tops}, {"layers", nlohmann::json::array()}};
        std::printf("%s, batch %d; int8 peak (cuBLASLt 8192^3): %.1f TOPS\n", backend.device_description().c_str(), batch,
                    peak_tops);
        std::printf("%-36s %-8s %9s %7s %7s %10s %11s %10s %8s\n", "layer", "bits", "M", "N", "K", "dyadic ms", "cuBLASLt ms",
                    "cuDNN ms", "vs best");
        // Each layer's inputs are seeded random tensors of the model's types (timing does not depend on values).
        std::mt19937 rng(1);
        for (const quant::QuantizedLayer& layer : model.layers) {
            const auto* conv = std::get_if<quant::Conv2dLayer>(&layer.op);
            const auto* fc = std::get_if<quant::FullyConnectedLayer>(&layer.op);
            if (!conv && !fc) continue;
            std::vector<Tensor> owned;
            for (const quant::TensorId id : layer.inputs) {
                const quant::TensorInfo& info = model.tensors[static_cast<size_t>(id)];
                Shape shape = info.shape;
                shape[0] = batch;
                Tensor t(shape, info.type);
                std::uniform_int_distribution<int64_t> dist(info.type.min(), info.type.max());
                for (auto& v : t.data) v = static_cast<int32_t>(dist(rng));
                owned.push_back(std::move(t));
            }
            std::vector<const Tensor*> inputs;
            for (const Tensor& t : owned) inputs.push_back(&t);
            const double ours = backend.time_layer_ms(layer, inputs, kWarmup, repeats);
            const Tensor& weight = conv ? conv->weight : fc->weight;
            int64_t m = 0, n = 0, k = 0, groups = 1;
            if (conv) {
                const Shape out = conv2d_output_shape(owned[0].shape, weight.shape, conv->params);
                groups = conv->params.groups;
                m = out[0] * out[2] * out[3] * groups;
                n = weight.shape[0] / groups;
                k = weight.shape[1] * weight.shape[2] * weight.shape[3];
            } else {
                m = batch;
                n = weight.shape[0];
                k = weight.shape[1];
            }
            std::string lt_why, dnn_why = "not a conv";
            const std::optional<double> lt_ms = lt.time(m, n, k, repeats, lt_why);
            std::optional<double> dnn_ms;
#if DYADIC_HAVE_CUDNN
            if (conv) dnn_ms = time_cudnn_conv(*conv, owned[0].shape, repeats, dnn_why);
#else
            dnn_why = "built without cuDNN";
#endif
            const double best = std::min(lt_ms.value_or(1e30), dnn_ms.value_or(1e30));
            const std::string bits = "w" + std::to_string(weight.type.bits) + "a" + std::to_string(owned[0].type.bits);
            std::printf("%-36s %-8s %9lld %7lld %7lld %10.4f %11s %10s %7.2fx\n", layer.name.c_str(), bits.c_str(),
                        static_cast<long long>(m), static_cast<long long>(n), static_cast<long long>(k), ours,
                        lt_ms ? std::to_string(*lt_ms).c_str() : "-", dnn_ms ? std::to_string(*dnn_ms).c_str() : "-",
                        best < 1e30 ? best / ours : 0.0);
            report["layers"].push_back({{"name", layer.name}, {"bits", bits}, {"gemm_m", m}, {"gemm_n", n}, {"gemm_k", k},
                                        {"dyadic_ms", ours}, {"cublaslt_int8_ms", optional_ms(lt_ms)},
                                        {"cublaslt_note", lt_why}, {"cudnn_int8_ms", optional_ms(dnn_ms)},
                                        {"cudnn_note", dnn_ms ? "" : dnn_why}});
        }
        if (!json_path.empty()) write_file_atomically(json_path, report.dump(2) + "\n");
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_gpu_peers: %s\n", e.what());
        return 1;
    }
}
