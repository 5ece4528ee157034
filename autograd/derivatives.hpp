// autograd/derivatives.hpp — the backward formula of every differentiable primitive op: given
// the node and the gradient of its output, the gradients of its inputs (undefined where an
// input needs none). One function per op in derivatives.cpp, in op_list.def order.
#pragma once
#include <vector>

#include "autograd/node.hpp"

namespace fulcrum {

std::vector<Tensor> run_backward(const Node& node, const Tensor& grad_output);

}  // namespace fulcrum
