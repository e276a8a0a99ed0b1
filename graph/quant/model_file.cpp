#include "graph/quant/model_file.h"

#include <zlib.h>

#include <algorithm>
#include <type_traits>

#include "graph/quant/byte_stream.h"
#include "graph/quant/packed_elements.h"
#include "util/error.h"
#include "util/atomic_file.h"
#include "util/read_file.h"

namespace dyadic::quant {
namespace {

// Layer op tags in the payload; never renumber (docs/model-format.md, "Layers").
enum class OpTag : uint8_t {
    kConv2d = 1,
    kFullyConnected = 2,
    kResidualAdd = 3,
    kMaxPool2d = 4,
    kAveragePool2d = 5,
    kGlobalAveragePool = 6,
    kConcat = 7,
    kFlatten = 8,
    kReshape = 9,
    kRequantize = 10,
};

// A limit on decoded element counts well above any real model, so that corrupted dimensions
// cannot overflow int64 products or request absurd allocations.
constexpr int64_t kMaxElements = int64_t{1} << 40;

uint32_t payload_crc(const std::string& payload) {
    return static_cast<uint32_t>(
        crc32_z(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<z_size_t>(payload.size())));
}

// ---- encoding ---------------------------------------------------------------------------------

class ModelWriter {
public:
    void model(const QuantizedModel& m) {
        out_.string(m.name);
        out_.u32(static_cast<uint32_t>(m.metadata.size()));
        for (const auto& [key, value] : m.metadata) {
            out_.string(key);
            out_.string(value);
        }
        out_.u32(static_cast<uint32_t>(m.tensors.size()));
        for (const TensorInfo& t : m.tensors) {
            out_.string(t.name);
            shape(t.shape);
            type(t.type);
            out_.f64(t.scale);
        }
        out_.i32(m.input);
        ids(m.outputs);
        out_.u32(static_cast<uint32_t>(m.layers.size()));
        for (const QuantizedLayer& layer : m.layers) this->layer(layer);
    }
    const std::string& bytes() const { return out_.bytes(); }

private:
    void shape(const Shape& s) {
        out_.u32(static_cast<uint32_t>(s.size()));
        for (const int64_t d : s) out_.i64(d);
    }
    void type(const IntType& t) {
        out_.u8(static_cast<uint8_t>(t.bits));
        out_.boolean(t.is_signed);
    }
    void dyadic(const Dyadic& d) {
        out_.i32(d.mantissa);
        out_.i32(d.shift);
    }
    void dyadics(const std::vector<Dyadic>& ds) {
        out_.u32(static_cast<uint32_t>(ds.size()));
        for (const Dyadic& d : ds) dyadic(d);
    }
    void ids(const std::vector<TensorId>& v) {
        out_.u32(static_cast<uint32_t>(v.size()));
        for (const TensorId id : v) out_.i32(id);
    }
    void tensor(const Tensor& t) {
        shape(t.shape);
        type(t.type);
        out_.u32(static_cast<uint32_t>(t.scales.size()));
        for (const double s : t.scales) out_.f64(s);
        out_.u64(t.data.size());
        out_.raw(pack_elements(t.data, t.type));
    }
    void conv_params(const Conv2dParams& p) {
        for (const int v : {p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom, p.pad_right, p.dilation_h,
                            p.dilation_w, p.groups}) {
            out_.i32(v);
        }
    }
    void pool_params(const Pool2dParams& p) {
        for (const int v : {p.kernel_h, p.kernel_w, p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                            p.pad_right}) {
            out_.i32(v);
        }
    }
    void output_stage(const OutputStage& s) {
        dyadics(s.multipliers);
        type(s.output_type);
        out_.boolean(s.relu);
    }
    void residual_stage(const ResidualAddStage& s) {
        dyadics(s.main_multipliers);
        dyadic(s.identity_multiplier);
        type(s.output_type);
        out_.boolean(s.relu);
    }
    void tag(OpTag t) { out_.u8(static_cast<uint8_t>(t)); }

    void layer(const QuantizedLayer& l) {
        out_.string(l.name);
        ids(l.inputs);
        out_.i32(l.output);
        std::visit([this](const auto& op) { this->op(op); }, l.op);
    }
    void op(const Conv2dLayer& op) {
        tag(OpTag::kConv2d);
        tensor(op.weight);
        tensor(op.bias);
        conv_params(op.params);
        output_stage(op.output_stage);
        out_.boolean(op.residual.has_value());
        if (op.residual) residual_stage(op.residual->stage);
    }
    void op(const FullyConnectedLayer& op) {
        tag(OpTag::kFullyConnected);
        tensor(op.weight);
        tensor(op.bias);
        output_stage(op.output_stage);
    }
    void op(const ResidualAddLayer& op) {
        tag(OpTag::kResidualAdd);
        residual_stage(op.stage);
    }
    void op(const MaxPool2dLayer& op) {
        tag(OpTag::kMaxPool2d);
        pool_params(op.params);
    }
    void op(const AveragePool2dLayer& op) {
        tag(OpTag::kAveragePool2d);
        pool_params(op.params);
        dyadics(op.stage.multiplier_by_count);
        type(op.stage.output_type);
        out_.boolean(op.stage.count_include_pad);
    }
    void op(const GlobalAveragePoolLayer& op) {
        tag(OpTag::kGlobalAveragePool);
        dyadic(op.multiplier);
        type(op.output_type);
    }
    void op(const ConcatLayer& op) {
        tag(OpTag::kConcat);
        dyadics(op.multipliers);
        type(op.output_type);
    }
    void op(const RequantizeLayer& op) {
        tag(OpTag::kRequantize);
        dyadic(op.multiplier);
        type(op.output_type);
    }
    void op(const FlattenLayer&) { tag(OpTag::kFlatten); }
    void op(const ReshapeLayer& op) {
        tag(OpTag::kReshape);
        shape(op.shape);
    }

    ByteWriter out_;
};

// ---- decoding ---------------------------------------------------------------------------------

class ModelReader {
public:
    ModelReader(const std::string& payload, const std::string& source) : in_(payload, source) {}

    QuantizedModel model() {
        QuantizedModel m;
        m.name = in_.string();
        const uint64_t entries = in_.count(8, "metadata entries");
        for (uint64_t i = 0; i < entries; ++i) {
            std::string key = in_.string();
            if (m.metadata.count(key) != 0) in_.fail("duplicate metadata key '" + key + "'");
            m.metadata[key] = in_.string();
        }
        const uint64_t tensor_count = in_.count(16, "tensors");
        m.tensors.resize(tensor_count);
        for (TensorInfo& t : m.tensors) {
            t.name = in_.string();
            t.shape = shape();
            t.type = type();
            t.scale = in_.f64();
        }
        m.input = in_.i32();
        m.outputs = ids();
        const uint64_t layer_count = in_.count(10, "layers");
        m.layers.resize(layer_count);
        for (QuantizedLayer& layer : m.layers) layer = this->layer();
        if (in_.remaining() != 0) in_.fail(std::to_string(in_.remaining()) + " unexpected bytes after the last layer");
        return m;
    }

private:
    Shape shape() {
        const uint64_t rank = in_.count(8, "shape dimensions");
        Shape s(rank);
        for (size_t i = 0; i < s.size(); ++i) {
            s[i] = in_.i64();
            if (s[i] < 0) in_.fail("dimension " + std::to_string(i) + " is negative (" + std::to_string(s[i]) + ")");
        }
        // The limit is checked on the whole shape, so the message names the dimension that is out
        // of proportion (the largest), not whichever one happened to cross the limit last. Zero
        // dimensions count as 1, so an empty tensor cannot carry an absurd dimension either.
        bool too_large = false;
        int64_t elements = 1;
        for (const int64_t d : s) {
            const int64_t factor = std::max<int64_t>(d, 1);
            too_large = too_large || elements > kMaxElements / factor;
            if (!too_large) elements *= factor;
        }
        if (too_large) {
            const auto largest = std::max_element(s.begin(), s.end()) - s.begin();
            in_.fail("shape " + to_string(s) + " holds more than 2^40 elements (dimension " + std::to_string(largest) +
                     " is " + std::to_string(s[static_cast<size_t>(largest)]) + ")");
        }
        return s;
    }
    IntType type() {
        IntType t;
        t.bits = in_.u8();
        t.is_signed = in_.boolean();
        try {
            validate(t);
        } catch (const Error& e) {
            in_.fail(e.what());
        }
        return t;
    }
    Dyadic dyadic() {
        Dyadic d;
        d.mantissa = in_.i32();
        d.shift = in_.i32();
        return d;
    }
    std::vector<Dyadic> dyadics() {
        std::vector<Dyadic> ds(in_.count(8, "multipliers"));
        for (Dyadic& d : ds) d = dyadic();
        return ds;
    }
    std::vector<TensorId> ids() {
        std::vector<TensorId> v(in_.count(4, "tensor ids"));
        for (TensorId& id : v) id = in_.i32();
        return v;
    }
    Tensor tensor() {
        Tensor t;
        t.shape = shape();
        t.type = type();
        t.scales.resize(in_.count(8, "scales"));
        for (double& s : t.scales) s = in_.f64();
        const uint64_t count = in_.u64();
        // A rank-0 tensor is the "absent" form (no bias) and holds no elements.
        const uint64_t expected = t.shape.empty() ? 0 : static_cast<uint64_t>(element_count(t.shape));
        if (count != expected) {
            in_.fail("tensor " + to_string(t.shape) + " declares " + std::to_string(count) + " elements");
        }
        const uint64_t size = packed_size(count, t.type);
        if (size > in_.remaining()) in_.fail("truncated tensor data");
        try {
            t.data = unpack_elements(in_.raw(size), count, t.type);
            if (!t.shape.empty()) validate(t, "tensor");
        } catch (const Error& e) {
            in_.fail(e.what());
        }
        return t;
    }
    Conv2dParams conv_params() {
        Conv2dParams p;
        for (int* v : {&p.stride_h, &p.stride_w, &p.pad_top, &p.pad_left, &p.pad_bottom, &p.pad_right, &p.dilation_h,
                       &p.dilation_w, &p.groups}) {
            *v = in_.i32();
        }
        return p;
    }
    Pool2dParams pool_params() {
        Pool2dParams p;
        for (int* v : {&p.kernel_h, &p.kernel_w, &p.stride_h, &p.stride_w, &p.pad_top, &p.pad_left, &p.pad_bottom,
                       &p.pad_right}) {
            *v = in_.i32();
        }
        return p;
    }
    OutputStage output_stage() {
        OutputStage s;
        s.multipliers = dyadics();
        s.output_type = type();
        s.relu = in_.boolean();
        return s;
    }
    ResidualAddStage residual_stage() {
        ResidualAddStage s;
        s.main_multipliers = dyadics();
        s.identity_multiplier = dyadic();
        s.output_type = type();
        s.relu = in_.boolean();
        return s;
    }

    QuantizedLayer layer() {
        QuantizedLayer l;
        l.name = in_.string();
        l.inputs = ids();
        l.output = in_.i32();
        const uint8_t tag = in_.u8();
        switch (static_cast<OpTag>(tag)) {
            case OpTag::kConv2d: {
                Conv2dLayer op;
                op.weight = tensor();
                op.bias = tensor();
                op.params = conv_params();
                op.output_stage = output_stage();
                if (in_.boolean()) op.residual = FusedResidual{residual_stage()};
                l.op = std::move(op);
                break;
            }
            case OpTag::kFullyConnected: {
                FullyConnectedLayer op;
                op.weight = tensor();
                op.bias = tensor();
                op.output_stage = output_stage();
                l.op = std::move(op);
                break;
            }
            case OpTag::kResidualAdd: l.op = ResidualAddLayer{residual_stage()}; break;
            case OpTag::kMaxPool2d: l.op = MaxPool2dLayer{pool_params()}; break;
            case OpTag::kAveragePool2d: {
                AveragePool2dLayer op;
                op.params = pool_params();
                op.stage.multiplier_by_count = dyadics();
                op.stage.output_type = type();
                op.stage.count_include_pad = in_.boolean();
                l.op = std::move(op);
                break;
            }
            case OpTag::kGlobalAveragePool: {
                GlobalAveragePoolLayer op;
                op.multiplier = dyadic();
                op.output_type = type();
                l.op = op;
                break;
            }
            case OpTag::kConcat: {
                ConcatLayer op;
                op.multipliers = dyadics();
                op.output_type = type();
                l.op = std::move(op);
                break;
            }
            case OpTag::kRequantize: {
                RequantizeLayer op;
                op.multiplier = dyadic();
                op.output_type = type();
                l.op = op;
                break;
            }
            case OpTag::kFlatten: l.op = FlattenLayer{}; break;
            case OpTag::kReshape: l.op = ReshapeLayer{shape()}; break;
            default: in_.fail("layer '" + l.name + "' has unknown op tag " + std::to_string(tag));
        }
        return l;
    }

    ByteReader in_;
};

void put_u32(std::string& out, size_t offset, uint32_t v) {
    for (int i = 0; i < 4; ++i) out[offset + i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
}
void put_u64(std::string& out, size_t offset, uint64_t v) {
    for (int i = 0; i < 8; ++i) out[offset + i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get_le(const std::string& in, size_t offset, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(in[offset + i])} << (8 * i);
    return v;
}

}  // namespace

std::string serialize_model(const QuantizedModel& model) {
    validate(model);
    ModelWriter writer;
    writer.model(model);
    const std::string& payload = writer.bytes();
    std::string file(kModelHeaderBytes, '\0');
    file.replace(0, 4, kModelMagic, 4);
    put_u32(file, 4, kModelFormatVersion);
    put_u64(file, 8, payload.size());
    put_u32(file, 16, payload_crc(payload));
    return file + payload;
}

QuantizedModel deserialize_model(const std::string& bytes, const std::string& source) {
    const std::string what = "model file '" + source + "'";
    require(bytes.size() >= 4 && bytes.compare(0, 4, kModelMagic, 4) == 0,
            what + ": not a dyadic model file (missing magic \"DYQM\")");
    require(bytes.size() >= kModelHeaderBytes, what + ": truncated header (" + std::to_string(bytes.size()) +
                                                   " bytes, needs " + std::to_string(kModelHeaderBytes) + ")");
    const auto version = static_cast<uint32_t>(get_le(bytes, 4, 4));
    require(version == kModelFormatVersion, what + ": unsupported format version " + std::to_string(version) +
                                                " (this build reads version " +
                                                std::to_string(kModelFormatVersion) + ")");
    const uint64_t payload_size = get_le(bytes, 8, 8);
    const uint64_t actual = bytes.size() - kModelHeaderBytes;
    require(payload_size <= actual, what + ": truncated (payload of " + std::to_string(payload_size) +
                                        " bytes declared, " + std::to_string(actual) + " present)");
    require(payload_size == actual, what + ": " + std::to_string(actual - payload_size) +
                                        " unexpected bytes after the payload");
    const std::string payload = bytes.substr(kModelHeaderBytes);
    const auto stored_crc = static_cast<uint32_t>(get_le(bytes, 16, 4));
    require(payload_crc(payload) == stored_crc, what + ": corrupted (CRC32 of the payload does not match)");

    QuantizedModel model = ModelReader(payload, what).model();
    try {
        validate(model);
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    return model;
}

void save_model(const QuantizedModel& model, const std::string& path) {
    write_file_atomically(path, serialize_model(model));
}

QuantizedModel load_model(const std::string& path) {
    return deserialize_model(read_file(path, "model file"), path);
}

}  // namespace dyadic::quant
