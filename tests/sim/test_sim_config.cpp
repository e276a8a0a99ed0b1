// The accelerator configuration: the JSON schema is strict, and the SystemVerilog package carries
// exactly the configuration's values (read back from the emitted text, and linted by Verilator
// when it is installed).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
#include "sim/area_model.h"
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
          "param_channels": 512},
  "area": {"technology_nm": 28, "pe_um2": 1000, "pe_weight_buffer_um2": 40, "sram_um2_per_kib": 7001,
           "sram_macro_um2": 2000, "sram_macro_bytes": 1024, "accumulator_entry_um2": 30, "ppu_lane_um2": 5000},
  "energy": {"mac_w8a8_fj": 301, "mac_w4a8_fj": 152, "mac_w8a4_fj": 153, "mac_w4a4_fj": 74, "sram_byte_fj": 2501,
             "sram_reference_bytes": 8192, "dram_byte_fj": 160001, "ppu_op_fj": 3301, "static_fj_per_cycle_per_mm2": 3433}})";

// kSmall's area by hand, part by part, in um^2 (docs/accelerator.md, "Area"). SRAM banks of B
// bytes take ceil(B / 1024) macros of 2000 um^2 plus B x 7001 / 1024 um^2; every value is a
// multiple of 1/1024, so double arithmetic is exact here.
constexpr double kSmallPeArray = 8 * 4 * (1000 + 40);                        // 8 x 4 PEs, double-buffered
constexpr double kSmallInput = 2 * (2 * 2000 + 2048 * 7001 / 1024.0);         // 2 banks of 2048 B: 2 macros
constexpr double kSmallWeight = 2 * (1 * 2000 + 1024 * 7001 / 1024.0);        // 2 banks of 1024 B: 1 macro
constexpr double kSmallAccumulators = 1024 * 30 + 2 * 2 * 2000;               // banks of 512 x 4 B: 2 macros
constexpr double kSmallPpuLanes = 4 * 5000;
constexpr double kSmallPpuInput = 2 * (1 * 2000 + 1024 * 7001 / 1024.0);
constexpr double kSmallPpuOutput = 2 * (1 * 2000 + 512 * 7001 / 1024.0);      // 512 B banks: 1 macro
constexpr double kSmallPpuParameters = 5 * 2000 + 512 * 9 * 7001 / 1024.0;    // 4608 B, one bank: 5 macros
constexpr double kSmallTotal = 216513.5;  // the eight lines above, summed by hand

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
    CHECK(c.area_technology_nm == 28);
    CHECK(c.area_pe_um2 == 1000);
    CHECK(c.area_pe_weight_buffer_um2 == 40);
    CHECK(c.area_sram_um2_per_kib == 7001);
    CHECK(c.area_sram_macro_um2 == 2000);
    CHECK(c.area_sram_macro_bytes == 1024);
    CHECK(c.area_accumulator_entry_um2 == 30);
    CHECK(c.area_ppu_lane_um2 == 5000);
    CHECK(c.energy_mac_w8a8_fj == 301);
    CHECK(c.energy_mac_w4a8_fj == 152);
    CHECK(c.energy_mac_w8a4_fj == 153);
    CHECK(c.energy_mac_w4a4_fj == 74);
    CHECK(c.energy_sram_byte_fj == 2501);
    CHECK(c.energy_sram_reference_bytes == 8192);
    CHECK(c.energy_dram_byte_fj == 160001);
    CHECK(c.energy_ppu_op_fj == 3301);
    CHECK(c.energy_static_fj_per_cycle_per_mm2 == 3433);
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
    // The area figures describe no hardware: no localparam carries them.
    for (const auto& [name, value] : p) CHECK(name.find("AREA") == std::string::npos);
    CHECK(sim::emit_sv_package(c).find("um^2") == std::string::npos);
}

TEST_CASE("the area estimate of a small configuration equals the figure computed by hand", "[sim][config][area]") {
    sim::AccelConfig c = sim::parse_accel_config(kSmall, "small.json");
    const sim::AreaEstimate area = sim::estimate_area(c);
    CHECK(area.technology_nm == 28);
    const std::vector<std::pair<std::string, double>> by_hand{
        {"pe_array", kSmallPeArray},     {"input_scratchpad", kSmallInput},  {"weight_scratchpad", kSmallWeight},
        {"accumulators", kSmallAccumulators}, {"ppu_lanes", kSmallPpuLanes}, {"ppu_input_buffer", kSmallPpuInput},
        {"ppu_output_buffer", kSmallPpuOutput}, {"ppu_parameters", kSmallPpuParameters}};
    REQUIRE(area.parts.size() == by_hand.size());
    for (std::size_t i = 0; i < by_hand.size(); ++i) {
        INFO(by_hand[i].first);
        CHECK(area.parts[i].name == by_hand[i].first);
        CHECK(area.parts[i].um2() == by_hand[i].second);
    }
    CHECK(area.total_um2() == kSmallTotal);
    CHECK(area.total_mm2() == kSmallTotal / 1e6);

    // Without double buffering the PEs lose exactly their second weight registers.
    c.weight_double_buffer = 0;
    CHECK(sim::estimate_area(c).total_um2() == kSmallTotal - 8 * 4 * 40);
    // Macros one byte smaller: every bank of 1024 or 2048 bytes needs one macro more, the 512-byte
    // and 4608-byte ones do not (ceil(4608 / 1023) = 5 = ceil(4608 / 1024)).
    c.area_sram_macro_bytes = 1023;
    const double more_macros = sim::estimate_area(c).total_um2() - (kSmallTotal - 8 * 4 * 40);
    // input 2 x 1, weight 2 x 1, accumulators 2 x 1, PPU input 2 x 1, PPU output 0, parameters 0 (5 -> 5)
    CHECK(more_macros == (2 + 2 + 2 + 2) * 2000);

    // The JSON carries the same figures.
    const nlohmann::json j = nlohmann::json::parse(sim::area_to_json(area));
    CHECK(j.at("total_um2").get<double>() == kSmallTotal);
    CHECK(j.at("technology_nm").get<int>() == 28);
    REQUIRE(j.at("parts").size() == by_hand.size());
    CHECK(j.at("parts")[1].at("um2").get<double>() == kSmallInput);
    CHECK(sim::area_to_table(area).find("total") != std::string::npos);
}

TEST_CASE("the default configuration's area is the figure of docs/accelerator.md", "[sim][config][area]") {
    const sim::AreaEstimate area = sim::estimate_area(sim::default_accel_config());
    CHECK(area.technology_nm == 45);
    // docs/accelerator.md, "Area", by hand: 16 x 16 PEs of 945 um^2; scratchpads of two 128 KiB banks
    // (8 macros of 16 KiB each); 65536 accumulator entries in banks of 128 KiB; 16 lanes; PPU
    // buffers of two 64 KiB and two 32 KiB banks; 4096 x 9 B of parameters (3 macros).
    const double by_hand = 256 * 945 + 2 * 2 * (8 * 1939 + 128 * 6817) + (65536 * 27 + 2 * 8 * 1939) + 16 * 6718 +
                           2 * (4 * 1939 + 64 * 6817) + 2 * (2 * 1939 + 32 * 6817) + (3 * 1939 + 36 * 6817);
    CHECK(area.total_um2() == by_hand);
    CHECK(by_hand == 7285617);  // 7.29 mm^2, the figure the documentation quotes
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
    // The area estimate, as JSON for machines and as a table for people.
    const std::string area_json = dir + "/area.json", area_table = dir + "/area.txt";
    REQUIRE(std::system((std::string(DYADIC_ACCEL_CONFIG_TOOL) + " --config " + dir + "/small.json --area-json " +
                         area_json + " --area > " + area_table)
                            .c_str()) == 0);
    const nlohmann::json area = nlohmann::json::parse(read_file(area_json));
    CHECK(area.at("total_um2").get<double>() == kSmallTotal);
    CHECK(area.at("parts").at(0).at("name") == "pe_array");
    CHECK(area.at("parts").at(0).at("um2").get<double>() == kSmallPeArray);
    const std::string table = read_file(area_table);
    CHECK(table.find("area at 28 nm") != std::string::npos);
    CHECK(table.find("ppu_parameters") != std::string::npos);
    CHECK(table.find("0.2165") != std::string::npos);  // the total in mm^2
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
        if (p.sv_name != nullptr) {
            CHECK(localparams(sim::emit_sv_package(at_max)).at(p.sv_name) == hi);
        } else {
            // A parameter without a localparam (the area figures, the energy table) leaves the RTL
            // package unchanged.
            CHECK(sim::emit_sv_package(at_max) == sim::emit_sv_package(base));
        }
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
    // Every parameter at its maximum at once: the area estimate's exact sums still fit.
    sim::AccelConfig all_max = base;
    for (const sim::AccelParameter& p : sim::accel_parameters()) p.set(all_max, p.banks == 2 && p.max % 2 != 0 ? p.max - 1 : p.max);
    CHECK(sim::estimate_area(all_max).total_um2() > 0);
    CHECK_THROWS_WITH(sim::parse_accel_config(std::string(kSmall).replace(std::string(kSmall).find("500"), 3, "20000"),
                                              "f.json"),
                      Catch::Contains("clock_mhz must lie in (0, 10000]"));
}
