// autograd/engine.hpp — reverse-mode differentiation: backward() sorts the graph under `root`
// topologically and runs each node's backward formula once, in reverse order, accumulating
// gradients into leaves' .grad. Implementation: engine.cpp.
#pragma once
#include "core/tensor.hpp"

namespace fulcrum {

// Gradients of `root` w.r.t. every leaf that requires grad, accumulated into their .grad.
// `gradient` defaults to 1 for a one-element root; otherwise it is required and must match
// root's shape. retain_graph=false frees the saved tensors, so a second backward is an Error.
void backward(const Tensor& root, const Tensor& gradient = Tensor(), bool retain_graph = false);

}  // namespace fulcrum
