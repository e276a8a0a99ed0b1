#pragma once
// The model IR: a directed acyclic graph (Boost.Graph adjacency_list) whose vertices are nodes
// (graph/ir/node.h) and whose edges are tensors (graph/ir/value.h). Header is C++17.
//
// An edge u -> v with property {tensor} means node v reads tensor `tensor` produced by u. A tensor
// read by several nodes is several edges but one Value (shape, type, scale) held once in the
// graph's value table, because every reader must see the same quantization. Graph inputs have no
// producer node, so no edge carries them.
//
// Typical use:
//   Graph g = import_onnx_file("model.onnx");      // graph/ir/onnx_import.h
//   run_standard_passes(g);                          // graph/ir/passes/passes.h
//   for (NodeId id : g.topological_order()) { const Node& n = g.node(id); ... g.value(n.outputs[0]) ... }
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "graph/ir/node.h"
#include "graph/ir/value.h"

namespace dyadic::ir {

struct TensorEdge {
    std::string tensor;  // name of the tensor the edge carries
};

// Vertices in a list so that NodeIds stay valid when other nodes are removed by passes.
using Topology =
    boost::adjacency_list<boost::vecS, boost::listS, boost::bidirectionalS, Node, TensorEdge>;
using NodeId = boost::graph_traits<Topology>::vertex_descriptor;

class Graph {
public:
    Graph() = default;
    Graph(const Graph& other);
    Graph& operator=(const Graph& other);
    // Moves re-derive the producer index too: boost::adjacency_list may copy its vertices (new
    // descriptors) where a move was asked for.
    Graph(Graph&& other);
    Graph& operator=(Graph&& other);

    // ---- building ----
    // A graph input (an activation fed by the caller). Throws Error on a duplicate name.
    Value& add_input(const std::string& name, Shape shape);
    // Adds a node. Every input must already exist (graph input or output of an earlier node);
    // output names must be new. Output Values are created with an empty shape (infer_shapes fills
    // it). A node without a name gets "<op>_<k>". Throws Error naming the node otherwise.
    NodeId add_node(Node node);
    // Marks an existing tensor as a graph output.
    void add_output(const std::string& name);

    // ---- queries ----
    const std::vector<std::string>& inputs() const { return inputs_; }
    const std::vector<std::string>& outputs() const { return outputs_; }
    bool is_input(const std::string& tensor) const;
    bool is_output(const std::string& tensor) const;

    bool has_value(const std::string& tensor) const { return values_.count(tensor) != 0; }
    const Value& value(const std::string& tensor) const;  // throws Error for an unknown name
    Value& value(const std::string& tensor);
    const std::map<std::string, Value>& values() const { return values_; }

    std::size_t node_count() const { return boost::num_vertices(topology_); }
    // Mutable access is for attributes, parameters and quantization fields; inputs/outputs
    // must change through set_inputs / set_outputs.
    const Node& node(NodeId id) const { return topology_[id]; }
    Node& node(NodeId id) { return topology_[id]; }
    std::optional<NodeId> find_node(const std::string& node_name) const;

    // Nodes in insertion order.
    std::vector<NodeId> nodes() const;
    // Nodes ordered so that every producer precedes its readers (boost::topological_sort).
    // Throws Error if the graph has a cycle.
    std::vector<NodeId> topological_order() const;

    // The node computing `tensor`; nullopt for a graph input. Throws Error for an unknown name.
    std::optional<NodeId> producer(const std::string& tensor) const;
    // Nodes reading `tensor` (once each, insertion order).
    std::vector<NodeId> consumers(const std::string& tensor) const;

    const Topology& topology() const { return topology_; }

    // ---- editing (passes) ----
    // Replace a node's inputs / outputs and re-derive the edges. New output names get a new Value
    // with an empty shape; inputs must exist. Throws Error on a tensor produced twice.
    void set_inputs(NodeId id, std::vector<std::string> inputs);
    void set_outputs(NodeId id, std::vector<std::string> outputs);
    // Removes the node and its edges. The Values it produced stay (they may be re-produced by
    // another node); remove_unused_values drops the ones nobody produces or reads.
    void remove_node(NodeId id);
    void remove_unused_values();

private:
    void rebuild_edges();  // edges and the producer index, from the nodes' input/output names
    void check_new_outputs(const Node& node, std::optional<NodeId> self) const;
    std::string node_name_of(NodeId id) const;

    Topology topology_;
    std::map<std::string, Value> values_;
    std::map<std::string, NodeId> producers_;
    std::vector<std::string> inputs_, outputs_;
    std::size_t generated_names_ = 0;
};

}  // namespace dyadic::ir
