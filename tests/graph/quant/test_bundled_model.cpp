// End to end on the bundled Fashion-MNIST model: ONNX import, passes, calibration on training
// images, W8A8 quantization, then the integer model against its fake-quantized float twin and the
// float model on test images. Skipped, with a warning, when the dataset is not installed.
#include <catch2/catch.hpp>

#include <filesystem>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/ir/executor.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/calibration.h"
#include "graph/quant/fake_quant.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "graph/quant/quantizer.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

const char* kModel = "models/fmnist_resnet_small.onnx";  // tests run from the repository root

bool dataset_installed() {
    const std::string dir = dataset::default_fashion_mnist_directory();
    return std::filesystem::exists(dataset::fashion_mnist_images_path(dir, dataset::Split::test)) &&
           std::filesystem::exists(dataset::fashion_mnist_images_path(dir, dataset::Split::train));
}

ir::FloatTensor batch_of(const dataset::LabelledImages& images, size_t first, size_t count,
                         const dataset::InputNormalization& normalization) {
    const dataset::FloatBatch b = dataset::normalized_batch(images, first, count, normalization);
    return ir::FloatTensor(Shape(b.shape.begin(), b.shape.end()), b.values);
}

std::vector<int> float_argmax(const ir::FloatTensor& logits) {
    const int64_t rows = logits.shape[0], columns = logits.size() / rows;
    std::vector<int> best(static_cast<size_t>(rows), 0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 1; c < columns; ++c)
            if (logits.data[r * columns + c] > logits.data[r * columns + best[r]]) best[r] = static_cast<int>(c);
    return best;
}

}  // namespace

TEST_CASE("bundled model: W8A8 integer predictions agree with fake quant and float", "[quant][ptq][fmnist]") {
    if (!dataset_installed()) {
        WARN("Fashion-MNIST is not installed (scripts/install-deps.sh): skipped");
        return;
    }
    const dataset::ModelSidecar sidecar = dataset::read_model_sidecar(dataset::sidecar_path_for_model(kModel));
    ir::Graph graph = ir::import_onnx_file(kModel);
    ir::run_standard_passes(graph);
    const dataset::LabelledImages train = dataset::load_fashion_mnist(dataset::Split::train);
    const dataset::LabelledImages test = dataset::load_fashion_mnist(dataset::Split::test);

    QuantizeOptions options;
    options.bits = uniform_bit_config("w8a8");
    const CalibrationStatistics stats =
        collect_statistics(graph, batch_of(train, 0, 256, sidecar.normalization), 64, true);
    const QuantizedModel model = deserialize_model(serialize_model(quantize(graph, stats, options, "fmnist")));

    const size_t count = 500;
    const ir::FloatTensor images = batch_of(test, 0, count, sidecar.normalization);
    const std::vector<int> integer =
        argmax_rows(run_model(model, quantize_model_input(model, images.data, images.shape)).at(0));
    const std::vector<int> fake = float_argmax(FakeQuantModel(model).run(images, 100));
    const std::vector<int> fp32 = float_argmax(ir::FloatExecutor(graph).run_in_batches(images, 100));

    int agree = 0, integer_correct = 0, float_correct = 0;
    for (size_t i = 0; i < count; ++i) {
        agree += integer[i] == fake[i];
        integer_correct += integer[i] == test.labels[i];
        float_correct += fp32[i] == test.labels[i];
    }
    INFO("agreement " << agree << "/" << count << ", integer " << integer_correct << ", float " << float_correct);
    CHECK(agree >= static_cast<int>(count) - 1);               // >= 99.8% on 500 images
    CHECK(std::abs(integer_correct - float_correct) <= 5);     // within 1% of the float model
    CHECK(integer_correct >= static_cast<int>(0.85 * count));  // the float model reaches ~90%
}
