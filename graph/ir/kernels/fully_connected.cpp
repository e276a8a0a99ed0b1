#include <Eigen/Core>

#include "graph/ir/kernels/float_ops.h"

namespace dyadic::ir::kernels {

void fully_connected(const FloatTensor& x, const Node& node, FloatTensor& out) {
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const int64_t batch = x.dim(0), in_features = x.dim(1), out_features = out.dim(1);
    const Eigen::Map<const RowMatrix> input(x.data.data(), batch, in_features);
    const Eigen::Map<const RowMatrix> weight(node.weight.data.data(), out_features, in_features);
    Eigen::Map<RowMatrix> output(out.data.data(), batch, out_features);
    output.noalias() = input * weight.transpose();
    if (!node.bias.empty())
        output.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(node.bias.data.data(), out_features);
    apply_activation(node.activation, out);
}

}  // namespace dyadic::ir::kernels
