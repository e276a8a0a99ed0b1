// The cpu backend through quant::LayerBackend: every layer of the sample model (every layer kind,
// 2..8-bit weights, an int16 residual stream, grouped convs, two outputs) equals the reference's
// on seeded random inputs, on each path this CPU runs, layer by layer and chained end to end.
#include <catch2/catch.hpp>

#include "cpu/cpu_backend.h"
#include "graph/quant/integer_executor.h"
#include "graph/verify/model_verifier.h"
#include "graph/verify/random_input.h"
#include "random_layers.h"
#include "sample_model.h"
#include "util/error.h"

using namespace dyadic;

TEST_CASE("cpu backend equals the reference on every layer of the sample model, every path", "[cpu][backend]") {
    const quant::QuantizedModel model = quant::testing::sample_model();
    for (const cpu::Isa isa : cpu_test::paths_to_test()) {
        for (const bool chained : {false, true}) {
            cpu::CpuBackend backend(2, isa);
            CHECK(backend.name() == "cpu");
            CHECK(backend.unavailable_reason().empty());
            CHECK(backend.path() == std::string(cpu::isa_name(isa)) + ", 2 threads");
            verify::VerifyOptions options;
            options.chained = chained;
            verify::ModelVerifier verifier(model, {&backend}, options);
            for (uint64_t seed = 1; seed <= 5; ++seed) verifier.add_batch(verify::random_model_input(model, seed, 4), 0);
            const verify::VerifyReport& report = verifier.report();
            INFO("path " << cpu::isa_name(isa) << (chained ? ", chained" : ", independent"));
            CHECK(report.passed(true));
            CHECK(report.count(verify::Outcome::equal) == static_cast<int64_t>(model.layers.size()));
        }
    }
}

TEST_CASE("cpu backend runs a whole model like the reference executor", "[cpu][backend]") {
    const quant::QuantizedModel model = quant::testing::sample_model(11);
    const Tensor input = verify::random_model_input(model, 3, 17);
    cpu::CpuBackend backend(3);
    const std::vector<Tensor> want = quant::run_model(model, input);
    const std::vector<Tensor> got = quant::run_model(model, input, {}, [&](const auto& layer, const auto& inputs) {
        return backend.run_layer(layer, inputs);
    });
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].shape == want[i].shape);
        CHECK(got[i].data == want[i].data);
    }
}

TEST_CASE("cpu backend runs parts of a batch side by side like the reference executor", "[cpu][backend]") {
    // 70 images: parts of 24, 24 and 22 on 3 threads (part_size), then of 18, 18, 18 and 16 on
    // 2 threads, each part's layers on one thread; against one reference run_model over all 70.
    const quant::QuantizedModel model = quant::testing::sample_model(11);
    const Tensor input = verify::random_model_input(model, 5, 70);
    const std::vector<Tensor> want = quant::run_model(model, input);
    for (const int threads : {3, 2}) {
        cpu::CpuBackend backend(threads);
        CHECK(backend.concurrent_parts() == threads);
        for (int repeat = 0; repeat < 3; ++repeat) {
            const std::vector<Tensor> got = quant::run_model_in_parts(model, input, backend);
            REQUIRE(got.size() == want.size());
            for (size_t i = 0; i < got.size(); ++i) {
                CHECK(got[i].shape == want[i].shape);
                CHECK(got[i].data == want[i].data);
            }
        }
    }
}

TEST_CASE("cpu backend refuses a path this CPU cannot run", "[cpu][backend]") {
    for (const cpu::Isa isa : {cpu::Isa::kAvx2, cpu::Isa::kAvx512Vnni}) {
        if (!cpu::isa_supported(isa)) CHECK_THROWS_AS(cpu::CpuBackend(1, isa), Error);
    }
    CHECK_THROWS_AS(cpu::CpuBackend(-1), Error);
}
