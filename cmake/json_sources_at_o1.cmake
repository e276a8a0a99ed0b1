# The JSON readers and writers (every source that includes nlohmann/json.hpp, directly or through
# the project's headers) compile at -O1 in optimised builds: nlohmann's templates make them the
# slowest third of the build (15 to 40 s each at -O3 on a 2-core CI machine, a third less at -O1),
# while the time they run is spent parsing and formatting small files. Hot loops therefore never
# share a file with JSON code (e.g. graph/dataset/preprocessing.cpp against preprocessing_json.cpp).
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

function(dyadic_json_sources_at_o1 directory)
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
                     $<$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>:-O1>)
      endif()
    endforeach()
  endforeach()
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory ${subdirectories})
    dyadic_json_sources_at_o1(${subdirectory})
  endforeach()
endfunction()
dyadic_json_sources_at_o1(${PROJECT_SOURCE_DIR})
