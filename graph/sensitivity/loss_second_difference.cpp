#include "graph/sensitivity/loss_second_difference.h"

#include "graph/ir/executor.h"
#include "graph/sensitivity/softmax_cross_entropy.h"
#include "util/error.h"

namespace dyadic::sensitivity {

SecondDifference loss_second_difference(const ir::Graph& graph, ir::NodeId layer, const ir::FloatTensor& direction,
                                        double eps, const ir::FloatTensor& images, const std::vector<int>& labels) {
    require(eps > 0.0, "second difference: eps must be positive");
    const std::string& name = graph.node(layer).name;
    require(direction.shape == graph.node(layer).weight.shape && direction.size() > 0,
            "second difference: direction shape " + to_string(direction.shape) + " does not match layer '" + name +
                "' weight " + to_string(graph.node(layer).weight.shape));

    ir::Graph perturbed = graph;  // NodeIds are per graph: find the layer again by name
    ir::Node& node = perturbed.node(*perturbed.find_node(name));
    const ir::FloatTensor original = node.weight;
    const ir::FloatExecutor executor(perturbed);

    const auto loss_at = [&](double t) {
        for (int64_t i = 0; i < original.size(); ++i)
            node.weight.data[i] = static_cast<float>(double{original.data[i]} + t * double{direction.data[i]});
        return mean_cross_entropy(executor.run(images), labels);
    };
    SecondDifference result;
    result.loss_plus = loss_at(eps);
    result.loss_minus = loss_at(-eps);
    result.loss = loss_at(0.0);
    result.curvature = (result.loss_plus - 2.0 * result.loss + result.loss_minus) / (eps * eps);
    return result;
}

}  // namespace dyadic::sensitivity
