#include "graph/ir/float_tensor.h"

#include "util/error.h"

namespace dyadic::ir {

FloatTensor::FloatTensor(Shape shape_) : shape(std::move(shape_)) {
    data.assign(static_cast<size_t>(element_count(shape)), 0.0f);
}

FloatTensor::FloatTensor(Shape shape_, std::vector<float> data_) : shape(std::move(shape_)), data(std::move(data_)) {
    require(element_count(shape) == size(), "float tensor of shape " + to_string(shape) + " needs " +
                                                std::to_string(element_count(shape)) + " values, got " +
                                                std::to_string(size()));
}

}  // namespace dyadic::ir
