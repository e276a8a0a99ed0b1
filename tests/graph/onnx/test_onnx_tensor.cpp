// TensorProto decoding, file errors, and the zero-point reduction against a naive model.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "graph/onnx/onnx_file.h"
#include "graph/onnx/onnx_integer_ops.h"
#include "graph/onnx/onnx_tensor.h"
#include "util/error.h"

using namespace dyadic;
namespace fs = std::filesystem;

TEST_CASE("integer TensorProto from raw_data and from int32_data agree", "[onnx]") {
    onnx::TensorProto raw;
    raw.set_name("raw");
    raw.set_data_type(onnx::TensorProto::INT8);
    raw.add_dims(2);
    raw.add_dims(2);
    const int8_t bytes[4] = {-128, -1, 0, 127};
    raw.set_raw_data(std::string(reinterpret_cast<const char*>(bytes), 4));

    onnx::TensorProto typed = raw;
    typed.clear_raw_data();
    for (const int8_t b : bytes) typed.add_int32_data(b);

    const Tensor from_raw = onnx_io::integer_tensor(raw);
    const Tensor from_typed = onnx_io::integer_tensor(typed);
    CHECK(from_raw.type == IntType::signed_bits(8));
    CHECK(from_raw.shape == Shape{2, 2});
    CHECK(from_raw.data == std::vector<int32_t>{-128, -1, 0, 127});
    CHECK(from_typed.data == from_raw.data);
}

TEST_CASE("malformed TensorProto data is rejected with a message", "[onnx]") {
    onnx::TensorProto t;
    t.set_name("short");
    t.set_data_type(onnx::TensorProto::UINT8);
    t.add_dims(3);
    t.set_raw_data(std::string(2, '\0'));  // dims need 3 bytes
    CHECK_THROWS_WITH(onnx_io::integer_tensor(t), Catch::Contains("raw_data holds 2 bytes"));

    t.set_data_type(onnx::TensorProto::STRING);
    CHECK_THROWS_WITH(onnx_io::integer_tensor(t), Catch::Contains("STRING"));

    onnx::TensorProto out_of_range;
    out_of_range.set_data_type(onnx::TensorProto::UINT8);
    out_of_range.add_dims(1);
    out_of_range.add_int32_data(300);
    CHECK_THROWS_WITH(onnx_io::integer_tensor(out_of_range), Catch::Contains("outside uint8"));
}

TEST_CASE("missing and truncated ONNX files are rejected with the file name", "[onnx]") {
    const fs::path dir = fs::temp_directory_path() / "dyadic_test_onnx_files";
    fs::create_directories(dir);
    CHECK_THROWS_WITH(onnx_io::load_model((dir / "absent.onnx").string()), Catch::Contains("absent.onnx"));

    onnx::TensorProto t;
    t.set_name("x");
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_dims(64);
    for (int i = 0; i < 64; ++i) t.add_float_data(static_cast<float>(i));
    const std::string bytes = t.SerializeAsString();
    {
        std::ofstream out(dir / "truncated.pb", std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    CHECK_THROWS_WITH(onnx_io::load_tensor((dir / "truncated.pb").string()), Catch::Contains("truncated"));
    fs::remove_all(dir);
}

TEST_CASE("MatMulInteger with per-row and per-column zero points equals a naive model", "[onnx]") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int trial = 0; trial < 50; ++trial) {
        const int64_t m = 1 + trial % 5, k = 1 + (trial * 7) % 9, n = 1 + (trial * 3) % 6;
        Tensor a({m, k}, IntType::unsigned_bits(8)), b({k, n}, IntType::unsigned_bits(8));
        Tensor a_zp({m}, IntType::unsigned_bits(8)), b_zp({n}, IntType::unsigned_bits(8));
        for (auto* t : {&a, &b, &a_zp, &b_zp})
            for (auto& v : t->data) v = byte(rng);
        const Tensor y = onnx_io::matmul_integer(a, b, &a_zp, &b_zp);
        REQUIRE(y.shape == Shape{m, n});
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                int64_t expected = 0;
                for (int64_t p = 0; p < k; ++p) {
                    expected += (int64_t{a.data[i * k + p]} - a_zp.data[i]) * (int64_t{b.data[p * n + j]} - b_zp.data[j]);
                }
                REQUIRE(y.data[i * n + j] == expected);
            }
        }
    }
}
