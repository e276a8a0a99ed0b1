#include "util/read_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace dyadic {

std::string read_file(const std::string& path, const std::string& what) {
    const std::string named = what + " '" + path + "'";
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) throw Error("cannot open " + named + ": " + std::strerror(errno));
    require(!S_ISDIR(info.st_mode), "cannot read " + named + ": it is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    require(in.good(), "cannot open " + named + ": " + std::strerror(errno));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    require(!in.bad(), "cannot read " + named);
    return bytes.str();
}

}  // namespace dyadic
