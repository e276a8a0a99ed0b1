#include "graph/quant/bit_candidates.h"

#include <regex>
#include <set>
#include <sstream>

#include "util/error.h"

namespace dyadic::quant {
namespace {

int parse_bits(const std::string& text, const std::string& item) {
    require(!text.empty() && text.size() <= 2 && text.find_first_not_of("0123456789") == std::string::npos,
            "bit candidate '" + item + "': expected 2..8 bits");
    const int bits = std::stoi(text);
    require(bits >= 2 && bits <= 8, "bit candidate '" + item + "': expected 2..8 bits, got " + text);
    return bits;
}

}  // namespace

std::string bit_candidate_label(int weight_bits, int activation_bits) {
    // Appended piece by piece: "w" + std::to_string(...) trips GCC 12's -Wrestrict false positive.
    std::string label = "w";
    label += std::to_string(weight_bits);
    label += 'a';
    label += std::to_string(activation_bits);
    return label;
}

std::vector<BitCandidate> parse_bit_candidates(const std::string& list) {
    std::vector<BitCandidate> out;
    std::set<std::string> seen;
    std::stringstream stream(list);
    std::string item;
    const std::regex mixed(R"(w(\d+)a(\d+))");
    while (std::getline(stream, item, ',')) {
        BitCandidate c;
        std::smatch m;
        if (std::regex_match(item, m, mixed)) {
            c.weight_bits = parse_bits(m[1], item);
            c.activation_bits = parse_bits(m[2], item);
        } else {
            c.weight_bits = c.activation_bits = parse_bits(item, item);
        }
        c.label = bit_candidate_label(c.weight_bits, c.activation_bits);
        require(seen.insert(c.label).second, "bit candidate " + c.label + " is listed twice");
        out.push_back(c);
    }
    require(!out.empty() && (list.empty() || list.back() != ','), "no bit candidates in '" + list + "'");
    return out;
}

}  // namespace dyadic::quant
