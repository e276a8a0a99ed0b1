#include "util/atomic_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "util/error.h"

namespace dyadic {

void write_file_atomically(const std::string& path, const std::string& content) {
    const std::filesystem::path target(path);
    const std::filesystem::path temporary = target.string() + ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        require(static_cast<bool>(out), "cannot create output file '" + temporary.string() + "'");
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw Error("error writing output file '" + path + "'");
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, target, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw Error("cannot move output into place at '" + path + "': " + error.message());
    }
}

}  // namespace dyadic
