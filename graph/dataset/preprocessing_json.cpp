#include "graph/dataset/preprocessing.h"

#include <nlohmann/json.hpp>

#include "util/error.h"

// The preprocessing as the model file's `input_preprocessing` metadata value (docs/data.md), apart
// from the pixel arithmetic in preprocessing.cpp: JSON code compiles slowly and is not hot.
namespace dyadic::dataset {
namespace {

constexpr int kPreprocessingVersion = 1;

}  // namespace

std::string preprocessing_json(const Preprocessing& p) {
    validate(p);
    const nlohmann::json doc = {{"version", kPreprocessingVersion},
                                {"channels", p.channels},
                                {"resize", p.resize},
                                {"crop", {p.crop_height, p.crop_width}},
                                {"mean", p.mean},
                                {"std", p.std}};
    return doc.dump();
}

Preprocessing parse_preprocessing_json(const std::string& text, const std::string& source) {
    const std::string where = source + ": input_preprocessing: ";
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + "invalid JSON (" + e.what() + ")");
    }
    require(doc.is_object(), where + "expected a JSON object");
    require(doc.contains("version") && doc["version"].is_number_integer(), where + "missing integer \"version\"");
    require(doc["version"].get<int64_t>() == kPreprocessingVersion,
            where + "unsupported version " + doc["version"].dump() + " (this build reads version 1)");
    Preprocessing p;
    try {
        p.channels = doc.at("channels").get<int>();
        p.resize = doc.at("resize").get<int64_t>();
        const auto crop = doc.at("crop").get<std::vector<int64_t>>();
        require(crop.size() == 2, where + "\"crop\" needs [height, width]");
        p.crop_height = crop[0];
        p.crop_width = crop[1];
        p.mean = doc.at("mean").get<std::vector<double>>();
        p.std = doc.at("std").get<std::vector<double>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + "missing or mistyped field (" + e.what() + ")");
    }
    try {
        validate(p);
    } catch (const Error& e) {
        throw Error(where + e.what());
    }
    return p;
}

}  // namespace dyadic::dataset
