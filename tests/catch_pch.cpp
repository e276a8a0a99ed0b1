// The owner of the precompiled Catch2 header that the test executables of the sanitizer build
// reuse (tests/CMakeLists.txt); it compiles nothing of its own.
