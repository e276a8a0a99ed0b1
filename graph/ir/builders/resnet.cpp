#include "graph/ir/builders/resnet.h"

#include <string>
#include <vector>

#include "graph/ir/builders/graph_builder.h"

namespace dyadic::ir {
namespace {

constexpr double kEpsilon = 1e-5;  // torch.nn.BatchNorm2d default

std::string conv_bn(GraphBuilder& b, const std::string& x, const std::string& conv_name, const std::string& bn_name,
                    int64_t channels, int kernel, int stride) {
    const int pad = kernel / 2;
    return b.batch_norm(b.conv(x, conv_name, channels, kernel, kernel, stride, pad, pad), bn_name, kEpsilon);
}

// The projection shortcut, when the block changes resolution or width.
std::string shortcut(GraphBuilder& b, const std::string& x, const std::string& prefix, int64_t channels, int stride) {
    if (stride == 1 && b.shape(x).at(1) == channels) return x;
    return conv_bn(b, x, prefix + "downsample.0", prefix + "downsample.1", channels, 1, stride);
}

std::string basic_block(GraphBuilder& b, const std::string& x, const std::string& prefix, int64_t width, int stride) {
    std::string y = b.relu(conv_bn(b, x, prefix + "conv1", prefix + "bn1", width, 3, stride), prefix + "relu1");
    y = conv_bn(b, y, prefix + "conv2", prefix + "bn2", width, 3, 1);
    const std::string identity = shortcut(b, x, prefix, width, stride);
    return b.relu(b.add(y, identity, prefix + "add"), prefix + "relu2");
}

std::string bottleneck(GraphBuilder& b, const std::string& x, const std::string& prefix, int64_t width, int stride) {
    std::string y = b.relu(conv_bn(b, x, prefix + "conv1", prefix + "bn1", width, 1, 1), prefix + "relu1");
    y = b.relu(conv_bn(b, y, prefix + "conv2", prefix + "bn2", width, 3, stride), prefix + "relu2");
    y = conv_bn(b, y, prefix + "conv3", prefix + "bn3", width * 4, 1, 1);
    const std::string identity = shortcut(b, x, prefix, width * 4, stride);
    return b.relu(b.add(y, identity, prefix + "add"), prefix + "relu3");
}

Graph build_resnet(uint64_t seed, const std::vector<int>& blocks, bool use_bottleneck) {
    GraphBuilder b(seed);
    std::string x = b.input("input", Shape{1, 3, 224, 224});
    x = b.relu(conv_bn(b, x, "conv1", "bn1", 64, 7, 2), "relu");
    x = b.max_pool(x, "maxpool", 3, 2, 1);
    for (size_t stage = 0; stage < blocks.size(); ++stage) {
        const int64_t width = int64_t{64} << stage;
        for (int i = 0; i < blocks[stage]; ++i) {
            const int stride = (stage > 0 && i == 0) ? 2 : 1;
            const std::string prefix = "layer" + std::to_string(stage + 1) + "." + std::to_string(i) + ".";
            x = use_bottleneck ? bottleneck(b, x, prefix, width, stride) : basic_block(b, x, prefix, width, stride);
        }
    }
    x = b.flatten(b.global_average_pool(x, "avgpool"), "flatten");
    return b.finish(b.fully_connected(x, "fc", 1000, "logits"));
}

}  // namespace

Graph build_resnet18(uint64_t seed) { return build_resnet(seed, {2, 2, 2, 2}, false); }
Graph build_resnet50(uint64_t seed) { return build_resnet(seed, {3, 4, 6, 3}, true); }

}  // namespace dyadic::ir
