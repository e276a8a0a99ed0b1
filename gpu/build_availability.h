#pragma once
// What the `gpu` backend says in a build without the CUDA kernels (no nvcc at configure time, or
// -DDYADIC_CUDA=OFF). One sentence for every command that names the backend.
namespace dyadic::gpu {

inline constexpr const char* kBuiltWithoutCuda =
    "built without CUDA (no nvcc found at configure time, or -DDYADIC_CUDA=OFF)";

}  // namespace dyadic::gpu
