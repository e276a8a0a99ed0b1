// read_file: the bytes of a file exactly, and for a missing path or a directory a message that
// says so (instead of a parser's "invalid JSON" or "missing magic" further on).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/error.h"
#include "util/read_file.h"

using namespace dyadic;

TEST_CASE("read_file: content, missing paths and directories", "[util][read_file]") {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("dyadic-read-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string bytes("a\0b\xff\n", 5);
    std::ofstream((dir / "f.bin").string(), std::ios::binary) << bytes;
    CHECK(read_file((dir / "f.bin").string(), "model file") == bytes);
    std::ofstream((dir / "empty").string());
    CHECK(read_file((dir / "empty").string(), "model file").empty());
    CHECK_THROWS_WITH(read_file((dir / "absent").string(), "problem file"),
                      Catch::Contains("cannot open problem file") && Catch::Contains("No such file"));
    CHECK_THROWS_WITH(read_file(dir.string(), "model file"),
                      Catch::Contains("model file '" + dir.string() + "'") && Catch::Contains("is a directory"));
    std::filesystem::remove_all(dir);
}
