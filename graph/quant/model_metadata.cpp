#include "graph/quant/model_metadata.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

#include "util/error.h"

namespace dyadic::quant {

std::optional<double> metadata_number(const QuantizedModel& model, const std::string& key) {
    const auto it = model.metadata.find(key);
    if (it == model.metadata.end()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(it->second.c_str(), &end);
    require(!it->second.empty() && end != nullptr && *end == '\0',
            "model metadata '" + key + "' is not a number: '" + it->second + "'");
    return value;
}

std::vector<std::string> metadata_classes(const QuantizedModel& model) {
    const auto it = model.metadata.find(kMetadataClasses);
    if (it == model.metadata.end()) return {};
    try {
        return nlohmann::json::parse(it->second).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("model metadata 'classes' is not a JSON array of strings: ") + e.what());
    }
}

std::string number_text(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

std::vector<int> argmax_rows(const Tensor& logits) {
    require(logits.shape.size() >= 2 && logits.shape[0] > 0, "argmax: expected [N, C, ...] logits, got " +
                                                                  to_string(logits.shape));
    const int64_t rows = logits.shape[0];
    const int64_t columns = logits.size() / rows;
    std::vector<int> best(static_cast<size_t>(rows), 0);
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t* row = logits.data.data() + r * columns;
        for (int64_t c = 1; c < columns; ++c) {
            if (row[c] > row[best[static_cast<size_t>(r)]]) best[static_cast<size_t>(r)] = static_cast<int>(c);
        }
    }
    return best;
}

}  // namespace dyadic::quant
