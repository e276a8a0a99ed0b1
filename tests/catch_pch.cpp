// The owner of the precompiled Catch2 header that the test executables reuse (tests/CMakeLists.txt);
// it compiles nothing of its own.
