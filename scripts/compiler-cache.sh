# Sourced by the build scripts: `launcher` holds the CMake arguments that compile through ccache
# when it is installed (nothing otherwise). The tests read Catch2 from a precompiled header, which
# ccache caches only with this sloppiness (the header's time stamps and __DATE__-like macros).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
fi
