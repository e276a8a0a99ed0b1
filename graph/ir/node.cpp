#include "graph/ir/node.h"

namespace dyadic::ir {

const char* op_name(OpKind op) {
    switch (op) {
        case OpKind::Conv: return "Conv";
        case OpKind::BatchNormalization: return "BatchNormalization";
        case OpKind::Relu: return "Relu";
        case OpKind::Add: return "Add";
        case OpKind::MaxPool: return "MaxPool";
        case OpKind::AveragePool: return "AveragePool";
        case OpKind::GlobalAveragePool: return "GlobalAveragePool";
        case OpKind::FullyConnected: return "FullyConnected";
        case OpKind::Flatten: return "Flatten";
        case OpKind::Reshape: return "Reshape";
        case OpKind::Concat: return "Concat";
    }
    return "?";
}

}  // namespace dyadic::ir
