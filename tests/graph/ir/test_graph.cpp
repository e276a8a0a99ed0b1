// The IR container: building, producers/readers, edges, topological order, editing, copies.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "graph/ir/graph.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::ir;

namespace {

Node make(OpKind op, const std::string& name, std::vector<std::string> inputs, const std::string& output) {
    Node n;
    n.op = op;
    n.name = name;
    n.inputs = std::move(inputs);
    n.outputs = {output};
    if (op == OpKind::Relu) n.activation.relu = true;
    return n;
}

// Position of every node in `order`; checks that each reader comes after the producer of each input.
void require_topological(const Graph& g, const std::vector<NodeId>& order) {
    REQUIRE(order.size() == g.node_count());
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < order.size(); ++i) position[g.node(order[i]).name] = i;
    REQUIRE(position.size() == order.size());
    for (size_t i = 0; i < order.size(); ++i)
        for (const std::string& in : g.node(order[i]).inputs) {
            const auto producer = g.producer(in);
            if (producer) REQUIRE(position.at(g.node(*producer).name) < i);
        }
}

}  // namespace

TEST_CASE("graph: producers, readers and edges follow the tensor names", "[ir][graph]") {
    Graph g;
    g.add_input("x", Shape{1, 4, 8, 8});
    const NodeId a = g.add_node(make(OpKind::Relu, "a", {"x"}, "ta"));
    const NodeId b = g.add_node(make(OpKind::Relu, "b", {"ta"}, "tb"));
    const NodeId c = g.add_node(make(OpKind::Add, "c", {"ta", "tb"}, "tc"));
    g.add_output("tc");

    REQUIRE(g.node_count() == 3);
    REQUIRE(boost::num_edges(g.topology()) == 3);  // a->b, a->c, b->c; graph inputs carry no edge
    REQUIRE_FALSE(g.producer("x").has_value());
    REQUIRE(*g.producer("ta") == a);
    REQUIRE(g.consumers("ta") == std::vector<NodeId>{b, c});
    REQUIRE(g.consumers("tc").empty());
    REQUIRE(g.is_input("x"));
    REQUIRE(g.is_output("tc"));
    REQUIRE(g.find_node("b") == b);
    REQUIRE_FALSE(g.find_node("nope").has_value());
    for (const auto e : boost::make_iterator_range(boost::in_edges(c, g.topology()))) {
        const std::string& t = g.topology()[e].tensor;
        REQUIRE((t == "ta" || t == "tb"));
        REQUIRE(*g.producer(t) == boost::source(e, g.topology()));
    }
    require_topological(g, g.topological_order());
}

TEST_CASE("graph: topological order differs from insertion order after rewiring", "[ir][graph]") {
    Graph g;
    g.add_input("x", Shape{2, 3});
    const NodeId first = g.add_node(make(OpKind::Relu, "first", {"x"}, "t1"));
    const NodeId second = g.add_node(make(OpKind::Relu, "second", {"x"}, "t2"));
    g.add_node(make(OpKind::Add, "third", {"t1", "t2"}, "t3"));
    g.set_inputs(first, {"t2"});  // now `first` reads what `second` computes
    const std::vector<NodeId> order = g.topological_order();
    require_topological(g, order);
    REQUIRE(std::find(order.begin(), order.end(), second) < std::find(order.begin(), order.end(), first));
    REQUIRE(g.nodes().front() == first);  // insertion order is unchanged

    g.set_inputs(second, {"t1"});  // first <-> second: a cycle
    REQUIRE_THROWS_WITH(g.topological_order(), Catch::Contains("cycle"));
}

TEST_CASE("graph: malformed construction is rejected with the name", "[ir][graph]") {
    Graph g;
    g.add_input("x", Shape{1, 2});
    g.add_node(make(OpKind::Relu, "r", {"x"}, "y"));
    REQUIRE_THROWS_WITH(g.add_input("x", Shape{1}), Catch::Contains("'x'"));
    REQUIRE_THROWS_WITH(g.add_node(make(OpKind::Relu, "r", {"x"}, "z")), Catch::Contains("'r'"));
    REQUIRE_THROWS_WITH(g.add_node(make(OpKind::Relu, "s", {"missing"}, "z")), Catch::Contains("'missing'"));
    REQUIRE_THROWS_WITH(g.add_node(make(OpKind::Relu, "s", {"x"}, "y")), Catch::Contains("produced twice"));
    REQUIRE_THROWS_WITH(g.add_node(make(OpKind::Relu, "s", {"x"}, "x")), Catch::Contains("graph input"));
    REQUIRE_THROWS_WITH(g.add_output("nowhere"), Catch::Contains("'nowhere'"));
    REQUIRE_THROWS_WITH(g.value("nowhere"), Catch::Contains("'nowhere'"));
    Node unnamed = make(OpKind::Relu, "", {"x"}, "u");
    REQUIRE(g.node(g.add_node(unnamed)).name == "Relu_0");
}

TEST_CASE("graph: removing a node and re-producing its tensor keeps the edges consistent", "[ir][graph]") {
    Graph g;
    g.add_input("x", Shape{1, 2});
    const NodeId a = g.add_node(make(OpKind::Relu, "a", {"x"}, "ta"));
    const NodeId b = g.add_node(make(OpKind::Relu, "b", {"ta"}, "tb"));
    const NodeId c = g.add_node(make(OpKind::Relu, "c", {"tb"}, "tc"));
    g.remove_node(b);
    g.set_outputs(a, {"tb"});  // a now computes what b computed
    g.remove_unused_values();
    REQUIRE_FALSE(g.has_value("ta"));
    REQUIRE(*g.producer("tb") == a);
    REQUIRE(g.node_count() == 2);
    REQUIRE(boost::num_edges(g.topology()) == 1);
    REQUIRE(boost::source(*boost::in_edges(c, g.topology()).first, g.topology()) == a);
}

TEST_CASE("graph: a copy is independent and has its own index", "[ir][graph]") {
    Graph g;
    g.add_input("x", Shape{1, 2});
    g.add_node(make(OpKind::Relu, "a", {"x"}, "ta"));
    g.add_node(make(OpKind::Relu, "b", {"ta"}, "tb"));
    Graph copy = g;
    const NodeId copied_a = *copy.producer("ta");
    REQUIRE(copy.node(copied_a).name == "a");
    copy.node(copied_a).activation.upper_bound = 6.0;
    REQUIRE_FALSE(g.node(*g.producer("ta")).activation.has_upper_bound());
    REQUIRE(copy.consumers("ta") == std::vector<NodeId>{*copy.find_node("b")});
    Graph assigned;
    assigned = copy;
    REQUIRE(assigned.node(*assigned.producer("ta")).activation.upper_bound == 6.0);
    REQUIRE(assigned.topological_order().size() == 2);
    Graph moved = std::move(assigned);
    REQUIRE(moved.node(*moved.producer("tb")).name == "b");
    REQUIRE(moved.consumers("ta") == std::vector<NodeId>{*moved.find_node("b")});
    REQUIRE(boost::num_edges(moved.topology()) == 1);
}
