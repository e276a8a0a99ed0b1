// Fuzz target: the golden-directory reader (manifest, layer records, every .npy file the manifest
// names) as `dyadic verify --golden` uses it: each layer is read back and replayed on the
// reference, and its output compared with the stored one.
//
// A golden directory is many files, so the input is a small archive of one:
//   <manifest.json>  then, per file,  "\n#file <relative path>\n" <the file's bytes>
// tests/fuzz/pack_golden_dir.py packs a directory written by `dyadic golden` into this form (the
// seeds). The archive is unpacked into a private temporary directory for each input; paths that
// are absolute or contain ".." are dropped, so the target never writes outside it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "graph/golden/golden_reader.h"
#include "graph/quant/reference_backend.h"
#include "graph/verify/tensor_diff.h"
#include "util/error.h"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFileMarker = "\n#file ";
constexpr size_t kMaxFiles = 256;

struct ArchiveFile {
    std::string path;
    std::string_view bytes;
};

// The manifest (everything before the first marker) and the files after it.
std::vector<ArchiveFile> unpack_archive(std::string_view input) {
    std::vector<ArchiveFile> files;
    size_t at = input.find(kFileMarker);
    files.push_back({"manifest.json", input.substr(0, at)});
    while (at != std::string_view::npos && files.size() <= kMaxFiles) {
        const size_t name_at = at + kFileMarker.size();
        const size_t name_end = input.find('\n', name_at);
        if (name_end == std::string_view::npos) break;
        const size_t next = input.find(kFileMarker, name_end + 1);
        const size_t length = next == std::string_view::npos ? std::string_view::npos : next - (name_end + 1);
        files.push_back({std::string(input.substr(name_at, name_end - name_at)), input.substr(name_end + 1, length)});
        at = next;
    }
    return files;
}

// A path the target may create inside its directory: relative, no "..", nothing odd.
bool safe_relative_path(const std::string& path) {
    if (path.empty() || path.size() > 200 || path.find('\0') != std::string::npos) return false;
    const fs::path p(path);
    if (!p.is_relative() || p.has_root_name() || p.has_root_directory()) return false;
    for (const fs::path& part : p) {
        if (part == ".." || part == ".") return false;
    }
    return true;
}

// One private directory per process, emptied before each input and removed at exit.
class ScratchDirectory {
public:
    ScratchDirectory()
        : path_(fs::temp_directory_path() / ("dyadic-fuzz-golden-dir-" + std::to_string(::getpid()))) {}
    ~ScratchDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    // Writes the archive's files; false when the file system refuses one (a path used both as a
    // file and as a directory), which is the archive's fault, not the reader's.
    bool fill(const std::vector<ArchiveFile>& files) {
        std::error_code error;
        fs::remove_all(path_, error);
        fs::create_directories(path_, error);
        if (error) return false;
        for (const ArchiveFile& file : files) {
            if (!safe_relative_path(file.path)) continue;
            const fs::path target = path_ / file.path;
            fs::create_directories(target.parent_path(), error);
            if (error || fs::exists(target)) return false;
            std::ofstream out(target, std::ios::binary);
            out.write(file.bytes.data(), static_cast<std::streamsize>(file.bytes.size()));
            if (!out) return false;
        }
        return true;
    }
    std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static ScratchDirectory scratch;
    if (!scratch.fill(unpack_archive(std::string_view(reinterpret_cast<const char*>(data), size)))) return 0;
    dyadic::quant::ReferenceBackend reference;
    try {
        const size_t count = dyadic::golden::golden_layer_count(scratch.path());
        for (size_t i = 0; i < count; ++i) {
            const dyadic::golden::GoldenLayer golden = dyadic::golden::read_golden_layer(scratch.path(), i);
            std::vector<const dyadic::Tensor*> inputs;
            for (const dyadic::Tensor& t : golden.inputs) inputs.push_back(&t);
            try {
                (void)dyadic::verify::diff_tensors(golden.output, reference.run_layer(golden.layer, inputs));
            } catch (const dyadic::Error&) {
                // A layer the reference refuses is reported as failed by verify; the next one is still read.
            }
        }
    } catch (const dyadic::Error&) {
    }
    return 0;
}
