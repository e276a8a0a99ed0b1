# Finds nvcc and enables CUDA for gpu/ (included from the top-level CMakeLists.txt, because every
# directory whose targets link CUDA code must see the language enabled).
#
# check_language(CUDA) looks on PATH only; CI machines may have the toolkit without
# /usr/local/cuda/bin on PATH, so fall back to $CUDA_HOME/bin/nvcc and /usr/local/cuda/bin/nvcc.
# Without nvcc the CUDA kernels are skipped with one message; the host part of gpu/ and its tests
# build everywhere.
option(DYADIC_CUDA "Build the CUDA backend (gpu/) where nvcc is found" ON)
include(CheckLanguage)
if(NOT DYADIC_CUDA)
  message(STATUS "gpu: DYADIC_CUDA is OFF: the CUDA backend is not built")
  set(DYADIC_HAVE_CUDA OFF)
  return()
endif()
if(NOT CMAKE_CUDA_COMPILER)
  foreach(candidate "$ENV{CUDA_HOME}/bin/nvcc" "/usr/local/cuda/bin/nvcc")
    if(EXISTS "${candidate}" AND NOT IS_DIRECTORY "${candidate}")
      set(CMAKE_CUDA_COMPILER "${candidate}" CACHE FILEPATH "CUDA compiler")
      break()
    endif()
  endforeach()
endif()
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
  # Real code for the two Tensor Core generations the kernels distinguish (mma_sync.cuh: native
  # .s4 on sm_8x, unpacked to int8 on sm_90), plus sm_90 PTX for newer GPUs. An sm_80 cubin runs
  # unchanged on sm_86 and sm_89 (same major version), so separate 86/89 builds would only add
  # build time; pass -DCMAKE_CUDA_ARCHITECTURES=native (or 89-real, ...) to tune for one GPU.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES "80-real;90")
  endif()
  # One CUDA runtime in the process: the shared one, which the CUDA libraries (cuBLASLt, cuDNN) use too.
  set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)
  enable_language(CUDA)
  find_package(CUDAToolkit REQUIRED)
  set(DYADIC_HAVE_CUDA ON)
else()
  message(STATUS "gpu: nvcc not found (PATH, $CUDA_HOME/bin, /usr/local/cuda/bin): the CUDA backend is not built")
  set(DYADIC_HAVE_CUDA OFF)
endif()
