#pragma once
// Device memory owned by one object (cudaMalloc/cudaFree), and the one CUDA error check.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <cuda_runtime.h>

namespace dyadic::gpu::cuda {

// Throws dyadic::Error "gpu: <what>: <CUDA's message>" unless status is cudaSuccess.
void check(cudaError_t status, const std::string& what);

class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(size_t bytes);
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& other) noexcept;
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    // A buffer holding a copy of `values` (empty vector: no allocation, null pointer).
    template <typename T>
    static DeviceBuffer copy_of(const std::vector<T>& values) {
        DeviceBuffer buffer(values.size() * sizeof(T));
        if (!values.empty()) {
            check(cudaMemcpy(buffer.data_, values.data(), values.size() * sizeof(T), cudaMemcpyHostToDevice), "upload");
        }
        return buffer;
    }

    template <typename T>
    T* as() const { return static_cast<T*>(data_); }
    size_t bytes() const { return bytes_; }

private:
    void* data_ = nullptr;
    size_t bytes_ = 0;
};

}  // namespace dyadic::gpu::cuda
