#pragma once
// Reading a whole input file, with one set of messages for what goes wrong: a missing path, a
// directory where a file is expected, a read error. Every reader of outside files uses it, so a
// directory is never reported as "invalid JSON", "has no graph" or "missing magic".
#include <string>

namespace dyadic {

// The bytes of the file at `path`; throws Error naming `what` ("model file", "problem file", ...)
// and the path when the path does not exist, is a directory or cannot be read.
std::string read_file(const std::string& path, const std::string& what);

}  // namespace dyadic
