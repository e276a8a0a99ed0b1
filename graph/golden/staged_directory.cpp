#include "graph/golden/staged_directory.h"

#include <system_error>
#include <unistd.h>

#include "util/error.h"

namespace dyadic::golden {
namespace fs = std::filesystem;
namespace {

// A name beside `target` that no other process or stage uses: ".<name>.<tag>-<pid>-<n>".
fs::path sibling(const fs::path& target, const char* tag) {
    static int counter = 0;
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string prefix = target.filename().string() + "." + tag + "-" + std::to_string(::getpid()) + "-";
    for (;;) {
        std::string name(1, '.');
        name += prefix;
        name += std::to_string(counter++);
        const fs::path candidate = parent / name;
        std::error_code error;
        if (!fs::exists(candidate, error)) return candidate;
    }
}

void check_replaceable(const fs::path& target, bool replace_existing) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(target, error);
    if (!fs::exists(status)) return;
    require(fs::is_directory(status), "output '" + target.string() + "' exists and is not a directory");
    const bool empty = fs::is_empty(target, error);
    require(!error, "cannot read output directory '" + target.string() + "': " + error.message());
    require(empty || replace_existing,
            "output directory '" + target.string() + "' exists and is not empty; refusing to replace it (--force does)");
}

}  // namespace

StagedDirectory::StagedDirectory(const std::string& target, bool replace_existing)
    : target_(fs::path(target).lexically_normal()), replace_existing_(replace_existing) {
    require(!target.empty(), "output directory: empty path");
    if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" -> "out"
    check_replaceable(target_, replace_existing_);
    std::error_code error;
    // The stage is a sibling of the target (a rename never crosses file systems), so the parent
    // must exist first: created like `mkdir -p`.
    if (!target_.parent_path().empty()) {
        fs::create_directories(target_.parent_path(), error);
        require(!error, "cannot create '" + target_.parent_path().string() + "': " + error.message());
    }
    staging_ = sibling(target_, "partial");
    fs::create_directory(staging_, error);
    require(!error, "cannot create '" + staging_.string() + "': " + error.message());
}

StagedDirectory::~StagedDirectory() {
    if (committed_) return;
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
}

void StagedDirectory::commit() {
    require(!committed_, "output directory '" + target_.string() + "' is already committed");
    // Checked again: the target may have appeared while the files were being written.
    check_replaceable(target_, replace_existing_);
    std::error_code error;
    fs::path previous;
    if (fs::exists(fs::symlink_status(target_, error))) {
        previous = sibling(target_, "old");
        fs::rename(target_, previous, error);
        require(!error, "cannot move the existing '" + target_.string() + "' aside: " + error.message());
    }
    fs::rename(staging_, target_, error);
    if (error) {
        std::error_code ignored;
        if (!previous.empty()) fs::rename(previous, target_, ignored);
        throw Error("cannot move the output into place at '" + target_.string() + "': " + error.message());
    }
    committed_ = true;
    if (!previous.empty()) fs::remove_all(previous, error);
}

}  // namespace dyadic::golden
