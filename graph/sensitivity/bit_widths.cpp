#include "graph/sensitivity/bit_widths.h"

#include <algorithm>
#include <sstream>

#include "util/error.h"

namespace dyadic::sensitivity {

std::vector<int> parse_bit_widths(const std::string& text) {
    std::vector<int> bits;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        int value = 0;
        std::size_t used = 0;
        try {
            value = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        require(used > 0 && used == item.size() && value >= 2 && value <= 8,
                "bit widths: '" + item + "' is not an integer in 2..8 (in '" + text + "')");
        require(std::find(bits.begin(), bits.end(), value) == bits.end(),
                "bit widths: " + item + " is listed twice (in '" + text + "')");
        bits.push_back(value);
    }
    require(!bits.empty() && (text.empty() || text.back() != ','), "bit widths: '" + text + "' is not a list such as 2,4,8");
    return bits;
}

}  // namespace dyadic::sensitivity
