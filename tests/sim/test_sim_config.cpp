// The accelerator configuration: the JSON schema is strict, and the SystemVerilog package carries
// exactly the configuration's values (read back from the emitted text, and linted by Verilator
// when it is installed).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "util/error.h"
#include "sim/accel_config.h"
#include "sim/sv_package.h"

using namespace dyadic;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, long long> localparams(const std::string& sv) {
    std::map<std::string, long long> values;
    const std::regex line(R"(localparam int unsigned (\w+) = (\d+);)");
    for (std::sregex_iterator it(sv.begin(), sv.end(), line), end; it != end; ++it) {
        values[(*it)[1]] = std::stoll((*it)[2]);
    }
    return values;
}

const char* kSmall = R"({"name": "small", "clock_mhz": 500,
  "array": {"rows": 8, "cols": 4, "weight_double_buffer": 1},
  "scratchpads": {"input_bytes": 4096, "weight_bytes": 2048, "accumulator_entries": 1024},
  "dram": {"bandwidth_bytes_per_cycle": 8, "latency_cycles": 40},
  "ppu": {"lanes": 4, "pipeline_cycles": 3, "input_buffer_bytes": 2048, "output_buffer_bytes": 1024,
          "param_channels": 512}})";

}  // namespace

TEST_CASE("the default configuration is the file sim/configs/default.json", "[sim][config]") {
    const sim::AccelConfig built_in = sim::default_accel_config();
    const sim::AccelConfig from_file = sim::load_accel_config("sim/configs/default.json");
    CHECK(sim::to_json_text(built_in) == sim::to_json_text(from_file));
    CHECK(built_in.array_rows == 16);
    CHECK(built_in.array_cols == 16);
}

TEST_CASE("configurations parse every field and round-trip through JSON", "[sim][config]") {
    const sim::AccelConfig c = sim::parse_accel_config(kSmall, "small.json");
    CHECK(c.name == "small");
    CHECK(c.clock_mhz == 500);
    CHECK(c.array_rows == 8);
    CHECK(c.array_cols == 4);
    CHECK(c.weight_double_buffer == 1);
    CHECK(c.input_scratchpad_bytes == 4096);
    CHECK(c.weight_scratchpad_bytes == 2048);
    CHECK(c.accumulator_entries == 1024);
    CHECK(c.dram_bandwidth_bytes_per_cycle == 8);
    CHECK(c.dram_latency_cycles == 40);
    CHECK(c.ppu_lanes == 4);
    CHECK(c.ppu_pipeline_cycles == 3);
    CHECK(c.ppu_input_buffer_bytes == 2048);
    CHECK(c.ppu_output_buffer_bytes == 1024);
    CHECK(c.ppu_param_channels == 512);
    CHECK(sim::to_json_text(sim::parse_accel_config(sim::to_json_text(c), "again")) == sim::to_json_text(c));
}

TEST_CASE("bad configurations are refused with the key named", "[sim][config]") {
    const std::string good = kSmall;
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    CHECK_THROWS_WITH(sim::parse_accel_config(with("\"rows\": 8, ", ""), "f.json"), Catch::Contains("\"rows\""));
    CHECK_THROWS_WITH(sim::parse_accel_config(with("\"rows\": 8", "\"rows\": 8, \"rowz\": 2"), "f.json"),
                      Catch::Contains("unknown key \"rowz\""));
    CHECK_THROWS_WITH(sim::parse_accel_config(with("\"rows\": 8", "\"rows\": 0"), "f.json"),
                      Catch::Contains("array.rows"));
    CHECK_THROWS_WITH(sim::parse_accel_config(with("\"rows\": 8", "\"rows\": \"8\""), "f.json"),
                      Catch::Contains("array.rows must be an integer"));
    CHECK_THROWS_WITH(sim::parse_accel_config(with("\"input_bytes\": 4096", "\"input_bytes\": 4095"), "f.json"),
                      Catch::Contains("even"));
    CHECK_THROWS_WITH(sim::parse_accel_config(good.substr(0, 40), "cut.json"), Catch::Contains("cut.json: not valid JSON"));
    CHECK_THROWS_WITH(sim::load_accel_config("no/such/config.json"), Catch::Contains("cannot open accelerator configuration"));
}

TEST_CASE("the SystemVerilog package carries the configuration's values", "[sim][config][sv]") {
    const sim::AccelConfig c = sim::parse_accel_config(kSmall, "small.json");
    const auto p = localparams(sim::emit_sv_package(c));
    CHECK(p.at("ARRAY_ROWS") == 8);
    CHECK(p.at("ARRAY_COLS") == 4);
    CHECK(p.at("CLOCK_KHZ") == 500000);
    CHECK(p.at("INPUT_SPAD_BYTES") == 4096);
    CHECK(p.at("INPUT_BANK_ADDR_BITS") == 11);  // 2048-byte banks
    CHECK(p.at("WEIGHT_SPAD_BYTES") == 2048);
    CHECK(p.at("WEIGHT_BANK_ADDR_BITS") == 10);
    CHECK(p.at("ACC_ENTRIES") == 1024);
    CHECK(p.at("ACC_BANK_ADDR_BITS") == 9);
    CHECK(p.at("DRAM_BYTES_PER_CYCLE") == 8);
    CHECK(p.at("DRAM_LATENCY_CYCLES") == 40);
    CHECK(p.at("PPU_LANES") == 4);
    CHECK(p.at("PPU_PIPELINE_CYCLES") == 3);
    CHECK(p.at("PPU_INPUT_BUFFER_BYTES") == 2048);
    CHECK(p.at("PPU_OUTPUT_BUFFER_BYTES") == 1024);
    CHECK(p.at("PPU_PARAM_CHANNELS") == 512);
    CHECK(p.at("PE_BRICKS") == 4);
    CHECK(p.at("PE_BRICK_BITS") == 4);
}

#ifdef DYADIC_ACCEL_CONFIG_TOOL
TEST_CASE("dyadic_accel_config --emit-sv writes the package of the given configuration", "[sim][config][sv]") {
    const std::string dir = (std::filesystem::temp_directory_path() / ("dyadic-sim-config-" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir + "/small.json");
        out << kSmall;
    }
    const std::string svh = dir + "/small.svh";
    std::remove(svh.c_str());
    const std::string command =
        std::string(DYADIC_ACCEL_CONFIG_TOOL) + " --config " + dir + "/small.json --emit-sv " + svh + " > /dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
    CHECK(read_file(svh) == sim::emit_sv_package(sim::parse_accel_config(kSmall, "small.json")));
    // A bad configuration fails with a message and writes nothing.
    {
        std::ofstream out(dir + "/bad.json");
        out << "{\"name\": \"bad\"}";
    }
    const std::string bad_svh = dir + "/bad.svh";
    std::remove(bad_svh.c_str());
    CHECK(std::system((std::string(DYADIC_ACCEL_CONFIG_TOOL) + " --config " + dir + "/bad.json --emit-sv " + bad_svh +
                       " 2> /dev/null")
                          .c_str()) != 0);
    CHECK(!std::ifstream(bad_svh).good());
#ifdef DYADIC_VERILATOR
    // The package is valid SystemVerilog that a module can import.
    {
        std::ofstream top(dir + "/top.sv");
        top << "`include \"small.svh\"\nmodule top import dyadic_accel_config_pkg::*; (output logic [31:0] rows);\n"
               "  assign rows = ARRAY_ROWS;\nendmodule\n";
    }
    CHECK(std::system((std::string(DYADIC_VERILATOR) + " --lint-only -Wall -Wno-UNUSEDPARAM -Wno-DECLFILENAME -I" + dir + " " + dir + "/top.sv").c_str()) == 0);
#endif
    std::filesystem::remove_all(dir);
}
#endif

TEST_CASE("every parameter is bounded, named when refused, and reaches JSON and SystemVerilog", "[sim][config]") {
    const sim::AccelConfig base = sim::parse_accel_config(kSmall, "small.json");
    const std::string text = sim::to_json_text(base);
    for (const sim::AccelParameter& p : sim::accel_parameters()) {
        INFO(p.path);
        // The JSON text with this parameter's value replaced (keys are unique across groups).
        const auto with_value = [&](int64_t v) {
            std::string t = text;
            const std::string key = "\"" + std::string(p.key) + "\": ";
            const size_t at = t.find(key);
            REQUIRE(at != std::string::npos);
            const size_t end = t.find_first_of(",\n}", at + key.size());
            return t.replace(at + key.size(), end - at - key.size(), std::to_string(v));
        };
        const int64_t hi = p.banks == 2 && p.max % 2 != 0 ? p.max - 1 : p.max;
        const sim::AccelConfig at_max = sim::parse_accel_config(with_value(hi), "f.json");
        CHECK(p.get(at_max) == hi);
        CHECK(localparams(sim::emit_sv_package(at_max)).at(p.sv_name) == hi);
        CHECK(sim::to_json_text(at_max).find("\"" + std::string(p.key) + "\": " + std::to_string(hi)) !=
              std::string::npos);
        CHECK_THROWS_WITH(sim::parse_accel_config(with_value(p.max + 1), "f.json"),
                          Catch::Contains("f.json: " + p.path + " must lie in " + std::to_string(p.min) + ".." +
                                          std::to_string(p.max)));
        CHECK_THROWS_WITH(sim::parse_accel_config(with_value(p.min - 1), "f.json"), Catch::Contains(p.path));
        // A configuration built in code is validated by the same table.
        sim::AccelConfig wrong = base;
        p.set(wrong, p.min - 1);
        CHECK_THROWS_WITH(sim::validate(wrong), Catch::Contains(p.path));
    }
    CHECK_THROWS_WITH(sim::parse_accel_config(std::string(kSmall).replace(std::string(kSmall).find("500"), 3, "20000"),
                                              "f.json"),
                      Catch::Contains("clock_mhz must lie in (0, 10000]"));
}
