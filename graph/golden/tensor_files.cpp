#include "graph/golden/tensor_files.h"

#include "graph/golden/npy.h"
#include "graph/golden/readmemh.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace dyadic::golden {
namespace fs = std::filesystem;
namespace {

// A manifest path, refused when it could leave the golden directory.
fs::path inside(const fs::path& root, const std::string& relative, const std::string& what) {
    const fs::path path(relative);
    require(!relative.empty() && path.is_relative(), what + ": file path '" + relative + "' must be relative");
    for (const fs::path& part : path) {
        require(part != "..", what + ": file path '" + relative + "' leaves the golden directory");
    }
    return root / path;
}

template <typename T>
T field(const nlohmann::json& entry, const char* key, const std::string& what) {
    require(entry.is_object() && entry.contains(key), what + ": manifest entry has no '" + key + "'");
    try {
        return entry.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(what + ": manifest field '" + key + "' has the wrong type");
    }
}

}  // namespace

IntType parse_int_type(const std::string& name) {
    const bool is_signed = name.rfind("int", 0) == 0;
    const size_t digits_at = is_signed ? 3 : name.rfind("uint", 0) == 0 ? 4 : std::string::npos;
    require(digits_at != std::string::npos && digits_at < name.size() && name.size() - digits_at <= 2 &&
                name.find_first_not_of("0123456789", digits_at) == std::string::npos && name[digits_at] != '0',
            "unknown integer type '" + name + "' (expected int2..int16, uint2..uint16 or int32)");
    const IntType type{std::stoi(name.substr(digits_at)), is_signed};
    validate(type);
    return type;
}

nlohmann::json write_tensor_files(const fs::path& root, const std::string& stem, const Tensor& tensor,
                                  ScaleKind scale_kind) {
    validate(tensor, stem);
    nlohmann::json entry;
    entry["file"] = stem + ".npy";
    entry["hex"] = stem + ".hex";
    write_file_atomically((root / (stem + ".npy")).string(), encode_npy(npy_from_tensor(tensor)));
    write_file_atomically((root / (stem + ".hex")).string(), readmemh_text(tensor.data, tensor.type));
    if (tensor.type.bits <= 4) {
        entry["packed_hex"] = stem + ".packed.hex";
        write_file_atomically((root / (stem + ".packed.hex")).string(), readmemh_packed_text(tensor.data, tensor.type));
    }
    entry["shape"] = tensor.shape;
    entry["dtype"] = npy_dtype_name(npy_dtype_for(tensor.type));
    entry["type"] = tensor.type.name();
    entry["bits"] = tensor.type.bits;
    entry["signed"] = tensor.type.is_signed;
    entry["min"] = tensor.type.min();
    entry["max"] = tensor.type.max();
    if (scale_kind == ScaleKind::per_tensor && tensor.scales.size() == 1) entry["scale"] = tensor.scales[0];
    if (scale_kind == ScaleKind::per_channel && !tensor.scales.empty()) entry["scales"] = tensor.scales;
    return entry;
}

Tensor read_tensor_files(const fs::path& root, const nlohmann::json& entry, const std::string& what) {
    const IntType type = parse_int_type(field<std::string>(entry, "type", what));
    const fs::path path = inside(root, field<std::string>(entry, "file", what), what);
    const NpyArray array = read_npy(path.string());
    require(array.dtype == npy_dtype_for(type), path.string() + ": dtype " + npy_dtype_name(array.dtype) +
                                                    " does not match the manifest's " + type.name() + " (expected " +
                                                    npy_dtype_name(npy_dtype_for(type)) + ")");
    const Shape shape = field<Shape>(entry, "shape", what);
    require(array.shape == shape, path.string() + ": shape " + to_string(array.shape) +
                                      " does not match the manifest's " + to_string(shape));
    Tensor tensor = tensor_from_npy(array, type, path.string());
    if (entry.contains("scale")) tensor.scales = {field<double>(entry, "scale", what)};
    if (entry.contains("scales")) tensor.scales = field<std::vector<double>>(entry, "scales", what);
    return tensor;
}

}  // namespace dyadic::golden
