#pragma once
// Writing output files all-or-nothing: the content goes to a temporary file beside the target,
// which is renamed over it only after a successful write, so an error or a crash never leaves a
// half-written output behind.
#include <string>

namespace dyadic {

// Throws dyadic::Error naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace dyadic
