#include "graph/ir/builders/inception_v3.h"

#include <string>

#include "graph/ir/builders/graph_builder.h"

namespace dyadic::ir {
namespace {

constexpr double kEpsilon = 1e-3;  // torchvision BasicConv2d: BatchNorm2d(eps=0.001)

// torchvision's BasicConv2d: conv (no bias), BatchNorm, ReLU.
struct Net {
    GraphBuilder b;

    std::string conv_hw(const std::string& x, const std::string& name, int64_t channels, int kh, int kw, int stride,
                        int pad_h, int pad_w) {
        const std::string y = b.conv(x, name + ".conv", channels, kh, kw, stride, pad_h, pad_w);
        return b.relu(b.batch_norm(y, name + ".bn", kEpsilon), name + ".relu");
    }
    std::string conv(const std::string& x, const std::string& name, int64_t channels, int k, int stride, int pad) {
        return conv_hw(x, name, channels, k, k, stride, pad, pad);
    }
    // 3x3 average pool, stride 1, pad 1; PyTorch counts the padding (count_include_pad = True).
    std::string pool3x3(const std::string& x, const std::string& name) {
        return b.average_pool(x, name, 3, 1, 1, true);
    }

    std::string inception_a(const std::string& x, const std::string& n, int64_t pool_features) {
        const std::string b1 = conv(x, n + ".branch1x1", 64, 1, 1, 0);
        const std::string b5 = conv(conv(x, n + ".branch5x5_1", 48, 1, 1, 0), n + ".branch5x5_2", 64, 5, 1, 2);
        std::string b3 = conv(x, n + ".branch3x3dbl_1", 64, 1, 1, 0);
        b3 = conv(b3, n + ".branch3x3dbl_2", 96, 3, 1, 1);
        b3 = conv(b3, n + ".branch3x3dbl_3", 96, 3, 1, 1);
        const std::string bp = conv(pool3x3(x, n + ".avg_pool"), n + ".branch_pool", pool_features, 1, 1, 0);
        return b.concat({b1, b5, b3, bp}, n + ".concat");
    }

    std::string inception_b(const std::string& x, const std::string& n) {
        const std::string b3 = conv(x, n + ".branch3x3", 384, 3, 2, 0);
        std::string bd = conv(x, n + ".branch3x3dbl_1", 64, 1, 1, 0);
        bd = conv(bd, n + ".branch3x3dbl_2", 96, 3, 1, 1);
        bd = conv(bd, n + ".branch3x3dbl_3", 96, 3, 2, 0);
        const std::string bp = b.max_pool(x, n + ".max_pool", 3, 2, 0);
        return b.concat({b3, bd, bp}, n + ".concat");
    }

    std::string inception_c(const std::string& x, const std::string& n, int64_t c7) {
        const std::string b1 = conv(x, n + ".branch1x1", 192, 1, 1, 0);
        std::string b7 = conv(x, n + ".branch7x7_1", c7, 1, 1, 0);
        b7 = conv_hw(b7, n + ".branch7x7_2", c7, 1, 7, 1, 0, 3);
        b7 = conv_hw(b7, n + ".branch7x7_3", 192, 7, 1, 1, 3, 0);
        std::string bd = conv(x, n + ".branch7x7dbl_1", c7, 1, 1, 0);
        bd = conv_hw(bd, n + ".branch7x7dbl_2", c7, 7, 1, 1, 3, 0);
        bd = conv_hw(bd, n + ".branch7x7dbl_3", c7, 1, 7, 1, 0, 3);
        bd = conv_hw(bd, n + ".branch7x7dbl_4", c7, 7, 1, 1, 3, 0);
        bd = conv_hw(bd, n + ".branch7x7dbl_5", 192, 1, 7, 1, 0, 3);
        const std::string bp = conv(pool3x3(x, n + ".avg_pool"), n + ".branch_pool", 192, 1, 1, 0);
        return b.concat({b1, b7, bd, bp}, n + ".concat");
    }

    std::string inception_d(const std::string& x, const std::string& n) {
        const std::string b3 = conv(conv(x, n + ".branch3x3_1", 192, 1, 1, 0), n + ".branch3x3_2", 320, 3, 2, 0);
        std::string b7 = conv(x, n + ".branch7x7x3_1", 192, 1, 1, 0);
        b7 = conv_hw(b7, n + ".branch7x7x3_2", 192, 1, 7, 1, 0, 3);
        b7 = conv_hw(b7, n + ".branch7x7x3_3", 192, 7, 1, 1, 3, 0);
        b7 = conv(b7, n + ".branch7x7x3_4", 192, 3, 2, 0);
        const std::string bp = b.max_pool(x, n + ".max_pool", 3, 2, 0);
        return b.concat({b3, b7, bp}, n + ".concat");
    }

    std::string inception_e(const std::string& x, const std::string& n) {
        const std::string b1 = conv(x, n + ".branch1x1", 320, 1, 1, 0);
        const std::string s3 = conv(x, n + ".branch3x3_1", 384, 1, 1, 0);
        const std::string b3 = b.concat({conv_hw(s3, n + ".branch3x3_2a", 384, 1, 3, 1, 0, 1),
                                         conv_hw(s3, n + ".branch3x3_2b", 384, 3, 1, 1, 1, 0)},
                                        n + ".branch3x3_concat");
        std::string sd = conv(x, n + ".branch3x3dbl_1", 448, 1, 1, 0);
        sd = conv(sd, n + ".branch3x3dbl_2", 384, 3, 1, 1);
        const std::string bd = b.concat({conv_hw(sd, n + ".branch3x3dbl_3a", 384, 1, 3, 1, 0, 1),
                                         conv_hw(sd, n + ".branch3x3dbl_3b", 384, 3, 1, 1, 1, 0)},
                                        n + ".branch3x3dbl_concat");
        const std::string bp = conv(pool3x3(x, n + ".avg_pool"), n + ".branch_pool", 192, 1, 1, 0);
        return b.concat({b1, b3, bd, bp}, n + ".concat");
    }
};

}  // namespace

Graph build_inception_v3(uint64_t seed) {
    Net net{GraphBuilder(seed)};
    std::string x = net.b.input("input", Shape{1, 3, 299, 299});
    x = net.conv(x, "Conv2d_1a_3x3", 32, 3, 2, 0);
    x = net.conv(x, "Conv2d_2a_3x3", 32, 3, 1, 0);
    x = net.conv(x, "Conv2d_2b_3x3", 64, 3, 1, 1);
    x = net.b.max_pool(x, "maxpool1", 3, 2, 0);
    x = net.conv(x, "Conv2d_3b_1x1", 80, 1, 1, 0);
    x = net.conv(x, "Conv2d_4a_3x3", 192, 3, 1, 0);
    x = net.b.max_pool(x, "maxpool2", 3, 2, 0);
    x = net.inception_a(x, "Mixed_5b", 32);
    x = net.inception_a(x, "Mixed_5c", 64);
    x = net.inception_a(x, "Mixed_5d", 64);
    x = net.inception_b(x, "Mixed_6a");
    x = net.inception_c(x, "Mixed_6b", 128);
    x = net.inception_c(x, "Mixed_6c", 160);
    x = net.inception_c(x, "Mixed_6d", 160);
    x = net.inception_c(x, "Mixed_6e", 192);
    x = net.inception_d(x, "Mixed_7a");
    x = net.inception_e(x, "Mixed_7b");
    x = net.inception_e(x, "Mixed_7c");
    x = net.b.flatten(net.b.global_average_pool(x, "avgpool"), "flatten");
    return net.b.finish(net.b.fully_connected(x, "fc", 1000, "logits"));
}

}  // namespace dyadic::ir
