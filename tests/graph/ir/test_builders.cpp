// Architecture builders at ImageNet shapes: shapes, published MAC counts, passes.
#include <catch2/catch.hpp>

#include <cmath>

#include "graph/ir/builders/inception_v3.h"
#include "graph/ir/builders/resnet.h"
#include "graph/ir/executor.h"
#include "graph/ir/mac_count.h"
#include "graph/ir/passes/passes.h"
#include "test_helpers.h"

using namespace dyadic;
using namespace dyadic::ir;

namespace {

int64_t macs_of(const Graph& g, const std::string& node) { return mac_count(g, *g.find_node(node)); }

// Published totals (torchvision / the architecture papers), multiply-accumulates per 224x224 or
// 299x299 image: ResNet18 1.82 G, ResNet50 4.1 G, InceptionV3 5.7 G.
void require_within_one_percent(int64_t macs, double published) {
    INFO("MACs " << macs << ", published " << published);
    REQUIRE(std::fabs(double(macs) - published) <= 0.01 * published);
}

}  // namespace

TEST_CASE("builders: ResNet18 shapes, MACs and passes", "[ir][builders]") {
    const Graph original = build_resnet18();
    REQUIRE(original.value("input").shape == Shape{1, 3, 224, 224});
    REQUIRE(original.value("logits").shape == Shape{1, 1000});
    REQUIRE(original.value("layer4.1.relu2").shape == Shape{1, 512, 7, 7});
    // Per-layer counts from the definition: C_out * OH * OW * C_in * KH * KW.
    REQUIRE(macs_of(original, "conv1") == int64_t{64} * 112 * 112 * 3 * 7 * 7);
    REQUIRE(macs_of(original, "layer2.0.downsample.0") == int64_t{128} * 28 * 28 * 64);
    REQUIRE(macs_of(original, "layer3.1.conv2") == int64_t{256} * 14 * 14 * 256 * 9);
    REQUIRE(macs_of(original, "fc") == 512 * 1000);
    REQUIRE(macs_of(original, "maxpool") == 0);
    require_within_one_percent(total_mac_count(original), 1.82e9);

    Graph g = original;
    const PassReport report = run_standard_passes(g);
    REQUIRE(report.batch_norms_folded == 20);
    REQUIRE(report.residual_adds_fused == 8);
    REQUIRE(report.activations_fused == 17);  // stem, 8 inner ReLUs, 8 ReLUs after the residual adds
    REQUIRE(g.node_count() == 24);            // 20 convs, max pool, global pool, flatten, fc
    REQUIRE(total_mac_count(g) == total_mac_count(original));

    // Folding and fusion keep the network's function at real layer shapes.
    const FloatTensor image = testing::random_tensor(Shape{1, 3, 224, 224}, 99);
    const FloatTensor expected = FloatExecutor(original).run(image);
    const FloatTensor folded = FloatExecutor(g).run(image);
    double scale = 0;
    for (const float v : expected.data) {
        REQUIRE(std::isfinite(v));
        scale = std::max(scale, double(std::fabs(v)));
    }
    REQUIRE(scale > 0);
    testing::require_close(folded, expected, 1e-3, 1e-4 * scale);
}

TEST_CASE("builders: ResNet50 shapes and MACs", "[ir][builders]") {
    Graph g = build_resnet50();
    REQUIRE(g.value("logits").shape == Shape{1, 1000});
    REQUIRE(g.value("layer4.2.relu3").shape == Shape{1, 2048, 7, 7});
    // v1.5: the stride sits on the 3x3 conv.
    REQUIRE(g.value("layer2.0.conv1").shape == Shape{1, 128, 56, 56});
    REQUIRE(g.value("layer2.0.conv2").shape == Shape{1, 128, 28, 28});
    REQUIRE(macs_of(g, "layer1.0.conv3") == int64_t{256} * 56 * 56 * 64);
    require_within_one_percent(total_mac_count(g), 4.1e9);
    const PassReport report = run_standard_passes(g);
    REQUIRE(report.batch_norms_folded == 53);
    REQUIRE(report.residual_adds_fused == 16);
}

TEST_CASE("builders: InceptionV3 shapes and MACs", "[ir][builders]") {
    Graph g = build_inception_v3();
    REQUIRE(g.value("input").shape == Shape{1, 3, 299, 299});
    REQUIRE(g.value("maxpool2").shape == Shape{1, 192, 35, 35});
    REQUIRE(g.value("Mixed_5b.concat").shape == Shape{1, 256, 35, 35});
    REQUIRE(g.value("Mixed_6a.concat").shape == Shape{1, 768, 17, 17});
    REQUIRE(g.value("Mixed_7a.concat").shape == Shape{1, 1280, 8, 8});
    REQUIRE(g.value("Mixed_7c.concat").shape == Shape{1, 2048, 8, 8});
    REQUIRE(g.value("logits").shape == Shape{1, 1000});
    REQUIRE(macs_of(g, "Conv2d_1a_3x3.conv") == int64_t{32} * 149 * 149 * 3 * 9);
    REQUIRE(macs_of(g, "Mixed_6b.branch7x7_2.conv") == int64_t{128} * 17 * 17 * 128 * 7);
    require_within_one_percent(total_mac_count(g), 5.7e9);
    const PassReport report = run_standard_passes(g);
    REQUIRE(report.batch_norms_folded == 94);
    REQUIRE(report.activations_fused == 94);
    REQUIRE(g.value("Mixed_7c.concat").non_negative);
}
