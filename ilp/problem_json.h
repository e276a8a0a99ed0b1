#pragma once
// Reading a bit-allocation problem file (JSON):
//   { "layers": [ { "name": "layer1.0.conv1",
//                   "choices": [ {"bits": 4, "sensitivity": 0.46, "size_bits": 147456, "bops": 1.85e9},
//                                {"bits": 8, "sensitivity": 0.0016, "size_bits": 294912, "bops": 7.4e9} ] } ],
//     "ties": [ ["layer2.0.conv1", "layer2.0.downsample"] ],
//     "budgets": { "size_bits": 5.0e7, "bops": 8.0e10 } }
// "bits" is an integer or a label such as "w4a8"; every other numeric field of a choice is a metric.
// "ties" and "budgets" are optional. Every malformation is a dyadic::Error that names it.
#include <string>

#include "ilp/problem.h"

namespace dyadic::ilp {

// Parses problem JSON text. `source` names the text in error messages (e.g. the file path).
Problem parse_problem(const std::string& json_text, const std::string& source = "problem");

// Reads and parses a problem file.
Problem load_problem_file(const std::string& path);

// The problem as JSON text in the same format; parse_problem(problem_to_json(p)) reproduces p.
std::string problem_to_json(const Problem& problem);

}  // namespace dyadic::ilp
