#pragma once
// An output directory that appears complete or not at all: files are written into a temporary
// sibling directory, which commit() renames onto the target. Destroying an uncommitted stage (an
// error, an exception) removes the temporary directory, so no half-written output is ever left.
// Header is C++17.
#include <filesystem>
#include <string>

namespace dyadic::golden {

class StagedDirectory {
public:
    // Throws Error when the target exists and is not a directory, or is a non-empty directory and
    // `replace_existing` is false; creates the target's missing parents and the temporary directory.
    StagedDirectory(const std::string& target, bool replace_existing);
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    // Where to write the files meanwhile.
    const std::filesystem::path& path() const { return staging_; }
    // Moves the staged directory onto the target (replacing an existing one). Throws Error on
    // failure, leaving the previous target in place.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    bool replace_existing_ = false;
    bool committed_ = false;
};

}  // namespace dyadic::golden
