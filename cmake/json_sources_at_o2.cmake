# The JSON readers and writers (every source that includes nlohmann/json.hpp, directly or through
# the project's headers) compile at -O2 in optimised builds: nlohmann's templates make them the
# slowest third of the build, while the time they run is spent parsing and formatting small files.
# Hot loops therefore never share a file with JSON code (e.g. graph/dataset/preprocessing.cpp
# against preprocessing_json.cpp).
#
# Not -O1, which would save another fifth (graph/quant/model_json.cpp: 10.4 s at -O1, 13.0 s at
# -O2, 13.6 s at -O3): these files also emit their own copies of the inline functions they use
# (Tensor's destructor and move assignment, std::vector's members), the linker keeps one copy of
# each for the whole program, and in `dyadic` it kept theirs. At -O1, GCC leaves in the empty
# per-element loop that destroying a TensorStorage (its allocator is not std::allocator) compiles
# to, so every tensor freed in the cpu backend's hot path walked its elements: 13% of `dyadic eval`'s
# time (bench/cpu/README.md). -O2 removes such loops as -O3 does.
# Found by scanning the sources of every target once they are all defined, so that a new JSON file
# gets the same treatment without being listed. Included at the end of the top-level CMakeLists.txt.

# The project's headers that bring in nlohmann/json.hpp, directly or through one another, as one
# regular expression over #include lines.
set(dyadic_json_headers "nlohmann/json.hpp")
set(dyadic_project_headers)
foreach(component util reference graph ilp rtl sim cpu gpu cli tests)
  file(GLOB_RECURSE found RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/${component}/*.h)
  list(APPEND dyadic_project_headers ${found})
endforeach()
set(grown TRUE)
while(grown)
  set(grown FALSE)
  list(JOIN dyadic_json_headers "|" alternatives)
  string(REPLACE "." "\\." alternatives "${alternatives}")
  foreach(header ${dyadic_project_headers})
    if(NOT header IN_LIST dyadic_json_headers)
      file(STRINGS ${PROJECT_SOURCE_DIR}/${header} hit REGEX "^#include [<\"](${alternatives})[>\"]" LIMIT_COUNT 1)
      if(hit)
        list(APPEND dyadic_json_headers ${header})
        set(grown TRUE)
      endif()
    endif()
  endforeach()
endwhile()
list(JOIN dyadic_json_headers "|" alternatives)
string(REPLACE "." "\\." alternatives "${alternatives}")
set(DYADIC_JSON_INCLUDE_REGEX "^#include [<\"](${alternatives})[>\"]")

function(dyadic_json_sources_at_o2 directory)
  # The tests keep the -O1 of every test file (tests/CMakeLists.txt), the level their precompiled
  # Catch2 header is built at: GCC 12 crashes (internal compiler error) on test_model_json.cpp at
  # -O2 with that header.
  if(directory STREQUAL "${PROJECT_SOURCE_DIR}/tests")
    return()
  endif()
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY" OR type STREQUAL "UTILITY")
      continue()
    endif()
    get_target_property(sources ${target} SOURCES)
    get_target_property(source_dir ${target} SOURCE_DIR)
    foreach(source ${sources})
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${source_dir} OUTPUT_VARIABLE path)
      if(NOT path MATCHES "\\.cpp$" OR NOT EXISTS ${path})
        continue()
      endif()
      file(STRINGS ${path} json_include REGEX "${DYADIC_JSON_INCLUDE_REGEX}" LIMIT_COUNT 1)
      if(json_include)
        set_property(SOURCE ${path} DIRECTORY ${source_dir} APPEND PROPERTY COMPILE_OPTIONS
                     $<$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>:-O2>)
      endif()
    endforeach()
  endforeach()
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory ${subdirectories})
    dyadic_json_sources_at_o2(${subdirectory})
  endforeach()
endfunction()
dyadic_json_sources_at_o2(${PROJECT_SOURCE_DIR})
