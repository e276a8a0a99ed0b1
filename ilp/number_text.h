#pragma once
// Doubles in messages, tables and CSV: the shortest text that reads back as the same double, so a
// value quoted in an error (e.g. the smallest achievable budget) can be pasted back as a budget.
#include <string>

namespace dyadic::ilp {

std::string number_text(double value);

}  // namespace dyadic::ilp
