#include "graph/ir/graph.h"

#include <algorithm>
#include <iterator>
#include <set>

#include <boost/graph/topological_sort.hpp>
#include <boost/property_map/property_map.hpp>

#include "util/error.h"

namespace dyadic::ir {

Graph::Graph(const Graph& other)
    : topology_(other.topology_),
      values_(other.values_),
      inputs_(other.inputs_),
      outputs_(other.outputs_),
      generated_names_(other.generated_names_) {
    // The copied vertices have new descriptors: the producer index must be rebuilt.
    rebuild_edges();
}

Graph::Graph(Graph&& other) { *this = std::move(other); }

Graph& Graph::operator=(const Graph& other) {
    if (this != &other) *this = Graph(other);
    return *this;
}

Graph& Graph::operator=(Graph&& other) {
    if (this != &other) {
        topology_ = std::move(other.topology_);
        values_ = std::move(other.values_);
        inputs_ = std::move(other.inputs_);
        outputs_ = std::move(other.outputs_);
        generated_names_ = other.generated_names_;
        rebuild_edges();
        other.topology_.clear();
        other.values_.clear();
        other.producers_.clear();
        other.inputs_.clear();
        other.outputs_.clear();
    }
    return *this;
}

Value& Graph::add_input(const std::string& name, Shape shape) {
    require(!name.empty(), "graph input with an empty name");
    require(!has_value(name), "graph input '" + name + "' is defined twice");
    Value value;
    value.name = name;
    value.shape = std::move(shape);
    inputs_.push_back(name);
    return values_.emplace(name, std::move(value)).first->second;
}

void Graph::check_new_outputs(const Node& node, std::optional<NodeId> self) const {
    require(node.outputs.size() == 1, "node '" + node.name + "' (" + op_name(node.op) + ") must have exactly one output");
    for (const std::string& out : node.outputs) {
        require(!out.empty(), "node '" + node.name + "' has an output with an empty name");
        require(!is_input(out), "node '" + node.name + "' writes graph input '" + out + "'");
        const auto it = producers_.find(out);
        require(it == producers_.end() || (self && it->second == *self),
                "tensor '" + out + "' is produced twice (by '" + (it == producers_.end() ? "" : node_name_of(it->second)) +
                    "' and '" + node.name + "')");
    }
}

std::string Graph::node_name_of(NodeId id) const { return topology_[id].name; }

NodeId Graph::add_node(Node node) {
    if (node.name.empty()) node.name = std::string(op_name(node.op)) + "_" + std::to_string(generated_names_++);
    require(!find_node(node.name), "node name '" + node.name + "' is used twice");
    require(!node.inputs.empty(), "node '" + node.name + "' (" + op_name(node.op) + ") has no input");
    for (const std::string& in : node.inputs)
        require(has_value(in), "node '" + node.name + "' reads unknown tensor '" + in + "'");
    check_new_outputs(node, std::nullopt);

    const std::vector<std::string> inputs = node.inputs;
    const std::vector<std::string> outputs = node.outputs;
    const NodeId id = boost::add_vertex(std::move(node), topology_);
    for (const std::string& out : outputs) {
        if (!has_value(out)) values_.emplace(out, Value{}).first->second.name = out;
        producers_[out] = id;
    }
    for (const std::string& in : inputs) {
        const auto it = producers_.find(in);
        if (it != producers_.end()) boost::add_edge(it->second, id, TensorEdge{in}, topology_);
    }
    return id;
}

void Graph::add_output(const std::string& name) {
    require(has_value(name), "graph output '" + name + "' is not a tensor of the graph");
    if (!is_output(name)) outputs_.push_back(name);
}

bool Graph::is_input(const std::string& tensor) const {
    return std::find(inputs_.begin(), inputs_.end(), tensor) != inputs_.end();
}

bool Graph::is_output(const std::string& tensor) const {
    return std::find(outputs_.begin(), outputs_.end(), tensor) != outputs_.end();
}

const Value& Graph::value(const std::string& tensor) const {
    const auto it = values_.find(tensor);
    require(it != values_.end(), "unknown tensor '" + tensor + "'");
    return it->second;
}

Value& Graph::value(const std::string& tensor) {
    const auto it = values_.find(tensor);
    require(it != values_.end(), "unknown tensor '" + tensor + "'");
    return it->second;
}

std::optional<NodeId> Graph::find_node(const std::string& node_name) const {
    for (const NodeId id : boost::make_iterator_range(boost::vertices(topology_)))
        if (topology_[id].name == node_name) return id;
    return std::nullopt;
}

std::vector<NodeId> Graph::nodes() const {
    const auto range = boost::vertices(topology_);
    return {range.first, range.second};
}

std::vector<NodeId> Graph::topological_order() const {
    std::map<NodeId, boost::default_color_type> colors;
    std::vector<NodeId> reversed;
    try {
        boost::topological_sort(topology_, std::back_inserter(reversed),
                                boost::color_map(boost::make_assoc_property_map(colors)));
    } catch (const boost::not_a_dag&) {
        throw Error("the graph has a cycle");
    }
    return {reversed.rbegin(), reversed.rend()};
}

std::optional<NodeId> Graph::producer(const std::string& tensor) const {
    require(has_value(tensor), "unknown tensor '" + tensor + "'");
    const auto it = producers_.find(tensor);
    if (it == producers_.end()) return std::nullopt;
    return it->second;
}

std::vector<NodeId> Graph::consumers(const std::string& tensor) const {
    std::vector<NodeId> readers;
    for (const NodeId id : nodes()) {
        const auto& in = topology_[id].inputs;
        if (std::find(in.begin(), in.end(), tensor) != in.end()) readers.push_back(id);
    }
    return readers;
}

void Graph::set_inputs(NodeId id, std::vector<std::string> inputs) {
    Node& n = topology_[id];
    require(!inputs.empty(), "node '" + n.name + "' would have no input");
    for (const std::string& in : inputs)
        require(has_value(in), "node '" + n.name + "' would read unknown tensor '" + in + "'");
    n.inputs = std::move(inputs);
    rebuild_edges();
}

void Graph::set_outputs(NodeId id, std::vector<std::string> outputs) {
    Node candidate;
    candidate.name = topology_[id].name;
    candidate.op = topology_[id].op;
    candidate.outputs = outputs;
    check_new_outputs(candidate, id);
    for (const std::string& out : outputs)
        if (!has_value(out)) values_.emplace(out, Value{}).first->second.name = out;
    topology_[id].outputs = std::move(outputs);
    rebuild_edges();
}

void Graph::remove_node(NodeId id) {
    boost::clear_vertex(id, topology_);
    boost::remove_vertex(id, topology_);
    rebuild_edges();
}

void Graph::remove_unused_values() {
    std::set<std::string> used(inputs_.begin(), inputs_.end());
    used.insert(outputs_.begin(), outputs_.end());
    for (const NodeId id : nodes()) {
        const Node& n = topology_[id];
        used.insert(n.inputs.begin(), n.inputs.end());
        used.insert(n.outputs.begin(), n.outputs.end());
    }
    for (auto it = values_.begin(); it != values_.end();) it = used.count(it->first) ? std::next(it) : values_.erase(it);
}

void Graph::rebuild_edges() {
    producers_.clear();
    for (const NodeId id : nodes()) {
        boost::clear_out_edges(id, topology_);
        for (const std::string& out : topology_[id].outputs) {
            const bool fresh = producers_.emplace(out, id).second;
            require(fresh, "tensor '" + out + "' is produced twice");
        }
    }
    for (const NodeId id : nodes())
        for (const std::string& in : topology_[id].inputs) {
            const auto it = producers_.find(in);
            if (it != producers_.end()) boost::add_edge(it->second, id, TensorEdge{in}, topology_);
        }
}

}  // namespace dyadic::ir
